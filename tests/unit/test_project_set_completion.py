"""Set-level span completion (projner.project.set_completion): worked cases, each guard, and properties."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projner.core.types import ParallelExample, Sentence, Span
from projner.project.set_completion import complete_examples, complete_from_set

WHOLE = "l' Unione europea ha deciso".split()  # "Unione europea" projected whole: ORG at 1-3
CUT = "la Unione europea e gli Stati".split()  # only "Unione" projected: ORG at 1-2


def _set(
    n_whole: int, cut_spans: list[Span], cut: list[str] = CUT
) -> tuple[list[list[str]], list[list[Span]]]:
    words = [WHOLE] * n_whole + [cut]
    spans = [[Span(1, 3, "ORG")] for _ in range(n_whole)] + [cut_spans]
    return words, spans


def test_grows_a_cut_name_to_the_string_projected_whole_elsewhere() -> None:
    words, spans = _set(3, [Span(1, 2, "ORG", 0.8)])
    out = complete_from_set(words, spans)
    assert out[-1] == [Span(1, 3, "ORG")]
    assert out[-1][0].score == 0.8  # the best score of the spans it replaces
    assert out[:3] == spans[:3]
    assert spans[-1] == [Span(1, 2, "ORG")]  # the input is not modified


def test_joins_the_pieces_of_a_name_split_by_the_projection() -> None:
    words, spans = _set(3, [Span(1, 2, "MISC"), Span(2, 3, "MISC")])
    assert complete_from_set(words, spans)[-1] == [Span(1, 3, "MISC")]


def test_needs_min_count_whole_projections() -> None:
    words, spans = _set(2, [Span(2, 3, "ORG")])
    assert complete_from_set(words, spans)[-1] == [Span(2, 3, "ORG")]
    assert complete_from_set(words, spans, min_count=2)[-1] == [Span(1, 3, "ORG")]


def test_needs_min_ratio_of_the_occurrences_projected_whole() -> None:
    # "Das Parlament" projected whole 3 times, but it occurs 7 times (4 times only "Parlament" is projected)
    whole, cut = "Das Parlament stimmt zu".split(), "Das Parlament lehnt ab".split()
    words = [whole] * 3 + [cut] * 4
    spans = [[Span(0, 2, "ORG")]] * 3 + [[Span(1, 2, "ORG")]] * 4
    assert complete_from_set(words, spans) == [sorted(s) for s in spans]
    assert complete_from_set(words, spans, min_ratio=0.4)[3:] == [[Span(0, 2, "ORG")]] * 4


def test_never_crosses_joins_types_or_touches_an_equal_span() -> None:
    crossing = "la Unione europea Stati".split()
    words, spans = _set(3, [Span(2, 4, "LOC")], cut=crossing)  # "europea Stati" crosses the occurrence
    assert complete_from_set(words, spans)[-1] == [Span(2, 4, "LOC")]
    words, spans = _set(3, [Span(1, 2, "ORG"), Span(2, 3, "LOC")])  # two types inside
    assert complete_from_set(words, spans)[-1] == [Span(1, 2, "ORG"), Span(2, 3, "LOC")]
    words, spans = _set(3, [Span(1, 3, "LOC")])  # already whole, with another type: not re-typed
    assert complete_from_set(words, spans)[-1] == [Span(1, 3, "LOC")]
    words, spans = _set(
        3, []
    )  # nothing projected inside: nothing added (that is propagation, not completion)
    assert complete_from_set(words, spans)[-1] == []


def test_single_words_are_never_evidence() -> None:
    words = [["Uganda", "x"]] * 5 + [["Uganda"]]
    spans = [[Span(0, 1, "LOC")]] * 5 + [[]]
    assert complete_from_set(words, spans) == [[Span(0, 1, "LOC")]] * 5 + [[]]


def test_longest_string_first() -> None:
    long_ = "National Resistance Movement party".split()
    words = [long_] * 3 + [long_[:2] + ["x"]] * 3 + [long_]
    spans = [[Span(0, 3, "ORG")]] * 3 + [[Span(0, 2, "ORG")]] * 3 + [[Span(0, 1, "ORG")]]
    out = complete_from_set(words, spans)
    assert out[-1] == [Span(0, 3, "ORG")]


def test_unobserved_sentences_give_no_evidence_but_are_completed() -> None:
    words, spans = _set(3, [Span(1, 2, "ORG")])
    assert complete_from_set(words, spans, observed=[True, True, False, True])[-1] == [Span(1, 2, "ORG")]
    # an unobserved occurrence does not lower the ratio, and is completed
    words2 = words + [CUT]
    spans2 = spans + [[Span(1, 2, "ORG")]]
    out = complete_from_set(words2, spans2, observed=[True, True, True, True, False], min_ratio=0.75)
    assert out[-1] == [Span(1, 3, "ORG")]


def test_bad_settings_and_lengths() -> None:
    with pytest.raises(ValueError, match="min_count"):
        complete_from_set([], [], min_count=0)
    with pytest.raises(ValueError, match="min_ratio"):
        complete_from_set([], [], min_ratio=1.5)
    with pytest.raises(ValueError, match="observed"):
        complete_from_set([["a"]], [[]], observed=[])
    assert complete_from_set([], []) == []


def test_complete_examples_in_place_and_failures_give_no_evidence() -> None:
    words, spans = _set(3, [Span(1, 2, "ORG")])
    exs = [
        ParallelExample(Sentence(["x"]), Sentence(w), [], target_spans=list(s), meta={"index": i})
        for i, (w, s) in enumerate(zip(words, spans, strict=True))
    ]
    assert complete_examples(exs) == 1
    assert exs[-1].target_spans == [Span(1, 3, "ORG")]
    exs[-1].target_spans = [Span(1, 2, "ORG")]
    exs[0].meta["projection_error"] = "boom"
    assert complete_examples(exs) == 0


SPAN_WORDS = st.lists(st.sampled_from(["A", "B", "c", "d"]), min_size=1, max_size=6)


@st.composite
def projected_sets(draw: st.DrawFn) -> tuple[list[list[str]], list[list[Span]]]:
    words = draw(st.lists(SPAN_WORDS, min_size=1, max_size=8))
    spans = []
    for w in words:
        cuts = sorted(draw(st.sets(st.integers(0, len(w)), max_size=4)))
        ss = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            if draw(st.booleans()):
                ss.append(Span(a, b, draw(st.sampled_from(["PER", "ORG"]))))
        spans.append(ss)
    return words, spans


@st.composite
def repeated_sets(draw: st.DrawFn) -> tuple[list[list[str]], list[list[Span]]]:
    """One sentence several times: a name projected whole in some copies, cut or split in the others (so the
    rule has something to do), plus random projections."""
    base = draw(st.lists(st.sampled_from(["A", "B", "c"]), min_size=2, max_size=6))
    a = draw(st.integers(0, len(base) - 2))
    b = draw(st.integers(a + 2, len(base)))
    label = draw(st.sampled_from(["PER", "ORG"]))
    words, spans = [], []
    for _ in range(draw(st.integers(1, 4))):
        words.append(list(base))
        spans.append([Span(a, b, label)])
    for _ in range(draw(st.integers(1, 5))):
        cuts = sorted(draw(st.sets(st.integers(0, len(base)), min_size=2, max_size=4)))
        spans.append([Span(p, q, draw(st.sampled_from(["PER", "ORG"]))) for p, q in zip(cuts, cuts[1:], strict=False)
                      if draw(st.booleans())])  # fmt: skip
        words.append(list(base))
    return words, spans


SETS = st.one_of(projected_sets(), repeated_sets())


@settings(max_examples=200, deadline=None)
@given(SETS, st.integers(1, 3), st.sampled_from([0.0, 0.5, 1.0]))
def test_properties(data: tuple[list[list[str]], list[list[Span]]], min_count: int, min_ratio: float) -> None:
    words, spans = data
    out = complete_from_set(words, spans, min_count=min_count, min_ratio=min_ratio)
    for w, before, after in zip(words, spans, out, strict=True):
        assert after == sorted(after)
        for a, b in zip(after, after[1:], strict=False):
            assert a.end <= b.start  # never overlapping: still valid IOB2
        for s in before:  # every old span survives or lies inside a grown span of its own label
            assert any(t.start <= s.start and s.end <= t.end and t.label == s.label for t in after)
        assert len(after) <= len(before)
        assert all(t.end <= len(w) for t in after)


def _reference(
    words: list[list[str]], spans: list[list[Span]], min_count: int, min_ratio: float
) -> list[list[Span]]:
    """The module doc's rule written the slow, obvious way (every string, every position)."""
    whole = Counter(
        tuple(w[s.start : s.end]) for w, ss in zip(words, spans, strict=True) for s in ss if len(s) >= 2
    )
    keys = set()
    for key, n in whole.items():
        occurs = sum(tuple(w[i : i + len(key)]) == key for w in words for i in range(len(w)))
        if n >= min_count and n / occurs >= min_ratio:
            keys.add(key)
    out = []
    for w, ss in zip(words, spans, strict=True):
        cur = sorted(ss)
        hits = [(i, k) for k in keys for i in range(len(w)) if tuple(w[i : i + len(k)]) == k]
        for i, k in sorted(hits, key=lambda ik: (-len(ik[1]), ik[0])):
            j = i + len(k)
            inside = [s for s in cur if i <= s.start and s.end <= j]
            others = [s for s in cur if s not in inside and s.start < j and i < s.end]
            whole_already = (i, j) in {(s.start, s.end) for s in inside}
            if inside and not others and not whole_already and len({s.label for s in inside}) == 1:
                cur = sorted([s for s in cur if s not in inside] + [Span(i, j, inside[0].label)])
        out.append(cur)
    return out


@settings(max_examples=300, deadline=None)
@given(SETS, st.integers(1, 3), st.sampled_from([0.0, 0.3, 0.5, 1.0]))
def test_equals_the_reference(
    data: tuple[list[list[str]], list[list[Span]]], min_count: int, min_ratio: float
) -> None:
    words, spans = data
    assert complete_from_set(words, spans, min_count=min_count, min_ratio=min_ratio) == _reference(
        words, spans, min_count, min_ratio
    )
