"""The engine contract: a job is a stream of records, cut into shards, each shard turned into text chunks.

Why this shape: every output projner writes at scale (Pharaoh lines, CoNLL blocks, JSON lines, TSV sidecars) is
a concatenation of independent per-sentence pieces. So a shard's result is just *the bytes it contributes to each
output file*; writing those per shard (atomically) makes a run resumable, and concatenating them in shard order
makes the final file byte-identical whatever executed the shards (this process, or Ray workers on many nodes).

A :class:`StageSpec` is a picklable recipe (``"module:callable"`` + keyword arguments) that builds the shard
processor *once per worker*; ``heavy=True`` marks stages that load a model (aligners), which the Ray engine runs in
long-lived actors instead of one task per shard.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

DEFAULT_SHARD_SIZE = 1000
"""Sentences per shard: big enough to amortise per-shard overhead (a file write, a Ray round trip), small
enough that a killed run loses little work and a shard's records stay a few MB."""


@dataclass(frozen=True)
class Shard:
    """``records[k]`` is global record ``start + k``; shard ``index`` is its position in the output."""

    index: int
    start: int
    records: list[Any]


@dataclass
class ShardResult:
    """Text each output stream receives from one shard, and JSON-able counters (summed by :func:`merge_stats`)."""

    streams: dict[str, str]
    stats: dict[str, Any] = field(default_factory=dict)


class ShardProcessor(Protocol):
    def __call__(self, shard: Shard) -> ShardResult: ...


@dataclass(frozen=True)
class StageSpec:
    """How to build a shard processor in any process: ``import_module(module).<attr>(**kwargs)``."""

    factory: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    heavy: bool = False

    def build(self) -> ShardProcessor:
        module, _, attr = self.factory.partition(":")
        fn: Callable[..., ShardProcessor] = getattr(importlib.import_module(module), attr)
        return fn(**self.kwargs)


@dataclass(frozen=True)
class OutputSpec:
    """One output file fed by the stream ``stream`` of every shard.

    ``numbered``: prefix every line with its 1-based line number in the merged file and a TAB — for sidecars
    that count kept sentences, which a shard cannot know on its own."""

    stream: str
    path: Path
    header: str = ""
    numbered: bool = False


@dataclass
class Job:
    """A sharded job: ``records`` is consumed lazily (a generator over the input files)."""

    name: str
    config: dict[str, Any]
    """Everything that changes the output (inputs' fingerprints, stage parameters); keys the run directory."""
    records: Iterable[Any]
    stage: StageSpec
    outputs: list[OutputSpec]
    description: str = ""


@dataclass
class JobReport:
    """What a run did: counters summed over shards, shard counts, where the run directory is."""

    stats: dict[str, Any]
    shards: int
    records: int
    resumed: int
    run_dir: Path
    outputs: list[Path]


def shards(records: Iterable[Any], size: int) -> Iterator[Shard]:
    """Consecutive shards of ``size`` records, consuming ``records`` lazily."""
    if size < 1:
        raise ValueError(f"shard size must be >= 1, got {size}")
    it = iter(records)
    for index in itertools.count():
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield Shard(index, index * size, chunk)


MAX_LIST = 1000
"""Lists in stats (failure messages, indices) are capped when merged so a bad 1M-sentence run stays small."""


def merge_stats(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """Add ``part`` into ``total``: numbers are summed, lists concatenated (capped), dicts merged recursively."""
    for key, value in part.items():
        if isinstance(value, bool) or value is None or isinstance(value, str):
            total[key] = value
        elif isinstance(value, int | float):
            total[key] = total.get(key, 0) + value
        elif isinstance(value, list):
            have = total.setdefault(key, [])
            have.extend(value[: max(0, MAX_LIST - len(have))])
            total[f"{key}_total"] = total.get(f"{key}_total", 0) + len(value)
        elif isinstance(value, dict):
            merge_stats(total.setdefault(key, {}), value)
        else:
            total[key] = value
    return total
