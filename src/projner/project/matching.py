"""Formalized projection: match source entities with target candidates (method.md §3.9).

``MatchingProjector`` = candidate source (n-grams or NER spans) × Dice score × solver (greedy or exact).
The paper's "C-ng" runs are ``MatchingProjector(candidates="ngram", solver="greedy")`` with unlimited
``max_len``; the thesis used ``max_len=10``. Each projected span carries its Dice score.

Scores are computed densely for the (few) entities × candidates of one sentence and handed to the solvers
as sparse entries (the nonzeros of the CSR matrix :meth:`MatchingProjector.score_matrix` returns), which
avoids building a SciPy object per sentence on the hot path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
from scipy import sparse

from projner.core.types import ParallelExample, Span
from projner.project.base import Projection, Projector, example_links, register_projector
from projner.project.candidates import DEFAULT_EXCLUDED, CandidateSource, NerCandidates, NgramCandidates
from projner.project.exact import exact_entries
from projner.project.greedy import greedy_entries
from projner.project.score import coverage_dense, dense_to_csr, dice_score_matrix

Solver = Literal["greedy", "exact"]


class MatchingProjector(Projector):
    """Candidate matching with the alignment Dice score.

    ``min_score`` drops entries at or below it before solving (0 = the paper: any link counts).
    ``shortcut`` (exact solver only) returns the greedy solution without calling HiGHS when it provably
    reaches the upper bound; ``False`` always solves the ILP (for timing the solver).
    ``links`` chooses how the link matrix is built when ``example.meta["alignments"]`` holds several
    alignments (see :func:`projner.project.base.example_links`).
    """

    name = "matching"

    def __init__(
        self,
        candidates: str | CandidateSource = "ngram",
        solver: Solver = "greedy",
        max_len: int | None = None,
        exclude: Iterable[str] = DEFAULT_EXCLUDED,
        expand_subspans: bool = False,
        min_score: float = 0.0,
        links: str = "single",
        link_weights: Sequence[float] | None = None,
        trim_punct: bool = False,
        order: str = "start",
        score: str = "dice",
        unaligned_weight: float = 1.0,
        shortcut: bool = True,
    ) -> None:
        if not 0.0 < unaligned_weight <= 1.0:
            raise ValueError("unaligned_weight must be in (0, 1]")
        self.unaligned_weight = unaligned_weight
        if score not in ("dice", "coverage"):
            raise ValueError(f"score must be 'dice' (paper) or 'coverage', got {score!r}")
        self.score = score
        if isinstance(candidates, CandidateSource):
            self.candidates = candidates
        elif candidates == "ngram":
            self.candidates = NgramCandidates(
                max_len=max_len, exclude=exclude, trim_punct=trim_punct, order=order
            )
        elif candidates == "ner":
            self.candidates = NerCandidates(expand_subspans=expand_subspans)
        else:
            raise ValueError(f"unknown candidate source {candidates!r}; choose 'ngram' or 'ner'")
        if solver not in ("greedy", "exact"):
            raise ValueError(f"solver must be 'greedy' or 'exact', got {solver!r}")
        self.solver = solver
        self.min_score = min_score
        self.shortcut = shortcut
        self.links = links
        self.link_weights = list(link_weights) if link_weights is not None else None
        self.params = {
            "candidates": getattr(self.candidates, "name", str(candidates)),
            "solver": solver,
            "max_len": max_len,
            "min_score": min_score,
            "links": links,
            "link_weights": self.link_weights,
            "trim_punct": trim_punct,
            "order": order,
            "score": score,
            "unaligned_weight": unaligned_weight,
        }

    def dense_scores(
        self, example: ParallelExample, full: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(scores (E×C), cand_starts, cand_ends)`` over the candidates inside the linked window
        (``full=True``: over all candidates, as in :meth:`score_matrix`).

        Per-entity target link counts are row-range sums of the link matrix (one cumulative sum over source
        rows); their cumulative sums along the target give every candidate's link count in two gathers.
        """
        ents = example.source_spans
        es = np.fromiter((s.start for s in ents), dtype=np.int64, count=len(ents))
        ee = np.fromiter((s.end for s in ents), dtype=np.int64, count=len(ents))
        links = example_links(example, self.links, self.link_weights)
        rowcum = np.zeros((links.shape[0] + 1, links.shape[1]))
        np.cumsum(links, axis=0, out=rowcum[1:])
        per_entity = rowcum[ee] - rowcum[es]  # (E, n_tgt): links of each entity to each target word
        if full:
            starts, ends = self.candidates(example)
        else:
            linked = np.flatnonzero(per_entity.any(axis=0))
            if linked.size == 0:
                empty = np.zeros(0, dtype=np.int64)
                return np.zeros((len(ents), 0)), empty, empty
            starts, ends = self.candidates(example, (int(linked[0]), int(linked[-1]) + 1))
        if self.score == "coverage":
            return coverage_dense(links, es, ee, starts, ends), starts, ends
        colcum = np.zeros((len(ents), links.shape[1] + 1))
        np.cumsum(per_entity, axis=1, out=colcum[:, 1:])
        counts = colcum[:, ends] - colcum[:, starts]
        lengths = (ee - es)[:, None] + (ends - starts)[None, :]
        if self.unaligned_weight != 1.0:
            # Target words aligned to nothing (often function words inside a reordered name, "de la") count
            # only unaligned_weight in the denominator; words aligned elsewhere still count fully.
            unaligned = np.zeros(links.shape[1] + 1)
            np.cumsum(rowcum[-1] == 0, out=unaligned[1:])
            lengths = lengths - (1.0 - self.unaligned_weight) * (unaligned[ends] - unaligned[starts])[None, :]
        return (2.0 * counts) / lengths, starts, ends

    def score_matrix(self, example: ParallelExample) -> tuple[sparse.csr_array, np.ndarray, np.ndarray]:
        """Sparse CSR score matrix (entities × all candidates) with the candidates' start and end arrays.

        With the default settings this is :func:`projner.project.score.dice_score_matrix` (the paper's score).
        """
        if self.score == "dice" and self.unaligned_weight == 1.0:
            starts, ends = self.candidates(example)
            links = example_links(example, self.links, self.link_weights)
            return dice_score_matrix(example.source_spans, starts, ends, links), starts, ends
        dense, starts, ends = self.dense_scores(example, full=True)
        return dense_to_csr(dense), starts, ends

    def project_links(self, example: ParallelExample) -> list[Projection]:
        dense, starts, ends = self.dense_scores(example)
        rows, cols = np.nonzero(dense > self.min_score)
        vals = dense[rows, cols]
        if self.solver == "greedy":
            chosen = greedy_entries(rows, cols, vals, starts, ends)
        else:
            chosen = exact_entries(rows, cols, vals, starts, ends, dense.shape[0], self.shortcut)
        ents = example.source_spans
        return [Projection(r, Span(int(starts[c]), int(ends[c]), ents[r].label, v)) for r, c, v in chosen]


def _factory(candidates: str, solver: Solver):  # type: ignore[no-untyped-def]
    def make(**params: object) -> MatchingProjector:
        return MatchingProjector(candidates=candidates, solver=solver, **params)  # type: ignore[arg-type]

    return make


register_projector("matching", MatchingProjector)
register_projector("greedy", _factory("ngram", "greedy"))
register_projector("exact", _factory("ngram", "exact"))
register_projector("ner-greedy", _factory("ner", "greedy"))
register_projector("ner-exact", _factory("ner", "exact"))
