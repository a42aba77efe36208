"""Formalized projection: match source entities with target candidates (method.md §3.9).

``MatchingProjector`` = candidate source (n-grams or NER spans) × Dice score × solver (greedy or exact).
The paper's "C-ng" runs are ``MatchingProjector(candidates="ngram", solver="greedy")`` with unlimited
``max_len``; the thesis used ``max_len=10``. Each projected span carries its Dice score.

Scores are computed densely for the (few) entities × candidates of one sentence and handed to the solvers
as sparse entries (the nonzeros of the CSR matrix :meth:`MatchingProjector.score_matrix` returns), which
avoids building a SciPy object per sentence on the hot path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
from scipy import sparse

from projner.core.types import ParallelExample, Span
from projner.project.base import Projection, ProjectionError, Projector, example_links, register_projector
from projner.project.candidates import (
    DEFAULT_EXCLUDED,
    CandidateSource,
    NerCandidates,
    NgramCandidates,
    as_candidate_spans,
)
from projner.project.completion import (
    ENGLISH_ARTICLES,
    complete_names,
    drop_lowercase_words,
    split_place_lists,
    strip_leading_articles,
)
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

    ``ner_bonus`` (beyond the paper; 0 = off) uses spans a target-side NER model predicted
    (``example.meta[ner_key]``, labels ignored) to fix *boundaries* only: an entity–candidate entry gets
    ``+ner_bonus`` when the candidate is exactly a target NER span that contains the entity's best-scoring
    candidate. It targets translations that add words to a name ("the Union" → "l'Unione europea", where
    "europea" is aligned to nothing), which no alignment score can recover; the reported span score stays the
    Dice score. See :func:`ner_extension_hits`.

    ``extend_names`` (beyond the paper; off by default, on in the offline default) grows each chosen span over
    adjacent capitalised target words that no link reaches, never onto the sentence's first word
    (:mod:`projner.project.completion`).

    ``drop_lowercase`` (beyond the paper; off by default, on in the offline default) then drops one-word PER/ORG/LOC
    projections onto a lower-case word (:func:`projner.project.completion.drop_lowercase_words`).

    ``split_places`` (beyond the paper; off by default, on in the offline default) projects a source LOC entity
    with commas ("Denver , Colorado") as its parts (:func:`projner.project.completion.split_place_lists`); the
    parts' projections keep the entity's index. ``strip_articles`` (a list of lower-case words, e.g.
    ``("the", "a", "an")``; empty = off) first drops a leading article from the source entities
    (:func:`projner.project.completion.strip_leading_articles`).
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
        ner_bonus: float = 0.0,
        ner_key: str = "candidates",
        extend_names: bool = False,
        drop_lowercase: bool = False,
        split_places: bool = False,
        strip_articles: Sequence[str] = (),
    ) -> None:
        if ner_bonus < 0.0:
            raise ValueError("ner_bonus must be >= 0")
        self.ner_bonus = ner_bonus
        self.ner_key = ner_key
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
        if ner_bonus:  # only when used, so existing fingerprints/reprs do not change
            self.params.update(ner_bonus=ner_bonus, ner_key=ner_key)
        self.extend_names = bool(extend_names)
        if self.extend_names:
            self.params["extend_names"] = True
        self.drop_lowercase = bool(drop_lowercase)
        if self.drop_lowercase:
            self.params["drop_lowercase"] = True
        self.split_places = bool(split_places)
        if self.split_places:
            self.params["split_places"] = True
        if isinstance(strip_articles, str):  # --param strip_articles=le,la,les (empty: off)
            strip_articles = [w for w in strip_articles.split(",") if w]
        self.strip_articles = tuple(strip_articles)
        if self.strip_articles:
            self.params["strip_articles"] = list(self.strip_articles)

    @property
    def needs_target_spans(self) -> bool:
        """True when projecting needs target NER spans in ``example.meta`` (NER candidates or ``ner_bonus``)."""
        return isinstance(self.candidates, NerCandidates) or self.ner_bonus > 0.0

    def dense_scores(
        self, example: ParallelExample, full: bool = False, links: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(scores (E×C), cand_starts, cand_ends)`` over the candidates inside the linked window
        (``full=True``: over all candidates, as in :meth:`score_matrix`). ``links``: the example's link matrix
        when the caller has it already (:func:`example_links` with this projector's settings).

        Per-entity target link counts are row-range sums of the link matrix (one cumulative sum over source
        rows); their cumulative sums along the target give every candidate's link count in two gathers.
        """
        ents = example.source_spans
        es = np.fromiter((s.start for s in ents), dtype=np.int64, count=len(ents))
        ee = np.fromiter((s.end for s in ents), dtype=np.int64, count=len(ents))
        if links is None:
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
            lo, hi = int(linked[0]), int(linked[-1]) + 1
            if self.ner_bonus and self.ner_key in example.meta:
                # the n-gram window lemma (trimmed candidates score higher) does not hold with the bonus: let
                # candidates reach the end of any target NER span that overlaps the linked range
                for p, q in as_candidate_spans(example.meta[self.ner_key], len(example.target.tokens)):
                    if p < hi and q > lo:
                        lo, hi = min(lo, p), max(hi, q)
            starts, ends = self.candidates(example, (lo, hi))
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

    def link_matrix(self, example: ParallelExample) -> np.ndarray:
        """The example's (source × target) link weights, as this projector reads them (``links``, weights)."""
        return example_links(example, self.links, self.link_weights)

    def with_ner_bonus(
        self,
        example: ParallelExample,
        rows: np.ndarray,
        cols: np.ndarray,
        vals: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
    ) -> np.ndarray:
        """``vals`` plus ``ner_bonus`` on the entries :func:`ner_extension_hits` selects (unchanged when off)."""
        if not self.ner_bonus:
            return vals
        if self.ner_key not in example.meta:
            raise ProjectionError(
                f"ner_bonus needs example.meta[{self.ner_key!r}] (spans predicted on the target sentence)"
            )
        ner = as_candidate_spans(example.meta[self.ner_key], len(example.target.tokens))
        return vals + self.ner_bonus * ner_extension_hits(rows, cols, vals, starts, ends, ner)

    def complete(
        self, example: ParallelExample, projections: list[Projection], links: np.ndarray
    ) -> list[Projection]:
        """Name completion (:func:`complete_names`) of the chosen projections when ``extend_names`` is on, then
        the lower-case filter (:func:`drop_lowercase_words`) when ``drop_lowercase`` is on; sorted by start."""
        out = sorted(projections, key=lambda p: p.span.start)
        tokens = example.target.tokens
        if self.extend_names and out:
            linked = np.asarray(links.any(axis=0), dtype=bool)
            grown = complete_names(tokens, [p.span for p in out], linked)
            out = [Projection(p.source, span) for p, span in zip(out, grown, strict=True)]
        if self.drop_lowercase and out:
            kept = set(drop_lowercase_words(tokens, [p.span for p in out]))
            out = [p for p in out if p.span in kept]
        return out

    def source_parts(self, example: ParallelExample) -> tuple[ParallelExample, list[int] | None]:
        """The example with its source entities after the source-side rules (``strip_articles``, ``split_places``)
        and, when they changed anything, the index of the original entity of each new one (else None)."""
        spans = example.source_spans
        owner = list(range(len(spans)))
        if self.strip_articles:
            spans = strip_leading_articles(example.source.tokens, spans, self.strip_articles)
        if self.split_places:
            spans, owner = split_place_lists(example.source.tokens, spans)
        if spans == example.source_spans:
            return example, None
        return replace(example, source_spans=spans), owner

    def with_source_rules(
        self, example: ParallelExample, project: Callable[[ParallelExample], list[Projection]]
    ) -> list[Projection]:
        """``project`` on :meth:`source_parts`; a projection of a part keeps the index of the entity it was cut
        from. Shared with :class:`projner.project.fusion.FusionProjector`, so its matching settings hold too."""
        parts, owner = self.source_parts(example)
        found = project(parts)
        return found if owner is None else [Projection(owner[p.source], p.span) for p in found]

    def project_links(self, example: ParallelExample) -> list[Projection]:
        return self.with_source_rules(example, self._project_links)

    def _project_links(self, example: ParallelExample) -> list[Projection]:
        links = self.link_matrix(example)
        dense, starts, ends = self.dense_scores(example, links=links)
        rows, cols = np.nonzero(dense > self.min_score)
        vals = self.with_ner_bonus(example, rows, cols, dense[rows, cols], starts, ends)
        if self.solver == "greedy":
            chosen = greedy_entries(rows, cols, vals, starts, ends)
        else:
            chosen = exact_entries(rows, cols, vals, starts, ends, dense.shape[0], self.shortcut)
        ents = example.source_spans
        out = [
            Projection(r, Span(int(starts[c]), int(ends[c]), ents[r].label, float(dense[r, c])))
            for r, c, _ in chosen
        ]
        return self.complete(example, out, links)


