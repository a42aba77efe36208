"""``projner translate-test``: label target-language text through English (translate, tag, align, project)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from projner.cli.engine_options import ENGINE, RAY_ADDRESS, RUN_DIR, SHARD_SIZE
from projner.cli.options import ALIGNER_ARG, PROJECTOR_PARAM, check_stages, parse_key_values
from projner.core.types import InputError
from projner.pipeline.translate_test import DEFAULT_TAGGER


def translate_test(
    target: str = typer.Option(
        ..., "--target", help="Target file (any format) or dataset name, e.g. masakhaner2:lug:test."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Output CoNLL: target tokens + projected tags."),
    lang: str | None = typer.Option(
        None, "--lang", help="Target language code (default: from the dataset name)."
    ),
    translator: str | None = typer.Option(
        None, "--translator", help="Translator name (apertium, hf, ct2, mafand...)."
    ),
    translation: Path | None = typer.Option(
        None,
        "--translation",
        help="English translations: one line per target sentence, empty where none exists.",
    ),
    tagger: str = typer.Option(
        DEFAULT_TAGGER,
        "--tagger",
        help="English source tagger: spacy-news (default), news (best for African news under MasakhaNER guidelines; "
        "projner models prepare en-ner-news), news-agree (news confirmed by en-ner-news-multi; best measured), "
        "spacy, hf, model:<dir>.",
    ),
    aligner: str | None = typer.Option(
        None, "--aligner", help="Aligner name (default: the offline default)."
    ),
    aligner_arg: list[str] = ALIGNER_ARG,
    extra_parallel: list[str] = typer.Option(
        [],
        "--extra-parallel",
        help="More English-target parallel text for a trainable aligner (eflomal, e5-inter-eflomal): a dataset "
        "name with English first (mafand-mt:en-luo:train) or EN_FILE,TARGET_FILE (repeatable).",
    ),
    projector: str | None = typer.Option(
        None,
        "--projector",
        help="Projector name (default: heuristic, chosen for tagger-made English entities).",
    ),
    param: list[str] = PROJECTOR_PARAM,
    labels: str = typer.Option("PER,ORG,LOC", "--labels", help="Entity types to project."),
    target_consistency: bool = typer.Option(
        True,
        "--target-consistency/--no-target-consistency",
        help="After projection, give each target name one type over the whole set and tag its untagged "
        "occurrences (recovers names the translation paraphrased).",
    ),
    set_completion: bool = typer.Option(
        True,
        "--set-completion/--no-set-completion",
        help="Then grow a projected span to the longer name that the set projects whole elsewhere "
        '("National" -> "National Resistance Movement").',
    ),
    ignore: str = typer.Option("DATE", "--ignore", help="Classes ignored in the evaluation (both sides)."),
    target_format: str | None = typer.Option(None, "--target-format", help="Override format detection."),
    bootstrap: int = typer.Option(
        0, "--bootstrap", help="Bootstrap resamples for a 95% CI of the evaluation."
    ),
    report: Path | None = typer.Option(
        None, "--report", help="Write a JSON report (counts, evaluation) here."
    ),
    engine: str | None = ENGINE,
    shard_size: int = SHARD_SIZE,
    ray_address: str | None = RAY_ADDRESS,
    run_dir: Path | None = RUN_DIR,
) -> None:
    """Translate TGT into English (or read --translation), tag, align, project back; evaluate when TGT has gold tags."""
    from projner import io
    from projner.core.tags import parse_label_list
    from projner.evaluate import evaluate_sentences
    from projner.evaluate.report import render
    from projner.pipeline.translate_test import (
        TRANSLATE_TEST_PROJECTOR,
        TranslateTestOptions,
        read_translation_file,
    )
    from projner.pipeline.translate_test import translate_test as run
    from projner.utils.atomic import atomic_write_text
    from projner.utils.card import write_card

    targets = list(io.read(target, target_format)) if engine is None else []  # --engine streams it
    parts = target.split(":")
    if lang is None and len(parts) >= 2 and not Path(target).exists():
        lang = parts[1]
    if lang is None and translation is not None and not extra_parallel:
        # with the English given, the code only names the run: nothing is translated or tokenized in the target
        # language (the target file is already tokenized), so it is not worth an error
        lang = "und"
    if lang is None:
        raise InputError(
            "give --lang (the target language code) for a file target: the translator"
            + (" and the --extra-parallel tokenizer need it" if extra_parallel else " needs it")
        )
    translations: list[str | None] | None = None
    runs: list[tuple[int, int]] = []
    if translation is not None:
        if engine is None:  # --engine streams the file alongside the targets
            translations = read_translation_file(str(translation), len(targets))
    elif translator in ("mafand", "mafand-mt"):
        if len(parts) < 3 or parts[0] != "masakhaner2":
            raise InputError("--translator mafand needs a masakhaner2:<lang>:<split> target")
        from projner.data.registry import masakhaner2_mafand_translations

        # sentences that MasakhaNER2 split off one MAFAND line share that line's translation (a "run")
        translations, runs = masakhaner2_mafand_translations(parts[1], parts[2])
    elif translator is None:
        raise InputError("give --translator NAME or --translation EN_FILE")
    opts = TranslateTestOptions(
        from_lang=lang,
        translator=translator if translations is None else None,
        tagger=tagger,
        aligner=aligner,
        aligner_kwargs=parse_key_values(aligner_arg, "--aligner-arg"),
        extra_parallel=tuple(extra_parallel),
        # the resolved name, so a run directory or cache key never depends on what "default" meant at the time
        projector=projector or TRANSLATE_TEST_PROJECTOR,
        projector_kwargs=parse_key_values(param),
        labels=tuple(parse_label_list(labels) or ()),
        target_consistency=target_consistency,
        set_completion=set_completion,
    )
    check_stages(
        opts.aligner, opts.aligner_kwargs, opts.projector or TRANSLATE_TEST_PROJECTOR, opts.projector_kwargs
    )
    if engine is not None:
        from projner.cli.engine_commands import translate_test_command

        return translate_test_command(locals(), vars(opts), translations, runs)
    out = run(targets, opts, translations=translations, runs=runs)
    io.write(out.sentences, output, format="conll")
    counts = {
        "sentences": len(targets),
        "missing": len(out.missing),
        "failed": len(out.failed),
        "consistency_changes": out.consistency_changes,
        "grown_by_set_completion": out.completed,
    }
    write_card(output, "translate-test", translate_test_inputs(locals()), vars(opts), counts)
    from projner.align import DEFAULT_ALIGNER

    typer.echo(
        f"tagger {opts.tagger}, aligner {opts.aligner or DEFAULT_ALIGNER}, projector {opts.projector}, "
        f"target-side consistency {'on' if opts.target_consistency else 'off'}, "
        f"set completion {'on' if opts.set_completion else 'off'}"
    )
    typer.echo(out.summary())
    if out.runs:
        typer.echo(
            f"{sum(b - a for a, b in out.runs)} sentences in {len(out.runs)} runs share one MAFAND line's translation"
        )
    if out.missing:
        shown = ", ".join(str(i + 1) for i in out.missing[:20])
        typer.echo(
            f"sentences without translation (1-based, all-O in the output): {shown}{' …' if len(out.missing) > 20 else ''}"
        )
    for i, msg in out.failed[:10]:
        typer.secho(f"projection failed on sentence {i + 1}: {msg}", fg=typer.colors.YELLOW, err=True)
    payload: dict[str, object] = {
        "target": target,
        "sentences": len(targets),
        "missing": out.missing,
        "runs": out.runs,
        "failed": out.failed,
        "options": vars(opts),
    }
    if all(t.tags is not None for t in targets) and any(
        t.tags and any(x != "O" for x in t.tags) for t in targets
    ):
        result = evaluate_sentences(
            targets, out.sentences, ignore=parse_label_list(ignore) or [], bootstrap=bootstrap
        )
        render(result, title=f"translate-test {target}")
        payload["evaluation"] = result.to_dict()
    if report is not None:
        atomic_write_text(report, json.dumps(payload, indent=2, default=str) + "\n")


def translate_test_inputs(a: dict[str, Any]) -> dict[str, Any]:
    """The inputs a translate-test run's provenance card records (:mod:`projner.utils.card`): the target, and the
    human translations when they come from a file or from MAFAND-MT."""
    inputs: dict[str, Any] = {"target": a["target"], "translation": a["translation"]}
    if a["translator"] in ("mafand", "mafand-mt"):
        lang = str(a["target"]).split(":")[1]
        inputs["translation"] = f"mafand-mt:en-{lang}"
        from projner.data.registry import masakhaner2_mafand_path

        inputs["translation_mapping"] = masakhaner2_mafand_path()
    return inputs


def register(app: typer.Typer) -> None:
    app.command(
        "translate-test", help="Label target text via English: translate, tag, align, project, evaluate."
    )(translate_test)
