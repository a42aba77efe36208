"""Neural token classification on a tiny random BERT built in code (no downloads)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from projner.core.types import ProjnerError, Sentence  # noqa: E402
from projner.ner import CARD_NAME, NerModel, TrainConfig, train_model  # noqa: E402
from projner.ner.neural import _Encoder, _length_batches, resolve_model_path  # noqa: E402
from projner.ner.tiny import build_tiny_encoder, synthetic_sentences, synthetic_vocabulary  # noqa: E402


@pytest.fixture(scope="module")
def encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_encoder(tmp_path_factory.mktemp("enc") / "tiny", synthetic_vocabulary())


def _sents(n: int, seed: int) -> list[Sentence]:
    return [Sentence(t, g) for t, g in synthetic_sentences(n, seed)]


def _cfg(encoder_dir: Path, **kw: object) -> TrainConfig:
    # the tiny encoder's embeddings are random, so it learns only when they are trained too
    base: dict[str, object] = dict(
        model=str(encoder_dir),
        epochs=3,
        lr=5e-3,
        batch_size=8,
        threads=1,
        patience=0,
        freeze_embeddings=False,
    )
    base.update(kw)
    return TrainConfig(**base)  # type: ignore[arg-type]


def _tokenizer(encoder_dir: Path):  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(encoder_dir))


def test_first_subword_labels_and_special_tokens(encoder_dir: Path) -> None:
    enc = _Encoder(_tokenizer(encoder_dir), max_length=64)
    # "Zyx" is not in the vocabulary: several character pieces, only the first is labelled
    chunks = enc.chunks([["Zyx", "Paris"]], labels=[[1, 2]])
    (c,) = chunks
    assert c.input_ids[0] == enc.prefix[0] and c.input_ids[-1] == enc.suffix[-1]
    assert c.first[0] == 1 and c.first[1] == 1 + 3  # z, ##y, ##x then paris
    batch = enc.collate(chunks, with_labels=True)
    labels = batch["labels"][0].tolist()
    assert labels[1] == 1 and labels[4] == 2
    assert labels.count(-100) == len(labels) - 2


def test_long_sentences_are_chunked_not_truncated(encoder_dir: Path) -> None:
    enc = _Encoder(_tokenizer(encoder_dir), max_length=10)
    words = ["Paris"] * 25 + ["Zyxwvut"]
    chunks = enc.chunks([words])
    assert all(len(c.input_ids) <= 10 for c in chunks)
    covered = [c.offset + k for c in chunks for k in range(len(c.first))]
    assert covered == list(range(len(words)))


def test_dropped_word_still_gets_a_position(encoder_dir: Path) -> None:
    enc = _Encoder(_tokenizer(encoder_dir), max_length=32)
    (c,) = enc.chunks([["Paris", "\u200b", "Berlin"]])
    assert len(c.first) == 3


def test_length_batches_are_seeded() -> None:
    import random

    from projner.ner.neural import _Chunk

    chunks = [_Chunk(i, 0, [0] * (i % 7 + 1), [0]) for i in range(40)]
    a = _length_batches(chunks, 4, random.Random(1))
    b = _length_batches(chunks, 4, random.Random(1))
    assert [[c.sent for c in x] for x in a] == [[c.sent for c in x] for x in b]
    for batch in _length_batches(chunks, 4, None):
        assert max(len(c.input_ids) for c in batch) - min(len(c.input_ids) for c in batch) <= 1


def test_train_predict_save_load(encoder_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    model = train_model(_sents(240, 1), out, _cfg(encoder_dir), dev=_sents(40, 2))
    card = json.loads((out / CARD_NAME).read_text())
    assert card["kind"] == "neural" and card["dev_f1"] >= 0.9
    assert len(card["history"]) == 3 and card["best_epoch"] in range(1, 4)
    cfg = json.loads((out / "config.json").read_text())
    assert set(cfg["id2label"].values()) == set(card["labels"]) and cfg["label2id"]["O"] == 0
    test = [t for t, _ in synthetic_sentences(30, 3)]
    loaded = NerModel.load(out)
    assert loaded.predict(test) == model.predict(test)
    spans = loaded.predict([["Marie", "Curie", "visited", "Kampala", "with", "Airbus", "."]])[0]
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 2, "PER"), (3, 4, "LOC"), (5, 6, "ORG")]
    assert all(0 < (s.score or 0) <= 1 for s in spans)
    assert loaded.predict([[]]) == [[]]


def test_same_seed_same_model_other_seed_differs(encoder_dir: Path, tmp_path: Path) -> None:
    data = _sents(60, 5)
    cfg = _cfg(encoder_dir, epochs=1)
    a = train_model(data, tmp_path / "a", cfg)
    b = train_model(data, tmp_path / "b", cfg)
    c = train_model(data, tmp_path / "c", _cfg(encoder_dir, epochs=1, seed=7))
    sa, sb, sc = (m.model.state_dict() for m in (a, b, c))  # type: ignore[attr-defined]
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert not all(torch.equal(sa[k], sc[k]) for k in sa)


def test_max_steps_and_frozen_embeddings(encoder_dir: Path, tmp_path: Path) -> None:
    from transformers import AutoModel

    m = train_model(
        _sents(100, 6), tmp_path / "m", _cfg(encoder_dir, epochs=3, max_steps=5, freeze_embeddings=True)
    )
    assert m.card["steps"] == 5 and m.card["epochs_run"] == 1
    before = AutoModel.from_pretrained(str(encoder_dir)).get_input_embeddings().weight
    after = m.model.get_input_embeddings().weight  # type: ignore[attr-defined]
    assert torch.equal(before, after)


def test_early_stopping_without_dev_gain(encoder_dir: Path, tmp_path: Path) -> None:
    dev = [Sentence(["nothing", "happened", "here", "."], ["O"] * 4)]  # F1 stays 0 whatever the model does
    m = train_model(_sents(40, 7), tmp_path / "m", _cfg(encoder_dir, epochs=10, patience=1), dev=dev)
    assert m.card["epochs_run"] == 2 and m.card["stopped_early"] is True


def test_bad_encoder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ProjnerError, match="cannot load encoder"):
        train_model(_sents(10, 1), tmp_path / "m", TrainConfig(model=str(tmp_path / "empty"), threads=1))
    assert not (tmp_path / "m").exists()
    assert resolve_model_path(str(tmp_path)) == str(tmp_path)
