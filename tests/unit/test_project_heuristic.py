"""Heuristic parameters (d, top-k, only_i, threshold, collision, punctuation, order) and the nested-run fix."""

from __future__ import annotations

import numpy as np
import pytest

from projner.core.types import Alignment, ParallelExample, Sentence, Span
from projner.project.heuristic import HeuristicProjector, entity_runs, is_punct


def _ex(tgt: str, n_src: int, pairs: list[tuple[int, int]], ents: list[Span]) -> ParallelExample:
    return ParallelExample(
        source=Sentence([f"s{i}" for i in range(n_src)]),
        target=Sentence(tgt.split()),
        source_spans=ents,
        alignment=Alignment(pairs),
    )


def test_runs_and_merge_distance() -> None:
    links = np.zeros((2, 8), dtype=bool)
    links[0, [0, 1, 3, 6]] = True
    assert entity_runs(links, 0, 1, merge_distance=0) == [(0, 2), (3, 4), (6, 7)]
    assert entity_runs(links, 0, 1, merge_distance=1) == [(0, 4), (6, 7)]
    assert entity_runs(links, 0, 1, merge_distance=2) == [(0, 7)]


def test_nested_runs_never_shrink() -> None:
    """The original's incremental runs can nest ([0,3) and [1,2)); merging must keep [0,3), not cut to [0,2)."""
    links = np.zeros((3, 4), dtype=bool)
    links[0, 1] = links[1, 0] = links[1, 2] = links[2, 1] = True
    assert entity_runs(links, 0, 3, merge_distance=1) == [(0, 3)]


def test_only_i_blocks_merge_into_new_mention() -> None:
    # Entity [0,2): its first word aligns to t0 and t2 (two mentions), second word to t0.
    links = np.zeros((2, 3), dtype=bool)
    links[0, [0, 2]] = True
    links[1, 0] = True
    assert entity_runs(links, 0, 2, merge_distance=1) == [(0, 3)]
    assert entity_runs(links, 0, 2, merge_distance=1, only_i=True) == [(0, 1), (2, 3)]


def test_top_k_and_length_ratio() -> None:
    ex = _ex("a b c d e f", 1, [(0, 0), (0, 1), (0, 4)], [Span(0, 1, "PER")])
    assert HeuristicProjector().project(ex) == [Span(0, 2, "PER"), Span(4, 5, "PER")]
    assert HeuristicProjector(top_k=1).project(ex) == [Span(0, 2, "PER")]
    ex2 = _ex("a b", 2, [(0, 0), (1, 0)], [Span(0, 2, "ORG")])
    assert HeuristicProjector().project(ex2) == []  # 1/2 is not > 0.8
    assert HeuristicProjector(length_ratio=None).project(ex2) == [Span(0, 1, "ORG")]
    ex5 = _ex("a b c d e", 5, [(i, i) for i in range(4)], [Span(0, 5, "ORG")])
    assert HeuristicProjector().project(ex5) == []  # 4/5 = 0.8 fails the strict test
    assert HeuristicProjector(length_ratio=0.79).project(ex5) == [Span(0, 4, "ORG")]


def test_punctuation_removal() -> None:
    assert is_punct(",") and is_punct("«") and is_punct("...") and not is_punct("U.S.") and not is_punct("")
    ex = _ex("A , B", 1, [(0, 0), (0, 1)], [Span(0, 1, "LOC")])
    assert HeuristicProjector(length_ratio=None).project(ex) == [Span(0, 2, "LOC")]
    assert HeuristicProjector(length_ratio=None, remove_punct=True).project(ex) == [Span(0, 1, "LOC")]


def test_overwrite_vs_skip_and_scores() -> None:
    ex = _ex("a b c", 3, [(0, 0), (0, 1), (0, 2), (2, 1)], [Span(0, 1, "PER"), Span(2, 3, "LOC")])
    over = HeuristicProjector(length_ratio=None).project(ex)
    assert over == [Span(0, 1, "PER"), Span(1, 2, "LOC"), Span(2, 3, "PER")]
    skip = HeuristicProjector(length_ratio=None, collision="skip").project(ex)
    assert skip == [Span(0, 3, "PER")]
    assert all(s.score is not None and s.score > 0 for s in over + skip)


def test_bad_parameters() -> None:
    with pytest.raises(ValueError):
        HeuristicProjector(collision="merge")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        HeuristicProjector(order="longest")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        HeuristicProjector(top_k=0)


def test_length_ratio_in_words_ignores_split_clitics_and_punctuation() -> None:
    """English "Uganda People 's Congress" (4 tokens) onto lug "Uganda People's Congress" (3 tokens): 3/4 fails the
    paper's strict ratio; counted in words (``'s`` is not one) it is 3/3."""
    from projner.project import get_projector
    from projner.project.heuristic import is_clitic, word_length

    ex = ParallelExample(
        source=Sentence("a Uganda People 's Congress card".split()),
        target=Sentence("wa Uganda People's Congress era".split()),
        source_spans=[Span(1, 5, "ORG")],
        alignment=Alignment([(1, 1), (2, 2), (3, 2), (4, 3)]),
    )
    assert HeuristicProjector().project(ex) == []
    assert HeuristicProjector(length_unit="words").project(ex) == [Span(1, 4, "ORG")]
    assert get_projector("heuristic-words").project(ex) == [Span(1, 4, "ORG")]
    assert is_clitic("'s") and is_clitic("’re") and is_clitic("n't") and not is_clitic("s")
    assert word_length(["U.S.", "'s", ",", "Army"]) == 2 and word_length(["'s"]) == 1
    with pytest.raises(ValueError):
        HeuristicProjector(length_unit="chars")  # type: ignore[arg-type]
