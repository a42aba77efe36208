"""The source-tagger interface and registry.

A tagger finds entities on *pre-split words*: ``tag(sentences) -> list[list[Span]]`` with word-index spans
``[start, end)`` over exactly the given words (method.md §3.5). Keeping the caller's words (instead of letting
the tagger re-tokenize) is what lets alignment and projection index the same words.

Input items may be word lists or :class:`~projner.core.types.Sentence` objects (the ``gold`` tagger needs the
latter, because it reads their tags).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from projner.core.types import ProjnerError, Sentence, Span

T = TypeVar("T")

SentenceLike = Sequence[str] | Sentence
DEFAULT_LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")


def words_of(item: SentenceLike) -> list[str]:
    return list(item.tokens) if isinstance(item, Sentence) else [str(w) for w in item]


class Tagger(ABC):
    """Word-level NER over pre-split words, batched."""

    name: str = "tagger"

    def params(self) -> dict[str, Any]:
        """Everything that changes the output; used as a cache key by pipelines."""
        return {}

    @abstractmethod
    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        """Entity spans for each sentence, as word indices over the given words."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params()!r})"


_REGISTRY: dict[str, Callable[..., Tagger]] = {}


def register_tagger(name: str) -> Callable[[Callable[..., Tagger]], Callable[..., Tagger]]:
    def deco(factory: Callable[..., Tagger]) -> Callable[..., Tagger]:
        _REGISTRY[name] = factory
        return factory

    return deco


def tagger_names() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def get_tagger(name: str, **kwargs: Any) -> Tagger:
    """Build a tagger: ``gold``, ``spacy``, ``hf`` (``model=`` hub id or dir), ``hf:<model>``, ``model:<dir>``.

    ``model:<dir>`` loads a model directory written by ``projner train`` (neural or CRF, through its model card
    ``projner_model.json``); a plain Hugging Face token-classification directory falls back to ``hf``.
    """
    _load_builtins()
    base, _, arg = name.partition(":")
    if base == "model":
        from pathlib import Path

        if arg and (Path(arg) / "projner_model.json").is_file():
            from projner.ner import NerModel

            return NerModel.load(arg, **kwargs)
        base = "hf"
    if arg and "model" not in kwargs:
        kwargs["model"] = arg
    if base not in _REGISTRY:
        raise ProjnerError(
            f"unknown tagger {name!r}; choose one of {', '.join(sorted(_REGISTRY))}, model:<dir>"
        )
    return _REGISTRY[base](**kwargs)


def _load_builtins() -> None:
    from projner.tag import consistency, en_ner, ensemble, gold, hf, lexicon, spacy_tagger  # noqa: F401
