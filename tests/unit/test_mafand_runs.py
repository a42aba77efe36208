"""Sentence runs: MasakhaNER2 sentences that MAFAND-MT has as one line, found, translated and projected together."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.core.types import Span
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
    assert translations == ["Accra is a town.", 'He said: "Kumasi is good."', None, None, "Ghana is nice!", None]
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
