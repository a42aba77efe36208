"""The seeded statistical aligners of SIL Thot (eflomal, FastAlign) on a toy corpus built here."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.align import get_aligner
from projner.align.testing import TOY_PARALLEL
from projner.core.types import InputError

pytest.importorskip("thot.alignment")

TOY = TOY_PARALLEL


def links(al: object, pairs: list[tuple[list[str], list[str]]]) -> list[set[tuple[int, int]]]:
    return [set(a) for a in al.align(pairs)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["thot-eflomal", "thot-eflomal-inter", "thot-fastalign"])
def test_thot_aligns_toy_corpus(name: str) -> None:
    pairs = [*TOY, (["house", "small", "the"], ["das", "haus"]), ([], ["leer"]), (["the house"], ["das"])]
    al = get_aligner(name, cache=False)
    out = list(al.align(pairs))
    assert len(out) == len(pairs)
    for (s, t), a in zip(pairs, out, strict=True):
        a.check_bounds(len(s), len(t))  # links are (source, target), also for the reverse direction
    assert (1, 1) in out[0]  # house–haus
    assert len(out[-2]) == 0  # an empty side: no links, no error
    assert not al.streaming


def test_same_seed_same_links_and_seed_is_in_the_cache_key() -> None:
    pairs = TOY[:5] * 3
    first = links(get_aligner("thot-eflomal", cache=False), pairs)
    assert links(get_aligner("thot-eflomal", cache=False), pairs) == first
    a, b = get_aligner("thot-eflomal", cache=False, seed=1), get_aligner("thot-eflomal", cache=False, seed=2)
    assert a.params() != b.params()


def test_extra_training_data_files_and_pairs(tmp_path: Path) -> None:
    src, tgt = tmp_path / "x.src", tmp_path / "x.tgt"
    src.write_text("the house\nthe book is small\n", encoding="utf-8")
    tgt.write_text("das haus\ndas buch ist klein\n", encoding="utf-8")
    al = get_aligner("thot-eflomal-inter", cache=False, extra_files=[(src, tgt)])
    al.fit(TOY)  # type: ignore[attr-defined]
    out = links(al, [(["a", "book"], ["ein", "buch"])])
    assert (1, 1) in out[0]  # book ↔ buch, learnt from the extra data: the pair to align is a single one
    params = al.params()
    assert params["extra_files"] and params["extra_pairs"] and params["seed"] == 1


def test_bad_settings_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown Thot model"):
        get_aligner("thot-eflomal", cache=False, model="giza")
    with pytest.raises(InputError, match="3 iteration count"):
        get_aligner("thot-eflomal", cache=False, iterations=4)
    one, two = tmp_path / "a.txt", tmp_path / "b.txt"
    one.write_text("a\nb\n", encoding="utf-8")
    two.write_text("a\n", encoding="utf-8")
    with pytest.raises(InputError, match="2 sentences"):
        get_aligner("thot-fastalign", cache=False, extra_files=[(one, two)])


def test_explicit_iterations() -> None:
    al = get_aligner("thot-eflomal", cache=False, iterations=[2, 2, 2])
    assert (1, 1) in links(al, TOY)[0]
    assert len(links(get_aligner("thot-fastalign", cache=False, iterations=1), TOY)) == len(TOY)


def test_registry_fill_with_thot() -> None:
    al = get_aligner("e5-inter-thot", cache=False)
    params = al.params()
    assert params["secondary"][0] == "thot-eflomal-inter" and params["fill_target"] == "capitalised"
    assert not al.streaming
