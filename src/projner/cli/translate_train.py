"""``projner translate-train``: target-language NER training data from labelled English (translate, align, project)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from projner.cli.engine_options import ENGINE, RAY_ADDRESS, RUN_DIR, SHARD_SIZE
from projner.cli.options import ALIGNER_ARG, PROJECTOR_PARAM, check_stages, parse_key_values
from projner.core.types import InputError

FORMATS = ("conll", "jsonl", "hf")


def translate_train(
    source: str = typer.Option(
        ...,
        "--source",
        help="Labelled English file (any format projner reads) or dataset name, e.g. wikiann:en:train.",
    ),
    target_lang: str = typer.Option(..., "--target-lang", help="Target language code (lug, tsn, de...)."),
    output: Path = typer.Option(
        ..., "-o", "--output", help="Training set to write (file, or directory for hf)."
    ),
    translator: str | None = typer.Option(
        None, "--translator", help="Translator name (apertium, hf:<model>, ct2:<dir>, identity...)."
    ),
    translation: Path | None = typer.Option(
        None,
        "--translation",
        help="Human/parallel translations: one target sentence per line, line i for source sentence i, empty if none.",
    ),
    aligner: str | None = typer.Option(
        None, "--aligner", help="Aligner name (default: the offline default)."
    ),
    aligner_arg: list[str] = ALIGNER_ARG,
    projector: str | None = typer.Option(
        None, "--projector", help="Projector name (default: the offline default), or 'markers' (EasyProject)."
    ),
    param: list[str] = PROJECTOR_PARAM,
    min_confidence: float = typer.Option(
        0.0, "--min-confidence", help="Drop sentences whose projection confidence is below this (0..1)."
    ),
    labels: str | None = typer.Option(
        None, "--labels", help="Source entity types to project, e.g. PER,ORG,LOC (default: all)."
    ),
    format: str = typer.Option(
        "conll", "--format", help="Output format: conll (+ .confidence.tsv), jsonl, hf."
    ),
    source_format: str | None = typer.Option(
        None, "--source-format", help="Override format detection of --source."
    ),
    source_lang: str = typer.Option("en", "--source-lang", help="Language of the labelled source."),
    report: Path | None = typer.Option(
        None, "--report", help="Write a JSON report (counts, options, reasons) here."
    ),
    engine: str | None = ENGINE,
    shard_size: int = SHARD_SIZE,
    ray_address: str | None = RAY_ADDRESS,
    run_dir: Path | None = RUN_DIR,
) -> None:
    """Translate labelled English into the target language (or read --translation), project the entities, write."""
    from projner import io
    from projner.core.tags import parse_label_list
    from projner.pipeline.translate_train import (
        TranslateTrainOptions,
        read_translation_file,
        write_training_set,
    )
    from projner.pipeline.translate_train import translate_train as run
    from projner.utils.atomic import atomic_write_text
    from projner.utils.card import write_card

    if format not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, got {format!r}")
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"--min-confidence must be within 0..1, got {min_confidence}")
    if (translator is None) == (translation is None):
        raise InputError("give exactly one of --translator NAME or --translation FILE")
    if projector == "markers" and translation is not None:
        raise InputError("--projector markers needs a --translator that keeps [ ] markers, not --translation")
    opts = TranslateTrainOptions(
        target_lang=target_lang,
        source_lang=source_lang,
        translator=translator,
        aligner=aligner,
        aligner_kwargs=parse_key_values(aligner_arg, "--aligner-arg"),
        projector=projector,
        projector_kwargs=parse_key_values(param),
        labels=tuple(parse_label_list(labels) or ()) or None,
        min_confidence=min_confidence,
    )
    if opts.uses_markers:
        if opts.projector_kwargs:
            raise InputError("--param does not apply to --projector markers")
    else:
        check_stages(opts.aligner, opts.aligner_kwargs, *opts.projector_spec())
    if engine is not None:
        from projner.cli.engine_commands import translate_train_command

        return translate_train_command(locals(), vars(opts))
    sources = list(io.read(source, source_format))
    if not any(s.tags is not None for s in sources):
        raise InputError("the source has no NER tags; translate-train needs labelled English", source)
    missing_tags = next((k for k, s in enumerate(sources) if s.tags is None), None)
    if missing_tags is not None:
        raise InputError(f"sentence {missing_tags + 1} has no NER tags", source)
    translations = read_translation_file(str(translation), len(sources)) if translation is not None else None
    out = run(sources, opts, translations=translations)
    typer.echo(out.summary())
    for rec in [r for r in out.records if r.message][:10]:
        typer.secho(
            f"projection failed on sentence {rec.index + 1}: {rec.message}", fg=typer.colors.YELLOW, err=True
        )
    if not out.sentences:
        raise InputError("no sentence was kept (see the counts above); nothing written")
    written = write_training_set(out, str(output), format)
    write_card(
        output, "translate-train", {"source": source, "translation": translation}, vars(opts), out.counts()
    )
    typer.echo(f"wrote {len(out.sentences)} sentences → {', '.join(written)}")
    if report is not None:
        payload = {
            "source": source,
            "output": written,
            "options": vars(opts),
            "counts": out.counts(),
            "dropped": {
                r.index + 1: {"status": r.status, "confidence": r.confidence, "message": r.message}
                for r in out.records
                if r.status != "kept"
            },
        }
        atomic_write_text(report, json.dumps(payload, indent=2, default=str) + "\n")


def register(app: typer.Typer) -> None:
    app.command(
        "translate-train",
        help="Build target-language training data: translate labelled English, project, write.",
    )(translate_train)
