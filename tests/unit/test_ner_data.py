"""Training-data handling of projner.ner: label filtering, IOB2 normalisation, readers, card metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.core.types import InputError, Sentence
from projner.ner.data import (
    bio_labels,
    describe_file,
    entity_types,
    licence_note,
    normalise_tags,
    prepare,
    read_sentences,
)


def test_normalise_drops_types_outside_labels_and_repairs_iob2() -> None:
    tags = ["I-PER", "I-PER", "O", "B-DATE", "I-DATE", "B-LOC"]
    assert normalise_tags(tags, ["PER", "ORG", "LOC"]) == ["B-PER", "I-PER", "O", "O", "O", "B-LOC"]
    assert normalise_tags(tags, None) == ["B-PER", "I-PER", "O", "B-DATE", "I-DATE", "B-LOC"]


def test_normalise_converts_bioes() -> None:
    assert normalise_tags(["B-ORG", "E-ORG", "S-PER"], None) == ["B-ORG", "I-ORG", "B-PER"]


def test_entity_types_by_frequency_then_name() -> None:
    sents = [
        Sentence(["a", "b", "c"], ["B-LOC", "O", "B-PER"]),
        Sentence(["d", "e"], ["B-PER", "B-ORG"]),
    ]
    assert entity_types(sents) == ["PER", "LOC", "ORG"]
    assert bio_labels(["PER", "LOC"]) == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def test_prepare_uses_given_label_order_and_skips_empty() -> None:
    sents = [Sentence(["x", "y"], ["B-DATE", "B-PER"]), Sentence([], [])]
    data = prepare(sents, ["PER", "LOC"])
    assert data.types == ["PER", "LOC"]
    assert data.tags == [["O", "B-PER"]]
    assert len(data) == 1


def test_read_conll_strips_language_prefix(tmp_path: Path) -> None:
    f = tmp_path / "w.txt"
    f.write_text("en:Paris\tB-LOC\nen:is\tO\n\nen:Bob\tB-PER\n", encoding="utf-8")
    sents = read_sentences(f)
    assert [s.tokens for s in sents] == [["Paris", "is"], ["Bob"]]
    assert sents[0].lang == "en"
    assert sents[1].tags == ["B-PER"]


def test_read_conll_bad_tag_names_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.conll"
    f.write_text("Paris\tB-LOC\nis\tWRONG\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.conll:2: .*WRONG"):
        read_sentences(f)


def test_read_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_text(
        '{"tokens": ["Bob", "runs"], "ner_tags": ["B-PER", "O"]}\n\n{"tokens": ["x"]}\n', encoding="utf-8"
    )
    sents = read_sentences(f)
    assert sents[0].tags == ["B-PER", "O"]
    assert sents[1].tags is None
    f.write_text('{"tokens": ["Bob"], "ner_tags": ["B-PER", "O"]}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"d\.jsonl:1:"):
        read_sentences(f)


def test_read_sentences_requires_tags_for_training(tmp_path: Path) -> None:
    f = tmp_path / "plain.jsonl"
    f.write_text('{"tokens": ["Bob", "runs"]}\n', encoding="utf-8")
    assert read_sentences(f)[0].tokens == ["Bob", "runs"]
    with pytest.raises(InputError, match="plain.jsonl"):
        read_sentences(f, require_tags=True)


def test_read_sentences_missing_file(tmp_path: Path) -> None:
    with pytest.raises((FileNotFoundError, InputError)):
        read_sentences(tmp_path / "nope.conll")


def test_describe_file_records_fingerprint_and_licence(tmp_path: Path) -> None:
    d = tmp_path / "ds" / "en"
    d.mkdir(parents=True)
    (tmp_path / "ds" / "PROVENANCE.md").write_text("# X\n- License: CC BY-SA 3.0\n", encoding="utf-8")
    f = d / "train.conll"
    f.write_text("Bob\tB-PER\n", encoding="utf-8")
    info = describe_file(f, 1)
    assert info["licence"] == "CC BY-SA 3.0"
    assert info["sentences"] == 1 and len(str(info["fingerprint"])) == 16
    assert licence_note(tmp_path / "elsewhere.txt") is None
    f.write_text("Bob\tB-ORG\n", encoding="utf-8")
    assert describe_file(f, 1)["fingerprint"] != info["fingerprint"]
