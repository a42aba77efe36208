"""``projner study [--config FILE | --quick] -o DIR`` — the reproducible aligner-data-volume study."""

from __future__ import annotations

from pathlib import Path

import typer


def study(
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Study config (TOML), e.g. configs/study-full.toml."
    ),
    quick: bool = typer.Option(
        False, "--quick", help="The <= 10 minute configuration (configs/study-quick.toml)."
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="Output directory (cells/, results.csv, report.md, PNGs)."
    ),
    report_only: bool = typer.Option(
        False, "--report-only", help="Do not compute cells; rewrite the report from the cached cells."
    ),
) -> None:
    """Run the study: compute missing cells (cached in DIR/cells), then write results.csv, report.md and figures."""
    from projner.core.types import InputError
    from projner.study import bundled_config, load_config, run_study

    if config is not None and quick:
        raise InputError("give either --config FILE or --quick, not both")
    path = config if config is not None else bundled_config("quick" if quick else "full")
    cfg = load_config(path)
    typer.echo(f"study {cfg.name} from {path} -> {output}")
    report = run_study(cfg, output, echo=typer.echo, compute=not report_only)
    typer.echo(f"report: {report}")


def register(app: typer.Typer) -> None:
    app.command(
        "study", help="The aligner-data-volume study: cached cells, results.csv, report.md, figures."
    )(study)
