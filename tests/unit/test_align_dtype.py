"""Encoder precision: float32 by default, bfloat16 on request or where the CPU has it (``auto``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.align import get_aligner
from projner.align.encoders import DTYPE_ENV, cpu_has_native_bf16, resolve_dtype
from projner.core.types import ProjnerError


def test_resolve_dtype_default_env_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DTYPE_ENV, raising=False)
    assert resolve_dtype(None) == "float32"
    assert resolve_dtype("bfloat16") == "bfloat16"
    monkeypatch.setenv(DTYPE_ENV, "bfloat16")
    assert resolve_dtype(None) == "bfloat16"
    assert resolve_dtype("float32") == "float32"  # an explicit value wins over the environment
    with pytest.raises(ProjnerError, match="encoder dtype must be one of"):
        resolve_dtype("float16")
    monkeypatch.setattr("projner.align.encoders.cpu_has_native_bf16", lambda: False)
    assert resolve_dtype("auto") == "float32"
    monkeypatch.setattr("projner.align.encoders.cpu_has_native_bf16", lambda: True)
    assert resolve_dtype("auto") == "bfloat16"
    assert resolve_dtype("auto", device="cuda") == "float32"


def test_cpu_flags() -> None:
    assert cpu_has_native_bf16("flags : fpu avx2 avx512f avx512_bf16 sse") is True
    assert cpu_has_native_bf16("flags : fpu amx_tile amx_bf16") is True
    assert cpu_has_native_bf16("flags : fpu avx2 avx512f") is False


def test_bfloat16_aligns_and_keys_its_cache_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """float32 parameters are unchanged (old caches stay valid); bfloat16 is part of the cache key."""
    from projner.align.testing import tiny_encoder

    monkeypatch.delenv(DTYPE_ENV, raising=False)
    enc = str(tiny_encoder(tmp_path / "enc", layers=2))
    fp32 = get_aligner("embedding", model=enc, layer=2, method="inter", cache=False)
    bf16 = get_aligner("embedding", model=enc, layer=2, method="inter", dtype="bfloat16", cache=False)
    assert "dtype" not in fp32.params() and bf16.params()["dtype"] == "bfloat16"
    pairs = [(["the", "president", "visited", "berlin"], ["der", "präsident", "besuchte", "berlin"])] * 3
    links = list(bf16.align(pairs))
    assert len(links) == 3 and all(len(a) > 0 for a in links)
    assert all(a.pairs[:, 0].max() < 4 and a.pairs[:, 1].max() < 4 for a in links)
