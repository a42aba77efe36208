"""translate-train CLI on real data: Europarl-NER en gold projected onto the human German translation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from projner.utils.paths import data_root

N = 40


def test_translate_train_europarl_de_human_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = data_root()
    en = root / "europarl-ner" / "en-europarl.test.conll02" if root else None
    de = root / "europarl-ner" / "de-europarl.test.conll02" if root else None
    if en is None or de is None or not en.is_file() or not de.is_file():
        pytest.skip(f"Europarl-NER not found: {en}")
    from seqeval.metrics import f1_score

    from projner import io
    from projner.cli.main import main
    from projner.core.tags import map_tags
    from projner.translate import detokenize

    src = io.read_all(en, format="conll02")[:N]
    gold_de = io.read_all(de, format="conll02")[:N]
    io.write(src, tmp_path / "en.conll", format="conll")
    lines = [detokenize(s.tokens, "de") for s in gold_de]
    lines[3] = ""  # one sentence without a translation: must be counted, not silently kept
    (tmp_path / "de.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, rep = tmp_path / "de.jsonl", tmp_path / "report.json"
    argv = ["projner", "translate-train", "--source", str(tmp_path / "en.conll"), "--target-lang", "de",
            "--translation", str(tmp_path / "de.txt"), "--aligner", "exact-match", "--labels", "PER,ORG,LOC", "--format", "jsonl",
            "-o", str(out), "--report", str(rep)]  # fmt: skip
    monkeypatch.setattr(sys, "argv", argv)
    try:
        main()
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr().err
    report = json.loads(rep.read_text())
    counts = report["counts"]["sentences"]
    assert counts["input"] == N and counts["no_translation"] == 1 and counts["kept"] == N - 1
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == N - 1 and all(0.0 <= r["confidence"] <= 1.0 for r in rows)
    # exact-match links (names copied verbatim) keep this test fast; projected labels agree with the German gold (same tokens as gold: Moses round trip)
    keep = ["PER", "ORG", "LOC"]
    pairs = [(gold_de[r["source_index"]], r) for r in rows]
    same = [(g, r) for g, r in pairs if g.tokens == r["tokens"]]
    assert len(same) > N // 2
    f1 = f1_score([map_tags(g.tags or [], keep=keep) for g, _ in same], [r["ner_tags"] for _, r in same])
    assert f1 > 0.5
