"""Determinism: the same inputs and seed give identical bytes across runs, shard sizes and engines.

Covers every sharded command: align (tiny random encoder, seeded), project, translate-train (conll + numbered
sidecar, jsonl) and translate-test, each compared with the in-memory command. (Ray vs local: integration test.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projner.cli.main import app
from projner.engine.testing import write_corpus
from projner.tag.base import register_tagger
from projner.tag.testing import CapitalisedTagger

register_tagger("capitalised-test")(lambda **_: CapitalisedTagger("PER"))
"""Every capitalised word is a PER entity: deterministic, no model."""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PROJNER_NO_PROGRESS", "1")


def _ok(*args: object) -> str:
    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output + repr(res.exception)
    return res.output


def _eng(tmp_path: Path, tag: str, shard: int) -> list[str]:
    return ["--engine", "local", "--shard-size", str(shard), "--run-dir", str(tmp_path / f"runs-{tag}")]


def test_align_tiny_encoder_same_bytes_sharded_and_in_memory(tmp_path: Path) -> None:
    from projner.align.testing import tiny_encoder

    enc = tiny_encoder(tmp_path / "enc", seed=3)
    src, tgt, _ = write_corpus(tmp_path, 30, seed=4)
    base = [
        "align",
        "--source",
        src,
        "--target",
        tgt,
        "--aligner",
        "embedding",
        "--model",
        enc,
        "--layer",
        "2",
        "--no-cache",
    ]
    _ok(*base, "-o", tmp_path / "mem.txt")
    _ok(*base, "-o", tmp_path / "a.txt", *_eng(tmp_path, "a", 7))
    ref = (tmp_path / "mem.txt").read_bytes()
    assert ref.count(b"\n") == 30
    assert (tmp_path / "a.txt").read_bytes() == ref


def _translate_train_inputs(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "en.conll"  # no ids: the default id is the global sentence number
    src.write_text(
        "Angela\tB-PER\nMerkel\tI-PER\nvisited\tO\nParis\tB-LOC\n\n"
        "The\tO\nUN\tB-ORG\nmet\tO\n\n"
        "Nothing\tO\nhere\tO\n\n"
        "Obama\tB-PER\nspoke\tO\n\n"
        "Rome\tB-LOC\nfell\tO\n\n"
    )
    trans = tmp_path / "xx.txt"
    trans.write_text("Angela Merkel besuchte Paris\n\nNichts hier\nObama sprach\nRom fiel\n")
    return src, trans


@pytest.mark.parametrize("fmt", ["conll", "jsonl"])
def test_translate_train_engine_equals_in_memory(tmp_path: Path, fmt: str) -> None:
    base = [
        *_translate_train_base(tmp_path),
        "--format",
        fmt,
    ]
    _ok(*base, "-o", tmp_path / f"mem.{fmt}")
    _ok(*base, "-o", tmp_path / f"eng.{fmt}", *_eng(tmp_path, "e", 2))
    assert (tmp_path / f"mem.{fmt}").read_bytes() == (tmp_path / f"eng.{fmt}").read_bytes()
    if fmt == "conll":
        side_mem = (tmp_path / "mem.conll.confidence.tsv").read_text()
        assert side_mem == (tmp_path / "eng.conll.confidence.tsv").read_text()
        assert side_mem.splitlines()[-1].startswith("4\t4\t4\t")  # 4th kept sentence, global id/index 4


def test_translate_test_engine_equals_in_memory(tmp_path: Path) -> None:
    tgt = tmp_path / "de.conll"
    tgt.write_text(
        "Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n\nNichts\tO\nhier\tO\n\nObama\tB-PER\nsprach\tO\n\n"
    )
    trans = tmp_path / "en.txt"
    trans.write_text("Angela Merkel visited Paris\n\nObama spoke\n")
    base = [
        "translate-test",
        "--target",
        tgt,
        "--lang",
        "de",
        "--translation",
        trans,
        "--tagger",
        "capitalised-test",
        "--aligner",
        "exact-match",
    ]
    out_mem = _ok(*base, "-o", tmp_path / "mem.conll")
    out_eng = _ok(*base, "-o", tmp_path / "eng.conll", *_eng(tmp_path, "t", 1))
    assert (tmp_path / "mem.conll").read_bytes() == (tmp_path / "eng.conll").read_bytes()
    summary = "3 sentences: 2 translated, 1 without translation"
    assert summary in out_mem and summary in out_eng
    for name in ("mem", "eng"):  # a provenance card next to each output, in memory and sharded
        card = json.loads((tmp_path / f"{name}.conll.card.json").read_text())
        assert card["command"] == "translate-test" and card["inputs"]["translation"]["path"] == str(trans)
        assert card["options"]["tagger"] == "capitalised-test" and card["counts"]["missing"] == 1


def test_translate_test_file_target_needs_no_lang_with_a_translation_file(tmp_path: Path) -> None:
    """With the English given, nothing is done in the target language, so --lang is optional (issue's CLI)."""
    tgt = tmp_path / "de.conll"
    tgt.write_text("Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n\n")
    trans = tmp_path / "en.txt"
    trans.write_text("Angela Merkel visited Paris\n")
    common = ["translate-test", "--target", tgt, "-o", tmp_path / "out.conll"]
    out = _ok(*common, "--translation", trans, "--tagger", "capitalised-test", "--aligner", "exact-match")
    assert "1 sentences: 1 translated" in out
    assert (tmp_path / "out.conll").read_text().startswith("Angela\tB-PER\n")
    res = CliRunner().invoke(app, [str(a) for a in (*common, "--translator", "apertium")])
    assert res.exit_code != 0 and "--lang" in res.output + str(res.exception)


def _translate_train_base(tmp_path: Path) -> list[str | Path]:
    src, trans = _translate_train_inputs(tmp_path)
    return [
        "translate-train",
        "--source",
        src,
        "--target-lang",
        "de",
        "--translation",
        trans,
        "--aligner",
        "exact-match",
    ]


def test_stage_parameters_reach_translate_commands_and_fail_early(tmp_path: Path) -> None:
    """--param (projector) and --aligner-arg are passed through; a bad one fails before any stage runs."""
    tt = _translate_train_base(tmp_path)
    out = _ok(*tt, "--param", "max_len=1", "--report", tmp_path / "r.json", "-o", tmp_path / "tt.conll")
    assert "wrote 4 sentences" in out
    report = (tmp_path / "r.json").read_text()
    assert '"max_len": 1' in report
    bad = CliRunner().invoke(app, [str(a) for a in (*tt, "--param", "bogus=1", "-o", tmp_path / "x.conll")])
    assert bad.exit_code != 0 and "bogus" in str(bad.exception) and not (tmp_path / "x.conll").exists()
    bad = CliRunner().invoke(
        app, [str(a) for a in (*tt, "--aligner-arg", "bogus=1", "-o", tmp_path / "x.conll")]
    )
    assert bad.exit_code != 0 and "aligner 'exact-match'" in str(bad.exception)
    tgt = tmp_path / "de.conll"
    tgt.write_text("Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n\n")
    trans = tmp_path / "en.txt"
    trans.write_text("Angela Merkel visited Paris\n")
    test = ["translate-test", "--target", tgt, "--translation", trans, "--tagger", "capitalised-test"]
    test += ["--aligner", "exact-match", "-o", tmp_path / "t.conll", "--report", tmp_path / "t.json"]
    assert "1 translated" in _ok(*test, "--param", "merge_distance=0")
    assert '"merge_distance": 0' in (tmp_path / "t.json").read_text()
    bad = CliRunner().invoke(app, [str(a) for a in (*test, "--param", "max_len=3")])
    assert bad.exit_code != 0 and "projector 'heuristic-words'" in str(bad.exception)


def test_project_same_bytes_across_runs(tmp_path: Path) -> None:
    src, tgt, ali = write_corpus(tmp_path, 50, seed=9)
    base = ["project", "--source", src, "--target", tgt, "--alignments", ali, "--projector", "heuristic"]
    _ok(*base, "-o", tmp_path / "1.conll", *_eng(tmp_path, "1", 8))
    _ok(*base, "-o", tmp_path / "2.conll", *_eng(tmp_path, "1", 8))  # same run dir: completed run is redone
    _ok(*base, "-o", tmp_path / "3.conll", *_eng(tmp_path, "3", 50))
    _ok(*base, "-o", tmp_path / "4.conll")
    outs = {(tmp_path / f"{i}.conll").read_bytes() for i in range(1, 5)}
    assert len(outs) == 1
