"""Paired bootstrap of two systems' F1 difference: the vectorised resampling against re-scoring the resampled
corpus (the reference), its properties, and ``projner evaluate --compare``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from projner.cli.main import app
from projner.core.types import InputError, Sentence
from projner.evaluate import evaluate_tags, paired_bootstrap, score_sentences
from projner.evaluate.metrics import resampled_prf

GOLD = [
    ["B-PER", "I-PER", "O", "B-LOC"],
    ["O", "B-ORG", "O"],
    ["B-LOC", "O", "B-PER", "O"],
    ["O", "O"],
    ["B-ORG", "I-ORG", "O"],
]
SYS = [
    ["B-PER", "I-PER", "O", "B-LOC"],
    ["O", "B-ORG", "O"],
    ["B-LOC", "O", "O", "O"],
    ["O", "B-PER"],
    ["B-ORG", "I-ORG", "O"],
]
BASE = [
    ["B-PER", "O", "O", "B-LOC"],
    ["O", "B-LOC", "O"],
    ["B-LOC", "O", "B-PER", "O"],
    ["O", "O"],
    ["B-ORG", "O", "O"],
]


def _sents(tags: list[list[str]]) -> list[Sentence]:
    return [Sentence([f"w{i}" for i in range(len(t))], list(t)) for t in tags]


def _scorer(pred: list[list[str]]):  # type: ignore[no-untyped-def]
    return score_sentences(_sents(GOLD), _sents(pred))


def test_resampled_scores_equal_rescoring_the_resampled_corpus() -> None:
    rng = np.random.default_rng(3)
    weights = rng.multinomial(len(GOLD), np.full(len(GOLD), 1 / len(GOLD)), size=20).astype(np.float64)
    got = resampled_prf(_scorer(SYS).counts(), weights)
    for w, row in zip(weights, got, strict=True):
        idx = [i for i, k in enumerate(w) for _ in range(int(k))]
        ref = evaluate_tags([GOLD[i] for i in idx], [SYS[i] for i in idx])
        assert row == pytest.approx([ref.precision, ref.recall, ref.f1])


def test_paired_bootstrap_point_estimate_ci_and_determinism() -> None:
    c = paired_bootstrap(_scorer(SYS), _scorer(BASE), n_resamples=500, seed=1)
    assert c.f1 == pytest.approx(evaluate_tags(GOLD, SYS).f1)
    assert c.base_f1 == pytest.approx(evaluate_tags(GOLD, BASE).f1)
    assert c.delta == pytest.approx(c.f1 - c.base_f1)
    assert c.ci[0] <= c.delta <= c.ci[1]
    assert 0.0 <= c.share_better <= 1.0
    assert c == paired_bootstrap(_scorer(SYS), _scorer(BASE), n_resamples=500, seed=1)
    assert (c.n_resamples, c.n_sentences) == (500, len(GOLD))


def test_identical_systems_differ_by_exactly_zero() -> None:
    c = paired_bootstrap(_scorer(SYS), _scorer(SYS), n_resamples=200)
    assert c.delta == 0.0 and c.ci == (0.0, 0.0) and c.share_better == 0.0


def test_a_system_better_on_every_sentence_has_a_ci_above_zero() -> None:
    c = paired_bootstrap(_scorer(GOLD), _scorer(BASE), n_resamples=300)
    # only a resample made of sentence 4 alone (no entity on any side: both F1 = 0) is a tie
    assert c.ci[0] > 0 and 0.99 <= c.share_better < 1.0


def test_different_sentence_counts_are_an_error() -> None:
    other = score_sentences(_sents(GOLD[:3]), _sents(SYS[:3]))
    with pytest.raises(InputError, match="same sentences"):
        paired_bootstrap(_scorer(SYS), other)


def _write(path: Path, tags: list[list[str]]) -> str:
    path.write_text(
        "\n\n".join("\n".join(f"w{i}\t{t}" for i, t in enumerate(sent)) for sent in tags) + "\n",
        encoding="utf-8",
    )
    return str(path)


def test_cli_compare(tmp_path: Path) -> None:
    gold, pred, base = (_write(tmp_path / f"{n}.conll", t) for n, t in (("g", GOLD), ("p", SYS), ("b", BASE)))
    res = CliRunner().invoke(app, ["evaluate", gold, pred, "--compare", base, "--bootstrap", "200", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    ref = paired_bootstrap(_scorer(SYS), _scorer(BASE), n_resamples=200)
    assert data["compare"]["delta"] == pytest.approx(ref.delta)
    assert data["compare"]["ci"] == pytest.approx(list(ref.ci))
    text = CliRunner().invoke(app, ["evaluate", gold, pred, "--compare", base])
    assert text.exit_code == 0 and "paired bootstrap, 1000 resamples of 5 sentences" in text.output
    short = _write(tmp_path / "short.conll", BASE[:4])
    bad = CliRunner().invoke(app, ["evaluate", gold, pred, "--compare", short])
    assert bad.exit_code != 0 and "short.conll ends after 4 sentences" in str(bad.exception)


def test_cli_token_text_mismatch_warns_or_fails(tmp_path: Path) -> None:
    gold = _write(tmp_path / "g.conll", GOLD)
    pred = tmp_path / "p.conll"
    pred.write_text(Path(_write(tmp_path / "p0.conll", SYS)).read_text().replace("w1\t", "x1\t", 1))
    res = CliRunner().invoke(app, ["evaluate", gold, str(pred), "-o", str(tmp_path / "r.json")])
    assert res.exit_code == 0
    assert "1 sentence(s) of" in res.output and "token 2: 'w1' vs 'x1'" in res.output
    assert json.loads((tmp_path / "r.json").read_text())["token_mismatches"] == 1
    strict = CliRunner().invoke(app, ["evaluate", gold, str(pred), "--strict-tokens"])
    assert strict.exit_code != 0 and "token mismatch at sentence 1" in str(strict.exception)
    same = CliRunner().invoke(app, ["evaluate", gold, gold])
    assert same.exit_code == 0 and "warning" not in same.output


def test_cli_strict_mode(tmp_path: Path) -> None:
    gold = tmp_path / "g.conll"
    gold.write_text("Angela\tB-PER\nMerkel\tI-PER\nin\tO\nParis\tB-LOC\n\n", encoding="utf-8")
    pred = tmp_path / "p.conll"
    pred.write_text("Angela\tI-PER\nMerkel\tI-PER\nin\tO\nParis\tB-LOC\n\n", encoding="utf-8")
    lenient = json.loads(CliRunner().invoke(app, ["evaluate", str(gold), str(pred), "--json"]).output)
    strict = json.loads(
        CliRunner().invoke(app, ["evaluate", str(gold), str(pred), "--json", "--mode", "strict"]).output
    )
    assert lenient["f1"] == pytest.approx(1.0) and lenient["mode"] == "default"
    assert strict["f1"] == pytest.approx(2 / 3) and strict["mode"] == "strict"
    text = CliRunner().invoke(app, ["evaluate", str(gold), str(pred), "--mode", "strict"])
    assert text.exit_code == 0 and "seqeval strict mode" in text.output
    bad = CliRunner().invoke(app, ["evaluate", str(gold), str(pred), "--mode", "loose"])
    assert bad.exit_code != 0 and "--mode must be one of default, strict" in str(bad.exception)
