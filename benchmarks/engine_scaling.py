"""Scaling of a sharded `project` run with an encoder aligner: Ray with 1 vs 2 workers (and the local engine).

Every run aligns (aligner cache off, so nothing is reused between runs) and projects the same synthetic corpus;
one Ray instance with ``num_cpus=2`` serves all Ray runs, each worker an actor holding its own encoder (1 CPU,
so torch uses one thread per worker). Wall time includes actor start and model load. The load average is printed
before and after each run because the machine is shared.

    .venv/bin/python benchmarks/engine_scaling.py --pairs 400 --shard-size 50 --aligner e5-inter
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from projner.engine import LocalEngine, RayEngine
from projner.engine.jobs import project_job
from projner.engine.testing import write_corpus


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pairs", type=int, default=400)
    ap.add_argument("--shard-size", type=int, default=50)
    ap.add_argument("--aligner", default="e5-inter")
    ap.add_argument("--skip-local", action="store_true")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="projner-scaling-"))
    src, tgt, _ = write_corpus(root, args.pairs, seed=5)

    def job(tag: str):  # type: ignore[no-untyped-def]
        return project_job(
            src,
            tgt,
            root / f"{tag}.conll",
            projector="greedy",
            params={"max_len": 10},
            labels=None,
            aligner=args.aligner,
            aligner_cache=False,
        )

    import ray

    os.environ.setdefault("RAY_ACCEL_ENV_VAR_OVERRIDE_ON_ZERO", "0")
    t0 = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    print(f"ray.init: {time.perf_counter() - t0:.1f} s", flush=True)
    rows = []
    runs: list[tuple[str, object]] = [("ray, 1 worker", 1), ("ray, 2 workers", 2)]
    if not args.skip_local:
        runs.insert(0, ("local engine (torch threads: default)", None))
    for name, workers in runs:
        before = load()
        eng = (
            LocalEngine(args.shard_size, root / "runs-local")
            if workers is None
            else RayEngine(args.shard_size, root / f"runs-{workers}", workers=int(workers))
        )  # type: ignore[arg-type]
        t = time.perf_counter()
        eng.run(job(name.split(",")[0].replace(" ", "_") + str(workers)))
        wall = time.perf_counter() - t
        rows.append((name, wall, args.pairs / wall, before, load()))
        print(
            f"{name:<40} {wall:7.1f} s {args.pairs / wall:7.1f} pairs/s  load {before} → {load()}", flush=True
        )
    ray.shutdown()
    outs = {p.read_bytes() for p in root.glob("*.conll") if p.name not in ("src.conll",)}
    print()
    print(
        f"| run ({args.pairs} pairs, shard size {args.shard_size}, aligner {args.aligner}) | wall (s) | pairs/s "
        "| load average before | after |"
    )
    print("|---|---:|---:|---|---|")
    for name, wall, rate, before, after in rows:
        print(f"| {name} | {wall:.1f} | {rate:.1f} | {before} | {after} |")
    print(f"\noutputs byte-identical across runs: {len(outs) == 1}")


if __name__ == "__main__":
    main()