def ner_extension_hits(
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    ner_spans: Sequence[tuple[int, int]],
) -> np.ndarray:
    """Boolean per entry: its candidate is exactly one of ``ner_spans`` and contains the best-scoring candidate
    of the same entity (row). The best entry of a row is its highest value, the first one on ties.

    Pure and vectorised (one stable sort); used by :class:`MatchingProjector` with ``ner_bonus``.
    """
    hit = np.zeros(rows.size, dtype=bool)
    if rows.size == 0 or not ner_spans:
        return hit
    ner = np.asarray(sorted(set(ner_spans)), dtype=np.int64).reshape(-1, 2)
    cs, ce = starts[cols], ends[cols]
    is_ner = ((cs[:, None] == ner[None, :, 0]) & (ce[:, None] == ner[None, :, 1])).any(axis=1)
    order = np.lexsort((-vals, rows))  # stable: by row, then value descending, then entry order
    first = np.ones(order.size, dtype=bool)
    first[1:] = rows[order][1:] != rows[order][:-1]
    best_of_row = {int(rows[k]): int(cols[k]) for k in order[first]}
    best = np.fromiter((best_of_row[int(r)] for r in rows), dtype=np.int64, count=rows.size)
    return is_ner & (cs <= starts[best]) & (ends[best] <= ce)


