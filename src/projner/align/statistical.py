"""What every statistical (trained) aligner shares: extra parallel data, and symmetrising two directions.

A statistical aligner (eflomal, Thot's models) is fitted *on the pairs to align* plus any extra parallel text, in
both directions, and the two directional alignments are symmetrised (:mod:`projner.align.symmetrize`). Because
the model is fitted on the whole input, such an aligner does not stream: it reads all pairs, then yields their
alignments. Subclasses implement only :meth:`StatisticalAligner.align_directional`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from projner.align.base import DEFAULT_BATCH_SIZE, Pair
from projner.align.symmetrize import canonical_symmetrization, symmetrize
from projner.core.types import Alignment, InputError
from projner.utils.cache import file_fingerprint, fingerprint

_WS = re.compile(r"\s")


def clean_tokens(tokens: Sequence[str]) -> list[str]:
    """Tokens as whitespace-free, non-empty items: the trainers split on spaces, and a token they split (or drop)
    would shift every later index."""
    return [_WS.sub("_", t) or "_" for t in tokens]


def file_sentences(path: Path, fmt: str | None) -> Iterator[list[str]]:
    """Cleaned token lists of a tokenized file in any format :func:`projner.io.read` knows (plain text: line =
    sentence)."""
    from projner import io

    for sent in io.read(path, fmt):
        yield clean_tokens(sent.tokens)


def count_sentences(path: Path, fmt: str | None = None) -> int:
    return sum(1 for _ in file_sentences(path, fmt))


class StatisticalAligner:
    """Base of the trained aligners: extra training data (files and pairs) and the symmetrised ``align``.

    ``extra_files``: ``(source file, target file)`` pairs of tokenized files (plain text with one sentence per
    line, or any format :func:`projner.io.read` reads), used as additional training data. ``fit(pairs)`` adds
    in-memory extra pairs.
    """

    streaming = False

    def __init__(
        self,
        symmetrization: str = "grow-diag-final-and",
        extra_files: Iterable[tuple[str | Path, str | Path]] = (),
        name: str | None = None,
        default_name: str = "statistical",
    ) -> None:
        self.symmetrization = canonical_symmetrization(symmetrization)
        self.name = name or f"{default_name}-{self.symmetrization}"
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

    def extra_params(self) -> dict[str, Any]:
        """The cache-key part that describes the extra training data."""
        return {
            "symmetrization": self.symmetrization,
            "extra_files": [(file_fingerprint(s), file_fingerprint(t), f) for s, t, f in self._extra_files],
            "extra_pairs": fingerprint(self._extra_pairs) if self._extra_pairs else None,
        }

    def training_sides(self, pairs: Sequence[Pair]) -> tuple[Iterator[list[str]], Iterator[list[str]]]:
        """Source and target token lists of the training corpus: ``pairs`` first (so sentence i of the training
        data is pair i), then the extra pairs, then the extra files."""

        def side(k: int) -> Iterator[list[str]]:
            for pair in pairs:
                yield clean_tokens(pair[k])
            for pair in self._extra_pairs:
                yield clean_tokens(pair[k])
            for s, t, f in self._extra_files:
                yield from file_sentences((s, t)[k], f)

        return side(0), side(1)

    def align_directional(self, pairs: Sequence[Pair]) -> tuple[list[Alignment], list[Alignment]]:
        """Forward and reverse alignments of ``pairs`` (both as ``(src, tgt)`` links)."""
        raise NotImplementedError

    def align(self, pairs: Iterable[Pair], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Alignment]:
        """Train on all ``pairs`` (+ extra data) and yield their symmetrised alignments. ``batch_size`` is unused."""
        pairs = [(list(s), list(t)) for s, t in pairs]
        fwd, rev = self.align_directional(pairs) if pairs else ([], [])
        for (s, t), f, r in zip(pairs, fwd, rev, strict=True):
            if not s or not t:
                yield Alignment()
                continue
            yield symmetrize(f, r, len(s), len(t), self.symmetrization)
