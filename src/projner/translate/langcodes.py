"""Language codes: ISO 639-1 / 639-3 → the codes each MT family expects.

Datasets name languages by ISO 639-1 (PAN-X: ``de``) or 639-3 (MasakhaNER2: ``lug``); NLLB-200 wants
``<iso3>_<Script>`` (with a few macro-language quirks: Swahili is ``swh_Latn``, Arabic ``arb_Arab``, Persian
``pes_Arab``, Malay ``zsm_Latn``, Latvian ``lvs_Latn``, Oromo ``gaz_Latn``), M2M100 wants ``__<iso1>__`` and
Apertium 3-letter mode names. The tables here are explicit so a wrong code fails loudly instead of silently
translating from the wrong language.
"""

from __future__ import annotations

import re

from projner.core.types import ProjnerError

# ISO 639-3 → ISO 639-1 for every language that has a 2-letter code and matters here.
ISO3_TO_ISO1: dict[str, str] = {
    "afr": "af",
    "amh": "am",
    "ara": "ar",
    "arb": "ar",
    "aze": "az",
    "bam": "bm",
    "bel": "be",
    "ben": "bn",
    "bul": "bg",
    "cat": "ca",
    "ces": "cs",
    "cym": "cy",
    "dan": "da",
    "deu": "de",
    "ell": "el",
    "eng": "en",
    "epo": "eo",
    "est": "et",
    "eus": "eu",
    "ewe": "ee",
    "fas": "fa",
    "pes": "fa",
    "fin": "fi",
    "fra": "fr",
    "ful": "ff",
    "gle": "ga",
    "glg": "gl",
    "guj": "gu",
    "hau": "ha",
    "heb": "he",
    "hin": "hi",
    "hrv": "hr",
    "hun": "hu",
    "hye": "hy",
    "ibo": "ig",
    "ind": "id",
    "isl": "is",
    "ita": "it",
    "jav": "jv",
    "jpn": "ja",
    "kat": "ka",
    "kaz": "kk",
    "khm": "km",
    "kin": "rw",
    "kor": "ko",
    "lao": "lo",
    "lav": "lv",
    "lvs": "lv",
    "lin": "ln",
    "lit": "lt",
    "lug": "lg",
    "mal": "ml",
    "mar": "mr",
    "mkd": "mk",
    "msa": "ms",
    "zsm": "ms",
    "mya": "my",
    "nld": "nl",
    "nob": "nb",
    "nor": "no",
    "nya": "ny",
    "orm": "om",
    "gaz": "om",
    "pan": "pa",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rus": "ru",
    "sin": "si",
    "slk": "sk",
    "slv": "sl",
    "sna": "sn",
    "som": "so",
    "spa": "es",
    "sqi": "sq",
    "srp": "sr",
    "swa": "sw",
    "swh": "sw",
    "swe": "sv",
    "tam": "ta",
    "tel": "te",
    "tgl": "tl",
    "tha": "th",
    "tsn": "tn",
    "tur": "tr",
    "twi": "tw",
    "aka": "ak",
    "ukr": "uk",
    "urd": "ur",
    "uzb": "uz",
    "vie": "vi",
    "wol": "wo",
    "xho": "xh",
    "yor": "yo",
    "zho": "zh",
    "zul": "zu",
    "nso": "ns",
    "ssw": "ss",
    "sot": "st",
    "tir": "ti",
    "kir": "ky",
    "tgk": "tg",
    "tuk": "tk",
    "bos": "bs",
}
ISO1_TO_ISO3: dict[str, str] = {}
for _k, _v in ISO3_TO_ISO1.items():
    ISO1_TO_ISO3.setdefault(_v, _k)
# Prefer the individual languages NLLB and MasakhaNER use over macro-language codes.
ISO1_TO_ISO3.update(
    {"ar": "arb", "fa": "pes", "ms": "zsm", "lv": "lvs", "sw": "swh", "om": "gaz", "no": "nob"}
)

