"""``projner evaluate GOLD PRED``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from projner.core.tags import parse_label_list


def evaluate(
    gold: str = typer.Argument(..., help="Gold file (any supported format) or dataset name, e.g. europarl-ner:de."),
    pred: str = typer.Argument(..., help="Predicted file, same sentences and tokens as GOLD."),
    ignore: str = typer.Option("", "--ignore", help="Comma-separated classes mapped to O on both sides, e.g. MISC,DATE."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    bootstrap: int = typer.Option(0, "--bootstrap", help="Bootstrap resamples over sentences for 95% CIs (e.g. 1000)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    gold_format: str | None = typer.Option(None, "--gold-format", help="Override format detection for GOLD."),
    pred_format: str | None = typer.Option(None, "--pred-format", help="Override format detection for PRED."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Also write the JSON result to this file."),
) -> None:
    """Entity P/R/F1 exactly as seqeval's default mode, per type, with optional bootstrap CIs."""
    from projner.evaluate import evaluate_files
    from projner.evaluate.report import render
    from projner.utils.atomic import atomic_write_text

    result = evaluate_files(
        gold, pred, ignore=parse_label_list(ignore) or [], bootstrap=bootstrap, seed=seed,
        gold_format=gold_format, pred_format=pred_format,
    )
    payload = json.dumps(result.to_dict(), indent=2)
    if output is not None:
        atomic_write_text(output, payload + "\n")
    if as_json:
        typer.echo(payload)
    else:
        render(result)


def register(app: typer.Typer) -> None:
    app.command("evaluate", help="Score predictions against gold: seqeval P/R/F1, per type, bootstrap CI.")(evaluate)
