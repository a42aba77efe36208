"""What ``--engine`` does inside each command: build the job from the command's options, run it, report.

Each function takes the command's parameters as a dict (``locals()`` of the typer command) so that the command
modules change by one call; the messages mirror the in-memory path of each command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from projner.cli.engine_options import echo_report, make_engine
from projner.core.types import InputError


def _engine(a: dict[str, Any]):  # type: ignore[no-untyped-def]
    return make_engine(a["engine"], a["shard_size"], a["ray_address"], a["run_dir"])


def align_command(a: dict[str, Any]) -> None:
    from projner.engine.jobs import align_job

    if a.get("extra_parallel") is not None:
        raise InputError(
            "--extra-parallel trains a statistical aligner on the whole corpus; run without --engine"
        )
    kwargs: dict[str, Any] = dict(a.get("aligner_kwargs") or {})
    if a.get("model") is not None:
        kwargs["model"] = a["model"]
    if a.get("layer") is not None:
        kwargs["layer"] = a["layer"]
    eng = _engine(a)
    job = align_job(
        a["source"],
        a["target"],
        a["output"],
        a["aligner"],
        kwargs,
        a["source_format"],
        a["target_format"],
        cache=a["cache"],
        batch_size=a["batch_size"],
    )
    report = eng.run(job)
    echo_report(report, a["engine"])
    from projner.utils.card import write_card

    write_card(a["output"], "align", {"source": a["source"], "target": a["target"]},
               {"aligner": a["aligner"], "aligner_kwargs": kwargs}, {"pairs": report.records})  # fmt: skip
    typer.echo(f"wrote {report.records} alignments to {a['output']}", err=True)


def project_command(a: dict[str, Any]) -> None:
    from projner import io
    from projner.cli.project import project_inputs, project_options
    from projner.core.tags import parse_label_list
    from projner.engine.jobs import project_job

    if a["alignments"] is not None and a["aligner"] is not None:
        raise InputError("give either --alignments or --aligner, not both")
    name, params = a["name"], a["params"]  # resolved by the command (defaults merged, parameters parsed)
    options = project_options(a)  # what the card records; the job runs the same aligner
    aligner = options["aligner"]
    eng = _engine(a)
    job = project_job(
        a["source"],
        a["target"],
        a["output"],
        projector=name,
        params=params,
        labels=parse_label_list(a["labels"]),
        label_filter=a["label_filter"],
        alignments=a["alignments"],
        reverse_alignments=a["reverse_alignments"],
        aligner=aligner,
        aligner_kwargs=a.get("aligner_kwargs") or {},
        source_format=a["source_format"],
        target_format=a["target_format"],
        out_format=io.format_for_output(a["output"], default="conll"),
        confidence_out=a["confidence_out"],
        set_completion=a["completion"],
    )
    report = eng.run(job)
    echo_report(report, a["engine"])
    st = report.stats
    from projner.utils.card import write_card

    counts = {k: st.get(k, 0) for k in ("examples", "source_entities", "projected_entities", "failed")}
    write_card(a["output"], "project", project_inputs(a), options, counts)
    src_ents = st.get("source_entities", 0)
    share = st.get("projected_entities", 0) / src_ents if src_ents else 1.0
    desc = f"alignments from {a['alignments']}" if a["alignments"] is not None else f"aligner {aligner}"
    typer.echo(f"{desc}; projector {a['proj']!r}")
    typer.echo(
        f"wrote {report.records} sentences to {a['output']}: {st.get('examples', 0)} sentences, {src_ents} source "
        f"entities, {st.get('projected_entities', 0)} projected ({share:.1%}), {st.get('target_spans', 0)} target "
        f"spans, {st.get('failed', 0)} failed"
    )
    if st.get("failed"):
        typer.secho(f"{st['failed']} sentences failed and were written without entities:", fg="red", err=True)
        for index, sid, msg in st.get("failures", [])[:10]:
            typer.secho(f"  sentence {index + 1}{f' ({sid})' if sid else ''}: {msg}", fg="red", err=True)
        raise typer.Exit(1)


def translate_test_command(
    a: dict[str, Any],
    options: dict[str, Any],
    translations: list[str | None] | None,
    runs: list[tuple[int, int]] | None = None,
) -> None:
    """Runs after the command has checked its options; evaluates by re-reading the merged output."""
    from projner import io
    from projner.core.tags import parse_label_list
    from projner.engine.jobs import translate_test_job
    from projner.evaluate import evaluate_sentences
    from projner.evaluate.report import render
    from projner.utils.atomic import atomic_write_text

    eng = _engine(a)
    job = translate_test_job(
        a["target"],
        a["output"],
        options,
        target_format=a["target_format"],
        translation=a["translation"],
        translations=translations,
        runs=runs or (),
    )
    report = eng.run(job)
    echo_report(report, a["engine"])
    st = report.stats
    n, missing, failed = st.get("sentences", 0), st.get("missing", []), st.get("failed", [])
    n_missing = st.get("missing_total", len(missing))
    from projner.cli.translate_test import translate_test_inputs
    from projner.utils.card import write_card

    counts = {"sentences": n, "missing": n_missing, "failed": st.get("failed_total", len(failed))}
    write_card(a["output"], "translate-test", translate_test_inputs(a), options, counts)
    typer.echo(
        f"{n} sentences: {n - n_missing} translated, {n_missing} without translation, "
        f"{st.get('failed_total', len(failed))} projection failures; {st.get('source_entities', 0)} English "
        f"entities, {st.get('projected_spans', 0)} projected spans"
    )
    if runs:
        typer.echo(
            f"{sum(b - a for a, b in runs)} sentences in {len(runs)} runs share one MAFAND line's translation"
        )
    if missing:
        shown = ", ".join(str(i + 1) for i in missing[:20])
        typer.echo(
            f"sentences without translation (1-based, all-O in the output): {shown}{' …' if n_missing > 20 else ''}"
        )
    for i, msg in failed[:10]:
        typer.secho(f"projection failed on sentence {i + 1}: {msg}", fg=typer.colors.YELLOW, err=True)
    payload: dict[str, object] = {
        "target": a["target"],
        "sentences": n,
        "missing": missing,
        "runs": [list(r) for r in runs or ()],
        "failed": failed,
        "options": options,
    }
    # Evaluation needs gold and predictions together; it streams both files (memory: the evaluator's counts).
    gold = io.read(a["target"], a["target_format"])
    first = next(io.read(a["target"], a["target_format"]), None)
    if first is not None and first.tags is not None:
        targets = list(gold)
        if all(t.tags is not None for t in targets) and any(
            t.tags and any(x != "O" for x in t.tags) for t in targets
        ):
            pred = list(io.read(a["output"], "conll"))
            result = evaluate_sentences(
                targets, pred, ignore=parse_label_list(a["ignore"]) or [], bootstrap=a["bootstrap"]
            )
            render(result, title=f"translate-test {a['target']}")
            payload["evaluation"] = result.to_dict()
    if a["report"] is not None:
        atomic_write_text(a["report"], json.dumps(payload, indent=2, default=str) + "\n")


def translate_train_command(a: dict[str, Any], options: dict[str, Any]) -> None:
    from projner.engine.jobs import translate_train_job
    from projner.utils.atomic import atomic_write_text

    if a["format"] == "hf":
        raise InputError(
            "--engine writes conll or jsonl; convert afterwards with `projner convert OUT DIR.hf`"
        )
    eng = _engine(a)
    job = translate_train_job(
        a["source"],
        a["output"],
        options,
        source_format=a["source_format"],
        out_format=a["format"],
        translation=a["translation"],
    )
    report = eng.run(job)
    echo_report(report, a["engine"])
    c = report.stats.get("counts", {})
    s, e = c.get("sentences", {}), c.get("source_entities", {})
    typer.echo(
        f"{s.get('input', 0)} sentences: {s.get('kept', 0)} kept, {s.get('no_translation', 0)} without translation, "
        f"{s.get('projection_failed', 0)} projection failures, {s.get('below_confidence', 0)} below confidence; "
        f"{e.get('input', 0)} source entities: {e.get('projected_in_kept', 0)} projected into kept sentences, "
        f"{e.get('not_projected_in_kept', 0)} not projected (sentence kept), "
        f"{e.get('input', 0) - e.get('in_kept_sentences', 0)} in dropped sentences"
    )
    dropped = report.stats.get("dropped", [])
    for idx, _status, _conf, msg in [d for d in dropped if d[3]][:10]:
        typer.secho(f"projection failed on sentence {idx}: {msg}", fg=typer.colors.YELLOW, err=True)
    written = [str(p) for p in report.outputs]
    if not s.get("kept", 0):
        for p in report.outputs:
            Path(p).unlink(missing_ok=True)
        raise InputError("no sentence was kept (see the counts above); nothing written")
    typer.echo(f"wrote {s.get('kept', 0)} sentences → {', '.join(written)}")
    from projner.utils.card import write_card

    write_card(
        a["output"], "translate-train", {"source": a["source"], "translation": a["translation"]}, options, c
    )
    if a["report"] is not None:
        payload = {
            "source": a["source"],
            "output": written,
            "options": options,
            "counts": c,
            "dropped": {d[0]: {"status": d[1], "confidence": d[2], "message": d[3]} for d in dropped},
            "dropped_total": report.stats.get("dropped_total", len(dropped)),
        }
        atomic_write_text(a["report"], json.dumps(payload, indent=2, default=str) + "\n")
