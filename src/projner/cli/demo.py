"""``projner demo``: the main job on an embedded default.

Projects the gold English entities of Europarl-NER onto the human German translation with the offline default
aligner and projector, and prints precision / recall / F1 against the German gold (the paper's isolated
projection setting, method.md §2.4). When the dataset folder is absent it runs on a small example written for
this project (not taken from any dataset), so a fresh clone always prints a real, computed result.
"""

from __future__ import annotations

import time

import typer

from projner.core.types import ParallelExample, Sentence

# Our own sentences (written for projner, no dataset excerpt): English with gold entities, German with gold.
_EXAMPLE = [
    (
        "Angela Merkel met Barack Obama in Berlin on Monday .",
        "B-PER I-PER O B-PER I-PER O B-LOC O O O",
        "Angela Merkel traf Barack Obama am Montag in Berlin .",
        "B-PER I-PER O B-PER I-PER O O O B-LOC O",
    ),
    (
        "The European Commission published its report in Brussels .",
        "O B-ORG I-ORG O O O O B-LOC O",
        "Die Europäische Kommission veröffentlichte ihren Bericht in Brüssel .",
        "O B-ORG I-ORG O O O O B-LOC O",
    ),
    (
        "Mr Schulz thanked the United Nations for its help .",
        "O B-PER O O B-ORG I-ORG O O O O",
        "Herr Schulz dankte den Vereinten Nationen für ihre Hilfe .",
        "O B-PER O O B-ORG I-ORG O O O O",
    ),
    (
        "Farmers in Spain and Portugal protested against the new rules .",
        "O O B-LOC O B-LOC O O O O O O",
        "Landwirte in Spanien und Portugal protestierten gegen die neuen Regeln .",
        "O O B-LOC O B-LOC O O O O O O",
    ),
]


def _embedded_examples() -> list[ParallelExample]:
    out = []
    for i, (en, en_tags, de, de_tags) in enumerate(_EXAMPLE):
        src = Sentence(en.split(), en_tags.split(), id=f"demo-{i}", lang="en")
        tgt = Sentence(de.split(), de_tags.split(), id=f"demo-{i}", lang="de")
        out.append(ParallelExample(source=src, target=tgt, source_spans=src.spans, meta={"index": i}))
    return out


def demo(
    lang: str = typer.Option("de", "--lang", help="Europarl-NER target language: de, es or it."),
    aligner: str | None = typer.Option(None, "--aligner", help="Aligner (default: the offline default)."),
    projector: str | None = typer.Option(
        None, "--projector", help="Projector (default: the offline default)."
    ),
    embedded: bool = typer.Option(
        False, "--embedded", help="Use the small built-in example even if data exists."
    ),
) -> None:
    """Project Europarl-NER gold English entities onto a human translation and print P/R/F1."""
    from projner.evaluate import evaluate_sentences
    from projner.evaluate.report import one_line, render
    from projner.pipeline.translate_test import TranslateTestOptions, align_and_project
    from projner.project.pipeline import projected_sentence
    from projner.utils.paths import data_root

    root = data_root()
    if embedded or root is None or not (root / "europarl-ner").is_dir():
        if not embedded:
            typer.echo("dataset folder not found (set PROJNER_DATA); running the built-in example instead")
        examples, name = _embedded_examples(), "built-in en→de example"
    else:
        from projner.pipeline.datasets import gold_parallel

        examples, name = gold_parallel(f"europarl-ner:{lang}"), f"Europarl-NER en→{lang}"
    from projner.project.pipeline import DEFAULT_PROJECTOR, DEFAULT_PROJECTOR_PARAMS

    # gold source entities: the *projection* default (greedy matching), not translate-test's heuristic, which is
    # chosen for tagger-made entities
    opts = TranslateTestOptions(
        from_lang=lang,
        aligner=aligner,
        projector=projector or DEFAULT_PROJECTOR,
        projector_kwargs={} if projector else dict(DEFAULT_PROJECTOR_PARAMS),
    )
    typer.echo(
        f"{name}: {len(examples)} sentence pairs, {sum(len(e.source_spans) for e in examples)} gold English entities"
    )
    start = time.perf_counter()
    projected = align_and_project(examples, opts)
    if projector is None:  # the set-level pass of `projner project`'s default
        from projner.project.set_completion import complete_examples

        complete_examples(projected)
    seconds = time.perf_counter() - start
    result = evaluate_sentences([e.target for e in projected], [projected_sentence(e) for e in projected])
    render(
        result,
        title=f"projection {name} (aligner {aligner or 'default'}, projector {projector or 'default'})",
    )
    typer.echo(f"{name}: {one_line(result)}  ({seconds:.1f} s for alignment + projection)")


def register(app: typer.Typer) -> None:
    app.command(
        "demo", help="Main job: project Europarl-NER gold English entities onto German, print P/R/F1."
    )(demo)
