"""Batch consistency (re-typing, propagation, surnames) and the ORG→PER rule for rare name-shaped spans."""

from __future__ import annotations

from collections.abc import Sequence

from projner.core.types import Span
from projner.tag import Tagger, get_tagger
from projner.tag.consistency import (
    ConsistentTagger,
    looks_like_person,
    make_consistent,
    org_names_to_person,
)


def _w(text: str) -> list[str]:
    return text.split()


def test_retype_to_batch_majority_including_misc() -> None:
    words = [_w("Binaisa spoke"), _w("Binaisa left"), _w("Binaisa won"), _w("Binaisa lost")]
    spans = [[Span(0, 1, "ORG")], [Span(0, 1, "PER")], [Span(0, 1, "PER")], [Span(0, 1, "MISC")]]
    out = make_consistent(words, spans, propagate=False)
    assert [s[0].label for s in out] == ["PER", "PER", "PER", "PER"]
    # no strict majority (1 : 1) or too few votes: unchanged
    assert make_consistent(words[:2], spans[:2], propagate=False) == spans[:2]
    assert make_consistent(words[:1], spans[:1], propagate=False) == spans[:1]


def test_surname_votes_and_propagation() -> None:
    words = [
        _w("Yoweri Museveni said"),
        _w("President Yoweri Museveni"),
        _w("Museveni left"),
        _w("Museveni met me"),
    ]
    spans: list[list[Span]] = [[Span(0, 2, "PER")], [Span(1, 3, "PER")], [Span(0, 1, "ORG")], []]
    out = make_consistent(words, spans)
    # "Museveni" gets PER votes from the two full-name spans (2 PER : 1 ORG) and is propagated to sentence 4
    assert out[2] == [Span(0, 1, "PER")]
    assert out[3] == [Span(0, 1, "PER")]
    assert make_consistent(words, spans, surname=False)[2] == [Span(0, 1, "ORG")]
    assert make_consistent(words, spans, propagate=False)[3] == []


def test_propagation_needs_capitals_ratio_and_no_overlap() -> None:
    words = [_w("Gulu is far"), _w("Gulu again"), _w("in Gulu town"), _w("Gulu Council met"), _w("gulu")]
    spans: list[list[Span]] = [[Span(0, 1, "LOC")], [Span(0, 1, "LOC")], [], [Span(0, 2, "ORG")], []]
    out = make_consistent(words, spans)
    assert out[2] == [Span(1, 2, "LOC")]
    assert out[3] == [Span(0, 2, "ORG")]  # overlapping occurrence left alone
    assert out[4] == []  # lowercase never propagated
    # 3 of 4 capitalised occurrences lie inside a span ("Gulu Council" too): a 0.8 ratio propagates nothing
    assert make_consistent(words, spans, min_tagged_ratio=0.8)[2] == []


def test_propagation_can_skip_sentence_initial_occurrences() -> None:
    words = [
        _w("Señor Presidente , gracias"),
        _w("el Señor dijo"),
        _w("Señor Presidente , no"),
        _w("al Señor"),
    ]
    spans: list[list[Span]] = [[Span(0, 1, "PER")], [Span(1, 2, "PER")], [], []]
    out = make_consistent(words, spans)
    assert out[2] == [Span(0, 1, "PER")] and out[3] == [Span(1, 2, "PER")]
    guarded = make_consistent(words, spans, propagate_initial=False)
    assert guarded[2] == []  # the sentence-initial occurrence is left alone
    assert guarded[3] == [Span(1, 2, "PER")]


def test_looks_like_person_and_org_to_person() -> None:
    assert looks_like_person(_w("Binaisa"))
    assert looks_like_person(_w("Abdu Katuntu"))
    assert not looks_like_person(_w("NSSF"))  # acronym
    assert not looks_like_person(_w("Uganda Revenue Authority"))  # organisation head word
    assert not looks_like_person(_w("Uganda People 's Defence Forces"))  # too long / not alphabetic
    assert not looks_like_person(_w("the Council"))
    words = _w("Binaisa met Reuters and NSSF in Kampala")
    spans = [Span(0, 1, "ORG"), Span(2, 3, "ORG"), Span(4, 5, "ORG"), Span(6, 7, "LOC")]
    out = org_names_to_person(words, spans)
    assert [s.label for s in out] == ["PER", "PER", "ORG", "LOC"]
    vetoed = org_names_to_person(words, spans, frequent=lambda w: w == "Reuters")
    assert [s.label for s in vetoed] == ["PER", "ORG", "ORG", "LOC"]
    known = org_names_to_person(words, spans, known={"Binaisa": "ORG"})
    assert [s.label for s in known] == ["ORG", "PER", "ORG", "LOC"]


class _Fixed(Tagger):
    name = "fixed"

    def tag(self, sentences: Sequence[object]) -> list[list[Span]]:
        return [[Span(0, 1, "ORG")] if i < 2 else [Span(0, 1, "PER")] for i in range(len(sentences))]


def test_consistent_tagger_wraps_inner() -> None:
    t = ConsistentTagger(inner=_Fixed(), org_to_person=False)
    out = t.tag([_w("Okia a"), _w("Okia b"), _w("Okia c"), _w("Okia d"), _w("Okia e")])
    assert all(s == [Span(0, 1, "PER")] for s in out)
    p = t.params()
    assert p["inner"] == "fixed" and p["org_to_person"] is False
    assert "spacy-news" in __import__("projner.tag", fromlist=["tagger_names"]).tagger_names()
    assert isinstance(get_tagger("consistent", inner=_Fixed()), ConsistentTagger)


def test_news_agree_keeps_spans_both_models_tag() -> None:
    """``news-agree``: spans of the base model that the second model also covers, then batch consistency."""
    from projner.tag.base import register_tagger

    @register_tagger("agree-test-a")
    class _A(Tagger):
        name = "agree-test-a"

        def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
            return [[Span(0, 1, "PER"), Span(2, 3, "LOC")] for _ in sentences]

    @register_tagger("agree-test-b")
    class _B(Tagger):
        name = "agree-test-b"

        def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
            return [[Span(0, 2, "ORG")] for _ in sentences]  # covers the first span only

    t = get_tagger("news-agree", base="agree-test-a", other="agree-test-b")
    out = t.tag([_w("Okia Ben Gulu x")])
    assert out == [[Span(0, 1, "PER")]]  # the LOC span has no support from b; the type tie keeps a's PER
    members = t.params()["inner_params"]["members"]
    assert [m["name"] for m in members] == ["agree-test-a", "agree-test-b"]
    default = __import__("projner.tag.consistency", fromlist=["news_agree"]).news_agree
    assert default.__defaults__ == (None, "en-ner:news", None)
