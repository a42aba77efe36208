"""CRF baseline: features, training, prediction, save/load through the model card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from projner.core.types import Sentence
from projner.ner import CARD_NAME, NerModel, TrainConfig, evaluate_model, train_model
from projner.ner.crf import sentence_features, word_shape
from projner.ner.tiny import synthetic_sentences


def _sents(n: int, seed: int) -> list[Sentence]:
    return [Sentence(t, g) for t, g in synthetic_sentences(n, seed)]


def test_word_shape() -> None:
    assert word_shape("Obama") == "Xx"
    assert word_shape("U.S.") == "X.X."
    assert word_shape("1990s") == "dx"
    assert word_shape("") == ""


def test_features_have_neighbours_and_boundaries() -> None:
    feats = sentence_features(["Angela", "Merkel", "spoke"])
    assert feats[0]["BOS"] is True and "EOS" not in feats[0]
    assert feats[2]["EOS"] is True
    assert feats[1]["w"] == "merkel" and feats[1]["-1:w"] == "angela" and feats[1]["+1:w"] == "spoke"
    assert feats[0]["+2:w"] == "spoke"
    assert feats[0]["p2"] == "an" and feats[0]["s3"] == "ela" and feats[0]["title"] is True


@pytest.fixture(scope="module")
def crf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crf") / "model"
    train_model(_sents(300, 1), out, TrainConfig(model="crf", max_steps=50), dev=_sents(40, 2))
    return out


def test_crf_learns_and_round_trips(crf_dir: Path) -> None:
    card = json.loads((crf_dir / CARD_NAME).read_text())
    assert card["kind"] == "crf"
    assert sorted(card["types"]) == ["LOC", "ORG", "PER"]
    assert card["dev_f1"] > 0.9
    assert card["iterations"] == 50
    model = NerModel.load(crf_dir)
    spans = model.predict([["Marie", "Curie", "visited", "Kampala", "with", "Airbus", "."], []])
    assert [(s.start, s.end, s.label) for s in spans[0]] == [(0, 2, "PER"), (3, 4, "LOC"), (5, 6, "ORG")]
    assert spans[1] == []
    assert all(0.0 < (s.score or 0) <= 1.0 for s in spans[0])
    assert model.predict_tags([["Marie", "Curie"]]) == [["B-PER", "I-PER"]]
    sent = Sentence(["Airbus", "opened", "an", "office", "in", "Paris", "."])
    assert [(s.start, s.end, s.label) for s in model.tag([sent])[0]] == [(0, 1, "ORG"), (5, 6, "LOC")]


def test_crf_labels_option_maps_other_types_to_o(tmp_path: Path) -> None:
    train = [Sentence(t, g) for t, g in synthetic_sentences(200, 3)]
    model = train_model(train, tmp_path / "m", TrainConfig(model="crf", labels=["PER", "LOC"], max_steps=30))
    assert model.types == ["PER", "LOC"]
    preds = model.predict([t for t, _ in synthetic_sentences(50, 4)])
    assert {s.label for row in preds for s in row} <= {"PER", "LOC"}


def test_evaluate_model_ignores_types_outside_model(crf_dir: Path) -> None:
    model = NerModel.load(crf_dir)
    gold = [
        Sentence(
            ["Marie", "Curie", "visited", "Kampala", "with", "Airbus", "."],
            ["B-PER", "I-PER", "O", "B-LOC", "B-DATE", "B-ORG", "O"],
        )
    ]
    rep = evaluate_model(model, gold)
    assert rep["overall"]["f1"] == 1.0
    assert "DATE" not in rep


def test_no_entities_is_an_error(tmp_path: Path) -> None:
    from projner.core.types import ProjnerError

    with pytest.raises(ProjnerError, match="no entities"):
        train_model([Sentence(["a", "b"], ["O", "O"])], tmp_path / "m", TrainConfig(model="crf"))
    assert not (tmp_path / "m").exists()


def test_is_a_tagger(crf_dir: Path) -> None:
    from projner.tag.base import Tagger

    model = NerModel.load(crf_dir)
    assert isinstance(model, Tagger)
    words = ["Airbus", "opened", "an", "office", "in", "Paris", "."]
    assert model.tag([Sentence(words)]) == model.tag([words]) == model.predict([words])
    assert model.params()["kind"] == "crf" and model.params()["path"] == str(crf_dir)
