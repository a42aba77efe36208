"""Detokenization / tokenization around MT (method.md §3.2, §3.4)."""

from __future__ import annotations

import pytest

from projner.translate.text import detokenize, has_spaces, tokenize


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (["I", "live", "in", "New", "York", "."], "I live in New York."),
        (["He", "said", ",", '"', "hi", '"', "."], 'He said, "hi".'),
        (["It", "'s", "Obama", "'s", "dog", "(", "big", ")", "."], "It's Obama's dog (big)."),
        (["I", "live", "in", "[", "New", "York", "]", "."], "I live in [New York]."),
        (["AT", "&amp;", "T"], "AT &amp; T"),  # never unescapes entities
        ([], ""),
    ],
)
def test_detokenize_english(tokens: list[str], text: str) -> None:
    assert detokenize(tokens, "en") == text


def test_detokenize_no_space_languages() -> None:
    assert detokenize(["東", "京", "は", "大", "き", "い"], "ja") == "東京は大きい"
    assert detokenize(["北", "京"], "zho_Hans") == "北京"
    assert not has_spaces("th") and has_spaces("lug") and has_spaces("eng_Latn")


def test_detokenize_unknown_language_falls_back_to_english_rules() -> None:
    assert detokenize(["Kampala", ",", "Uganda", "."], "lug") == "Kampala, Uganda."


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I live in New York.", ["I", "live", "in", "New", "York", "."]),
        ("Dr. Smith met the U.S. president.", ["Dr.", "Smith", "met", "the", "U.S.", "president", "."]),
        ("It's Obama's dog (big).", ["It", "'s", "Obama", "'s", "dog", "(", "big", ")", "."]),
        ("  spaced \n out\ttext  ", ["spaced", "out", "text"]),
        ("", []),
    ],
)
def test_tokenize_english(text: str, words: list[str]) -> None:
    assert tokenize(text, "en") == words


def test_tokenize_no_escaping() -> None:
    assert tokenize("A & B <c>", "en") == ["A", "&", "B", "<", "c", ">"]


def test_tokenize_cjk_splits_characters_and_keeps_latin_runs() -> None:
    assert tokenize("東京でObamaに会った。", "ja") == [
        "東",
        "京",
        "で",
        "Obama",
        "に",
        "会",
        "っ",
        "た",
        "。",
    ]
    # full-width digits map to ASCII
    assert tokenize("２０２４年", "zh") == ["2024", "年"]


def test_round_trip_english() -> None:
    tokens = ["The", "president", "of", "Uganda", ",", "Yoweri", "Museveni", ",", "spoke", "."]
    assert tokenize(detokenize(tokens, "en"), "en") == tokens


def test_spaces_after_follow_detokenization() -> None:
    from projner.translate.text import spaces_after

    assert spaces_after(["He", "said", ",", '"', "hi", '"', "."]) == [
        True,
        False,
        True,
        False,
        False,
        False,
        False,
    ]
    assert spaces_after([]) == []
    assert spaces_after(["東", "京"], "ja") == [False, False]
