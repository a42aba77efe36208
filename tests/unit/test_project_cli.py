"""``projner project`` on tiny files with precomputed Pharaoh alignments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projner.cli.main import app
from projner.core.types import ParallelExample
from projner.project.base import Projection, register_projector
from projner.project.heuristic import HeuristicProjector

SRC = "Angela\tB-PER\nMerkel\tI-PER\nvisited\tO\nthe\tO\nEuro\tB-MISC\nin\tO\nParis\tB-LOC\n\nHello\tO\n\n"
TGT = "Angela\tO\nMerkel\tO\nbesuchte\tO\nden\tO\nEuro\tO\nin\tO\nParis\tO\n\nHallo\tO\n\n"
ALI = "0-0 1-1 2-2 3-3 4-4 5-5 6-6\n0-0\n"


def _files(tmp_path: Path, ali: str = ALI) -> tuple[Path, Path, Path]:
    (tmp_path / "src.conll").write_text(SRC, encoding="utf-8")
    (tmp_path / "tgt.conll").write_text(TGT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ali, encoding="utf-8")
    return tmp_path / "src.conll", tmp_path / "tgt.conll", tmp_path / "a.txt"


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["project", *args])
    return res.exit_code, res.output


def test_project_cli_with_alignments(tmp_path: Path) -> None:
    src, tgt, ali = _files(tmp_path)
    out = tmp_path / "out.conll"
    conf = tmp_path / "conf.tsv"
    code, text = _run(
        "--source", str(src), "--target", str(tgt), "-o", str(out), "--alignments", str(ali),
        "--labels", "PER,ORG,LOC", "--projector", "heuristic", "--confidence-out", str(conf),
    )  # fmt: skip
    assert code == 0, text
    assert "2 sentences" in text and "0 failed" in text
    blocks = out.read_text(encoding="utf-8").strip().split("\n\n")
    assert len(blocks) == 2
    tags = [line.split("\t")[1] for line in blocks[0].splitlines()]
    assert tags == ["B-PER", "I-PER", "O", "O", "O", "O", "B-LOC"]  # MISC filtered
    assert [line.split("\t")[0] for line in blocks[1].splitlines()] == ["Hallo"]
    assert conf.read_text().splitlines()[1].startswith("0\t1.0000\t2\t2")
    card = json.loads(
        (tmp_path / "out.conll.card.json").read_text(encoding="utf-8")
    )  # provenance next to OUT
    assert card["command"] == "project" and set(card["inputs"]) == {"source", "target", "alignments"}
    assert card["inputs"]["source"]["fingerprint"] and card["options"]["projector"] == "heuristic"
    assert card["options"]["labels"] == ["PER", "ORG", "LOC"] and card["counts"]["sentences"] == 2


def test_project_cli_paper_label_filter_and_params(tmp_path: Path) -> None:
    src, tgt, ali = _files(tmp_path)
    out = tmp_path / "out.conll"
    code, text = _run(
        "--source", str(src), "--target", str(tgt), "-o", str(out), "--alignments", str(ali),
        "--labels", "PER,LOC", "--label-filter", "after", "--projector", "greedy", "-p", "max_len=3",
    )  # fmt: skip
    assert code == 0, text
    assert "max_len=3" in text
    assert "MISC" not in out.read_text(encoding="utf-8")


def test_project_cli_bad_inputs(tmp_path: Path) -> None:
    src, tgt, ali = _files(tmp_path, ali="0-0 1-1\n")
    out = tmp_path / "out.conll"
    code, _ = _run("--source", str(src), "--target", str(tgt), "-o", str(out), "--alignments", str(ali))
    assert code != 0 and not out.exists()
    src, tgt, ali = _files(tmp_path, ali="0-0 1-x\n0-0\n")
    res = CliRunner().invoke(app, ["project", "--source", str(src), "--target", str(tgt), "-o", str(out),
                                   "--alignments", str(ali)])  # fmt: skip
    assert res.exit_code != 0 and "a.txt:1" in str(res.exception)
    src, tgt, ali = _files(tmp_path, ali="0-0 1-1 2-2\n0-9\n")  # second line out of bounds: a file error
    res = CliRunner().invoke(app, ["project", "--source", str(src), "--target", str(tgt), "-o", str(out),
                                   "--alignments", str(ali)])  # fmt: skip
    assert res.exit_code != 0 and not out.exists()
    assert "a.txt:2: alignment '0-9' is out of bounds for 1 source and 1 target tokens" in str(res.exception)


class _FailsOnFirst(HeuristicProjector):
    """A projector that raises inside the first sentence (a bug or a broken input the stage cannot handle)."""

    def project_links(self, example: ParallelExample) -> list[Projection]:
        if example.meta.get("index") == 0:
            raise ValueError("boom")
        return super().project_links(example)


register_projector("fails-on-first-test", lambda **kw: _FailsOnFirst(**kw))


def test_project_cli_reports_failures(tmp_path: Path) -> None:
    src, tgt, ali = _files(tmp_path)
    out = tmp_path / "out.conll"
    code, text = _run(
        "--source", str(src), "--target", str(tgt), "-o", str(out), "--alignments", str(ali),
        "--projector", "fails-on-first-test",
    )  # fmt: skip
    assert code == 1
    assert "sentence 1: ValueError: boom" in text
    assert "1 failed" in text
    assert out.exists() and len(out.read_text(encoding="utf-8").strip().split("\n\n")) == 2


def test_project_cli_warns_when_labels_match_nothing(tmp_path: Path) -> None:
    src, tgt, ali = _files(tmp_path)
    res = CliRunner().invoke(
        app, ["project", "--source", str(src), "--target", str(tgt), "-o", str(tmp_path / "o.conll"),
              "--alignments", str(ali), "--labels", "PERSON"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "matches none of the source labels" in res.output


def test_project_cli_aligner_args_build_a_lexicon_fill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--aligner-arg reaches the aligner: exact-match links the names, a word-pair lexicon fills "Körperschaft"."""
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    (tmp_path / "src.conll").write_text(
        "the\tO\nAcme\tB-ORG\nCorporation\tI-ORG\nhired\tO\nAnna\tB-PER\n\n", encoding="utf-8"
    )
    (tmp_path / "tgt.txt").write_text("die Acme Körperschaft stellte Anna ein\n", encoding="utf-8")
    (tmp_path / "lex.tsv").write_text("corporation\tKörperschaft\n", encoding="utf-8")
    out = tmp_path / "out.conll"
    base = ["--source", str(tmp_path / "src.conll"), "--target", str(tmp_path / "tgt.txt"), "-o", str(out)]
    code, text = _run(*base, "--aligner", "fill", "--aligner-arg", "primary=exact-match",
                      "--aligner-arg", f"lexicon={tmp_path / 'lex.tsv'}", "--projector", "minmax")  # fmt: skip
    assert code == 0, text
    tags = [line.split("\t")[1] for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert tags == ["O", "B-ORG", "I-ORG", "O", "B-PER", "O"]
    res = CliRunner().invoke(app, ["project", *base, "--aligner", "fill", "--aligner-arg", "primary"])
    assert res.exit_code != 0 and "--aligner-arg expects key=value" in str(res.exception)


# "Unione europea" is projected whole in three sentences; in the fourth the alignment reaches only "Unione".
SET_SRC = "EU\tB-ORG\nUnion\tI-ORG\nacts\tO\n\n" * 3 + "EU\tB-ORG\nacts\tO\n\n"
SET_TGT = "Unione\tO\neuropea\tO\nagisce\tO\n\n" * 4
SET_ALI = "0-0 1-1 2-2\n" * 3 + "0-0 1-2\n"


@pytest.mark.parametrize(
    ("flags", "completed"),
    [((), True), (("--projector", "greedy"), False), (("--projector", "greedy", "--set-completion"), True),
     (("--no-set-completion",), False)],
)  # fmt: skip
def test_project_cli_set_completion(tmp_path: Path, flags: tuple[str, ...], completed: bool) -> None:
    (tmp_path / "s.conll").write_text(SET_SRC, encoding="utf-8")
    (tmp_path / "t.conll").write_text(SET_TGT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(SET_ALI, encoding="utf-8")
    out = tmp_path / "o.conll"
    code, text = _run("--source", str(tmp_path / "s.conll"), "--target", str(tmp_path / "t.conll"), "-o", str(out),
                      "--alignments", str(tmp_path / "a.txt"), *flags)  # fmt: skip
    assert code == 0, text
    last = [
        line.split("\t")[1] for line in out.read_text(encoding="utf-8").strip().split("\n\n")[-1].splitlines()
    ]
    assert last == (["B-ORG", "I-ORG", "O"] if completed else ["B-ORG", "O", "O"])
    assert ("set completion: 1 spans grown" in text) == completed
