"""``projner evaluate GOLD PRED [--compare BASE]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from projner.core.tags import parse_label_list

if TYPE_CHECKING:
    from projner.evaluate.metrics import Scorer


def evaluate(
    gold: str = typer.Argument(
        ..., help="Gold file (any supported format) or dataset name, e.g. europarl-ner:de."
    ),
    pred: str = typer.Argument(..., help="Predicted file, same sentences and tokens as GOLD."),
    ignore: str = typer.Option(
        "", "--ignore", help="Comma-separated classes mapped to O on both sides, e.g. MISC,DATE."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    bootstrap: int = typer.Option(
        0, "--bootstrap", help="Bootstrap resamples over sentences for 95% CIs (e.g. 1000)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    gold_format: str | None = typer.Option(None, "--gold-format", help="Override format detection for GOLD."),
    pred_format: str | None = typer.Option(None, "--pred-format", help="Override format detection for PRED."),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Also write the JSON result to this file."
    ),
    compare: str | None = typer.Option(
        None,
        "--compare",
        help="A second prediction file (the base): paired sentence bootstrap of F1(PRED) - F1(BASE), "
        "--bootstrap resamples (1000 when not given).",
    ),
    compare_format: str | None = typer.Option(
        None, "--compare-format", help="Override format detection for BASE."
    ),
    mode: str = typer.Option(
        "default",
        "--mode",
        help="seqeval's 'default' (conlleval) decoding, or 'strict' (IOB2: an I- tag that continues no B- of its "
        "type is no entity; other prefixes are an error). They differ only on invalid IOB2.",
    ),
    strict_tokens: bool = typer.Option(
        False,
        "--strict-tokens",
        help="Fail on the first sentence whose token texts differ (default: count them and warn).",
    ),
) -> None:
    """Entity P/R/F1 exactly as seqeval (default or strict mode), per type, with optional bootstrap CIs.

    ``--compare BASE`` adds the F1 difference to BASE with a *paired* 95 % CI: both systems are scored on the same
    resampled sentences, which is what tells a real improvement from noise when choosing between two systems.
    """
    from projner.core.types import InputError
    from projner.evaluate import paired_bootstrap, score_files
    from projner.evaluate.metrics import MODES
    from projner.evaluate.report import render
    from projner.utils.atomic import atomic_write_text

    if mode not in MODES:
        raise InputError(f"--mode must be one of {', '.join(MODES)}, got {mode!r}")
    labels = parse_label_list(ignore) or []
    # PRED is scored once and serves both the report and the comparison.
    scorer = score_files(gold, pred, labels, gold_format, pred_format, check_tokens=strict_tokens, mode=mode)
    result = scorer.result(bootstrap=bootstrap, seed=seed)
    data = result.to_dict()
    if scorer.token_mismatches:
        data["token_mismatches"] = scorer.token_mismatches
        _warn_tokens(scorer, pred)
    comparison = None
    if compare is not None:
        base = score_files(
            gold, compare, labels, gold_format, compare_format, check_tokens=strict_tokens, mode=mode
        )
        _warn_tokens(base, compare)
        comparison = paired_bootstrap(scorer, base, n_resamples=bootstrap or 1000, seed=seed)
        data["compare"] = {"base": compare, **comparison.to_dict()}
    payload = json.dumps(data, indent=2)
    if output is not None:
        atomic_write_text(output, payload + "\n")
    if as_json:
        typer.echo(payload)
        return
    render(result)
    if comparison is not None:
        c = comparison
        typer.echo(
            f"vs {compare}: F1 {100 * c.f1:.2f} - {100 * c.base_f1:.2f} = {100 * c.delta:+.2f} "
            f"[{100 * c.ci[0]:+.2f}, {100 * c.ci[1]:+.2f}] (95% paired bootstrap, {c.n_resamples} resamples of "
            f"{c.n_sentences} sentences); PRED better in {100 * c.share_better:.1f}% of resamples"
        )


def _warn_tokens(scorer: Scorer, name: str) -> None:
    if scorer.token_mismatches:
        typer.secho(
            f"warning: {scorer.token_mismatches} sentence(s) of {name} have the gold token count but other token "
            f"texts (first at {scorer.first_token_mismatch}); scores assume both files hold the same sentences "
            "(--strict-tokens makes this an error)",
            fg=typer.colors.YELLOW,
            err=True,
        )


def register(app: typer.Typer) -> None:
    app.command("evaluate", help="Score predictions against gold: seqeval P/R/F1, per type, bootstrap CI.")(
        evaluate
    )
