"""Tag ⇄ span conversions against seqeval's own decoder (the reference), plus scheme round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities

from projner.core.tags import (
    convert_scheme,
    detect_scheme,
    iob2_errors,
    map_tags,
    repair_iob2,
    spans_to_tags,
    tags_to_spans,
)
from projner.core.types import Span

TAG = st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "E-PER", "S-LOC", "E-LOC", "S-PER", "I-ORG"])


def _seqeval_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    return [(b, e + 1, t) for t, b, e in get_entities(list(tags))]


@given(st.lists(TAG, max_size=30))
@settings(max_examples=400, deadline=None)
def test_decoder_equals_seqeval(tags: list[str]) -> None:
    ours = [(s.start, s.end, s.label) for s in tags_to_spans(tags)]
    assert ours == _seqeval_spans(tags)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["O", "I-PER", "I-PER"], [Span(1, 3, "PER")]),  # I- after O starts an entity
        (["B-PER", "I-LOC"], [Span(0, 1, "PER"), Span(1, 2, "LOC")]),  # type change starts an entity
        (["B-PER", "B-PER"], [Span(0, 1, "PER"), Span(1, 2, "PER")]),
        (["S-LOC", "B-PER", "E-PER"], [Span(0, 1, "LOC"), Span(1, 3, "PER")]),
    ],
)
def test_decoder_examples(tags: list[str], expected: list[Span]) -> None:
    assert tags_to_spans(tags) == expected


SPANS = st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3), st.sampled_from(["PER", "LOC"])), max_size=6)


def _layout(items: list[tuple[int, int, str]]) -> tuple[list[Span], int]:
    spans, pos = [], 0
    for gap, length, label in items:
        pos += gap
        spans.append(Span(pos, pos + length, label))
        pos += length
    return spans, pos + 1


@given(SPANS, st.sampled_from(["IOB1", "IOB2", "BIOES"]))
@settings(max_examples=300, deadline=None)
def test_encode_decode_round_trip(items: list[tuple[int, int, str]], scheme: str) -> None:
    spans, n = _layout(items)
    tags = spans_to_tags(spans, n, scheme)
    assert tags_to_spans(tags) == spans
    assert _seqeval_spans(tags) == [(s.start, s.end, s.label) for s in spans]


def test_schemes() -> None:
    spans = [Span(0, 2, "PER"), Span(2, 3, "PER"), Span(4, 5, "LOC")]
    assert spans_to_tags(spans, 5, "IOB2") == ["B-PER", "I-PER", "B-PER", "O", "B-LOC"]
    assert spans_to_tags(spans, 5, "IOB1") == ["I-PER", "I-PER", "B-PER", "O", "I-LOC"]
    assert spans_to_tags(spans, 5, "BIOES") == ["B-PER", "E-PER", "S-PER", "O", "S-LOC"]
    assert detect_scheme(["I-PER", "O"]) == "IOB1"
    assert detect_scheme(["B-PER", "I-PER"]) == "IOB2"
    assert detect_scheme(["S-PER"]) == "BIOES"
    assert convert_scheme(["I-PER", "I-PER", "B-PER"], "BIOES") == ["B-PER", "E-PER", "S-PER"]


def test_overlap_and_bounds_rejected() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        spans_to_tags([Span(0, 2, "PER"), Span(1, 3, "LOC")], 3)
    with pytest.raises(ValueError, match="exceeds"):
        spans_to_tags([Span(0, 4, "PER")], 3)
    with pytest.raises(ValueError, match="unknown tagging scheme"):
        spans_to_tags([], 3, "IOE9")


def test_iob2_validation_and_repair() -> None:
    bad = ["O", "I-PER", "B-LOC", "I-PER", "X"]
    assert iob2_errors(bad) == [1, 3, 4]
    fixed = repair_iob2(["O", "I-PER", "B-LOC", "I-PER"])
    assert fixed == ["O", "B-PER", "B-LOC", "B-PER"]
    assert iob2_errors(fixed) == []


def test_label_map_and_drop() -> None:
    tags = ["B-PERSON", "I-PERSON", "B-GPE", "B-DATE", "B-MISC"]
    out = map_tags(tags, {"PERSON": "PER", "GPE": "LOC"}, drop=["DATE", "MISC"])
    assert out == ["B-PER", "I-PER", "B-LOC", "O", "O"]
    assert map_tags(tags, {"PERSON": "PER"}, keep=["PER"]) == ["B-PER", "I-PER", "O", "O", "O"]
