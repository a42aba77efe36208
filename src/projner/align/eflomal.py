"""Statistical word alignment with eflomal (Östling & Tiedemann 2016) through its Python package.

eflomal is a Bayesian IBM1 → HMM → fertility model fitted by Gibbs sampling. It is trained *on the pairs to
align* (plus any extra parallel text), in both directions, and the two directional alignments are symmetrised
(:mod:`projner.align.symmetrize`, grow-diag-final-and by default). Because the model is fitted on the whole
input, this aligner does not stream: it reads all pairs, then yields their alignments.

Determinism: eflomal 2.0.0 seeds its sampler from ``/dev/urandom`` and has no seed option, so two runs can
differ slightly. More samplers (``n_samplers``) reduce the variance; the result cache
(:class:`projner.align.base.CachedAligner`) makes a given run reproducible.
"""

from __future__ import annotations

import itertools
import logging
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from projner.align.base import DEFAULT_BATCH_SIZE, Pair
from projner.align.symmetrize import canonical_symmetrization, symmetrize
from projner.core.types import Alignment, InputError, ProjnerError
from projner.utils.cache import file_fingerprint, fingerprint

log = logging.getLogger(__name__)

_WS = re.compile(r"\s")


def _line(tokens: Sequence[str]) -> str:
    """One eflomal input line. Tokens must stay one whitespace-free item each, or indices would shift."""
    return " ".join(_WS.sub("_", t) or "_" for t in tokens)


def _read_links(path: Path, n: int) -> list[Alignment]:
    out: list[Alignment] = []
    with open(path, encoding="utf-8") as fh:
        for line in itertools.islice(fh, n):
            out.append(Alignment.from_pharaoh(line))
    if len(out) != n:
        raise ProjnerError(f"eflomal wrote {len(out)} alignment lines for {n} sentence pairs ({path})")
    return out


def _file_lines(path: Path, fmt: str | None) -> Iterator[str]:
    """eflomal lines of a tokenized file in any format :func:`projner.io.read` knows (plain text: line = sentence)."""
    from projner import io

    for sent in io.read(path, fmt):
        yield _line(sent.tokens)


def count_sentences(path: Path, fmt: str | None = None) -> int:
    return sum(1 for _ in _file_lines(path, fmt))


class EflomalAligner:
    """eflomal forward + reverse alignment with a symmetrisation heuristic.

    ``extra_files``: ``(source file, target file)`` pairs of tokenized files (plain text with one sentence per
    line, or any format :func:`projner.io.read` reads), used as additional training data. ``fit(pairs)`` adds in-memory extra pairs.
    """

    streaming = False

    def __init__(
        self,
        symmetrization: str = "grow-diag-final-and",
        model: int = 3,
        n_samplers: int = 3,
        rel_iterations: float = 1.0,
        null_prior: float = 0.2,
        n_iterations: tuple[int, int, int] | None = None,
        extra_files: Iterable[tuple[str | Path, str | Path]] = (),
        name: str | None = None,
    ) -> None:
        import eflomal  # noqa: F401  (fail early with a clear message if the package is missing)

        self.symmetrization = canonical_symmetrization(symmetrization)
        self.model = int(model)
        self.n_samplers = int(n_samplers)
        self.rel_iterations = float(rel_iterations)
        self.null_prior = float(null_prior)
        self.n_iterations = n_iterations
        self.name = name or f"eflomal-{self.symmetrization}"
        self._extra_pairs: list[tuple[list[str], list[str]]] = []
        self._extra_files: list[tuple[Path, Path, str | None]] = []
        for s, t in extra_files:
            self.add_parallel_files(s, t)

    def add_parallel_files(self, source: str | Path, target: str | Path, fmt: str | None = None) -> None:
        """Train also on a parallel file pair (sentence i with sentence i; format detected unless ``fmt``)."""
        s, t = Path(source), Path(target)
        for p in (s, t):
            if not p.is_file():
                raise InputError("extra parallel file not found", str(p))
        ns, nt = count_sentences(s, fmt), count_sentences(t, fmt)
        if ns != nt:
            raise InputError(
                f"extra parallel files differ in length: {s} has {ns} sentences, {t} has {nt}", str(s)
            )
        self._extra_files.append((s, t, fmt))

    def fit(self, extra_pairs: Iterable[Pair]) -> None:
        """Add extra parallel pairs (kept in memory) to the training data of later ``align`` calls."""
        self._extra_pairs.extend((list(s), list(t)) for s, t in extra_pairs)

    def params(self) -> dict[str, Any]:
        return {
            "symmetrization": self.symmetrization,
            "model": self.model,
            "n_samplers": self.n_samplers,
            "rel_iterations": self.rel_iterations,
            "null_prior": self.null_prior,
            "n_iterations": list(self.n_iterations) if self.n_iterations else None,
            "extra_files": [(file_fingerprint(s), file_fingerprint(t), f) for s, t, f in self._extra_files],
            "extra_pairs": fingerprint(self._extra_pairs) if self._extra_pairs else None,
        }

    def align_directional(self, pairs: Sequence[Pair]) -> tuple[list[Alignment], list[Alignment]]:
        """Forward and reverse eflomal alignments of ``pairs`` (both as ``(src, tgt)`` links)."""
        import eflomal

        n = len(pairs)
        if n == 0:
            return [], []
        src_lines = itertools.chain(
            (_line(s) for s, _ in pairs),
            (_line(s) for s, _ in self._extra_pairs),
            *(_file_lines(s, f) for s, _, f in self._extra_files),
        )
        tgt_lines = itertools.chain(
            (_line(t) for _, t in pairs),
            (_line(t) for _, t in self._extra_pairs),
            *(_file_lines(t, f) for _, t, f in self._extra_files),
        )
        aligner = eflomal.Aligner(
            model=self.model,
            n_samplers=self.n_samplers,
            rel_iterations=self.rel_iterations,
            null_prior=self.null_prior,
            n_iterations=self.n_iterations,
        )
        with tempfile.TemporaryDirectory(prefix="projner-eflomal-") as tmp:
            fwd_path, rev_path = Path(tmp) / "fwd", Path(tmp) / "rev"
            aligner.align(
                src_lines, tgt_lines, links_filename_fwd=str(fwd_path), links_filename_rev=str(rev_path)
            )
            return _read_links(fwd_path, n), _read_links(rev_path, n)

    def align(self, pairs: Iterable[Pair], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Alignment]:
        """Train on all ``pairs`` (+ extra data) and yield their symmetrised alignments. ``batch_size`` is unused."""
        pairs = [(list(s), list(t)) for s, t in pairs]
        fwd, rev = self.align_directional(pairs)
        for (s, t), f, r in zip(pairs, fwd, rev, strict=True):
            if not s or not t:
                yield Alignment()
                continue
            yield symmetrize(f, r, len(s), len(t), self.symmetrization)
