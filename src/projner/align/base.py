"""The aligner interface, streaming helpers and the result cache.

An aligner turns ``(source tokens, target tokens)`` pairs into :class:`~projner.core.types.Alignment` objects
whose links are ``(source index, target index)``. It consumes its input lazily, in chunks of ``batch_size``
pairs, and yields one alignment per pair in input order, so aligning 100k pairs needs memory for one chunk,
not for the corpus. Trainable aligners (eflomal) cannot stream — their model is fitted on all pairs — and say
so with ``streaming = False``; they also take extra parallel data through ``fit``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from projner.core.types import Alignment
from projner.utils.cache import StageCache, fingerprint

log = logging.getLogger(__name__)

Pair = tuple[Sequence[str], Sequence[str]]

DEFAULT_BATCH_SIZE = 256
"""Pairs per chunk: enough to fill length-sorted model batches, small enough to keep memory flat."""


@runtime_checkable
class Aligner(Protocol):
    """What every aligner offers. ``params()`` must capture everything that changes the output (cache key).

    ``name`` and ``streaming`` are read-only here, so a plain attribute and a property (a result cache or a fill
    that reports its members' streaming) both satisfy the protocol."""

    @property
    def name(self) -> str: ...

    @property
    def streaming(self) -> bool: ...

    def params(self) -> dict[str, Any]: ...

    def align(self, pairs: Iterable[Pair], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Alignment]: ...


@runtime_checkable
class TrainableAligner(Aligner, Protocol):
    """An aligner fitted on parallel text; ``fit`` adds extra parallel pairs used alongside the pairs to align."""

    def fit(self, extra_pairs: Iterable[Pair]) -> None: ...


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last may be shorter), consuming ``items`` lazily."""
    if size < 1:
        raise ValueError(f"batch size must be >= 1, got {size}")
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _pair_key(pairs: Sequence[Pair]) -> list[list[list[str]]]:
    return [[list(s), list(t)] for s, t in pairs]


class CachedAligner:
    """Wrap an aligner so results are stored under ``<cache>/stages/align`` and reused.

    Keys are ``fingerprint(aligner name, aligner params, input tokens)``. Streaming aligners are cached chunk by
    chunk (so streaming and memory stay as they are, and a re-run after a crash resumes from the cached chunks);
    non-streaming (trained) aligners are cached on their whole input, since every link depends on all of it.
    """

    def __init__(self, inner: Aligner, cache: StageCache | None = None) -> None:
        self.inner = inner
        self.cache = cache if cache is not None else StageCache("align")
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def streaming(self) -> bool:
        return getattr(self.inner, "streaming", True)

    def params(self) -> dict[str, Any]:
        return self.inner.params()

    def __getattr__(self, item: str) -> Any:
        """The wrapped aligner's extras (``fit``, ``add_parallel_files``, stats, model, ...): the cache has a
        ``fit`` exactly when the wrapped aligner has one, and its cache key follows the extra data through
        ``params()``."""
        if item == "inner":
            raise AttributeError(item)
        return getattr(self.inner, item)

    def _key(self, pairs: Sequence[Pair]) -> str:
        return fingerprint("align", self.inner.name, self.inner.params(), _pair_key(pairs))

    def _cached_run(self, pairs: list[Pair], batch_size: int) -> list[Alignment]:
        key = self._key(pairs)
        stored = self.cache.get(key)
        if stored is not None:
            self.hits += 1
            return [Alignment(np.asarray(a, dtype=np.int64).reshape(-1, 2)) for a in stored]
        self.misses += 1
        result = list(self.inner.align(pairs, batch_size=batch_size))
        self.cache.put(key, [a.pairs.copy() for a in result])
        return result

    def align(self, pairs: Iterable[Pair], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Alignment]:
        if not self.streaming:
            yield from self._cached_run(list(pairs), batch_size)
            return
        for chunk in chunked(pairs, batch_size):
            yield from self._cached_run(chunk, batch_size)
