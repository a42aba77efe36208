from __future__ import annotations

from pathlib import Path

import pytest

from projner.utils.atomic import atomic_open
from projner.utils.cache import StageCache, cached_map, fingerprint


def test_fingerprint_stable_and_sensitive() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint("x", {"k": 1}) != fingerprint("x", {"k": 2})


def test_cached_map_recomputes_only_missing_chunks(tmp_path: Path) -> None:
    calls: list[int] = []

    def double(chunk: list[int]) -> list[int]:
        calls.append(len(chunk))
        return [2 * x for x in chunk]

    cache = StageCache("t", root=tmp_path)
    assert cached_map(double, range(10), stage="t", params={}, chunk_size=4, cache=cache) == [
        2 * x for x in range(10)
    ]
    assert calls == [4, 4, 2]
    calls.clear()
    assert cached_map(double, range(12), stage="t", params={}, chunk_size=4, cache=cache)[-1] == 22
    assert calls == [4]  # the first two chunks came from the cache


def test_crash_mid_stage_resumes(tmp_path: Path) -> None:
    cache = StageCache("t", root=tmp_path)
    state = {"n": 0}

    def flaky(chunk: list[int]) -> list[int]:
        state["n"] += 1
        if state["n"] == 2:
            raise RuntimeError("boom")
        return chunk

    with pytest.raises(RuntimeError):
        cached_map(flaky, range(6), stage="t", params={}, chunk_size=2, cache=cache)
    state["n"] = 10
    assert cached_map(flaky, range(6), stage="t", params={}, chunk_size=2, cache=cache) == list(range(6))
    assert state["n"] == 12  # chunks 2 and 3 recomputed, chunk 1 reused


def test_atomic_open_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(ValueError), atomic_open(target) as fh:
        fh.write("partial")
        raise ValueError
    assert not target.exists() and list(tmp_path.iterdir()) == []
    with atomic_open(target) as fh:
        fh.write("done")
    assert target.read_text() == "done"
