"""The embedding aligner on a tiny random BERT built in the test (no downloads)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from projner.align.embedding import EmbeddingAligner
from projner.align.testing import tiny_encoder

PAIRS = [
    (["Obama", "visited", "Berlin", "."], ["Obama", "besuchte", "Berlin", "."]),
    (
        ["the", "president", "met", "Angela", "Merkel", "in", "Paris"],
        ["der", "präsident", "traf", "Angela", "Merkel", "in", "Paris"],
    ),
    (["the", "small", "house"], ["das", "kleine", "Haus"]),
    (["a"], ["das", "buch", "ist", "klein", "und", "alt"]),
    (["European", "Parliament", "said", "the", "union", "is", "new"], ["das", "Parlament", "sagte"]),
]


@pytest.fixture(scope="module")
def encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_encoder(tmp_path_factory.mktemp("enc") / "tiny", layers=3, max_positions=24)


def test_alignments_are_in_bounds_and_deterministic(encoder: Path) -> None:
    al = EmbeddingAligner(model=str(encoder), layer=2, method="itermax")
    first = list(al.align(PAIRS))
    assert len(first) == len(PAIRS)
    for (s, t), a in zip(PAIRS, first, strict=True):
        a.check_bounds(len(s), len(t))
        assert len(a) > 0
    assert list(al.align(PAIRS, batch_size=1)) == first  # chunking does not change results


def test_cut_layers_equals_full_hidden_states(encoder: Path) -> None:
    for method in ("itermax", "inter", "mwmf", "softmax", "fwd", "rev"):
        cut = EmbeddingAligner(model=str(encoder), layer=2, method=method)
        full = EmbeddingAligner(model=str(encoder), layer=2, method=method, cut_layers=False)
        assert list(cut.align(PAIRS)) == list(full.align(PAIRS)), method
        assert cut._use_last_hidden and not full._use_last_hidden


def test_matches_simalign_package(encoder: Path) -> None:
    simalign = pytest.importorskip("simalign")
    logging.getLogger("simalign").setLevel(logging.WARNING)
    ref = simalign.SentenceAligner(model=str(encoder), token_type="bpe", matching_methods="mai", layer=2)
    ours = EmbeddingAligner(model=str(encoder), layer=2)
    got = list(ours.align_methods(PAIRS, ["itermax", "inter", "mwmf"]))
    for (s, t), res in zip(PAIRS, got, strict=True):
        expected = ref.get_word_aligns(s, t)
        for method in ("itermax", "inter", "mwmf"):
            assert res[method].as_set() == {tuple(p) for p in expected[method]}, (method, s, t)
    ref_w = simalign.SentenceAligner(model=str(encoder), token_type="word", matching_methods="a", layer=2)
    ours_w = EmbeddingAligner(model=str(encoder), layer=2, method="inter", token_type="word")
    for (s, t), a in zip(PAIRS, ours_w.align(PAIRS), strict=True):
        assert a.as_set() == {tuple(p) for p in ref_w.get_word_aligns(s, t)["inter"]}


def test_empty_sentences_give_empty_alignments(encoder: Path) -> None:
    al = EmbeddingAligner(model=str(encoder), layer=1, method="inter")
    out = list(al.align([([], ["Berlin"]), (["Berlin"], []), ([], []), (["Berlin"], ["Berlin"])]))
    assert [len(a) for a in out] == [0, 0, 0, 1]
    assert al.stats["empty_pairs"] == 3


def test_long_sentences_are_truncated_and_counted(encoder: Path, caplog: pytest.LogCaptureFixture) -> None:
    al = EmbeddingAligner(model=str(encoder), layer=1, method="inter")
    long_src = ["berlin"] * 40  # 40 sub-words > 24 positions - 2 specials
    with caplog.at_level(logging.WARNING):
        (a,) = list(al.align([(long_src, ["berlin", "paris"])]))
    assert al.stats["truncated_sentences"] == 1
    assert "truncated" in caplog.text
    assert a.pairs[:, 0].max() < 22  # words past the limit stay unaligned


def test_word_level_averages_subwords(encoder: Path) -> None:
    al = EmbeddingAligner(model=str(encoder), layer=2, method="inter", token_type="word")
    vecs = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 5.0]], dtype=np.float32)
    means, words = al._word_vectors(vecs, np.array([0, 0, 2]))
    np.testing.assert_allclose(means, [[2.0, 1.0], [5.0, 5.0]])
    assert words.tolist() == [0, 2]


def test_bad_settings_are_rejected(encoder: Path) -> None:
    with pytest.raises(ValueError, match="token_type"):
        EmbeddingAligner(model=str(encoder), token_type="char")
    al = EmbeddingAligner(model=str(encoder), layer=9)
    with pytest.raises(ValueError, match="layer 9 out of range"):
        al.load()


def test_params_identify_model_and_settings(encoder: Path) -> None:
    a = EmbeddingAligner(model=str(encoder), layer=2, method="argmax").params()
    b = EmbeddingAligner(model=str(encoder), layer=1, method="inter").params()
    assert a["method"] == "inter" and a["layer"] == 2 and a["model_id"] == b["model_id"]
    assert a != b


def test_grid_matches_single_layer_runs(encoder: Path) -> None:
    grid = list(EmbeddingAligner(model=str(encoder), layer=3).align_grid(PAIRS, [1, 3], ["inter", "softmax"]))
    for layer in (1, 3):
        single = list(EmbeddingAligner(model=str(encoder), layer=layer, method="inter").align(PAIRS))
        assert [g[(layer, "inter")] for g in grid] == single
    with pytest.raises(ValueError, match="must lie in"):
        list(EmbeddingAligner(model=str(encoder), layer=1).align_grid(PAIRS, [2], ["inter"]))
