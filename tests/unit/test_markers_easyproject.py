"""Marker-based projection (EasyProject / method.md §3.6) on hand-written translations: no real MT needed."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from projner.core.types import Span
from projner.markers import (
    backtranslation_refine,
    entity_texts,
    find_markers,
    mark_words,
    marked_text,
    marker_transfer,
    match_markers,
    parse_marked_translation,
    similarity,
)
from projner.translate import Translator

WORDS = ["President", "Barack", "Obama", "met", "Angela", "Merkel", "in", "Berlin", "."]
SPANS = [Span(1, 3, "PER"), Span(4, 6, "PER"), Span(7, 8, "LOC")]


def test_mark_words_and_text() -> None:
    assert mark_words(WORDS, SPANS) == [
        "President", "[", "Barack", "Obama", "]", "met", "[", "Angela", "Merkel", "]", "in", "[", "Berlin", "]", ".",
    ]  # fmt: skip
    assert marked_text(WORDS, SPANS) == "President [Barack Obama] met [Angela Merkel] in [Berlin]."
    assert marked_text(["Obama"], [Span(0, 1, "PER")]) == "[Obama]"
    assert entity_texts(WORDS, SPANS) == ["Barack Obama", "Angela Merkel", "Berlin"]


def test_source_brackets_are_neutralised() -> None:
    assert marked_text(["see", "[", "1", "]", "Obama"], [Span(4, 5, "PER")]) == "see (1) [Obama]"


def test_overlapping_spans_rejected() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        mark_words(WORDS, [Span(0, 3, "PER"), Span(2, 4, "ORG")])


def test_find_markers_innermost_and_variants() -> None:
    assert [m.inner for m in find_markers("a [b] c [d e] f")] == ["b", "d e"]
    assert [m.inner for m in find_markers("x [ y [z] w")] == ["z"]  # unbalanced outer bracket is not a marker
    assert [m.inner for m in find_markers("【東京】と［大阪］")] == ["東京", "大阪"]


def test_parse_with_reordering_and_morphology() -> None:
    tr = "El presidente [Barack Obama] se reunió en [Berlín] con [Angela Merkel]."
    r = parse_marked_translation(tr, ["Barack Obama", "Angela Merkel", "Berlín"], ["PER", "PER", "LOC"], "es")
    assert r.words == [
        "El",
        "presidente",
        "Barack",
        "Obama",
        "se",
        "reunió",
        "en",
        "Berlín",
        "con",
        "Angela",
        "Merkel",
        ".",
    ]
    assert r.spans == [Span(2, 4, "PER"), Span(7, 8, "LOC"), Span(9, 11, "PER")]
    assert r.assignment == [0, 2, 1] and r.unmatched_markers == 0 and r.unused_entities == []


def test_labels_follow_best_match_not_order() -> None:
    # Two entities of different types; the markers come out in the opposite order.
    words = ["Microsoft", "hired", "John", "Smith"]
    spans = [Span(0, 1, "ORG"), Span(2, 4, "PER")]
    r = parse_marked_translation(
        "[John Smith] fue contratado por [Microsoft]", ["Microsoft", "John Smith"], ["ORG", "PER"], "es"
    )
    assert r.spans == [Span(0, 2, "PER"), Span(5, 6, "ORG")]
    assert len(words) == 4 and len(spans) == 2


def test_true_argmax_fixes_the_last_match_bug() -> None:
    # Both entity translations exceed 0.5 against the marker "Nueva York"; the reference took the *last*
    # one above the threshold ("Nueva Yorkshire"), the argmax takes the better one ("Nueva York").
    ents = ["Nueva York", "Nueva Yorkshire"]
    assert similarity("Nueva York", ents[0]) > similarity("Nueva York", ents[1]) > 0.5
    assert match_markers(["Nueva York"], ents) == [0]
    r = parse_marked_translation("Vive en [Nueva York].", ents, ["LOC", "ORG"], "es")
    assert r.spans == [Span(2, 4, "LOC")] and r.unused_entities == [1]


def test_each_entity_used_once_and_ties_keep_first() -> None:
    assert match_markers(["Obama", "Obama"], ["Obama", "Obama"]) == [0, 1]
    assert match_markers(["Obama", "Obama"], ["Obama"]) == [0, None]


def test_threshold_and_unmatched_brackets_are_stripped() -> None:
    r = parse_marked_translation("Él vio [algo raro] en [Kampala].", ["Kampala"], ["LOC"], "es")
    assert r.words == ["Él", "vio", "algo", "raro", "en", "Kampala", "."]  # no '[' / ']' words left
    assert r.spans == [Span(5, 6, "LOC")]
    assert r.assignment == [None, 0] and r.unmatched_markers == 1
    stray = parse_marked_translation("Un ] corchete [ suelto", ["x"], ["PER"], "es")
    assert stray.words == ["Un", "corchete", "suelto"] and stray.spans == []


def test_case_insensitive_and_inner_text_comparison() -> None:
    assert match_markers(["BERLÍN"], ["berlín"]) == [0]
    # One-character entity: the reference compared "[X]" with "X" (ratio 0.5, rejected); inner text matches.
    assert parse_marked_translation("[X] ganó.", ["X"], ["ORG"], "es").spans == [Span(0, 1, "ORG")]
    assert parse_marked_translation("[X] ganó.", ["X"], ["ORG"], "es", with_brackets=True).spans == []


def test_missing_entity_translation_never_matches() -> None:
    assert match_markers(["Obama"], [None]) == [None]


def test_empty_marker_gives_no_span() -> None:
    r = parse_marked_translation("Hola [] mundo [Obama]", ["Obama", ""], ["PER", "ORG"], "es")
    assert r.words == ["Hola", "mundo", "Obama"] and r.spans == [Span(2, 3, "PER")]


def test_cjk_words_are_characters() -> None:
    r = parse_marked_translation("[奥巴马]在[柏林]。", ["奥巴马", "柏林"], ["PER", "LOC"], "zh")
    assert r.words == ["奥", "巴", "马", "在", "柏", "林", "。"]
    assert r.spans == [Span(0, 3, "PER"), Span(4, 6, "LOC")]


class DictTranslator(Translator):
    """Hand-written translations; records calls to check batching."""

    name = "dict"

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        self.calls.append(list(texts))
        return [self.table[t] for t in texts]


def test_marker_transfer_batched_end_to_end() -> None:
    table = {
        "President [Barack Obama] met [Angela Merkel] in [Berlin].": "El presidente [Barack Obama] se reunió con [Angela Merkel] en [Berlín].",
        "[Obama] left.": "[Obama] se fue.",
        "No entities here.": "No hay entidades aquí.",
        "Barack Obama": "Barack Obama",
        "Angela Merkel": "Angela Merkel",
        "Berlin": "Berlín",
        "Obama": "Obama",
    }
    tr = DictTranslator(table)
    sents = [
        (WORDS, SPANS),
        (["Obama", "left", "."], [Span(0, 1, "PER")]),
        (["No", "entities", "here", "."], []),
    ]
    res = marker_transfer(sents, tr, "en", "es")
    assert len(tr.calls) == 2  # one call for unique entity strings, one for the marked sentences
    assert tr.calls[0] == ["Barack Obama", "Angela Merkel", "Berlin", "Obama"]
    assert res[0].spans == [Span(2, 4, "PER"), Span(7, 9, "PER"), Span(10, 11, "LOC")]
    assert res[0].words[10] == "Berlín"
    assert res[1].words == ["Obama", "se", "fue", "."] and res[1].spans == [Span(0, 1, "PER")]
    assert res[2].spans == [] and res[2].words == ["No", "hay", "entidades", "aquí", "."]
    again = backtranslation_refine(
        [w for w, _ in sents], [s for _, s in sents], DictTranslator(table), to_lang="es"
    )
    assert [r.spans for r in again] == [r.spans for r in res]
