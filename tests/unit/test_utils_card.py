"""Provenance cards (projner.utils.card): what a derived file was made from and under which terms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from projner.utils.card import card_path, describe_input, write_card


def test_a_file_input_records_fingerprint_and_the_nearest_provenance_licence(tmp_path: Path) -> None:
    folder = tmp_path / "corpus" / "sub"
    folder.mkdir(parents=True)
    (tmp_path / "corpus" / "PROVENANCE.md").write_text(
        "# Corpus\n\n**License:** CC BY-NC 4.0\n", encoding="utf-8"
    )
    data = folder / "train.txt"
    data.write_text("a O\n\n", encoding="utf-8")
    d = describe_input(data)
    assert d["licence"] == "CC BY-NC 4.0"
    assert d["bytes"] == 5 and len(str(d["fingerprint"])) >= 16
    assert describe_input(tmp_path / "nothing")["licence"] is None


def test_a_dataset_name_records_the_registry_licence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PROJNER_DATA", str(tmp_path / "absent"))
    d = describe_input("masakhaner2:lug:test")
    assert d["dataset"] == "masakhaner2:lug:test"
    assert "NC" in str(d["licence"]) and str(d["url"]).startswith("http")
    assert "path" not in d  # the data folder is absent: nothing to point at


def test_write_card(tmp_path: Path) -> None:
    src = tmp_path / "src.conll"
    src.write_text("x\tO\n\n", encoding="utf-8")
    out = tmp_path / "out.conll"
    path = write_card(
        out, "project", {"source": src, "alignments": None}, {"projector": "greedy"}, {"failed": 0}
    )
    assert path == card_path(out) == tmp_path / "out.conll.card.json"
    card = json.loads(path.read_text(encoding="utf-8"))
    assert card["kind"] == "projner-card" and card["command"] == "project"
    assert set(card["inputs"]) == {"source"}  # None inputs are left out
    assert card["options"] == {"projector": "greedy"} and card["counts"] == {"failed": 0}
    assert card["licences"] == [] and "inherits" in card["licence_note"]


def test_a_model_directory_records_the_licences_of_its_training_data(tmp_path: Path) -> None:
    model = tmp_path / "m"
    model.mkdir()
    data = {
        "train": {"a": {"path": "x", "licence": "CC BY-NC 4.0"}, "b": {"licence": "CC BY-SA 3.0"}},
        "dev": None,
    }
    (model / "projner_model.json").write_text(json.dumps({"kind": "crf", "data": data}), encoding="utf-8")
    d = describe_input(model)
    assert d["model"] == "crf" and d["licence"] == "CC BY-NC 4.0; CC BY-SA 3.0"
