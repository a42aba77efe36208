"""`projner evaluate` on real files from ../shared/data against seqeval (the reference)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
from typer.testing import CliRunner

from projner import io
from projner.cli.main import app
from projner.utils.paths import data_root

FILES = ["europarl-ner/de-europarl.test.conll02", "uner-pud/en_pud-ud-test.iob2", "masakhaner2/lug/test.txt"]


def _path(rel: str) -> Path:
    root = data_root()
    if root is None or not (root / rel).exists():
        pytest.skip(f"dataset file not found: {rel} under {root or '../shared/data'}")
    return root / rel


def _corrupt(tags: list[list[str]], seed: int = 0) -> list[list[str]]:
    """Swap types, shift boundaries, drop and invent entities — including invalid I- after O."""
    rng = random.Random(seed)
    choices = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "I-MISC"]
    return [[rng.choice(choices) if rng.random() < 0.08 else t for t in s] for s in tags]


@pytest.mark.parametrize("rel", FILES)
def test_evaluate_file_against_itself_is_100(rel: str) -> None:
    path = _path(rel)
    res = CliRunner().invoke(app, ["evaluate", str(path), str(path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["f1"] == 1.0 and out["precision"] == 1.0 and out["recall"] == 1.0


@pytest.mark.parametrize("rel", FILES)
def test_corrupted_copy_gives_exactly_seqevals_numbers(rel: str, tmp_path: Path) -> None:
    path = _path(rel)
    gold = list(io.read(path))
    gold_tags = [s.tags or [] for s in gold]
    pred_tags = _corrupt(gold_tags)
    pred_path = tmp_path / "pred.conll"
    io.write(
        [s.__class__(s.tokens, t) for s, t in zip(gold, pred_tags, strict=True)], pred_path, format="conll"
    )
    res = CliRunner().invoke(app, ["evaluate", str(path), str(pred_path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["precision"] == pytest.approx(precision_score(gold_tags, pred_tags), abs=1e-12)
    assert out["recall"] == pytest.approx(recall_score(gold_tags, pred_tags), abs=1e-12)
    assert out["f1"] == pytest.approx(f1_score(gold_tags, pred_tags), abs=1e-12)
    report = classification_report(gold_tags, pred_tags, output_dict=True)
    for label, scores in out["per_type"].items():
        if scores["support"]:
            assert scores["f1"] == pytest.approx(report[label]["f1-score"], abs=1e-12)


def test_mismatched_files_give_a_clear_error(tmp_path: Path) -> None:
    path = _path(FILES[0])
    gold = list(io.read(path))
    io.write(gold[:-1], tmp_path / "short.conll", format="conll")
    res = CliRunner().invoke(app, ["evaluate", str(path), str(tmp_path / "short.conll")])
    assert res.exit_code != 0
    assert "sentence count mismatch" in str(res.exception)
