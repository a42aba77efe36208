"""Extraction methods pinned on hand-built similarity matrices, and checked against SimAlign's own code."""

from __future__ import annotations

import numpy as np
import pytest

from projner.align.extraction import (
    apply_distortion,
    canonical_method,
    forward,
    intersection,
    itermax,
    max_weight_match,
    reverse,
    similarity,
    softmax_threshold,
    to_word_pairs,
)

SIM = np.array(
    [
        [0.9, 0.8, 0.1],
        [0.85, 0.2, 0.3],
        [0.1, 0.2, 0.7],
    ]
)


def links(m: np.ndarray) -> set[tuple[int, int]]:
    return {(int(i), int(j)) for i, j in np.argwhere(m)}


def test_forward_reverse_intersection() -> None:
    assert links(forward(SIM)) == {(0, 0), (1, 0), (2, 2)}
    assert links(reverse(SIM)) == {(0, 0), (0, 1), (2, 2)}
    assert links(intersection(SIM)) == {(0, 0), (2, 2)}


def test_itermax_second_round_adds_mutual_argmax_of_downweighted_matrix() -> None:
    # round 2: row 1 and column 1 are free; cell (0,1) is weighted 0.9*0.8=0.72 and (1,0) 0.9*0.85=0.765;
    # they are mutual argmaxes of the masked matrix, (1,1)=0.2 is not.
    assert links(itermax(SIM)) == {(0, 0), (2, 2), (0, 1), (1, 0)}


def test_itermax_returns_intersection_for_two_token_sides() -> None:
    sim = np.array([[0.9, 0.8, 0.7], [0.85, 0.1, 0.2]])
    assert links(itermax(sim)) == links(intersection(sim)) == {(0, 0)}


def test_itermax_stops_when_every_row_is_aligned() -> None:
    sim = np.array([[0.9, 0.1, 0.1, 0.5], [0.1, 0.9, 0.1, 0.5], [0.1, 0.1, 0.9, 0.5]])
    assert links(itermax(sim)) == {(0, 0), (1, 1), (2, 2)}


def test_max_weight_match_is_the_best_assignment() -> None:
    assert links(max_weight_match(SIM)) == {(0, 1), (1, 0), (2, 2)}
    rect = np.array([[0.5, 0.9, 0.4, 0.1], [0.6, 0.8, 0.2, 0.3]])
    assert links(max_weight_match(rect)) == {(0, 1), (1, 0)}


def test_softmax_threshold_both_directions() -> None:
    scores = np.array([[10.0, 0.0], [0.0, 10.0]])
    assert links(softmax_threshold(scores)) == {(0, 0), (1, 1)}
    # row 0 splits its mass between columns 0 and 1; column 1 is shared by rows 0 and 1
    scores = np.array([[5.0, 5.0, -5.0], [-5.0, 5.0, -5.0], [-5.0, -5.0, 5.0]])
    assert links(softmax_threshold(scores)) == {(0, 0), (0, 1), (1, 1), (2, 2)}
    # a higher threshold drops the weaker links
    assert links(softmax_threshold(np.array([[2.0, 0.0], [0.0, 2.0]]), threshold=0.5)) == {(0, 0), (1, 1)}
    assert softmax_threshold(np.zeros((0, 3))).shape == (0, 3)


def test_similarity_is_shifted_cosine_and_keeps_float32() -> None:
    x = np.array([[1.0, 0.0], [0.0, 2.0]], dtype=np.float32)
    y = np.array([[3.0, 0.0], [-1.0, 0.0]], dtype=np.float32)
    sim = similarity(x, y)
    assert sim.dtype == np.float32
    np.testing.assert_allclose(sim, [[1.0, 0.0], [0.5, 0.5]], atol=1e-7)


def test_distortion_downweights_off_diagonal() -> None:
    sim = np.ones((3, 3))
    d = apply_distortion(sim, 0.5)
    np.testing.assert_allclose(np.diag(d), 1.0)
    assert d[0, 2] == pytest.approx(0.5)
    assert apply_distortion(sim, 0.0) is sim


def test_subword_links_map_to_words_if_any_subword_pair_links() -> None:
    m = np.zeros((3, 2), dtype=bool)
    m[0, 0] = m[1, 0] = m[2, 1] = True  # source words: sub-words 0,1 -> word 0; 2 -> word 1
    pairs = to_word_pairs(m, np.array([0, 0, 1]), np.array([0, 1]))
    assert pairs.tolist() == [[0, 0], [1, 1]]


def test_method_aliases() -> None:
    assert canonical_method("argmax") == "inter"
    assert canonical_method("match") == "mwmf"
    with pytest.raises(ValueError, match="unknown extraction method"):
        canonical_method("nope")


def test_same_as_simalign_on_random_matrices() -> None:
    """Our ports agree with SimAlign 0.4's own static methods, ties included (integer-valued matrices)."""
    sa = pytest.importorskip("simalign.simalign")
    aligner = sa.SentenceAligner
    rng = np.random.default_rng(0)
    for trial in range(300):
        m, n = rng.integers(1, 9, size=2)
        if trial % 2:
            sim = rng.integers(0, 4, size=(m, n)).astype(np.float32) / 4 + 0.01  # many ties
        else:
            sim = rng.random((m, n)).astype(np.float32)
        assert links(itermax(sim)) == links(aligner.iter_max(sim)), (trial, sim)
        fwd, rev = aligner.get_alignment_matrix(sim)
        assert links(intersection(sim)) == links(fwd * rev)
        np.testing.assert_allclose(apply_distortion(sim, 0.5), aligner.apply_distortion(sim, 0.5), rtol=1e-6)
        if trial % 2 == 0:  # unique optimum with continuous weights
            assert links(max_weight_match(sim)) == links(aligner.get_max_weight_match(sim))
