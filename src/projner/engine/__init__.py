"""Sharded, streaming, resumable execution of projner's corpus-sized commands, locally or on Ray.

>>> from projner.engine import get_engine
>>> from projner.engine.jobs import project_job
>>> job = project_job(src, tgt, out, projector="greedy", params={"max_len": 10}, labels=None,
...                   alignments=pharaoh_file)
>>> report = get_engine("local", shard_size=1000).run(job)      # or get_engine("ray", ray_address="auto")

See docs/scale.md. Ray is optional (``pip install projner[ray]``) and imported only by the Ray engine.
"""

from projner.engine.base import (
    DEFAULT_SHARD_SIZE,
    Job,
    JobReport,
    OutputSpec,
    Shard,
    ShardProcessor,
    ShardResult,
    StageSpec,
    merge_stats,
    shards,
)
from projner.engine.engines import ENGINES, Engine, LocalEngine, RayEngine, get_engine, require_ray
from projner.engine.rundir import RunDir

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "ENGINES",
    "Engine",
    "Job",
    "JobReport",
    "LocalEngine",
    "OutputSpec",
    "RayEngine",
    "RunDir",
    "Shard",
    "ShardProcessor",
    "ShardResult",
    "StageSpec",
    "get_engine",
    "merge_stats",
    "require_ray",
    "shards",
]
