"""The lexicon aligner on Debian's real FreeDict dictionaries (skipped when they are not installed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from projner.align import get_aligner
from projner.align.lexicon import DICTD_DIR, load_lexicon

DICTD = Path(os.environ.get("PROJNER_DICTD") or DICTD_DIR)
pytestmark = pytest.mark.skipif(
    not (DICTD / "freedict-eng-ita.index").is_file(),
    reason=f"FreeDict eng-ita not installed in {DICTD} (scripts/setup-system.sh installs it)",
)


def test_freedict_eng_ita_fills_what_exact_match_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path))
    lex = load_lexicon("freedict:it")
    assert len(lex) > 3000  # the small Debian eng-ita (+ ita-eng) dictionary
    assert "comitato" in lex.translations("Committees")
    fill = get_aligner("fill", cache=False, primary="exact-match", lexicon="freedict:it")
    (links,) = fill.align(
        [(["the", "Committee", "of", "Romano", "Prodi"], ["il", "comitato", "di", "Romano", "Prodi"])]
    )
    assert links.as_set() == {(1, 1), (3, 3), (4, 4)}  # "of"/"di" are too short for the lexicon
