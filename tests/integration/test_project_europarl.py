"""``projner project`` end to end on Europarl-NER en→de (string-identity alignments, no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from projner import io
from projner.cli.main import app
from projner.core.tags import iob2_errors
from projner.evaluate.metrics import evaluate_sentences
from projner.utils.paths import data_root


def _files() -> tuple[Path, Path]:
    root = data_root()
    src = root / "europarl-ner" / "en-europarl.test.conll02" if root else Path("missing")
    tgt = root / "europarl-ner" / "de-europarl.test.conll02" if root else Path("missing")
    for p in (src, tgt):
        if not p.exists():
            pytest.skip(f"Europarl-NER not found: {p}")
    return src, tgt


@pytest.mark.integration
@pytest.mark.parametrize("projector", ["heuristic", "greedy", "exact", "fusion"])
def test_project_europarl_de_exact_match_aligner(tmp_path: Path, projector: str) -> None:
    pytest.importorskip("projner.align")
    src, tgt = _files()
    out = tmp_path / "de.conll"
    res = CliRunner().invoke(
        app,
        ["project", "--source", str(src), "--target", str(tgt), "-o", str(out), "--aligner", "exact-match",
         "--projector", projector],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "799 sentences" in res.output and "0 failed" in res.output
    gold = list(io.read(tgt))
    pred = list(io.read(out))
    assert [len(s.tokens) for s in pred] == [len(s.tokens) for s in gold]
    assert [s.tokens for s in pred] == [s.tokens for s in gold]
    assert all(iob2_errors(s.tags or []) == [] for s in pred)
    result = evaluate_sentences(gold, pred)
    # Names copied verbatim between en and de give a usable projection even without a real aligner.
    assert result.f1 > 0.25, result.f1
