"""Translators behind one batched interface, plus explicit tokenization/detokenization around them.

``get_translator(name, **kw).translate(texts, from_lang, to_lang) -> list[str]``; wrap with
:class:`CachedTranslator` for resumable runs. Heavy backends (torch, ctranslate2) are imported lazily.
"""

from projner.translate.base import (
    IdentityTranslator,
    Translator,
    get_translator,
    length_sorted_batches,
    register_translator,
    translator_names,
)
from projner.translate.cache import CachedTranslator
from projner.translate.text import detokenize, has_spaces, tokenize

__all__ = [
    "CachedTranslator",
    "IdentityTranslator",
    "Translator",
    "detokenize",
    "get_translator",
    "has_spaces",
    "length_sorted_batches",
    "register_translator",
    "tokenize",
    "translator_names",
]
