"""``projner align`` and ``projner models`` through the Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projner.cli.main import app
from projner.core.types import InputError

runner = CliRunner()


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_align_text_files_exact_match(tmp_path: Path) -> None:
    src = write(tmp_path / "s.tok", ["Merkel met Obama", "Berlin", "x y"])
    tgt = write(tmp_path / "t.tok", ["Obama traf Merkel", "in Berlin", "z"])
    out = tmp_path / "out.align"
    res = runner.invoke(
        app,
        [
            "align",
            "--source",
            str(src),
            "--target",
            str(tgt),
            "-a",
            "exact-match",
            "--no-cache",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").splitlines() == ["0-2 2-0", "0-1", ""]
    card = json.loads(Path(f"{out}.card.json").read_text(encoding="utf-8"))
    assert (
        card["command"] == "align"
        and card["options"]["aligner"] == "exact-match"
        and card["counts"]["pairs"] == 3
    )


def test_align_conll_with_tiny_encoder(tmp_path: Path) -> None:
    from projner.align.testing import tiny_encoder

    enc = tiny_encoder(tmp_path / "enc", layers=2)
    src = write(
        tmp_path / "s.conll", ["Obama\tB-PER", "visited\tO", "Berlin\tB-LOC", "", "the\tO", "house\tO"]
    )
    tgt = write(tmp_path / "t.tok", ["Obama besuchte Berlin", "das Haus"])
    out = tmp_path / "out.align"
    args = ["align", "--source", str(src), "--target", str(tgt), "-a", "e5-inter", "--model", str(enc)]
    res = runner.invoke(app, [*args, "--layer", "1", "--no-cache", "-o", str(out)])
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(lines)


def test_sentence_count_mismatch_names_both_files(tmp_path: Path) -> None:
    src = write(tmp_path / "s.tok", ["a b", "c"])
    tgt = write(tmp_path / "t.tok", ["a b"])
    out = tmp_path / "out.align"
    res = runner.invoke(
        app, ["align", "--source", str(src), "--target", str(tgt), "-a", "exact-match", "-o", str(out)]
    )
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError)
    msg = str(res.exception)
    assert "s.tok has 2 sentences" in msg and "t.tok has 1" in msg
    assert not out.exists()


def test_extra_parallel_needs_trainable_aligner(tmp_path: Path) -> None:
    src = write(tmp_path / "s.tok", ["a b"])
    tgt = write(tmp_path / "t.tok", ["a b"])
    args = ["align", "--source", str(src), "--target", str(tgt), "-a", "exact-match", "--no-cache"]
    res = runner.invoke(app, [*args, "--extra-parallel", str(src), str(tgt), "-o", str(tmp_path / "o")])
    assert isinstance(res.exception, InputError)


def test_eflomal_with_extra_parallel(tmp_path: Path) -> None:
    pytest.importorskip("eflomal")
    src = write(tmp_path / "s.tok", ["the house", "the book is small"])
    tgt = write(tmp_path / "t.tok", ["das haus", "das buch ist klein"])
    xs = write(tmp_path / "xs.tok", ["the house is small", "a book"] * 5)
    xt = write(tmp_path / "xt.tok", ["das haus ist klein", "ein buch"] * 5)
    out = tmp_path / "out.align"
    args = ["align", "--source", str(src), "--target", str(tgt), "-a", "eflomal", "--no-cache"]
    res = runner.invoke(app, [*args, "--extra-parallel", str(xs), str(xt), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_models_list() -> None:
    res = runner.invoke(app, ["models", "list"])
    assert res.exit_code == 0
    assert "e5-small" in res.output and "e5-itermax" in res.output
