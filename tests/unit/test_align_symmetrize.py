"""Symmetrisation heuristics on hand examples (Koehn's grow-diag-final(-and) pseudo-code)."""

from __future__ import annotations

import pytest

from projner.align.symmetrize import symmetrize


def sym(
    fwd: list[tuple[int, int]], rev: list[tuple[int, int]], n: int, m: int, method: str
) -> set[tuple[int, int]]:
    return symmetrize(fwd, rev, n, m, method).as_set()


def test_intersection_and_union() -> None:
    fwd = [(0, 0), (1, 1), (2, 1)]
    rev = [(0, 0), (1, 1), (1, 2)]
    assert sym(fwd, rev, 3, 3, "intersection") == {(0, 0), (1, 1)}
    assert sym(fwd, rev, 3, 3, "union") == {(0, 0), (1, 1), (2, 1), (1, 2)}
    assert sym(fwd, rev, 3, 3, "fwd") == set(fwd)
    assert sym(fwd, rev, 3, 3, "rev") == set(rev)


def test_grow_diag_adds_neighbouring_union_points_covering_a_new_word() -> None:
    fwd = [(0, 0), (1, 1), (2, 1)]
    rev = [(0, 0), (1, 1), (1, 2)]
    # (2,1) neighbours (1,1) and covers source word 2; (1,2) neighbours (1,1) and covers target word 2
    assert sym(fwd, rev, 3, 3, "grow-diag") == {(0, 0), (1, 1), (2, 1), (1, 2)}


def test_grow_diag_uses_diagonal_neighbours() -> None:
    assert sym([(0, 0), (1, 1)], [(0, 0)], 2, 2, "grow-diag") == {(0, 0), (1, 1)}


def test_grow_diag_skips_points_whose_both_words_are_aligned() -> None:
    fwd = [(0, 0), (1, 1), (0, 1)]
    rev = [(0, 0), (1, 1)]
    assert sym(fwd, rev, 2, 2, "grow-diag") == {(0, 0), (1, 1)}
    assert sym(fwd, rev, 2, 2, "grow-diag-final") == {(0, 0), (1, 1)}
    assert sym(fwd, rev, 2, 2, "union") == {(0, 0), (1, 1), (0, 1)}


def test_final_versus_final_and() -> None:
    fwd = [(0, 0), (1, 1), (3, 3)]
    rev = [(0, 0), (1, 1), (3, 2)]
    assert sym(fwd, rev, 4, 4, "grow-diag") == {(0, 0), (1, 1)}
    # final: (3,3) from fwd covers new words; then (3,2) from rev covers the still unaligned target word 2
    assert sym(fwd, rev, 4, 4, "grow-diag-final") == {(0, 0), (1, 1), (3, 3), (3, 2)}
    # final-and: (3,2) is rejected because source word 3 is already aligned
    assert sym(fwd, rev, 4, 4, "gdfa") == {(0, 0), (1, 1), (3, 3)}


def test_grow_diag_expands_points_added_in_the_same_scan() -> None:
    # a diagonal chain only reachable step by step from (0,0)
    fwd = [(0, 0), (1, 1), (2, 2), (3, 3)]
    rev = [(0, 0)]
    assert sym(fwd, rev, 4, 4, "grow-diag") == set(fwd)
    assert sym(fwd, rev, 4, 4, "intersection") == {(0, 0)}


def test_bounds_and_names_are_checked() -> None:
    with pytest.raises(ValueError, match="out of bounds"):
        symmetrize([(5, 0)], [], 2, 2)
    with pytest.raises(ValueError, match="unknown symmetrisation"):
        symmetrize([], [], 1, 1, "grow")
    assert symmetrize([], [], 0, 0).as_set() == set()
