"""Candidates, Dice score, greedy and exact solvers against brute-force references on random instances."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from projner.core.types import Alignment, ParallelExample, Sentence, Span
from projner.project.base import ProjectionError
from projner.project.candidates import NerCandidates, NgramCandidates, ngram_spans
from projner.project.exact import exact_entries
from projner.project.greedy import greedy_entries, greedy_match
from projner.project.matching import MatchingProjector
from projner.project.score import dice_score_matrix


def test_ngram_order_max_len_and_exclusion() -> None:
    s, e = ngram_spans(["a", "b", "c"])
    assert list(zip(s.tolist(), e.tolist(), strict=True)) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    s, e = ngram_spans(["a", "b", "c"], max_len=2)
    assert list(zip(s.tolist(), e.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
    s, e = ngram_spans(["a", "!", "c", "?"])
    assert list(zip(s.tolist(), e.tolist(), strict=True)) == [(0, 1), (2, 3)]
    s, e = ngram_spans(["a", "!"], exclude=())
    assert len(s) == 3
    assert ngram_spans([])[0].size == 0


def _example(
    n_src: int, n_tgt: int, pairs: list[tuple[int, int]], ents: list[Span], **meta: object
) -> ParallelExample:
    return ParallelExample(
        source=Sentence([f"s{i}" for i in range(n_src)]),
        target=Sentence([f"t{i}" for i in range(n_tgt)]),
        source_spans=ents,
        alignment=Alignment(pairs),
        meta=dict(meta),
    )


def test_ner_candidates_from_meta_and_expansion() -> None:
    ex = _example(2, 5, [(0, 1)], [Span(0, 1, "PER")], candidates=[Span(1, 3, "X"), (0, 1)])
    s, e = NerCandidates()(ex)
    assert list(zip(s.tolist(), e.tolist(), strict=True)) == [(0, 1), (1, 3)]
    s, e = NerCandidates(expand_subspans=True)(ex)
    assert list(zip(s.tolist(), e.tolist(), strict=True)) == [(0, 1), (1, 2), (1, 3), (2, 3)]
    ex.meta["candidates"] = ["O", "B-ORG", "I-ORG", "O", "B-LOC"]
    s, e = NerCandidates()(ex)
    assert list(zip(s.tolist(), e.tolist(), strict=True)) == [(1, 3), (4, 5)]
    with pytest.raises(ProjectionError, match="meta"):
        NerCandidates()(_example(2, 5, [], [Span(0, 1, "PER")]))
    with pytest.raises(ProjectionError, match="outside"):
        NerCandidates()(_example(2, 5, [], [Span(0, 1, "PER")], candidates=[(3, 9)]))


def test_ner_matching_projects_onto_predicted_span_only() -> None:
    ex = _example(2, 5, [(0, 1), (1, 2), (1, 3)], [Span(0, 2, "ORG")], candidates=[(1, 3)])
    assert MatchingProjector(candidates="ner").project(ex) == [Span(1, 3, "ORG")]


def _random_instance(rng: np.random.Generator) -> tuple[ParallelExample, np.ndarray]:
    n_src, n_tgt = int(rng.integers(2, 8)), int(rng.integers(2, 9))
    links = rng.random((n_src, n_tgt)) < 0.3
    ents: list[Span] = []
    pos = 0
    while pos < n_src:
        length = int(rng.integers(1, 3))
        if rng.random() < 0.6 and pos + length <= n_src:
            ents.append(Span(pos, pos + length, "X"))
        pos += length
    if not ents:
        ents = [Span(0, 1, "X")]
    return _example(n_src, n_tgt, [tuple(p) for p in np.argwhere(links)], ents), links


def test_dice_matrix_matches_brute_force() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        ex, links = _random_instance(rng)
        s, e = ngram_spans(ex.target.tokens)
        csr = dice_score_matrix(ex.source_spans, s, e, links)
        dense = csr.toarray()
        for r, ent in enumerate(ex.source_spans):
            for c, (p, q) in enumerate(zip(s.tolist(), e.tolist(), strict=True)):
                n = links[ent.start : ent.end, p:q].sum()
                assert dense[r, c] == pytest.approx(2 * n / (len(ent) + q - p))
        assert (csr.data > 0).all()  # zero scores are absent


def _paper_greedy(dense: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Literal paper algorithm: row-major argmax, zero row, zero overlapping columns (pairwise test)."""
    c = dense.copy()
    out = []
    while c.max() > 0:
        r, k = np.unravel_index(int(np.argmax(c)), c.shape)
        out.append((int(r), int(k)))
        c[r, :] = 0
        for j in range(c.shape[1]):
            if starts[j] < ends[k] and ends[j] > starts[k]:
                c[:, j] = 0
    return out


