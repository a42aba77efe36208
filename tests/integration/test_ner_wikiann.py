"""Target NER models on real data slices: WikiANN en (train/test), model transfer to de and MasakhaNER2 lug."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from projner import io
from projner.ner import NerModel, TrainConfig, evaluate_model, train_model
from projner.ner.data import describe_file
from projner.utils.paths import data_root

pytestmark = pytest.mark.integration


def _folder(*parts: str) -> Path:
    root = data_root()
    path = root.joinpath(*parts) if root else Path("../shared/data").joinpath(*parts)
    if not path.exists():
        pytest.skip(f"dataset not found: {path}")
    return path


def _take(path: Path, n: int) -> list:  # type: ignore[type-arg]
    return list(itertools.islice(io.read(path), n))


@pytest.fixture(scope="module")
def en_crf(tmp_path_factory: pytest.TempPathFactory) -> NerModel:
    en = _folder("wikiann-panx", "en")
    train = _take(en / "train", 1500)
    out = tmp_path_factory.mktemp("crf") / "en"
    train_model(
        train,
        out,
        TrainConfig(model="crf", labels=["PER", "ORG", "LOC"], max_steps=60),
        train_source=describe_file(en / "train", len(train)),
    )
    return NerModel.load(out)


def test_crf_on_english_test(en_crf: NerModel) -> None:
    test = _take(_folder("wikiann-panx", "en") / "test", 500)
    rep = evaluate_model(en_crf, test)
    assert rep["overall"]["f1"] > 0.45, rep
    assert en_crf.card["data"]["train"]["licence"]  # the PROVENANCE licence line travels with the model


def test_model_transfer_to_german_keeps_tokens(en_crf: NerModel) -> None:
    de = _take(_folder("wikiann-panx", "de") / "test", 200)
    preds = en_crf.predict([s.tokens for s in de])
    assert len(preds) == len(de)
    assert all(sp.end <= len(s.tokens) for s, row in zip(de, preds, strict=True) for sp in row)
    assert evaluate_model(en_crf, de)["overall"]["f1"] > 0.2


def test_masakhaner_date_is_ignored(en_crf: NerModel) -> None:
    lug = _folder("masakhaner2", "lug", "test.txt")
    sents = _take(lug, 150)
    rep = evaluate_model(en_crf, sents)
    assert "DATE" not in rep and rep["sentences"] == 150


@pytest.mark.slow
def test_e5_small_neural_smoke(tmp_path: Path) -> None:
    """Loads, trains (2 steps), saves (470 MB) and reloads e5-small: ~20 s CPU, much more wall on a busy machine."""
    import os

    if os.environ.get("PROJNER_SLOW_TESTS", "") in ("", "0"):
        pytest.skip("e5-small training smoke test is opt-in: set PROJNER_SLOW_TESTS=1")
    pytest.importorskip("torch")
    from projner.align import encoders

    if not encoders.is_prepared(encoders.e5_dir()):
        pytest.skip(f"e5-small not prepared (run `projner models prepare e5-small`): {encoders.e5_dir()}")
    train = _take(_folder("wikiann-panx", "en") / "train", 16)
    cfg = TrainConfig(model="e5-small", max_steps=2, batch_size=8, labels=["PER", "ORG", "LOC"])
    model = train_model(train, tmp_path / "e5", cfg)
    assert model.card["steps"] == 2 and model.card["kind"] == "neural"
    loaded = NerModel.load(tmp_path / "e5")
    tags = loaded.predict_tags([s.tokens for s in train[:4]])
    assert [len(t) for t in tags] == [len(s.tokens) for s in train[:4]]
