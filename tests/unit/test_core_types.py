from __future__ import annotations

import numpy as np
import pytest

from projner.core.types import Alignment, InputError, ParallelExample, Sentence, Span


def test_span_basics() -> None:
    s = Span(1, 3, "PER", 0.5)
    assert len(s) == 2
    assert s.overlaps(Span(2, 4)) and not s.overlaps(Span(3, 4))
    assert s == Span(1, 3, "PER")  # score is not part of equality
    with pytest.raises(ValueError):
        Span(2, 2)


def test_sentence_spans_and_lengths() -> None:
    s = Sentence(["Barack", "Obama", "visited", "Nairobi"], ["B-PER", "I-PER", "O", "B-LOC"])
    assert s.spans == [Span(0, 2, "PER"), Span(3, 4, "LOC")]
    assert s.with_spans([Span(3, 4, "LOC")]).tags == ["O", "O", "O", "B-LOC"]
    with pytest.raises(ValueError, match="2 tokens but 1 tags"):
        Sentence(["a", "b"], ["O"])


def test_alignment_pharaoh_round_trip() -> None:
    a = Alignment.from_pharaoh("0-1 2-0 1-1 0-1")
    assert a.to_pharaoh() == "0-1 1-1 2-0"
    assert Alignment.from_pharaoh(a.to_pharaoh()) == a
    assert a.reversed().to_pharaoh() == "0-2 1-0 1-1"
    assert Alignment.from_pharaoh("1-0", reverse=True).as_set() == {(0, 1)}
    assert a.targets_of(0) == [1] and a.sources_of(1) == [0, 1]
    m = a.matrix(3, 2)
    assert m.sum() == 3 and Alignment.from_matrix(m) == a
    assert Alignment.from_pharaoh("") == Alignment()
    with pytest.raises(ValueError):
        Alignment.from_pharaoh("0-x")
    with pytest.raises(ValueError, match="out of bounds"):
        a.check_bounds(2, 2)
    assert (0, 1) in a and (1, 0) not in a
    assert isinstance(a.pairs, np.ndarray)


def test_parallel_example_from_sentences() -> None:
    src = Sentence(["Paris", "Hilton"], ["B-PER", "I-PER"])
    tgt = Sentence(["Paris", "Hilton"])
    ex = ParallelExample.from_sentences(src, tgt, Alignment([(0, 0), (1, 1)]))
    assert ex.source_spans == [Span(0, 2, "PER")]


def test_input_error_names_file_and_line() -> None:
    assert str(InputError("bad tag", "x.conll", 7)) == "x.conll:7: bad tag"
