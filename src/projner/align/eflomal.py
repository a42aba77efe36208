"""Statistical word alignment with eflomal (Östling & Tiedemann 2016) through its Python package.

eflomal is a Bayesian IBM1 → HMM → fertility model fitted by Gibbs sampling. It is trained *on the pairs to
align* (plus any extra parallel text), in both directions, and the two directional alignments are symmetrised
(:mod:`projner.align.symmetrize`, grow-diag-final-and by default); see :mod:`projner.align.statistical`.

Determinism: eflomal 2.0.0 seeds its sampler from ``/dev/urandom`` and has no seed option, so two runs can
differ slightly. More samplers (``n_samplers``) reduce the variance; the result cache
(:class:`projner.align.base.CachedAligner`) makes a given run reproducible. For a seeded eflomal, use
:class:`projner.align.thot.ThotAligner` (the ``thot-eflomal*`` aligners).
"""

from __future__ import annotations

import itertools
import logging
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from projner.align.base import Pair
from projner.align.statistical import StatisticalAligner
from projner.core.types import Alignment, ProjnerError

log = logging.getLogger(__name__)


def _read_links(path: Path, n: int) -> list[Alignment]:
    out: list[Alignment] = []
    with open(path, encoding="utf-8") as fh:
        for line in itertools.islice(fh, n):
            out.append(Alignment.from_pharaoh(line))
    if len(out) != n:
        raise ProjnerError(f"eflomal wrote {len(out)} alignment lines for {n} sentence pairs ({path})")
    return out


class EflomalAligner(StatisticalAligner):
    """eflomal forward + reverse alignment with a symmetrisation heuristic (extra data: see the base class)."""

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

        self.model = int(model)
        self.n_samplers = int(n_samplers)
        self.rel_iterations = float(rel_iterations)
        self.null_prior = float(null_prior)
        self.n_iterations = n_iterations
        super().__init__(symmetrization, extra_files, name, default_name="eflomal")

    def params(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "n_samplers": self.n_samplers,
            "rel_iterations": self.rel_iterations,
            "null_prior": self.null_prior,
            "n_iterations": list(self.n_iterations) if self.n_iterations else None,
            **self.extra_params(),
        }

    def align_directional(self, pairs: Sequence[Pair]) -> tuple[list[Alignment], list[Alignment]]:
        """Forward and reverse eflomal alignments of ``pairs`` (both as ``(src, tgt)`` links)."""
        import eflomal

        n = len(pairs)
        if n == 0:
            return [], []
        src, tgt = self.training_sides(pairs)
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
                (" ".join(s) for s in src),
                (" ".join(t) for t in tgt),
                links_filename_fwd=str(fwd_path),
                links_filename_rev=str(rev_path),
            )
            return _read_links(fwd_path, n), _read_links(rev_path, n)
