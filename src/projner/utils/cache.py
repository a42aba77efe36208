"""Fingerprinted caching of stage outputs (the idea of HF ``datasets``' fingerprints).

A stage's output is keyed by ``fingerprint(stage name, its parameters, fingerprint of its input)``. Re-running
with the same inputs and parameters reloads the result; changing anything changes the key. Entries are written
atomically, so a crash never leaves a half-written entry behind.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from projner.utils.atomic import atomic_open
from projner.utils.paths import cache_dir


def _canonical(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {"__dc__": type(obj).__name__, **{k: _canonical(v) for k, v in asdict(obj).items()}}
    if isinstance(obj, dict):
        return {str(k): _canonical(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [_canonical(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted(_canonical(v) for v in obj)
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return repr(obj)


def fingerprint(*objs: Any) -> str:
    """A stable 16-hex-digit hash of JSON-able objects (dataclasses, dicts, lists, numpy arrays, paths)."""
    h = hashlib.sha256()
    for o in objs:
        h.update(json.dumps(_canonical(o), sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def file_fingerprint(path: str | Path) -> str:
    """Hash of a file's bytes (streamed), for keying caches on input files."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


class StageCache:
    """A directory of pickled results, one file per key, under ``<cache>/stages/<namespace>``."""

    def __init__(self, namespace: str, root: Path | None = None, enabled: bool = True) -> None:
        self.dir = (root or cache_dir("stages")) / namespace
        self.enabled = enabled
        if enabled:
            self.dir.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        return self.dir / f"{key}.pkl"

    def __contains__(self, key: str) -> bool:
        return self.enabled and self.path(key).exists()

    def get(self, key: str, default: Any = None) -> Any:
        if not self.enabled:
            return default
        p = self.path(key)
        if not p.exists():
            return default
        with open(p, "rb") as fh:
            return pickle.load(fh)

    def put(self, key: str, value: Any) -> None:
        if not self.enabled:
            return
        with atomic_open(self.path(key), "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)


def cached_map(
    fn: Any,
    items: Any,
    *,
    stage: str,
    params: Any,
    chunk_size: int = 256,
    cache: StageCache | None = None,
    description: str | None = None,
) -> list[Any]:
    """Apply a batched function ``fn(list) -> list`` over ``items`` chunk by chunk, caching every chunk.

    The key of a chunk is ``fingerprint(stage, params, chunk)``: a rerun after a crash (or with more items)
    recomputes only the chunks that are missing, and a change of parameters never reuses stale results.
    """
    from projner.utils.progress import track

    items = list(items)
    cache = cache if cache is not None else StageCache(stage)
    out: list[Any] = []
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    for chunk in track(chunks, description or stage, total=len(chunks)):
        key = fingerprint(stage, params, chunk)
        result = cache.get(key)
        if result is None:
            result = list(fn(chunk))
            if len(result) != len(chunk):
                raise RuntimeError(f"stage {stage} returned {len(result)} results for {len(chunk)} inputs")
            cache.put(key, result)
        out.extend(result)
    return out
