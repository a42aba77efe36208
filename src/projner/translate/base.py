"""The translator interface and registry.

Every MT backend (Hugging Face seq2seq, CTranslate2, Apertium, human translations from parallel files) is a
:class:`Translator` with one batched call, ``translate(texts, from_lang, to_lang)``. Arguments are named by the
*translation direction*, never by projection role (method.md §1): in translate-test the MT input is the target
side. Output ``i`` is always the translation of input ``i``; backends may reorder internally (length-sorted
batches) but must restore the order.

``name`` and :meth:`Translator.params` identify a configuration for caching
(:class:`projner.translate.cache.CachedTranslator`): two translators with equal name+params must produce the same
output for the same input.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from projner.core.types import ProjnerError

T = TypeVar("T")


class Translator(ABC):
    """A batched machine (or human) translator: ``translate(texts, from_lang, to_lang) -> list[str]``."""

    name: str = "translator"

    def params(self) -> dict[str, Any]:
        """Everything that changes the output (model id/fingerprint, decoding settings); used as a cache key."""
        return {}

    @abstractmethod
    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        """Translate each text; ``result[i]`` translates ``texts[i]``. Empty input text → empty output text."""

    def close(self) -> None:
        """Release resources (subprocesses, models); the default holds none."""
        return None

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params()!r})"


class IdentityTranslator(Translator):
    """Returns its input unchanged: for pipeline tests and for data already in the MT output language."""

    name = "identity"

    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        return [str(t) for t in texts]


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` items."""
    if size <= 0:
        raise ValueError("chunk size must be positive")
    for i in range(0, len(items), size):
        yield items[i : i + size]


def length_sorted_batches(
    lengths: Sequence[int], batch_size: int, max_tokens: int | None = None
) -> list[list[int]]:
    """Group indices into batches of similar length (longest first) to minimise padding.

    Sorting is stable, so equal-length inputs keep their order; each batch holds at most ``batch_size``
    items and, when ``max_tokens`` is set, at most ``max_tokens`` padded tokens (a single over-long item still
    gets its own batch). The caller scatters results back by index, restoring the input order.
    """
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    cur: list[int] = []
    cur_max = 0
    for i in order:
        new_max = max(cur_max, lengths[i])
        too_many_tokens = max_tokens is not None and cur and new_max * (len(cur) + 1) > max_tokens
        if cur and (len(cur) >= batch_size or too_many_tokens):
            batches.append(cur)
            cur, new_max = [], lengths[i]
        cur.append(i)
        cur_max = new_max
    if cur:
        batches.append(cur)
    return batches


_REGISTRY: dict[str, Callable[..., Translator]] = {}


def register_translator(name: str) -> Callable[[Callable[..., Translator]], Callable[..., Translator]]:
    """Decorator registering a translator factory under ``name``."""

    def deco(factory: Callable[..., Translator]) -> Callable[..., Translator]:
        _REGISTRY[name] = factory
        return factory

    return deco


def translator_names() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def get_translator(name: str, **kwargs: Any) -> Translator:
    """Build a translator by name.

    Names: ``hf`` (``model=`` hub id or local dir), ``ctranslate2`` (``model=`` converted dir), ``apertium``,
    ``parallel-file`` (``from_file=``/``to_file=`` or ``mapping=``), ``identity``. ``"hf:<model>"`` and
    ``"ctranslate2:<dir>"`` are shorthands for ``model=``.
    """
    _load_builtins()
    base, _, arg = name.partition(":")
    if arg and "model" not in kwargs:
        kwargs["model"] = arg
    if base not in _REGISTRY:
        raise ProjnerError(f"unknown translator {name!r}; choose one of {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[base](**kwargs)


def _load_builtins() -> None:
    # Import for the registration side effect; each module imports its heavy dependency lazily.
    from projner.translate import apertium, ct2, hf, parallel  # noqa: F401


register_translator("identity")(IdentityTranslator)
