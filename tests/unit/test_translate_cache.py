"""The chunked translation cache: same results, and a crash mid-run recomputes only the missing chunks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from projner.translate import CachedTranslator, Translator


class Upper(Translator):
    """Counts calls; optionally fails after ``fail_after`` calls (a crash mid-run)."""

    name = "upper"

    def __init__(self, fail_after: int | None = None, suffix: str = "") -> None:
        self.calls: list[list[str]] = []
        self.fail_after = fail_after
        self.suffix = suffix

    def params(self) -> dict[str, object]:
        return {"suffix": self.suffix}

    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise RuntimeError("translator crashed")
        self.calls.append(list(texts))
        return [t.upper() + self.suffix for t in texts]


TEXTS = [f"sentence {i}" for i in range(10)] + ["sentence 3", ""]


def test_results_match_and_duplicates_are_translated_once(tmp_path: Path) -> None:
    inner = Upper()
    cached = CachedTranslator(inner, chunk_size=4, root=tmp_path, progress=False)
    out = cached.translate(TEXTS, "lug", "en")
    assert out == [t.upper() for t in TEXTS]
    assert sum(len(c) for c in inner.calls) == 10  # 10 unique non-empty texts
    assert len(inner.calls) == 3


def test_second_run_is_fully_cached(tmp_path: Path) -> None:
    CachedTranslator(Upper(), chunk_size=4, root=tmp_path, progress=False).translate(TEXTS, "lug", "en")
    again = Upper()
    out = CachedTranslator(again, chunk_size=4, root=tmp_path, progress=False).translate(TEXTS, "lug", "en")
    assert out == [t.upper() for t in TEXTS] and again.calls == []


def test_crash_then_resume_recomputes_only_missing_chunks(tmp_path: Path) -> None:
    crashing = Upper(fail_after=2)
    with pytest.raises(RuntimeError, match="crashed"):
        CachedTranslator(crashing, chunk_size=4, root=tmp_path, progress=False).translate(TEXTS, "lug", "en")
    assert len(crashing.calls) == 2
    resumed = Upper()
    out = CachedTranslator(resumed, chunk_size=4, root=tmp_path, progress=False).translate(TEXTS, "lug", "en")
    assert out == [t.upper() for t in TEXTS]
    assert resumed.calls == [["sentence 8", "sentence 9"]]


def test_key_depends_on_params_and_direction(tmp_path: Path) -> None:
    CachedTranslator(Upper(), chunk_size=4, root=tmp_path, progress=False).translate(TEXTS, "lug", "en")
    other = Upper(suffix="!")
    out = CachedTranslator(other, chunk_size=4, root=tmp_path, progress=False).translate(TEXTS, "lug", "en")
    assert out[0] == "SENTENCE 0!" and len(other.calls) == 3
    rev = Upper()
    CachedTranslator(rev, chunk_size=4, root=tmp_path, progress=False).translate(TEXTS, "en", "lug")
    assert len(rev.calls) == 3


def test_inner_returning_wrong_count_is_an_error(tmp_path: Path) -> None:
    class Broken(Upper):
        def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
            return ["x"]

    with pytest.raises(RuntimeError, match="outputs"):
        CachedTranslator(Broken(), chunk_size=4, root=tmp_path, progress=False).translate(TEXTS, "a", "b")
