from __future__ import annotations

import pytest

from projner.core.types import ProjnerError
from projner.translate import langcodes


@pytest.mark.parametrize(
    ("lang", "code"),
    [
        ("swa", "swh_Latn"),
        ("sw", "swh_Latn"),
        ("lug", "lug_Latn"),
        ("en", "eng_Latn"),
        ("eng", "eng_Latn"),
        ("de", "deu_Latn"),
        ("ar", "arb_Arab"),
        ("ru", "rus_Cyrl"),
        ("zh", "zho_Hans"),
        ("ja", "jpn_Jpan"),
        ("twi", "twi_Latn"),
        ("eng_Latn", "eng_Latn"),
    ],
)
def test_nllb_codes(lang: str, code: str) -> None:
    assert langcodes.nllb_code(lang) == code


def test_nllb_unsupported_languages_fail_loudly() -> None:
    with pytest.raises(ProjnerError):
        langcodes.nllb_code("pcm")
    with pytest.raises(ProjnerError):
        langcodes.nllb_code("xx")


@pytest.mark.parametrize(
    ("lang", "code"), [("lug", "__lg__"), ("en", "__en__"), ("swa", "__sw__"), ("tsn", "__tn__")]
)
def test_m2m100_codes(lang: str, code: str) -> None:
    assert langcodes.m2m100_code(lang) == code


def test_m2m100_missing_code() -> None:
    with pytest.raises(ProjnerError):
        langcodes.m2m100_code("luo")


def test_iso_conversions() -> None:
    assert langcodes.iso3("es") == "spa"
    assert langcodes.iso3("en-US") == "eng"
    assert langcodes.iso1("ita") == "it"
    assert langcodes.marian_target_tokens("es") == [">>spa<<", ">>es<<"]
