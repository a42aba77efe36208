"""Train-and-test cells of the transfer comparison (issue 7, method.md §2.2): one function for all of them.

* **model transfer** — train on English (WikiANN en, Europarl-NER en) and tag the target language directly;
* **translate-train** — train on projected target-language data (:mod:`projner.pipeline.translate_train`);
* **supervised upper bound** — train on the gold target train split.

They differ only in the training data, so :func:`train_and_test` takes labelled sentences, trains a
:class:`~projner.ner.NerModel` (CRF or neural, :class:`~projner.ner.TrainConfig`) and scores it on one or more
gold test sets with seqeval over a fixed type set (other gold types, e.g. MasakhaNER's DATE, become ``O`` on both
sides — "DATE ignored"). Wall and CPU seconds of training and prediction are measured, because the comparison
is also about cost.

The same cell from the command line::

    projner train --train ../shared/data/wikiann-panx/en/train --model crf --labels PER,ORG,LOC -o en-crf
    projner predict --model en-crf --input masakhaner2:lug:test -o lug.conll --eval
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projner.core.types import Sentence

TYPES = ("PER", "ORG", "LOC")


@dataclass
class CellResult:
    """One trained model, its scores on each test set, and what it cost."""

    model_dir: str
    train_sentences: int
    seed: int
    train_wall: float
    train_cpu: float
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    predict_wall: dict[str, float] = field(default_factory=dict)

    def f1(self, test: str) -> float:
        return float(self.scores[test]["overall"]["f1"])


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def train_and_test(
    train: Sequence[Sentence],
    tests: Mapping[str, Sequence[Sentence]],
    out_dir: str | Path,
    config: Any = None,
    dev: Sequence[Sentence] | None = None,
    types: Sequence[str] = TYPES,
    train_source: dict[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> CellResult:
    """Train on ``train`` (restricted to ``types``), save to ``out_dir``, evaluate on every set in ``tests``.

    ``config`` is a :class:`projner.ner.TrainConfig` (default: the neural e5-small model); its ``labels`` are set
    to ``types`` so every cell learns and is scored on the same classes.
    """
    from projner.ner import NerModel, TrainConfig, evaluate_model, train_model

    cfg: TrainConfig = config if config is not None else TrainConfig()
    cfg.labels = list(types)
    _, tw, tc = _timed(lambda: train_model(train, out_dir, cfg, dev=dev, train_source=train_source, log=log))
    model = NerModel.load(out_dir, threads=cfg.threads)
    result = CellResult(str(out_dir), len(train), cfg.seed, round(tw, 2), round(tc, 2))
    for name, sents in tests.items():
        rep, pw, _ = _timed(lambda s=sents: evaluate_model(model, s, list(types)))  # type: ignore[misc]
        result.scores[name] = rep
        result.predict_wall[name] = round(pw, 2)
    return result


def model_transfer(
    english: Sequence[Sentence],
    targets: Mapping[str, Sequence[Sentence]],
    out_dir: str | Path,
    config: Any = None,
    dev: Sequence[Sentence] | None = None,
    types: Sequence[str] = TYPES,
) -> CellResult:
    """Model-transfer baseline: train on labelled English, apply the model to each target test set unchanged.

    ``dev`` should be English too (zero-shot: no target-language labels are used anywhere).
    """
    return train_and_test(english, targets, out_dir, config, dev=dev, types=types)
