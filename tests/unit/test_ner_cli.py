"""`projner train` / `projner predict` end to end on tiny files (CRF, and the tiny neural encoder)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from projner.cli.main import main
from projner.ner.tiny import build_tiny_encoder, synthetic_sentences, synthetic_vocabulary


def _write_conll(path: Path, n: int, seed: int, tags: bool = True) -> Path:
    lines = []
    for toks, tgs in synthetic_sentences(n, seed):
        lines += [f"{t}\t{g}" if tags else t for t, g in zip(toks, tgs, strict=True)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["projner", *argv])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_crf_train_predict_eval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    train = _write_conll(tmp_path / "train.conll", 200, 1)
    dev = _write_conll(tmp_path / "dev.conll", 30, 2)
    out = tmp_path / "crf"
    argv = [
        "train",
        "--train",
        str(train),
        "--dev",
        str(dev),
        "--model",
        "crf",
        "-o",
        str(out),
        "--labels",
        "PER,LOC",
    ]
    assert _run(argv, monkeypatch) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["kind"] == "crf" and summary["types"] == ["PER", "LOC"] and summary["dev_f1"] > 0.9
    card = json.loads((out / "projner_model.json").read_text())
    assert card["data"]["train"]["sentences"] == 200 and card["data"]["dev"]["path"] == str(dev)

    plain = tmp_path / "test.txt"  # plain text: one pre-tokenised sentence per line
    plain.write_text("".join(" ".join(t) + "\n" for t, _ in synthetic_sentences(20, 3)), encoding="utf-8")
    pred = tmp_path / "pred.conll"
    assert _run(["predict", "--model", str(out), "--input", str(plain), "-o", str(pred)], monkeypatch) == 0
    blocks = [b.splitlines() for b in pred.read_text().strip().split("\n\n")]
    assert [[ln.split("\t")[0] for ln in b] for b in blocks] == [t for t, _ in synthetic_sentences(20, 3)]
    assert {ln.split("\t")[1] for b in blocks for ln in b} <= {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"}
    pred_card = json.loads(Path(f"{pred}.card.json").read_text())  # the model's data licences, via its card
    assert pred_card["command"] == "predict" and pred_card["inputs"]["model"]["model"] == "crf"

    capsys.readouterr()
    gold = _write_conll(tmp_path / "gold.conll", 20, 3)
    assert (
        _run(
            ["predict", "--model", str(out), "--input", str(gold), "-o", str(tmp_path / "p.jsonl"), "--eval"],
            monkeypatch,
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["overall"]["f1"] > 0.9 and "ORG" not in report
    first = json.loads((tmp_path / "p.jsonl").read_text().splitlines()[0])
    assert first["tokens"] == synthetic_sentences(20, 3)[0][0]


def test_errors_exit_2_with_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = _write_conll(tmp_path / "plain.txt", 5, 1, tags=False)
    assert (
        _run(["train", "--train", str(plain), "--model", "crf", "-o", str(tmp_path / "m")], monkeypatch) == 2
    )
    assert "plain.txt" in capsys.readouterr().err
    assert (
        _run(
            [
                "predict",
                "--model",
                str(tmp_path / "nomodel"),
                "--input",
                str(plain),
                "-o",
                str(tmp_path / "o"),
            ],
            monkeypatch,
        )
        == 2
    )
    assert "nomodel" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    assert (
        _run(
            ["predict", "--model", str(tmp_path), "--input", str(plain), "-o", str(tmp_path / "o")],
            monkeypatch,
        )
        == 2
    )
    assert "projner_model.json" in capsys.readouterr().err


def test_neural_train_predict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("torch")
    enc = build_tiny_encoder(tmp_path / "enc", synthetic_vocabulary())
    train = _write_conll(tmp_path / "train.conll", 60, 1)
    out = tmp_path / "nn"
    argv = [
        "train",
        "--train",
        str(train),
        "--model",
        str(enc),
        "-o",
        str(out),
        "--epochs",
        "1",
        "--max-steps",
        "3",
        "--threads",
        "1",
    ]
    assert _run(argv, monkeypatch) == 0
    card = json.loads((out / "projner_model.json").read_text())
    assert card["kind"] == "neural" and card["steps"] == 3 and card["seed"] == 42
    pred = tmp_path / "pred.conll"
    assert (
        _run(
            ["predict", "--model", str(out), "--input", str(train), "-o", str(pred), "--threads", "1"],
            monkeypatch,
        )
        == 0
    )
    assert pred.read_text().count("\n\n") == 60
