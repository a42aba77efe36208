"""Train a target NER model (CRF or neural) and write a self-describing model directory.

The model directory is written atomically (a crash never leaves a half-saved model that ``NerModel.load`` would
accept) and always carries ``projner_model.json``: kind, entity types, the full training configuration, data
fingerprints and licence notes of the training files, dev F1, epochs, seed and wall time.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from projner import __version__
from projner.core.types import ProjnerError, Sentence
from projner.ner.config import TrainConfig
from projner.ner.data import LabelledData, bio_labels, describe_file, prepare, read_sentences
from projner.ner.model import CARD_VERSION, NerModel, write_card
from projner.utils.atomic import atomic_dir

LICENCE_NOTE = "A model inherits the terms of its training data; see 'data' for the licence recorded for each training file."


def train_model(
    train: Sequence[Sentence],
    out_dir: str | Path,
    config: TrainConfig | None = None,
    dev: Sequence[Sentence] | None = None,
    train_source: dict[str, Any] | None = None,
    dev_source: dict[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> NerModel:
    """Train on labelled sentences, save to ``out_dir`` and return the loaded model.

    Tags are normalised to IOB2 over ``config.labels`` (default: every type in ``train``); other types become
    ``O`` in both train and dev, so dev F1 measures exactly what the model can emit.
    """
    config = config or TrainConfig()
    config.check()
    say = log or (lambda _m: None)
    tr = prepare(train, config.labels, train_source)
    if not tr.types:
        raise ProjnerError("the training data has no entities of the requested types; nothing to learn")
    dv: LabelledData | None = prepare(dev, tr.types, dev_source) if dev else None
    label_list = bio_labels(tr.types)
    t0 = time.perf_counter()
    card: dict[str, Any] = {
        "card_version": CARD_VERSION,
        "projner_version": __version__,
        "kind": "crf" if config.is_crf else "neural",
        "types": tr.types,
        "labels": label_list,
        "scheme": "IOB2",
        "config": config.to_dict(),
        "seed": config.seed,
        "data": {"train": {**tr.source, "sentences_used": len(tr)}},
        "licence_note": LICENCE_NOTE,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "threads": config.threads},
    }
    if dv is not None:
        card["data"]["dev"] = {**dv.source, "sentences_used": len(dv)}

    out = Path(out_dir)
    with atomic_dir(out) as tmp:
        if config.is_crf:
            from projner.ner.crf import CrfModel, train_crf

            crf = train_crf(
                tr.tokens,
                tr.tags,
                c1=config.crf_c1,
                c2=config.crf_c2,
                max_iterations=config.max_steps or 100,
                log=say,
            )
            model: NerModel = CrfModel(crf, card)
            card.update({"epochs_run": None, "iterations": config.max_steps or 100, "best_epoch": None})
            if dv is not None:
                card["dev_f1"] = round(_f1(dv.tags, model.predict_tags(dv.tokens)), 4)
            card["train_seconds"] = round(time.perf_counter() - t0, 2)
            model.save(tmp)  # type: ignore[attr-defined]
        else:
            from projner.ner.neural import NeuralModel, save_neural, train_neural

            hf_model, tokenizer, report = train_neural(
                tr.tokens,
                tr.tags,
                label_list,
                config,
                dv.tokens if dv else None,
                dv.tags if dv else None,
                log=say,
            )
            card.update(report)
            card["train_seconds"] = round(time.perf_counter() - t0, 2)
            save_neural(hf_model, tokenizer, tmp)
            model = NeuralModel(
                hf_model, tokenizer, card, batch_size=config.eval_batch_size, threads=config.threads
            )
        write_card(tmp, card)
    card["path"] = str(out)
    if card.get("dev_f1") is not None:
        say(f"dev F1 {card['dev_f1']:.4f}")
    say(f"saved {card['kind']} model to {out} ({card['train_seconds']:.1f} s)")
    return model


def train_files(
    train_path: str | Path,
    out_dir: str | Path,
    config: TrainConfig | None = None,
    dev_path: str | Path | None = None,
    train_format: str | None = None,
    log: Callable[[str], None] | None = None,
) -> NerModel:
    """:func:`train_model` on files (any format ``projner.io`` reads); the card records their fingerprints."""
    train = read_sentences(train_path, train_format, require_tags=True)
    dev = read_sentences(dev_path, train_format, require_tags=True) if dev_path else None
    return train_model(
        train,
        out_dir,
        config,
        dev=dev,
        train_source=describe_file(train_path, len(train)),
        dev_source=describe_file(dev_path, len(dev)) if dev_path and dev else None,
        log=log,
    )


def _f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> float:
    from seqeval.metrics import f1_score

    return float(f1_score([list(g) for g in gold], [list(p) for p in pred], zero_division=0))


def evaluate_model(
    model: NerModel, sentences: Sequence[Sentence], types: Sequence[str] | None = None
) -> dict[str, Any]:
    """seqeval P/R/F1 (micro, per type) of ``model`` on gold ``sentences`` — the model-transfer measurement.

    Gold types outside ``types`` (default: the model's types) become ``O``, so e.g. MasakhaNER's ``DATE`` is ignored
    for a PER/ORG/LOC model, as in method.md §3.11.
    """
    from seqeval.metrics import classification_report

    from projner.ner.data import normalise_tags

    keep = list(types) if types is not None else model.types
    gold = [normalise_tags(s.tags or ["O"] * len(s.tokens), keep) for s in sentences]
    pred = [normalise_tags(t, keep) for t in model.predict_tags([s.tokens for s in sentences])]
    rep = classification_report(gold, pred, output_dict=True, zero_division=0)
    out: dict[str, Any] = {"sentences": len(sentences)}
    for key, val in rep.items():
        name = "overall" if key == "micro avg" else key
        if name in ("macro avg", "weighted avg"):
            continue
        out[name] = {
            "precision": round(float(val["precision"]), 4),
            "recall": round(float(val["recall"]), 4),
            "f1": round(float(val["f1-score"]), 4),
            "support": int(val["support"]),
        }
    return out
