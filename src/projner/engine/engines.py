"""``LocalEngine`` (this process) and ``RayEngine`` (a Ray cluster) behind one :class:`Engine` interface.

Both stream: the driver reads the input lazily, keeps at most a bounded number of shards in flight, and writes each
finished shard to the run directory before reading further. Memory therefore depends on the shard size and the
number of workers, never on the corpus size. Ray is imported only inside :class:`RayEngine`.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from projner.core.types import ProjnerError
from projner.engine.base import (
    DEFAULT_SHARD_SIZE,
    Job,
    JobReport,
    Shard,
    ShardResult,
    StageSpec,
    merge_stats,
    shards,
)
from projner.engine.rundir import RunDir

log = logging.getLogger(__name__)

ENGINES = ("local", "ray")

OnResult = Callable[[Shard, ShardResult], None]


class Engine(ABC):
    """Run a :class:`Job`: shard its records, process pending shards, save each, merge in order."""

    name = "engine"

    def __init__(
        self,
        shard_size: int = DEFAULT_SHARD_SIZE,
        run_root: str | Path | None = None,
        keep_shards: bool = False,
    ) -> None:
        if shard_size < 1:
            raise ProjnerError(f"--shard-size must be >= 1, got {shard_size}")
        self.shard_size = shard_size
        self.run_root = Path(run_root) if run_root is not None else None
        self.keep_shards = keep_shards

    @abstractmethod
    def _process(self, stage: StageSpec, pending: Iterator[Shard], on_result: OnResult) -> None:
        """Process every shard of ``pending`` (in any order) and call ``on_result`` for each, in this process."""

    def run(self, job: Job) -> JobReport:
        from projner.utils.paths import cache_dir

        root = self.run_root if self.run_root is not None else cache_dir("runs")
        rd = RunDir(root, job.name, job.config, self.shard_size)
        rd.open()
        counter = {"shards": 0, "records": 0, "resumed": 0}

        def pending() -> Iterator[Shard]:
            for shard in shards(job.records, self.shard_size):
                counter["shards"] += 1
                counter["records"] += len(shard.records)
                if rd.is_done(shard.index):
                    counter["resumed"] += 1
                    continue
                yield shard

        self._process(job.stage, pending(), rd.save)
        n = counter["shards"]
        stats: dict[str, Any] = {}
        for index in range(n):
            merge_stats(stats, rd.load_done(index)["stats"])
        rd.merge(n, job.outputs)
        rd.finish(n, counter["records"], keep_shards=self.keep_shards)
        return JobReport(
            stats, n, counter["records"], counter["resumed"], rd.path, [o.path for o in job.outputs]
        )


class LocalEngine(Engine):
    """Shards processed one after another in this process; the stage is built once."""

    name = "local"

    def _process(self, stage: StageSpec, pending: Iterator[Shard], on_result: OnResult) -> None:
        processor = None
        for shard in pending:
            if processor is None:  # built lazily: a fully resumed run loads no model
                processor = stage.build()
            on_result(shard, processor(shard))


# ------------------------------------------------------------------------------------------------------ Ray

_WORKER_PROCESSORS: dict[str, Any] = {}


def _processor_for(stage: StageSpec) -> Any:
    """One processor per worker process and stage (Ray reuses worker processes across tasks)."""
    from projner.utils.cache import fingerprint

    key = fingerprint(stage.factory, stage.kwargs)
    if key not in _WORKER_PROCESSORS:
        _WORKER_PROCESSORS[key] = stage.build()
    return _WORKER_PROCESSORS[key]


def _run_task(stage: StageSpec, shard: Shard) -> ShardResult:
    return _processor_for(stage)(shard)  # type: ignore[no-any-return]


class _ShardActor:
    """Holds a built (model-loading) processor for the actor's lifetime."""

    def __init__(self, stage: StageSpec) -> None:
        self.processor = stage.build()

    def process(self, shard: Shard) -> ShardResult:
        return self.processor(shard)  # type: ignore[no-any-return]


def require_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ProjnerError(
            "--engine ray needs Ray, which is not installed; install it with `pip install projner[ray]` "
            "(or `pip install 'ray[default]'`)"
        ) from None
    return ray


