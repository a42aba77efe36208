"""Deterministic, model-free taggers for tests and examples (no weights, no data files).

Tests register them under their own names, so each test module's cache keys stay separate::

    register_tagger("caps-test")(lambda **_: CapitalisedTagger("LOC"))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from projner.core.types import Span
from projner.tag.base import SentenceLike, Tagger, words_of


class CapitalisedTagger(Tagger):
    """Every capitalised word is a one-word entity of type ``label``."""

    name = "capitalised"

    def __init__(self, label: str = "PER") -> None:
        self.label = label

    def params(self) -> dict[str, Any]:
        return {"label": self.label}

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        words = [words_of(s) for s in sentences]
        return [[Span(i, i + 1, self.label) for i, w in enumerate(ws) if w[:1].isupper()] for ws in words]


class FunctionTagger(Tagger):
    """Spans from a function of one sentence's words (a fixture tagger in one line)."""

    name = "function"

    def __init__(self, fn: Callable[[list[str]], list[Span]]) -> None:
        self.fn = fn

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        return [self.fn(words_of(s)) for s in sentences]
