"""train_and_test / model_transfer on a toy corpus with the CRF (seconds, no encoder)."""

from __future__ import annotations

from pathlib import Path

from projner.core.types import Sentence
from projner.ner import TrainConfig
from projner.ner.tiny import synthetic_sentences
from projner.pipeline.transfer import model_transfer, train_and_test


def _sents(n: int, seed: int) -> list[Sentence]:
    return [Sentence(t, g) for t, g in synthetic_sentences(n, seed)]


def test_model_transfer_scores_every_target_and_ignores_other_types(tmp_path: Path) -> None:
    test = _sents(30, 2)
    # a gold type outside the scored set (like MasakhaNER's DATE) must not count as a miss
    dated = [Sentence([*s.tokens, "1999"], [*(s.tags or []), "B-DATE"]) for s in test]
    res = model_transfer(
        _sents(200, 1), {"toy": test, "toy-dated": dated}, tmp_path / "m", TrainConfig(model="crf")
    )
    assert res.train_sentences == 200 and res.train_wall > 0
    assert res.f1("toy") > 0.9
    assert res.f1("toy-dated") == res.f1("toy")
    assert "DATE" not in res.scores["toy-dated"]
    assert set(res.predict_wall) == {"toy", "toy-dated"}


def test_train_and_test_restricts_types(tmp_path: Path) -> None:
    res = train_and_test(
        _sents(200, 1), {"t": _sents(30, 2)}, tmp_path / "m", TrainConfig(model="crf"), types=["PER"]
    )
    assert set(res.scores["t"]) == {"sentences", "PER", "overall"}
