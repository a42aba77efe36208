"""``projner train`` and ``projner predict``: target NER models (CRF or neural) from labelled files.

Together they are the model-transfer baseline (train on English, predict on the target language) and the last
step of translate-train (train on projected data, predict on the target test set).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from projner.core.tags import parse_label_list


def _log(message: str) -> None:
    typer.echo(message, err=True)


def train_command(
    train: Path = typer.Option(
        ..., "--train", help="Labelled training file (CoNLL, JSONL, any format projner reads)."
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="Model directory to write (replaced atomically)."
    ),
    dev: Path | None = typer.Option(
        None, "--dev", help="Labelled dev file: per-epoch F1, early stopping, best epoch."
    ),
    model: str = typer.Option(
        "e5-small",
        "--model",
        help="'crf' (feature CRF), 'e5-small' (offline multilingual-e5-small), a local HF dir, or a hub name.",
    ),
    epochs: int = typer.Option(3, "--epochs", help="Maximum number of epochs (neural)."),
    lr: float = typer.Option(5e-5, "--lr", help="Peak learning rate of AdamW (neural)."),
    batch_size: int = typer.Option(16, "--batch-size", help="Sentences (chunks) per batch (neural)."),
    seed: int = typer.Option(42, "--seed", help="Seed for random, numpy and torch."),
    max_steps: int | None = typer.Option(
        None,
        "--max-steps",
        help="Stop after this many optimizer steps (neural) / L-BFGS iterations (CRF, default 100).",
    ),
    labels: str | None = typer.Option(
        None,
        "--labels",
        help="Entity types to learn, e.g. PER,ORG,LOC; other types become O. Default: all in --train.",
    ),
    patience: int = typer.Option(
        2, "--patience", help="Stop after this many epochs without dev gain (0: never)."
    ),
    max_length: int = typer.Option(
        128, "--max-length", help="Sub-words per chunk; longer sentences are split."
    ),
    threads: int = typer.Option(2, "--threads", help="torch CPU threads."),
    train_embeddings: bool = typer.Option(
        False,
        "--train-embeddings",
        help="Also update the input word-embedding matrix (slower; frozen by default).",
    ),
    format: str | None = typer.Option(
        None, "--format", help="Input format of --train/--dev (default: detect)."
    ),
) -> None:
    """Train a target NER model (neural token classification or CRF) and save it with a model card."""
    from projner.ner import TrainConfig, train_files

    config = TrainConfig(
        model=model,
        epochs=epochs,
        lr=lr,
        batch_size=batch_size,
        seed=seed,
        max_steps=max_steps,
        labels=parse_label_list(labels),
        patience=patience,
        max_length=max_length,
        threads=threads,
        freeze_embeddings=not train_embeddings,
    )
    m = train_files(train, output, config, dev_path=dev, train_format=format, log=_log)
    summary = {
        "model": str(output),
        "kind": m.card["kind"],
        "types": m.types,
        "dev_f1": m.card.get("dev_f1"),
        "train_seconds": m.card.get("train_seconds"),
    }
    typer.echo(json.dumps(summary))


def predict_command(
    model: Path = typer.Option(..., "--model", help="Model directory written by `projner train`."),
    input: Path = typer.Option(..., "--input", help="Sentences to tag (tags, if present, are replaced)."),
    output: Path = typer.Option(
        ...,
        "-o",
        "--output",
        help="Output file: CoNLL TOKEN<TAB>TAG; the extension may choose another format (.jsonl…).",
    ),
    format: str | None = typer.Option(None, "--format", help="Input format (default: detect)."),
    batch_size: int = typer.Option(64, "--batch-size", help="Sentences per forward pass (neural)."),
    threads: int = typer.Option(2, "--threads", help="torch CPU threads."),
    evaluate: bool = typer.Option(
        False,
        "--eval",
        help="Score predictions against the input's own tags (seqeval; other types become O).",
    ),
) -> None:
    """Tag a file with a trained model; writes the same sentences and tokens with predicted IOB2 tags."""
    from projner.core.types import InputError
    from projner.ner import NerModel, read_sentences
    from projner.ner.train import evaluate_model

    m = NerModel.load(model, threads=threads)
    if hasattr(m, "batch_size"):
        m.batch_size = batch_size  # type: ignore[attr-defined]
    sentences = read_sentences(input, format)
    tags = m.predict_tags([s.tokens for s in sentences])
    from projner import io
    from projner.core.types import Sentence

    out_sents = [
        Sentence(tokens=s.tokens, tags=t, id=s.id, lang=s.lang) for s, t in zip(sentences, tags, strict=True)
    ]
    io.write(out_sents, output, format=io.format_for_output(output, default="conll"))
    n_ent = sum(t.startswith("B-") for row in tags for t in row)
    from projner.utils.card import write_card

    write_card(
        output,
        "predict",
        {"input": input, "model": model},
        {},
        {"sentences": len(out_sents), "entities": n_ent},
    )
    _log(f"tagged {len(sentences)} sentences, {n_ent} entities → {output}")
    if evaluate:
        if any(s.tags is None for s in sentences):
            raise InputError("--eval needs gold tags in the input file", str(input))
        report = evaluate_model(m, sentences)
        typer.echo(json.dumps(report))
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)
    app.command("predict")(predict_command)