# NLLB-200 codes whose script is not Latin, or whose ISO code differs from NLLB's choice.
_NLLB_SPECIAL: dict[str, str] = {
    "swa": "swh_Latn",
    "swh": "swh_Latn",
    "ara": "arb_Arab",
    "arb": "arb_Arab",
    "fas": "pes_Arab",
    "pes": "pes_Arab",
    "msa": "zsm_Latn",
    "zsm": "zsm_Latn",
    "lav": "lvs_Latn",
    "lvs": "lvs_Latn",
    "orm": "gaz_Latn",
    "gaz": "gaz_Latn",
    "nor": "nob_Latn",
    "zho": "zho_Hans",
    "zh": "zho_Hans",
    "amh": "amh_Ethi",
    "tir": "tir_Ethi",
    "bel": "bel_Cyrl",
    "bul": "bul_Cyrl",
    "kaz": "kaz_Cyrl",
    "kir": "kir_Cyrl",
    "mkd": "mkd_Cyrl",
    "rus": "rus_Cyrl",
    "srp": "srp_Cyrl",
    "tgk": "tgk_Cyrl",
    "ukr": "ukr_Cyrl",
    "khk": "khk_Cyrl",
    "ben": "ben_Beng",
    "hin": "hin_Deva",
    "mar": "mar_Deva",
    "npi": "npi_Deva",
    "guj": "guj_Gujr",
    "pan": "pan_Guru",
    "tam": "tam_Taml",
    "tel": "tel_Telu",
    "mal": "mal_Mlym",
    "kan": "kan_Knda",
    "sin": "sin_Sinh",
    "urd": "urd_Arab",
    "heb": "heb_Hebr",
    "ell": "ell_Grek",
    "kat": "kat_Geor",
    "hye": "hye_Armn",
    "tha": "tha_Thai",
    "lao": "lao_Laoo",
    "khm": "khm_Khmr",
    "mya": "mya_Mymr",
    "jpn": "jpn_Jpan",
    "kor": "kor_Hang",
    "uzb": "uzn_Latn",
    "aka": "aka_Latn",
    "twi": "twi_Latn",
    "est": "est_Latn",
    "aze": "azj_Latn",
    "sqi": "als_Latn",
}
# Languages MasakhaNER2 has but NLLB-200 does not cover (the paper skips them).
NLLB_UNSUPPORTED = frozenset({"bbj", "pcm"})

_NLLB_CODE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")


def iso3(lang: str) -> str:
    """Normalize ``en``/``eng``/``eng_Latn``/``en-US`` to an ISO 639-3 code."""
    base = re.split(r"[_\-]", lang.strip())[0].lower()
    if len(base) == 2:
        if base not in ISO1_TO_ISO3:
            raise ProjnerError(f"unknown ISO 639-1 language code {lang!r}")
        return ISO1_TO_ISO3[base]
    if len(base) == 3:
        return base
    raise ProjnerError(f"not a language code: {lang!r} (use ISO 639-1 'en' or ISO 639-3 'eng')")


def iso1(lang: str) -> str | None:
    """The ISO 639-1 code of ``lang``, or ``None`` when the language has none."""
    base = re.split(r"[_\-]", lang.strip())[0].lower()
    if len(base) == 2:
        return base
    return ISO3_TO_ISO1.get(base)


def nllb_code(lang: str) -> str:
    """ISO 639-1/3 (or an NLLB code, passed through) → NLLB-200 code, e.g. ``swa`` → ``swh_Latn``."""
    if _NLLB_CODE.match(lang.strip()):
        return lang.strip()
    if lang.strip().lower() in ("zh", "zho", "zh-cn", "zh-hans"):
        return "zho_Hans"
    if lang.strip().lower() in ("zh-tw", "zh-hant"):
        return "zho_Hant"
    code = iso3(lang)
    if code in NLLB_UNSUPPORTED:
        raise ProjnerError(f"NLLB-200 does not cover language {lang!r}")
    return _NLLB_SPECIAL.get(code, f"{code}_Latn")


def m2m100_code(lang: str) -> str:
    """ISO 639-1/3 → the M2M100 language token, e.g. ``lug`` → ``__lg__`` (M2M100 uses 2-letter codes)."""
    s = lang.strip()
    if s.startswith("__") and s.endswith("__"):
        return s
    code = iso1(s)
    if code is None:
        raise ProjnerError(f"M2M100 has no code for language {lang!r} (it uses ISO 639-1 codes)")
    return f"__{code}__"


def marian_target_tokens(lang: str) -> list[str]:
    """Candidate ``>>xx<<`` target-language tokens of multilingual Marian (OPUS-MT) models, most specific first."""
    out = [f">>{iso3(lang)}<<"]
    one = iso1(lang)
    if one:
        out.append(f">>{one}<<")
    return out
