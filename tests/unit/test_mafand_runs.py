"""Sentence runs: MasakhaNER2 sentences that MAFAND-MT has as one line, found, translated and projected together."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.core.types import Sentence, Span
from projner.data import registry
from projner.pipeline import translate_test as tt
from projner.tag.base import register_tagger
from projner.tag.testing import CapitalisedTagger

HEADER = "lang\tner_split\tner_sentence_index\tmafand_source_lang\tmafand_target_file\tmafand_line_index\n"


register_tagger("caps-runs-test")(lambda **_: CapitalisedTagger("LOC"))
"""Every capitalised word is a LOC entity: deterministic, no model."""


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with 6 twi test sentences: 0 mapped one-to-one; 1+2 and 4+5 are each one MAFAND line
    (4+5 differ from it in punctuation and case only); 3 is in MAFAND nowhere."""
    root = tmp_path / "data"
    sents = [
        "Accra yɛ kuro .",
        'Ɔkaa sɛ : " Kumasi',
        'ye . "',
        "Biribi foforo .",
        "Ghana ye",
        "fɛ !",
    ]
    ner = root / "masakhaner2" / "twi"
    ner.mkdir(parents=True)
    body = "\n\n".join("\n".join(f"{w} O" for w in s.split()) for s in sents) + "\n"
    (ner / "test.txt").write_text(body, encoding="utf-8")
    (root / "masakhaner2" / "masakhaner2_to_mafand.tsv").write_text(
        HEADER + "twi\ttest\t0\ten\ten-twi/test.twi\t0\n", encoding="utf-8"
    )
    pair = root / "mafand-mt" / "en-twi"
    pair.mkdir(parents=True)
    (pair / "test.twi").write_text('Accra yɛ kuro.\nƆkaa sɛ: "Kumasi ye."\n', encoding="utf-8")
    (pair / "test.en").write_text('Accra is a town.\nHe said: "Kumasi is good."\n', encoding="utf-8")
    (pair / "train.twi").write_text("ghana ye fɛ\n", encoding="utf-8")
    (pair / "train.en").write_text("Ghana is nice!\n", encoding="utf-8")
    monkeypatch.setenv("PROJNER_DATA", str(root))
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PROJNER_NO_PROGRESS", "1")
    return root


def test_runs_are_found_and_translated(data: Path) -> None:
    runs = registry.masakhaner2_mafand_runs("twi", "test")
    assert [(r.start, r.stop, r.link.target_file, r.link.line_index) for r in runs] == [
        (1, 3, "en-twi/test.twi", 1),
        (4, 6, "en-twi/train.twi", 0),
    ]
    translations, spans = registry.masakhaner2_mafand_translations("twi", "test")
    assert translations == [
        "Accra is a town.",
        'He said: "Kumasi is good."',
        None,
        None,
        "Ghana is nice!",
        None,
    ]
    assert spans == [(1, 3), (4, 6)]
    assert registry.masakhaner2_to_mafand("twi", "test")[1:] == [None] * 5  # the one-to-one mapping alone


def test_runs_are_projected_and_cut_back(data: Path) -> None:
    targets = list(registry.read_dataset("masakhaner2:twi:test"))
    translations, runs = registry.masakhaner2_mafand_translations("twi", "test")
    opts = tt.TranslateTestOptions(from_lang="twi", tagger="caps-runs-test", aligner="exact-match")
    out = tt.translate_test(targets, opts, translations=translations, runs=runs)
    assert out.missing == [3] and out.runs == [(1, 3), (4, 6)]
    assert [s.tokens for s in out.sentences] == [t.tokens for t in targets]
    assert out.sentences[1].tags == ["O", "O", "O", "O", "B-LOC"]  # "Kumasi" (the last token of sentence 1)
    assert out.sentences[4].tags == ["B-LOC", "O"] and out.sentences[5].tags == ["O", "O"]
    without = tt.translate_test(targets, opts, translations=registry.masakhaner2_to_mafand("twi", "test"))
    assert without.missing == [1, 2, 3, 4, 5]


