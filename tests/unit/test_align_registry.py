"""Registry, result cache, the exact-match baseline and eflomal on a toy corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.align import ALIGNERS, CachedAligner, get_aligner
from projner.align.base import Aligner, chunked
from projner.align.testing import TOY_PARALLEL
from projner.core.types import Alignment, InputError
from projner.utils.cache import StageCache

TOY = TOY_PARALLEL


def test_registry_names_build_aligners() -> None:
    for name in ("e5-itermax", "e5-inter", "e5-argmax", "e5-match", "e5-softmax", "eflomal", "eflomal-gdfa"):
        assert name in ALIGNERS
    al = get_aligner("e5-match", cache=False)
    assert isinstance(al, Aligner)
    assert al.params  # callable without loading the model
    assert al.method == "mwmf" and al.layer == 8 and al.name == "e5-match"  # type: ignore[attr-defined]
    assert get_aligner("e5-itermax", layer=6, cache=False).layer == 6  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="unknown aligner"):
        get_aligner("giza")


def test_bad_aligner_parameters_are_configuration_errors() -> None:
    """The CLI prints ConfigError without a traceback; a fill's member error names the aligner asked for."""
    from projner.core.types import ConfigError

    with pytest.raises(ConfigError, match="unknown aligner 'giza'"):
        get_aligner("giza")
    with pytest.raises(ConfigError, match="bad parameters for aligner 'e5-inter'.*'bogus'"):
        get_aligner("e5-inter", bogus=1, cache=False)
    with pytest.raises(ConfigError, match="aligner 'e5-inter-thot': .*'bogus'"):
        get_aligner("e5-inter-thot", bogus=1, cache=False)


def test_docs_list_every_aligner_name() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "aligners.md"
    if not docs.exists():
        pytest.skip(f"docs not found: {docs}")
    text = docs.read_text(encoding="utf-8")
    missing = [n for n in ALIGNERS if f"`{n}`" not in text]
    assert not missing, f"aligner names missing from docs/aligners.md: {missing}"


def test_exact_match() -> None:
    al = get_aligner("exact-match", cache=False)
    (a, b) = al.align([(["Berlin", "is", "big"], ["berlin", "ist", "groß", "Berlin"]), ([], ["x"])])
    assert a.as_set() == {(0, 0), (0, 3)}
    assert len(b) == 0


class Counting:
    name = "counting"
    streaming = True

    def __init__(self) -> None:
        self.calls = 0

    def params(self) -> dict[str, int]:
        return {"v": 1}

    def align(self, pairs, batch_size=256):  # type: ignore[no-untyped-def]
        for s, t in pairs:
            self.calls += 1
            yield Alignment([(0, 0)] if s and t else [])


def test_cache_reuses_results_per_chunk(tmp_path: Path) -> None:
    inner = Counting()
    cached = CachedAligner(inner, StageCache("align", root=tmp_path))
    first = list(cached.align(TOY, batch_size=6))
    assert inner.calls == len(TOY) and cached.misses == 4
    again = list(cached.align(TOY, batch_size=6))
    assert again == first and inner.calls == len(TOY) and cached.hits == 4
    list(cached.align(TOY[:3] + [(["new"], ["neu"])], batch_size=6))
    assert inner.calls == len(TOY) + 4  # different input -> new key


def test_chunked_is_lazy() -> None:
    def gen():  # type: ignore[no-untyped-def]
        yield from range(5)
        raise AssertionError("consumed too far")

    it = chunked(gen(), 2)
    assert next(it) == [0, 1]
    with pytest.raises(ValueError):
        list(chunked([1], 0))


def test_eflomal_aligns_toy_corpus_with_extra_data(tmp_path: Path) -> None:
    pytest.importorskip("eflomal")
    src, tgt = tmp_path / "x.src", tmp_path / "x.tgt"
    src.write_text("the house\nthe book is small\n", encoding="utf-8")
    tgt.write_text("das haus\ndas buch ist klein\n", encoding="utf-8")
    al = get_aligner("eflomal", cache=False, extra_files=[(src, tgt)])
    al.fit([(["a", "house"], ["ein", "haus"])])  # type: ignore[attr-defined]
    pairs = TOY + [(["house", "small", "the"], ["das", "haus"]), ([], ["leer"])]
    out = list(al.align(pairs))
    assert len(out) == len(pairs)
    for (s, t), a in zip(pairs, out, strict=True):
        a.check_bounds(len(s), len(t))  # links are (source, target)
    assert (0, 0) in out[0] and (1, 1) in out[0]
    assert len(out[-1]) == 0
    assert al.params()["extra_files"] and al.params()["extra_pairs"]  # type: ignore[attr-defined]


def test_eflomal_rejects_mismatched_extra_files(tmp_path: Path) -> None:
    pytest.importorskip("eflomal")
    src, tgt = tmp_path / "a.txt", tmp_path / "b.txt"
    src.write_text("a\nb\n", encoding="utf-8")
    tgt.write_text("a\n", encoding="utf-8")
    with pytest.raises(InputError, match="2 sentences"):
        get_aligner("eflomal", extra_files=[(src, tgt)])