def test_greedy_equals_literal_paper_algorithm() -> None:
    rng = np.random.default_rng(1)
    for _ in range(200):
        ex, links = _random_instance(rng)
        s, e = ngram_spans(ex.target.tokens)
        csr = dice_score_matrix(ex.source_spans, s, e, links)
        got = [(r, c) for r, c, _ in greedy_match(csr, s, e)]
        assert got == _paper_greedy(csr.toarray(), s, e)


def _brute_force_optimum(dense: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> float:
    best = 0.0
    options = [[None] + [int(c) for c in np.flatnonzero(row > 0)] for row in dense]
    for combo in itertools.product(*options):
        chosen = [(r, c) for r, c in enumerate(combo) if c is not None]
        spans = sorted((starts[c], ends[c]) for _, c in chosen)
        if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
            continue
        best = max(best, sum(dense[r, c] for r, c in chosen))
    return best


@pytest.mark.parametrize("shortcut", [True, False])
def test_exact_reaches_brute_force_optimum(shortcut: bool) -> None:
    rng = np.random.default_rng(2)
    checked = 0
    for _ in range(60):
        ex, links = _random_instance(rng)
        if len(ex.source_spans) > 3:
            continue
        s, e = ngram_spans(ex.target.tokens, max_len=4)
        dense = dice_score_matrix(ex.source_spans, s, e, links).toarray()
        rows, cols = np.nonzero(dense)
        chosen = exact_entries(rows, cols, dense[rows, cols], s, e, dense.shape[0], shortcut=shortcut)
        spans = sorted((s[c], e[c]) for _, c, _ in chosen)
        assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
        assert len({r for r, _, _ in chosen}) == len(chosen)
        assert sum(v for _, _, v in chosen) == pytest.approx(_brute_force_optimum(dense, s, e), abs=1e-6)
        greedy = greedy_entries(rows, cols, dense[rows, cols], s, e)
        assert sum(v for _, _, v in chosen) >= sum(v for _, _, v in greedy) - 1e-9
        checked += 1
    assert checked > 20


def test_exact_is_deterministic_on_ties() -> None:
    # Two entities, identical rows: the ILP has two optima; the tie rule gives entity 0 the earlier candidate.
    starts, ends = np.array([0, 2]), np.array([1, 3])
    rows, cols, vals = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.ones(4)
    for _ in range(3):
        assert exact_entries(rows, cols, vals, starts, ends, 2, shortcut=False) == [(0, 0, 1.0), (1, 1, 1.0)]


def test_min_score_and_max_len() -> None:
    ex = _example(1, 6, [(0, 0), (0, 5)], [Span(0, 1, "LOC")])
    assert MatchingProjector(max_len=10).project(ex) == [Span(0, 1, "LOC")]
    assert MatchingProjector(min_score=1.0).project(ex) == []  # the best score is exactly 1
    assert NgramCandidates(max_len=2)(ex)[0].size == 11


@pytest.mark.parametrize(
    ("solver", "params"),
    [("greedy", {}), ("exact", {}), ("greedy", {"unaligned_weight": 0.5}), ("greedy", {"score": "coverage"})],
)
def test_window_restriction_does_not_change_the_solution(solver: str, params: dict[str, object]) -> None:
    """The hot path scores only n-grams inside the linked window; the full CSR matrix must agree."""
    from projner.project.exact import exact_match

    rng = np.random.default_rng(4)
    for _ in range(150):
        ex, _links = _random_instance(rng)
        proj = MatchingProjector(solver=solver, max_len=4, **params)  # type: ignore[arg-type]
        csr, s, e = proj.score_matrix(ex)
        full = greedy_match(csr, s, e) if solver == "greedy" else exact_match(csr, s, e)
        expected = sorted(Span(int(s[c]), int(e[c]), ex.source_spans[r].label) for r, c, _ in full)
        assert proj.project(ex) == expected


def test_trim_punct_candidates() -> None:
    ex = ParallelExample(
        source=Sentence(["the", "Times"]),
        target=Sentence(["die", "«", "Times", "»"]),
        source_spans=[Span(1, 2, "ORG")],
        alignment=Alignment([(1, 1), (1, 2), (1, 3)]),
    )
    assert MatchingProjector().project(ex) == [Span(1, 4, "ORG")]
    assert MatchingProjector(trim_punct=True).project(ex) == [Span(2, 3, "ORG")]


def test_coverage_score_and_length_order() -> None:
    from projner.project.score import coverage_dense

    # Entity "Kori Schulman" ([0,2)); "Kori" is also linked to the title word before it (target 0).
    links = np.zeros((2, 3))
    links[0, [0, 1]] = 1
    links[1, 2] = 1
    starts, ends = np.array([0, 1]), np.array([3, 3])
    cov = coverage_dense(links, np.array([0]), np.array([2]), starts, ends)
    assert cov.tolist() == [[1.0, 1.0]]  # plain Dice would give 1.2 vs 1.0 and prefer the title
    ex = ParallelExample(
        source=Sentence(["Kori", "Schulman"]),
        target=Sentence(["Sonderberaterin", "Kori", "Schulman"]),
        source_spans=[Span(0, 2, "PER")],
        alignment=Alignment.from_matrix(links > 0),
    )
    assert MatchingProjector().project(ex) == [Span(0, 3, "PER")]
    assert MatchingProjector(score="coverage", order="length").project(ex) == [Span(1, 3, "PER")]


def test_link_combination_modes() -> None:
    from projner.project.base import example_links

    ex = _example(
        2, 2, [(0, 0)], [Span(0, 1, "X")], alignments=[Alignment([(0, 0)]), Alignment([(0, 0), (1, 1)])]
    )
    assert example_links(ex, "mean").tolist() == [[1.0, 0.0], [0.0, 0.5]]
    assert example_links(ex, "union").tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert example_links(ex, "intersection").tolist() == [[1.0, 0.0], [0.0, 0.0]]
    assert example_links(ex, "single").tolist() == [[1.0, 0.0], [0.0, 0.0]]
    with pytest.raises(ValueError):
        example_links(ex, "max")


def test_fusion_agree_mode_keeps_only_agreed_spans() -> None:
    from projner.project.fusion import FusionProjector

    # Two-word entity aligned to one target word: the heuristic's length filter drops it, matching keeps it.
    ex = _example(2, 3, [(0, 1), (1, 1)], [Span(0, 2, "PER")])
    assert FusionProjector().project(ex) == [Span(1, 2, "PER")]
    assert FusionProjector().project(ex)[0].score == pytest.approx(2 * 2 / 3 * 0.5)  # disagreement halves it
    assert FusionProjector(mode="agree").project(ex) == []


def test_unaligned_weight_keeps_reordered_names_whole() -> None:
    # "EU Member States" → "Estados Miembros de la UE": "de la" is aligned to nothing.
    ex = ParallelExample(
        source=Sentence(["EU", "Member", "States"]),
        target=Sentence(["Estados", "Miembros", "de", "la", "UE"]),
        source_spans=[Span(0, 3, "ORG")],
        alignment=Alignment([(0, 4), (1, 1), (2, 0)]),
    )
    assert MatchingProjector().project(ex) == [Span(0, 2, "ORG")]  # paper Dice: 0.8 > 0.75
    assert MatchingProjector(unaligned_weight=0.5).project(ex) == [Span(0, 5, "ORG")]  # 6/7 > 0.8
    with pytest.raises(ValueError):
        MatchingProjector(unaligned_weight=0.0)