def test_split_run_spans_cuts_a_span_at_the_sentence_end() -> None:
    spans = [Span(1, 2, "PER"), Span(2, 5, "ORG"), Span(6, 7, "LOC")]
    assert tt.split_run_spans(spans, [3, 4]) == [
        [Span(1, 2, "PER"), Span(2, 3, "ORG")],
        [Span(0, 2, "ORG"), Span(3, 4, "LOC")],
    ]


@pytest.mark.parametrize(
    ("runs", "message"),
    [
        ([(0, 1)], "shorter than 2"),
        ([(0, 2), (1, 3)], "overlapping"),
        ([(2, 5)], "out of range"),
        ([(1, 3)], "no translation at its first sentence"),
        ([(0, 3)], "only its first sentence"),
    ],
)
def test_bad_runs_are_refused(runs: list[tuple[int, int]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        tt.check_runs(runs, ["a", None, "c", None])


def test_expand_run_records_rebuilds_each_run_once_per_shard() -> None:
    sents = [Sentence(w.split()) for w in ["a b", "c", "d e", "f"]]
    translations = ["A B", "C D E", None, "F"]
    members = tt.run_members([(1, 3)], translations, [s.tokens for s in sents])
    assert members[2] == tt.RunMember(1, 1, (("c",), ("d", "e")), "C D E")
    # a shard that starts inside the run: the run comes back whole, the record keeps its own position
    targets, trans, runs, own = tt.expand_run_records([(sents[2], None, members[2]), (sents[3], "F", None)])
    assert [t.tokens for t in targets] == [["c"], ["d", "e"], ["f"]]
    assert trans == ["C D E", None, "F"] and runs == [(0, 2)] and own == [1, 2]
    assert targets[1] is sents[2]
    # both members in one shard: the run is placed once
    records = [(sents[0], "A B", None), (sents[1], "C D E", members[1]), (sents[2], None, members[2])]
    targets, trans, runs, own = tt.expand_run_records(records)
    assert len(targets) == 3 and runs == [(1, 3)] and own == [0, 1, 2]
    with pytest.raises(ValueError, match="does not match"):
        tt.expand_run_records([(sents[3], None, members[2])])


@pytest.mark.parametrize("shard", [1, 2, 4])
def test_engine_runs_equal_the_in_memory_run(data: Path, tmp_path: Path, shard: int) -> None:
    """--engine uses the runs too: a run cut by a shard boundary gives the same bytes as the in-memory command."""
    from typer.testing import CliRunner

    from projner.cli.main import app

    base = ["translate-test", "--target", "masakhaner2:twi:test", "--translator", "mafand"]
    base += ["--tagger", "caps-runs-test", "--aligner", "exact-match", "--no-target-consistency"]
    mem, eng = tmp_path / "mem.conll", tmp_path / "eng.conll"
    res_mem = CliRunner().invoke(app, [*base, "-o", str(mem)])
    assert res_mem.exit_code == 0, res_mem.output
    run_dir = str(tmp_path / f"runs-{shard}")
    res_eng = CliRunner().invoke(
        app, [*base, "-o", str(eng), "--engine", "local", "--shard-size", str(shard), "--run-dir", run_dir]
    )
    assert res_eng.exit_code == 0, res_eng.output
    assert mem.read_bytes() == eng.read_bytes()
    assert "B-LOC" in mem.read_text()  # the runs were projected ("Kumasi", "Ghana")
    for out in (res_mem.output, res_eng.output):
        assert "4 sentences in 2 runs share one MAFAND line's translation" in out
        assert (
            "6 sentences: 5 translated, 1 without translation, 0 projection failures; 4 English entities, 3 "
            in out
        )
        assert "sentences without translation (1-based, all-O in the output): 4\n" in out
