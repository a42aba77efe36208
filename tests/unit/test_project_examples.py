"""The six worked examples of method.md §6 for the heuristic, greedy and exact projectors.

Alignments in method.md are written (target, source); ``Alignment`` stores (source, target), so each fixture
swaps the pairs once here.
"""

from __future__ import annotations

import pytest

from projner.core.tags import iob2_errors, spans_to_tags
from projner.core.types import Alignment, ParallelExample, Sentence, Span
from projner.project import get_projector
from projner.project.exact import exact_entries
from projner.project.matching import MatchingProjector

# (target, source, source entities, alignment as (i_T, j_S))
EXAMPLES = {
    1: (
        "Rais Barack Obama alitembelea Nairobi jana .",
        "President Barack Obama visited Nairobi yesterday .",
        [Span(1, 3, "PER"), Span(4, 5, "LOC")],
        [(i, i) for i in range(7)],
    ),
    2: (
        "Chuo Kikuu cha Nairobi kimefungwa",
        "University of Nairobi closed",
        [Span(0, 3, "ORG")],
        [(0, 0), (1, 0), (3, 2), (4, 3)],
    ),
    3: (
        "Yohana na Mariamu",
        "John and Mary",
        [Span(0, 1, "PER"), Span(2, 3, "PER")],
        [(0, 0), (1, 1), (2, 2), (0, 2)],
    ),
    4: ("Obama alifika", "Barack Obama arrived", [Span(0, 2, "PER")], [(0, 1), (1, 2)]),
    5: ("a X b c Y d", "P Q", [Span(0, 2, "ORG")], [(1, 0), (4, 1)]),
    6: ("Paris Hilton", "Paris Hilton", [Span(0, 2, "PER"), Span(0, 1, "LOC")], [(0, 0), (1, 1)]),
}

HEURISTIC = {
    1: "O B-PER I-PER O B-LOC O O",
    2: "B-ORG I-ORG I-ORG I-ORG O",
    3: "B-PER I-PER I-PER",
    4: "O O",
    5: "O O O O O O",
    # The paper's label array is B-LOC I-PER (invalid); decoded with seqeval semantics it is LOC[0,1) PER[1,2).
    6: "B-LOC B-PER",
}
GREEDY = {
    1: "O B-PER I-PER O B-LOC O O",
    2: "B-ORG I-ORG I-ORG I-ORG O",
    3: "B-PER O B-PER",
    4: "B-PER O",
    5: "O B-ORG O O O O",
    6: "B-PER I-PER",
}
# Exact optimum (≤1 projection per entity, no overlap, maximal total Dice):
#  3: John→[0,1) + Mary→[2,3) = 2 is the unique optimum (SciPy's bipartite matcher gave B-PER O O because it
#     ignores overlap and repaired it afterwards);
#  6: LOC→[0,1) (1.0) + PER→[1,2) (0.667) = 1.667 beats greedy's PER→[0,2) alone (1.0).
EXACT = {**GREEDY, 3: "B-PER O B-PER", 6: "B-LOC B-PER"}


def make(n: int) -> ParallelExample:
    tgt, src, ents, pairs = EXAMPLES[n]
    return ParallelExample(
        source=Sentence(src.split()),
        target=Sentence(tgt.split()),
        source_spans=list(ents),
        alignment=Alignment([(s, t) for t, s in pairs]),
    )


def tags_of(projector_name: str, n: int) -> str:
    ex = make(n)
    spans = get_projector(projector_name).project(ex)
    tags = spans_to_tags(spans, len(ex.target.tokens))
    assert iob2_errors(tags) == []
    return " ".join(tags)


@pytest.mark.parametrize("n", sorted(EXAMPLES))
def test_heuristic_worked_examples(n: int) -> None:
    assert tags_of("heuristic", n) == HEURISTIC[n]


@pytest.mark.parametrize("n", sorted(EXAMPLES))
def test_greedy_worked_examples(n: int) -> None:
    assert tags_of("greedy", n) == GREEDY[n]


@pytest.mark.parametrize("n", sorted(EXAMPLES))
def test_exact_worked_examples(n: int) -> None:
    assert tags_of("exact", n) == EXACT[n]


@pytest.mark.parametrize("n", sorted(EXAMPLES))
def test_exact_without_greedy_shortcut_gives_same_optimum(n: int) -> None:
    ex = make(n)
    proj = MatchingProjector(solver="exact")
    dense, starts, ends = proj.dense_scores(ex)
    import numpy as np

    rows, cols = np.nonzero(dense > 0)
    chosen = exact_entries(rows, cols, dense[rows, cols], starts, ends, dense.shape[0], shortcut=False)
    spans = [Span(int(starts[c]), int(ends[c]), ex.source_spans[r].label) for r, c, _ in chosen]
    assert " ".join(spans_to_tags(spans, len(ex.target.tokens))) == EXACT[n]


def test_example2_scores_match_method() -> None:
    ex = make(2)
    csr, starts, ends = MatchingProjector().score_matrix(ex)
    row = {
        (int(s), int(e)): round(float(v), 3) for s, e, v in zip(starts, ends, csr.toarray()[0], strict=True)
    }
    assert row[(0, 4)] == 0.857 and row[(0, 2)] == 0.8 and row[(0, 3)] == 0.667 and row[(1, 4)] == 0.667


def test_example3_score_rows_match_method() -> None:
    ex = make(3)
    csr, starts, ends = MatchingProjector().score_matrix(ex)
    dense = csr.toarray()
    spans = [(int(s), int(e)) for s, e in zip(starts, ends, strict=True)]
    john = {sp: round(float(v), 3) for sp, v in zip(spans, dense[0], strict=True) if v}
    mary = {sp: round(float(v), 3) for sp, v in zip(spans, dense[1], strict=True) if v}
    assert john == {(0, 1): 1.0, (0, 2): 0.667, (0, 3): 0.5}
    assert mary == {(0, 1): 1.0, (0, 2): 0.667, (0, 3): 1.0, (1, 3): 0.667, (2, 3): 1.0}


def test_heuristic_overwrite_paper_array_example6() -> None:
    """Skip mode (thesis) keeps the first entity's run whole; overwrite reproduces the paper's spans."""
    ex = make(6)
    skip = get_projector("heuristic", collision="skip").project(ex)
    assert skip == [Span(0, 2, "PER")]
    shortest = get_projector("heuristic", collision="skip", order="shortest").project(ex)
    assert shortest == [Span(0, 1, "LOC")]
