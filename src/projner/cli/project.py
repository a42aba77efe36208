"""``projner project``: project source entities onto target sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from projner.cli.engine_options import ENGINE, RAY_ADDRESS, RUN_DIR, SHARD_SIZE
from projner.cli.options import ALIGNER_ARG, PROJECTOR_PARAM, parse_key_values
from projner.core.types import InputError


def project(
    source: Path = typer.Option(..., "--source", help="Labelled source file (gold or predicted entities)."),
    target: Path = typer.Option(
        ..., "--target", help="Tokenized target file (any format; its tags are ignored)."
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="Output: target tokens + projected tags (CoNLL)."
    ),
    aligner: str | None = typer.Option(
        None, "--aligner", help="Aligner name (default: e5-inter-thot, the offline default)."
    ),
    projector: str | None = typer.Option(
        None, "--projector", help="Projector name (default: the offline default)."
    ),
    aligner_arg: list[str] = ALIGNER_ARG,
    param: list[str] = PROJECTOR_PARAM,
    alignments: Path | None = typer.Option(
        None, "--alignments", help="Precomputed Pharaoh alignments, one line per pair, source index first."
    ),
    reverse_alignments: bool = typer.Option(
        False, "--reverse-alignments", help="The Pharaoh file puts the target index first."
    ),
    labels: str | None = typer.Option(None, "--labels", help="Keep only these labels, e.g. PER,ORG,LOC."),
    label_filter: str = typer.Option(
        "before",
        "--label-filter",
        help="'before': drop other labels before projecting (default); 'after': project all, drop at write (paper).",
    ),
    source_format: str | None = typer.Option(None, "--source-format", help="Override format detection."),
    target_format: str | None = typer.Option(None, "--target-format", help="Override format detection."),
    target_tagger: str | None = typer.Option(
        None,
        "--target-tagger",
        help="Tagger run on the TARGET tokens for projectors that use target NER spans (ner-greedy, ner-exact, "
        "greedy-nerext), e.g. news or model:<dir>; labels are ignored.",
    ),
    set_completion: bool | None = typer.Option(
        None,
        "--set-completion/--no-set-completion",
        help="Grow a projected span to the longer name that the file projects whole elsewhere (at least 3 times and "
        "in half its occurrences). Default: on with the default projector, off with --projector.",
        show_default=False,
    ),
    confidence_out: Path | None = typer.Option(
        None,
        "--confidence-out",
        help="Also write one line per sentence: index, confidence, #source, #projected.",
    ),
    engine: str | None = ENGINE,
    shard_size: int = SHARD_SIZE,
    ray_address: str | None = RAY_ADDRESS,
    run_dir: Path | None = RUN_DIR,
) -> None:
    """Project entities from SRC onto TGT; writes OUT with the same sentences and tokens as TGT."""
    from projner import io
    from projner.core.tags import parse_label_list
    from projner.project import get_projector
    from projner.project.pipeline import (
        CONFIDENCE_HEADER,
        DEFAULT_PROJECTOR,
        DEFAULT_PROJECTOR_PARAMS,
        build_examples,
        confidence_line,
        projected_sentence,
        read_pharaoh,
    )
    from projner.project.set_completion import SET_COMPLETION, complete_examples
    from projner.utils.atomic import atomic_open
    from projner.utils.card import write_card
    from projner.utils.progress import track

    if label_filter not in ("before", "after"):
        raise InputError(f"--label-filter must be 'before' or 'after', got {label_filter!r}")
    keep = parse_label_list(labels)
    # the projector first: a bad name, or a projector that needs target spans without --target-tagger, fails
    # before any file is read or aligned
    name = projector or DEFAULT_PROJECTOR
    params = parse_key_values(param)
    aligner_kwargs = parse_key_values(aligner_arg, "--aligner-arg")
    if projector is None:
        params = {**DEFAULT_PROJECTOR_PARAMS, **params}
    proj = get_projector(name, **params)
    needs_spans = bool(getattr(proj, "needs_target_spans", False))
    # part of the offline default; an explicitly chosen projector runs as documented unless asked for it
    use_completion = projector is None if set_completion is None else set_completion
    completion = dict(SET_COMPLETION) if use_completion else None
    if engine is not None:
        if target_tagger is not None or needs_spans:
            raise InputError(
                "target NER spans (--target-tagger) are not supported with --engine yet; run without --engine"
            )
        from projner.cli.engine_commands import project_command

        return project_command(locals())
    if needs_spans and target_tagger is None:
        raise InputError(f"projector {name!r} needs spans predicted on the target: give --target-tagger NAME")
    if target_tagger is not None and not needs_spans:
        typer.secho(
            f"warning: projector {name!r} does not use --target-tagger; ignored", fg="yellow", err=True
        )
    src_sents = list(io.read(source, source_format))
    tgt_sents = list(io.read(target, target_format))
    if len(src_sents) != len(tgt_sents):
        raise InputError(
            f"{len(src_sents)} source sentences but {len(tgt_sents)} target sentences ({target})", str(source)
        )
    if keep is not None:
        present = {s.label for sent in src_sents for s in sent.spans}
        if present and not present & set(keep):
            typer.secho(
                f"warning: --labels {','.join(keep)} matches none of the source labels ({', '.join(sorted(present))}); "
                "the output will have no entities",
                fg="yellow",
                err=True,
            )
    if alignments is not None:
        if aligner is not None or aligner_kwargs:
            raise InputError("give either --alignments or --aligner (and --aligner-arg), not both")
        links = list(read_pharaoh(alignments, reverse=reverse_alignments))
        aligner_desc = f"alignments from {alignments}"
        if len(links) != len(src_sents):
            raise InputError(
                f"{len(links)} alignment lines for {len(src_sents)} sentence pairs", str(alignments)
            )
        for k, (link, s, t) in enumerate(zip(links, src_sents, tgt_sents, strict=True)):
            try:
                link.check_bounds(len(s.tokens), len(t.tokens))
            except ValueError as exc:  # a file error, not a per-sentence projection failure
                hint = "" if reverse_alignments else " (target index first? use --reverse-alignments)"
                raise InputError(f"{exc}{hint}", str(alignments), k + 1) from None
    else:
        from projner.align import DEFAULT_ALIGNER, get_aligner

        al = get_aligner(aligner or DEFAULT_ALIGNER, **aligner_kwargs)
        pairs = [(s.tokens, t.tokens) for s, t in zip(src_sents, tgt_sents, strict=True)]
        links = list(track(al.align(pairs), f"aligning ({al.name})", total=len(pairs)))
        aligner_desc = f"aligner {al.name}"

    examples = build_examples(
        src_sents,
        tgt_sents,
        links,
        keep,
        "after" if label_filter == "after" else "before",
        str(source),
        str(target),
    )
    if needs_spans:
        from projner.tag import get_tagger

        listed = list(examples)
        target_spans = get_tagger(str(target_tagger)).tag([ex.target.tokens for ex in listed])
        for ex, spans in zip(listed, target_spans, strict=True):
            ex.meta["candidates"] = spans
        examples = iter(listed)
    batch = proj.project_batch(examples, on_error="report")
    done = list(track(batch, f"projecting ({name})", total=len(src_sents)))
    grown = complete_examples(done, **completion) if completion is not None else 0
    out_sents = []
    conf_lines = []
    for ex in done:
        out_sents.append(projected_sentence(ex, keep if label_filter == "after" else None))
        conf_lines.append(confidence_line(ex))
    n = io.write(out_sents, output, format=io.format_for_output(output, default="conll"))
    if confidence_out is not None:
        with atomic_open(confidence_out, "w") as fh:
            fh.write(CONFIDENCE_HEADER)
            fh.writelines(conf_lines)
    st = batch.stats
    counts = {
        "sentences": n,
        "source_entities": st.source_entities,
        "projected_entities": st.projected_entities,
        "failed": st.failed,
        "grown_by_set_completion": grown,
    }
    write_card(output, "project", project_inputs(locals()), project_options(locals()), counts)
    typer.echo(f"{aligner_desc}; projector {proj!r}")
    typer.echo(f"wrote {n} sentences to {output}: {st.summary()}")
    if completion is not None:
        typer.echo(f"set completion: {grown} spans grown to a name projected whole elsewhere in the file")
    if st.failed:
        typer.secho(f"{st.failed} sentences failed and were written without entities:", fg="red", err=True)
        for index, sid, msg in st.failures[:10]:
            typer.secho(f"  sentence {index + 1}{f' ({sid})' if sid else ''}: {msg}", fg="red", err=True)
        raise typer.Exit(1)


def project_inputs(a: dict[str, Any]) -> dict[str, Any]:
    """The inputs a ``project`` run's provenance card records (:mod:`projner.utils.card`)."""
    return {"source": a["source"], "target": a["target"], "alignments": a["alignments"]}


def project_options(a: dict[str, Any]) -> dict[str, Any]:
    """The options a ``project`` run's provenance card records: everything that changes the output."""
    from projner.align import DEFAULT_ALIGNER

    aligner = None if a["alignments"] is not None else (a["aligner"] or DEFAULT_ALIGNER)
    return {
        "aligner": aligner,
        "aligner_kwargs": a.get("aligner_kwargs") or {},
        "projector": a["name"],
        "params": a["params"],
        "labels": a["keep"],
        "label_filter": a["label_filter"],
        "set_completion": a["completion"],
        "target_tagger": a["target_tagger"],
        "engine": a["engine"],
    }


def register(app: typer.Typer) -> None:
    app.command("project", help="Project entities from a labelled source file onto a target file.")(project)