def _factory(candidates: str, solver: Solver):  # type: ignore[no-untyped-def]
    def make(**params: object) -> MatchingProjector:
        return MatchingProjector(candidates=candidates, solver=solver, **params)  # type: ignore[arg-type]

    return make


register_projector("matching", MatchingProjector)
register_projector("greedy", _factory("ngram", "greedy"))
register_projector("exact", _factory("ngram", "exact"))
register_projector("ner-greedy", _factory("ner", "greedy"))
register_projector("ner-exact", _factory("ner", "exact"))

NAME_SHAPE_RULES: dict[str, object] = {
    "drop_lowercase": True,
    "split_places": True,
    "strip_articles": list(ENGLISH_ARTICLES),
}
"""The session-12 name-shape rules of the offline default and ``greedy-nerext`` (docs/projectors.md)."""

GREEDY_NER_EXTEND_PARAMS: dict[str, object] = {
    "max_len": 20,
    "unaligned_weight": 0.5,
    "ner_bonus": 1.0,
    **NAME_SHAPE_RULES,
}
"""``greedy-nerext``: the offline default projector (without name completion) plus the target-NER boundary bonus.
A bonus >= 1 exceeds any Dice score, so a target NER span containing an entity's best n-gram always wins ("extend
to the name"). Chosen on UNER-PUD en→de/pt with the ``news`` target tagger (bonus 0.1-1.0 tried;
docs/benchmarks/projection.md). ``max_len`` 20 since session 10, as in the default: identical on UNER, +0.3 / +0.5
/ +0.6 on the first half of Europarl-NER de/es/it. The session-12 name-shape rules of the default since session 12
(with ``--set-completion``): UNER-PUD de 77.2 -> 78.1, pt 81.6 -> 82.5, Europarl-NER 92.0 -> 93.7."""


def _greedy_nerext(**params: object) -> MatchingProjector:
    return MatchingProjector(candidates="ngram", solver="greedy", **{**GREEDY_NER_EXTEND_PARAMS, **params})  # type: ignore[arg-type]


register_projector("greedy-nerext", _greedy_nerext)
