from __future__ import annotations

from pathlib import Path

from projner.core.types import Sentence
from projner.ner import NerModel
from projner.ner.config import TrainConfig
from projner.ner.train import train_model
from projner.tag import get_tagger


def test_model_prefix_loads_a_trained_crf(tmp_path: Path) -> None:
    train = [
        Sentence(["Ali", "lives", "in", "Kampala"], ["B-PER", "O", "O", "B-LOC"]),
        Sentence(["Sara", "visited", "Gulu"], ["B-PER", "O", "B-LOC"]),
    ] * 5
    train_model(train, tmp_path / "crf", TrainConfig(model="crf"))
    tagger = get_tagger(f"model:{tmp_path / 'crf'}")
    assert isinstance(tagger, NerModel)
    assert len(tagger.tag([["Ali", "lives", "in", "Kampala"]])) == 1
