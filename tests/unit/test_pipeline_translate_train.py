"""translate-train on tiny data: fake translators, the exact-match aligner, every output format, the CLI."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from projner.core.types import Sentence
from projner.pipeline.translate_train import (
    BELOW_CONFIDENCE,
    KEPT,
    NO_TRANSLATION,
    PROJECTION_FAILED,
    TranslateTrainOptions,
    read_translation_file,
    translate_train,
    write_training_set,
)
from projner.translate.base import Translator, register_translator

CALLS: list[int] = []


@register_translator("counting-test")
class CountingTranslator(Translator):
    """Identity translation that counts the texts it was asked for (to see the cache at work)."""

    name = "counting-test"

    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        CALLS.append(len(texts))
        return [str(t) for t in texts]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PROJNER_NO_PROGRESS", "1")
    CALLS.clear()


def _sources() -> list[Sentence]:
    return [
        Sentence(
            ["Angela", "Merkel", "visited", "Paris", "."], ["B-PER", "I-PER", "O", "B-LOC", "O"], id="s1"
        ),
        Sentence(["The", "UN", "met", "in", "Geneva", "."], ["O", "B-ORG", "O", "O", "B-LOC", "O"], id="s2"),
        Sentence(["Nothing", "here", "."], ["O", "O", "O"], id="s3"),
        Sentence(["Obama", "spoke", "."], ["B-PER", "O", "O"], id="s4"),
    ]


def _opts(**kw: object) -> TranslateTrainOptions:
    return TranslateTrainOptions(target_lang="xx", aligner="exact-match", **kw)  # type: ignore[arg-type]


def test_identity_translation_projects_gold_spans_exactly() -> None:
    out = translate_train(_sources(), _opts(translator="counting-test"))
    assert [r.status for r in out.records] == [KEPT] * 4
    assert [s.tags for s in out.sentences] == [s.tags for s in _sources()]
    assert all(s.lang == "xx" for s in out.sentences)
    assert [s.id for s in out.sentences] == ["s1", "s2", "s3", "s4"]
    assert [s.meta["confidence"] for s in out.sentences] == pytest.approx([1.0, 1.0, 1.0, 1.0])
    c = out.counts()
    assert c["sentences"]["kept"] == 4
    assert c["source_entities"] == {
        "input": 5,
        "in_kept_sentences": 5,
        "projected_in_kept": 5,
        "not_projected_in_kept": 0,
        "in_sentences_without_translation": 0,
        "in_failed_projections": 0,
        "in_sentences_below_confidence": 0,
    }


def test_every_stage_is_cached_and_resumable(tmp_path: Path) -> None:
    translate_train(_sources(), _opts(translator="counting-test"))
    assert sum(CALLS) == 4
    translate_train(_sources(), _opts(translator="counting-test"))
    assert sum(CALLS) == 4  # second run: translations come from the cache
    stages = tmp_path / "cache" / "stages"
    assert any((stages / "translations").iterdir())
    assert any((stages / "align").iterdir())
    assert any((stages / "translate-train-project").iterdir())


def test_given_translations_missing_and_unprojectable_entities_are_counted() -> None:
    translations = [
        "Angela Merkel visited Paris .",
        None,  # no translation: dropped, its 2 entities counted
        "Nothing here .",
        "He spoke .",  # Obama is absent: entity not projected, confidence 0
    ]
    out = translate_train(_sources(), _opts(), translations=translations)
    assert [r.status for r in out.records] == [KEPT, NO_TRANSLATION, KEPT, KEPT]
    assert out.records[3].confidence == 0.0 and out.records[3].projected_entities == 0
    e = out.counts()["source_entities"]
    assert e["in_sentences_without_translation"] == 2
    assert e["not_projected_in_kept"] == 1
    assert out.sentences[2].tags == ["O", "O", "O"]

    strict = translate_train(_sources(), _opts(min_confidence=0.5), translations=translations)
    assert [r.status for r in strict.records] == [KEPT, NO_TRANSLATION, KEPT, BELOW_CONFIDENCE]
    assert strict.counts()["source_entities"]["in_sentences_below_confidence"] == 1
    assert "1 below confidence" in strict.summary()


def test_tokenizes_untokenized_translations() -> None:
    out = translate_train(_sources()[:1], _opts(), translations=["Angela Merkel visited Paris."])
    assert out.sentences[0].tokens == ["Angela", "Merkel", "visited", "Paris", "."]
    assert out.sentences[0].tags == ["B-PER", "I-PER", "O", "B-LOC", "O"]


def test_projection_failure_is_reported_not_silent() -> None:
    from projner.project import Projector, register_projector

    class Boom(Projector):
        name = "boom"

        def project_links(self, example):  # type: ignore[no-untyped-def]
            raise RuntimeError("solver exploded")

    register_projector("boom-test", lambda **_: Boom())
    out = translate_train(_sources(), _opts(translator="counting-test", projector="boom-test"))
    statuses = [r.status for r in out.records]
    # sentences without entities never reach the projector, so they are kept
    assert statuses == [PROJECTION_FAILED, PROJECTION_FAILED, KEPT, PROJECTION_FAILED]
    assert "solver exploded" in out.records[0].message
    assert out.counts()["source_entities"]["in_failed_projections"] == 5


def test_labels_filter_source_entities_before_projection() -> None:
    out = translate_train(_sources(), _opts(translator="counting-test", labels=("PER",)))
    assert out.sentences[0].tags == ["B-PER", "I-PER", "O", "O", "O"]
    assert out.counts()["source_entities"]["input"] == 2


def test_marker_projector_with_a_translator_that_keeps_brackets() -> None:
    out = translate_train(_sources(), _opts(translator="counting-test", projector="markers"))
    assert [s.tags for s in out.sentences] == [s.tags for s in _sources()]
    assert out.counts()["source_entities"]["projected_in_kept"] == 5
    with pytest.raises(ValueError, match="marker"):
        translate_train(_sources(), _opts(projector="markers"), translations=["a"] * 4)


def test_write_formats_carry_confidence(tmp_path: Path) -> None:
    from projner import io

    out = translate_train(
        _sources(), _opts(), translations=["Angela Merkel visited Paris .", None, "x", "He spoke ."]
    )
    conll = tmp_path / "train.conll"
    paths = write_training_set(out, str(conll), "conll")
    assert paths == [str(conll), f"{conll}.confidence.tsv"]
    assert [s.tokens for s in io.read(conll)] == [s.tokens for s in out.sentences]
    side = Path(paths[1]).read_text().splitlines()
    assert side[0] == "sentence\tid\tsource_index\tconfidence" and side[1:] == [
        "1\ts1\t0\t1.0",
        "2\ts3\t2\t1.0",
        "3\ts4\t3\t0.0",
    ]

    jl = tmp_path / "train.jsonl"
    write_training_set(out, str(jl), "jsonl")
    rows = [json.loads(line) for line in jl.read_text().splitlines()]
    assert [r["confidence"] for r in rows] == [1.0, 1.0, 0.0] and rows[0]["ner_tags"][0] == "B-PER"

    hf = tmp_path / "train_hf"
    write_training_set(out, str(hf), "hf")
    import datasets

    ds = datasets.load_from_disk(str(hf))
    assert ds["confidence"] == [1.0, 1.0, 0.0] and ds["source_index"] == [0, 2, 3]
    assert [s.tags for s in io.read(hf)] == [s.tags for s in out.sentences]


def test_read_translation_file_checks_line_count(tmp_path: Path) -> None:
    from projner.core.types import InputError

    p = tmp_path / "t.txt"
    p.write_text("a b\n\nc\n", encoding="utf-8")
    assert read_translation_file(str(p), 3) == ["a b", None, "c"]
    with pytest.raises(InputError, match="3 lines but the source has 4"):
        read_translation_file(str(p), 4)


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    from projner.cli.main import main

    monkeypatch.setattr(sys, "argv", ["projner", *argv])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _write_source(path: Path) -> Path:
    lines: list[str] = []
    for s in _sources():
        lines += [f"{t}\t{g}" for t, g in zip(s.tokens, s.tags or [], strict=True)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_translation_file_jsonl_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write_source(tmp_path / "en.conll")
    tr = tmp_path / "xx.txt"
    tr.write_text("Angela Merkel visited Paris.\n\nNothing here.\nHe spoke.\n", encoding="utf-8")
    out, rep = tmp_path / "xx.jsonl", tmp_path / "report.json"
    argv = ["translate-train", "--source", str(src), "--target-lang", "xx", "--translation", str(tr),
            "--aligner", "exact-match", "--min-confidence", "0.5", "--format", "jsonl", "-o", str(out),
            "--report", str(rep)]  # fmt: skip
    assert _run(argv, monkeypatch) == 0
    text = capsys.readouterr().out
    assert "2 kept, 1 without translation, 0 projection failures, 1 below confidence" in text
    assert len(out.read_text().splitlines()) == 2
    report = json.loads(rep.read_text())
    assert report["counts"]["sentences"]["kept"] == 2
    assert (
        report["dropped"]["2"]["status"] == NO_TRANSLATION
        and report["dropped"]["4"]["status"] == BELOW_CONFIDENCE
    )
    card = json.loads(Path(f"{out}.card.json").read_text())  # provenance of the training set
    assert card["command"] == "translate-train" and set(card["inputs"]) == {"source", "translation"}
    assert card["options"]["min_confidence"] == 0.5 and card["counts"]["sentences"]["kept"] == 2


def test_cli_translator_conll(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _write_source(tmp_path / "en.conll")
    out = tmp_path / "xx.conll"
    argv = ["translate-train", "--source", str(src), "--target-lang", "xx", "--translator", "identity",
            "--aligner", "exact-match", "-o", str(out)]  # fmt: skip
    assert _run(argv, monkeypatch) == 0
    assert out.exists() and Path(f"{out}.confidence.tsv").exists()


def test_cli_bad_input_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write_source(tmp_path / "en.conll")
    tr = tmp_path / "short.txt"
    tr.write_text("one line\n", encoding="utf-8")
    base = ["translate-train", "--source", str(src), "--target-lang", "xx", "-o", str(tmp_path / "o.conll")]
    assert _run([*base, "--translation", str(tr)], monkeypatch) == 2
    assert "short.txt" in capsys.readouterr().err
    assert _run(base, monkeypatch) == 2  # neither --translator nor --translation
    assert _run([*base, "--translator", "identity", "--format", "xml"], monkeypatch) == 2
    plain = tmp_path / "plain.txt"
    plain.write_text("no tags here\n", encoding="utf-8")
    assert _run(["translate-train", "--source", str(plain), "--target-lang", "xx", "--translator", "identity",
                 "-o", str(tmp_path / "p.conll")], monkeypatch) == 2  # fmt: skip
