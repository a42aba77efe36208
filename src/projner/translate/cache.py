"""Resumable translation: a cache wrapper that stores results chunk by chunk.

Translation is the slowest stage, so a crash must not lose finished work. :class:`CachedTranslator` dedupes the
inputs, cuts the unique texts into chunks of ``chunk_size`` and stores each translated chunk in a
:class:`~projner.utils.cache.StageCache` entry keyed by ``fingerprint(translator name, translator params,
from_lang, to_lang, chunk texts)``. Entries are written atomically as soon as a chunk is done; a re-run after a
crash loads the finished chunks and translates only the missing ones. ``chunk_size=1`` gives per-sentence entries.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from projner.translate.base import Translator, chunks
from projner.utils.cache import StageCache, fingerprint
from projner.utils.progress import track

log = logging.getLogger(__name__)


class CachedTranslator(Translator):
    """Wrap ``inner`` with a chunked, fingerprinted on-disk cache (same interface, same results)."""

    def __init__(
        self,
        inner: Translator,
        chunk_size: int = 64,
        namespace: str = "translations",
        root: Path | None = None,
        cache: StageCache | None = None,
        progress: bool = True,
    ) -> None:
        self.inner = inner
        self.chunk_size = chunk_size
        self.cache = cache if cache is not None else StageCache(namespace, root=root)
        self.progress = progress
        self.name = inner.name
        self.hits = 0
        self.misses = 0

    def params(self) -> dict[str, Any]:
        return self.inner.params()

    def chunk_key(self, chunk: Sequence[str], from_lang: str, to_lang: str) -> str:
        return fingerprint("translate", self.inner.name, self.inner.params(), from_lang, to_lang, list(chunk))

    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        texts = [str(t) for t in texts]
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        done: dict[str, str] = {}
        parts = list(chunks(unique, self.chunk_size))
        iterator = track(parts, f"translate {from_lang}→{to_lang}") if self.progress else parts
        params = self.inner.params()  # computed once: some backends (Apertium) shell out for it
        for chunk in iterator:
            key = fingerprint("translate", self.inner.name, params, from_lang, to_lang, list(chunk))
            cached = self.cache.get(key)
            if cached is None or len(cached) != len(chunk):
                self.misses += 1
                cached = self.inner.translate(list(chunk), from_lang, to_lang)
                if len(cached) != len(chunk):
                    raise RuntimeError(
                        f"{self.inner!r} returned {len(cached)} outputs for {len(chunk)} inputs"
                    )
                self.cache.put(key, list(cached))
            else:
                self.hits += 1
            done.update(zip(chunk, cached, strict=True))
        return [done.get(t, "") for t in texts]

    def close(self) -> None:
        self.inner.close()
