"""The ``--engine/--shard-size/--ray-address/--run-dir`` options shared by the sharded commands.

Kept here so each command module only adds the four parameters and one call. Without ``--engine`` a command runs
as before (whole corpus in memory, in this process).
"""

from __future__ import annotations

from pathlib import Path

import typer

from projner.engine.base import DEFAULT_SHARD_SIZE, JobReport

ENGINE = typer.Option(
    None,
    "--engine",
    help="Sharded, streaming, resumable run: 'local' (this process) or 'ray' (a Ray cluster). "
    "Default: the in-memory run. See docs/scale.md.",
)
SHARD_SIZE = typer.Option(DEFAULT_SHARD_SIZE, "--shard-size", help="Sentences per shard (with --engine).")
RAY_ADDRESS = typer.Option(
    None,
    "--ray-address",
    help="Ray cluster to join ('auto', host:6379, ray://host:10001); default: start a local Ray instance.",
)
RUN_DIR = typer.Option(
    None,
    "--run-dir",
    help="Where finished shards are kept for resuming (default: the user cache, runs/).",
)


def make_engine(engine: str, shard_size: int, ray_address: str | None, run_dir: Path | None):  # type: ignore[no-untyped-def]
    from projner.core.types import InputError
    from projner.engine.engines import ENGINES, get_engine

    if engine not in ENGINES:
        raise InputError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if shard_size < 1:
        raise InputError(f"--shard-size must be >= 1, got {shard_size}")
    if ray_address is not None and engine != "ray":
        raise InputError("--ray-address needs --engine ray")
    return get_engine(engine, shard_size=shard_size, run_dir=run_dir, ray_address=ray_address)


def echo_report(report: JobReport, engine: str) -> None:
    resumed = f", {report.resumed} resumed from {report.run_dir}" if report.resumed else ""
    typer.echo(f"engine {engine}: {report.records} sentences in {report.shards} shards{resumed}", err=True)