class RayEngine(Engine):
    """Shards as Ray tasks (pure-CPU stages) or on a pool of actors, one per worker (``heavy`` stages).

    ``address``: ``None`` starts a local Ray instance (``num_cpus`` CPUs; all by default), ``"auto"`` or
    ``"ray://host:10001"`` / ``"host:6379"`` joins an existing cluster (``ray start --head`` on one node,
    ``ray start --address=...`` on the others). ``workers`` caps concurrent shards (default: cluster CPUs).
    At most ``2 × workers`` shards are in flight, which keeps the driver's memory flat.
    """

    name = "ray"

    def __init__(
        self,
        shard_size: int = DEFAULT_SHARD_SIZE,
        run_root: str | Path | None = None,
        keep_shards: bool = False,
        address: str | None = None,
        num_cpus: int | None = None,
        workers: int | None = None,
    ) -> None:
        super().__init__(shard_size, run_root, keep_shards)
        self.address = address
        self.num_cpus = num_cpus
        self.workers = workers

    def _init(self) -> Any:
        ray = require_ray()
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "configure_logging": False,
            }
            if self.address is not None:
                kwargs["address"] = self.address
            elif self.num_cpus is not None:
                kwargs["num_cpus"] = self.num_cpus
            # Local workers inherit this process's environment (PYTHONPATH, the venv), so they import projner
            # as the driver does; on a multi-node cluster projner must be installed on every node.
            ray.init(**kwargs)
        return ray

    def _n_workers(self, ray: Any) -> int:
        if self.workers is not None:
            return max(1, self.workers)
        return max(1, int(ray.cluster_resources().get("CPU", 1)))

    def _process(self, stage: StageSpec, pending: Iterator[Shard], on_result: OnResult) -> None:
        first = next(pending, None)
        if first is None:
            return
        ray = self._init()
        n = self._n_workers(ray)
        queue = _prepend(first, pending)
        if stage.heavy:
            actor_cls = ray.remote(num_cpus=1)(_ShardActor)
            actors = [actor_cls.remote(stage) for _ in range(n)]
            try:
                self._drive(ray, queue, on_result, n, lambda i, s: actors[i].process.remote(s), per_slot=2)
            finally:
                for a in actors:
                    ray.kill(a)
        else:
            task = ray.remote(num_cpus=1)(_run_task)
            stage_ref = ray.put(stage)
            self._drive(ray, queue, on_result, n, lambda i, s: task.remote(stage_ref, s), per_slot=2)

    @staticmethod
    def _drive(
        ray: Any,
        queue: Iterator[Shard],
        on_result: OnResult,
        n: int,
        submit: Callable[[int, Shard], Any],
        per_slot: int,
    ) -> None:
        """Keep at most ``per_slot`` shards queued on each of ``n`` slots; save each as it finishes (any order).

        A finished shard frees its slot, and the next shard goes to the least busy slot, so a slow actor never
        accumulates a backlog while others idle."""
        in_flight: dict[Any, tuple[int, Shard]] = {}
        busy = [0] * n
        for shard in queue:
            while len(in_flight) >= n * per_slot:
                _collect_one(ray, in_flight, busy, on_result)
            slot = min(range(n), key=busy.__getitem__)
            busy[slot] += 1
            in_flight[submit(slot, shard)] = (slot, shard)
        while in_flight:
            _collect_one(ray, in_flight, busy, on_result)


def _collect_one(
    ray: Any, in_flight: dict[Any, tuple[int, Shard]], busy: list[int], on_result: OnResult
) -> None:
    done, _ = ray.wait(list(in_flight), num_returns=1)
    for ref in done:
        slot, shard = in_flight.pop(ref)
        busy[slot] -= 1
        on_result(shard, ray.get(ref))


def _prepend(first: Shard, rest: Iterator[Shard]) -> Iterator[Shard]:
    yield first
    yield from rest


def get_engine(
    name: str,
    *,
    shard_size: int = DEFAULT_SHARD_SIZE,
    run_dir: str | Path | None = None,
    ray_address: str | None = None,
    **kwargs: Any,
) -> Engine:
    """``"local"`` or ``"ray"``; unknown names and a missing Ray installation raise :class:`ProjnerError`."""
    if name == "local":
        return LocalEngine(shard_size, run_dir, **kwargs)
    if name == "ray":
        require_ray()
        return RayEngine(shard_size, run_dir, address=ray_address, **kwargs)
    raise ProjnerError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
