"""Smoke test: does Apertium keep the markers? (skips when Apertium eng-spa is not installed)."""

from __future__ import annotations

import pytest

from projner.core.types import Span
from projner.markers import marker_transfer
from projner.translate.apertium import apertium_available, installed_modes

pytestmark = pytest.mark.skipif(
    not apertium_available() or "eng-spa" not in installed_modes(), reason="apertium eng-spa not installed"
)


def test_apertium_keeps_markers_en_es_en() -> None:
    from projner.translate import get_translator

    t = get_translator("apertium")
    sents = [
        (["President", "Barack", "Obama", "met", "Angela", "Merkel", "in", "Berlin", "."],
         [Span(1, 3, "PER"), Span(4, 6, "PER"), Span(7, 8, "LOC")]),
        (["I", "live", "in", "New", "York", "."], [Span(3, 5, "LOC")]),
    ]  # fmt: skip
    es = marker_transfer(sents, t, "en", "es")
    assert all(r.n_markers == len(s) for r, (_, s) in zip(es, sents, strict=True))  # markers survive
    assert all(r.unmatched_markers == 0 for r in es)
    assert [sp.label for sp in es[0].spans] == ["PER", "PER", "LOC"]
    assert "Berlín" in es[0].words and es[1].words[es[1].spans[0].start : es[1].spans[0].end] == [
        "Nueva",
        "York",
    ]
    # Round trip back to English keeps them too.
    en = marker_transfer([(r.words, r.spans) for r in es], t, "es", "en")
    assert [len(r.spans) for r in en] == [3, 1]
    assert en[0].words[en[0].spans[2].start] == "Berlin"
