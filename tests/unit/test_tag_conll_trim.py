from __future__ import annotations

from projner.core.types import Span
from projner.tag.spacy_tagger import conll_trim


def test_trims_determiner_possessive_and_honorific() -> None:
    words = "the European Union met Mrs Merkel 's team".split()
    assert conll_trim(Span(0, 3, "ORG"), words) == Span(1, 3, "ORG")
    assert conll_trim(Span(4, 7, "PER"), words) == Span(5, 6, "PER")


def test_honorifics_only_for_persons_and_empty_spans_dropped() -> None:
    words = ["President", "Hotel", "the"]
    assert conll_trim(Span(0, 2, "ORG"), words) == Span(0, 2, "ORG")
    assert conll_trim(Span(2, 3, "LOC"), words) is None


def test_african_news_titles_are_trimmed_from_person_spans_only() -> None:
    words = [
        "Alhaji",
        "Lai",
        "Mohammed",
        "met",
        "Hon.",
        "Bashiru",
        "Bolarinwa",
        "at",
        "Chief",
        "Executive",
        "Ltd",
    ]
    assert conll_trim(Span(0, 3, "PER"), words) == Span(1, 3, "PER")
    assert conll_trim(Span(4, 7, "PER"), words) == Span(5, 7, "PER")  # trailing dot ignored
    assert conll_trim(Span(8, 11, "ORG"), words) == Span(8, 11, "ORG")  # not a person: left alone


def test_edge_punctuation_is_trimmed_inner_kept() -> None:
    words = ["(", "Watford", "FC", ",", "England", ")", "Ayodele", "-", "Aribo"]
    assert conll_trim(Span(0, 4, "ORG"), words) == Span(1, 3, "ORG")
    assert conll_trim(Span(6, 9, "PER"), words) == Span(6, 9, "PER")  # inner hyphen stays
    assert conll_trim(Span(3, 4, "LOC"), words) is None
