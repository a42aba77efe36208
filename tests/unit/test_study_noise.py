"""Local word-order noise: a permutation, entities contiguous and intact, bounded displacement, seeded."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projner.core.types import Span
from projner.study.noise import local_shuffle, units_of


def test_units_cover_sentence_and_spans_are_units() -> None:
    units = units_of(6, [Span(1, 3, "PER"), Span(4, 5, "LOC")])
    assert [(a, b) for a, b, _ in units] == [(0, 1), (1, 3), (3, 4), (4, 5), (5, 6)]
    assert units[1][2] == Span(1, 3, "PER")


def test_overlapping_spans_rejected() -> None:
    with pytest.raises(ValueError):
        units_of(5, [Span(0, 3, "PER"), Span(2, 4, "LOC")])


def test_prob_zero_is_identity_and_prob_one_moves_something() -> None:
    toks = [f"w{i}" for i in range(30)]
    spans = [Span(3, 6, "ORG")]
    same, sp, order = local_shuffle(toks, spans, np.random.default_rng(0), window=3, prob=0.0)
    assert same == toks and sp == spans and order == list(range(30))
    moved, _, _ = local_shuffle(toks, spans, np.random.default_rng(0), window=3, prob=1.0)
    assert moved != toks


def test_seeded() -> None:
    toks = [f"w{i}" for i in range(20)]
    a = local_shuffle(toks, [], np.random.default_rng(7))
    b = local_shuffle(toks, [], np.random.default_rng(7))
    assert a == b


@st.composite
def sentences(draw: st.DrawFn) -> tuple[list[str], list[Span]]:
    n = draw(st.integers(0, 25))
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=8)))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < b and (not spans or a >= spans[-1].end):
            spans.append(Span(a, b, draw(st.sampled_from(["PER", "ORG", "LOC"]))))
    return [f"t{i}" for i in range(n)], spans


@settings(max_examples=200, deadline=None)
@given(sentences(), st.integers(1, 5), st.floats(0, 1), st.integers(0, 2**32 - 1))
def test_properties(sent: tuple[list[str], list[Span]], window: int, prob: float, seed: int) -> None:
    toks, spans = sent
    new, new_spans, order = local_shuffle(toks, spans, np.random.default_rng(seed), window, prob)
    assert sorted(order) == list(range(len(toks)))
    assert new == [toks[i] for i in order]
    assert len(new_spans) == len(spans)
    # every entity keeps its words, contiguous and in order, with its label
    for old, s in zip(sorted(spans, key=lambda s: order.index(s.start)), new_spans, strict=True):
        assert new[s.start : s.end] == toks[old.start : old.end]
        assert s.label == old.label
    # unit displacement is below the window
    units = units_of(len(toks), spans)
    starts = [u[0] for u in units]
    new_unit_order = [
        starts.index(order[k])
        for k in range(len(order))
        if order[k] in starts and (k == 0 or order[k - 1] != order[k] - 1 or order[k] in starts)
    ]
    new_unit_order = []
    k = 0
    while k < len(order):
        idx = starts.index(order[k])
        new_unit_order.append(idx)
        k += units[idx][1] - units[idx][0]
    for pos, idx in enumerate(new_unit_order):
        assert abs(pos - idx) < window
