"""Plain min–max span projection: the simplest baseline (offline-resources.md §1.5).

Each source entity maps to ``[min, max]`` of the target words aligned to any of its words, with the same
label. Spans that would overlap an earlier one (source order) are skipped so the output stays valid IOB2.
This is the "SimAlign + plain projection" reference the benchmark compares against.
"""

from __future__ import annotations

import numpy as np

from projner.core.types import ParallelExample, Span
from projner.project.base import Projection, Projector, link_matrix, register_projector
from projner.project.score import dice, prefix_sums


class MinMaxProjector(Projector):
    name = "minmax"

    def __init__(self) -> None:
        self.params: dict[str, object] = {}

    def project_links(self, example: ParallelExample) -> list[Projection]:
        assert example.alignment is not None
        n_src, n_tgt = len(example.source.tokens), len(example.target.tokens)
        links = link_matrix(example.alignment, n_src, n_tgt)
        prefix = prefix_sums(links)
        taken = np.zeros(n_tgt, dtype=bool)
        out: list[Projection] = []
        for i, ent in enumerate(example.source_spans):
            idx = np.flatnonzero(links[ent.start : ent.end].any(axis=0))
            if idx.size == 0:
                continue
            p, q = int(idx[0]), int(idx[-1]) + 1
            if taken[p:q].any():
                continue
            taken[p:q] = True
            span = Span(p, q, ent.label)
            out.append(Projection(i, span.with_score(dice(ent, span, prefix))))
        return out


register_projector("minmax", MinMaxProjector)
