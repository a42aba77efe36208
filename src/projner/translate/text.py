"""Explicit detokenization (tokens → text) and tokenization (text → words) around machine translation.

MT systems read and write plain text, but datasets and aligners work on word lists. Both conversions are
therefore explicit, language-aware and tested, instead of hidden in a translator:

* :func:`detokenize` joins gold tokens into the string sent to MT (method.md §3.2). Languages written with
  spaces use the Moses detokenizer (``sacremoses``), which attaches punctuation and quotes like the Treebank
  detokenizer the paper used; zh/ja/th (whose dataset tokens are characters) are concatenated without a separator.
  The detokenizer never unescapes HTML entities: a token ``&amp;`` stays ``&amp;``.
* :func:`tokenize` splits MT output into words (method.md §3.4). The paper used NLTK ``word_tokenize``, which needs
  the punkt data (not downloadable offline); the Moses tokenizer is the closest well-kept equivalent (same
  Penn-style treatment of punctuation and clitics, with nonbreaking-prefix lists so ``U.S.`` or ``Dr.`` stay whole).
  For zh/ja/th, runs of CJK/kana/Thai characters become one word per character (the PAN-X convention) and
  the other runs go through Moses, with full-width digits and letters mapped to ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

NO_SPACE_LANGS = frozenset(
    {"zh", "zho", "ja", "jpn", "th", "tha", "yue", "my", "mya", "lo", "lao", "km", "khm"}
)

# CJK unified ideographs (+ext A, compat), kana, Thai, Lao, Khmer, Myanmar, CJK punctuation, full-width forms.
_CHAR_SCRIPT = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)

# Moses has language-specific rules for these; any other language falls back to English rules.
_MOSES_LANGS = frozenset(
    [
        "as",
        "bn",
        "ca",
        "cs",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "ga",
        "gu",
        "hi",
        "hu",
        "is",
        "it",
        "kn",
        "lt",
        "lv",
        "ml",
        "mni",
        "mr",
        "nl",
        "or",
        "pa",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sv",
        "ta",
        "te",
        "yue",
        "zh",
    ]
)

_ISO3_TO_1 = {
    "eng": "en",
    "spa": "es",
    "ita": "it",
    "deu": "de",
    "fra": "fr",
    "por": "pt",
    "nld": "nl",
    "ces": "cs",
    "fin": "fi",
    "hun": "hu",
    "pol": "pl",
    "ron": "ro",
    "rus": "ru",
    "swe": "sv",
    "cat": "ca",
    "ell": "el",
    "zho": "zh",
    "jpn": "ja",
    "tha": "th",
}


def _base_lang(lang: str | None) -> str:
    """``"eng_Latn"``/``"en-US"``/``"ENG"`` → ``"en"``/``"eng"`` lower-case base code."""
    if not lang:
        return "en"
    base = re.split(r"[_\-]", lang.strip())[0].lower()
    return _ISO3_TO_1.get(base, base)


def has_spaces(lang: str | None) -> bool:
    """Whether ``lang`` separates words with spaces (zh/ja/th and a few others do not)."""
    return _base_lang(lang) not in NO_SPACE_LANGS


@lru_cache(maxsize=32)
def _moses_tokenizer(lang: str):  # type: ignore[no-untyped-def]
    from sacremoses import MosesTokenizer

    return MosesTokenizer(lang=lang if lang in _MOSES_LANGS else "en")


@lru_cache(maxsize=32)
def _moses_detokenizer(lang: str):  # type: ignore[no-untyped-def]
    from sacremoses import MosesDetokenizer

    return MosesDetokenizer(lang=lang if lang in _MOSES_LANGS else "en")


def detokenize(tokens: Sequence[str], lang: str | None = "en") -> str:
    """Join word tokens into natural text for MT input (Moses rules; no separator for zh/ja/th)."""
    toks = [t for t in tokens if t != ""]
    if not toks:
        return ""
    if not has_spaces(lang):
        return "".join(toks)
    return str(_moses_detokenizer(_base_lang(lang)).detokenize(toks, unescape=False))


def _normalize_fullwidth(text: str) -> str:
    """Map full-width ASCII variants (digits, Latin letters) to ASCII, as the reference ja/th splitter did."""
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\uff10" <= ch <= "\uff5a" and ch.isalnum() else ch
        for ch in text
    )


def tokenize(text: str, lang: str | None = "en") -> list[str]:
    """Split text into words: Moses for space-separated languages, per-character for CJK/Thai runs."""
    text = " ".join(text.split())
    if not text:
        return []
    base = _base_lang(lang)
    if has_spaces(base):
        return [t for t in _moses_tokenizer(base).tokenize(text, escape=False) if t]
    text = _normalize_fullwidth(text)
    words: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            chunk = "".join(buf).strip()
            if chunk:
                words.extend(t for t in _moses_tokenizer("en").tokenize(chunk, escape=False) if t)
            buf.clear()

    for ch in text:
        if _CHAR_SCRIPT.match(ch):
            flush()
            words.append(ch)
        elif ch.isspace():
            flush()
        else:
            buf.append(ch)
    flush()
    return words


def spaces_after(tokens: Sequence[str], lang: str | None = "en") -> list[bool]:
    """Whether each token is followed by a space in its :func:`detokenize` rendering.

    Taggers that build a document from pre-split words (spaCy uses the trailing-space flag as a feature)
    get the whitespace natural text would have, instead of a space after every token.
    """
    text = detokenize(tokens, lang)
    out: list[bool] = []
    pos = 0
    for tok in tokens:
        found = text.find(tok, pos) if tok else -1
        if found < 0 or text[pos:found].strip():  # detokenizer changed the token: fall back to a space
            out.append(True)
            continue
        pos = found + len(tok)
        out.append(pos < len(text) and text[pos].isspace())
    if out:
        out[-1] = False
    return out
