"""Bad input: every case of the table in docs/formats.md gets a clear error naming file and line, or the
documented repair."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner import io
from projner.core.types import InputError


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    p.write_bytes(data)
    return p


def _error(path: Path, fmt: str | None = None, **kw: object) -> InputError:
    with pytest.raises(InputError) as info:
        list(io.read(path, fmt, **kw))
    return info.value


def test_crlf_is_read_silently(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll", "EU\tB-ORG\r\nrejects\tO\r\n\r\nok\tO\r\n")
    sents = list(io.read(p))
    assert [s.tokens for s in sents] == [["EU", "rejects"], ["ok"]]
    assert sents[0].tags == ["B-ORG", "O"]


def test_bom_is_stripped(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll02", b"\xef\xbb\xbfEU\tB-ORG\n\n")
    (s,) = io.read(p)
    assert s.tokens == ["EU"]
    j = _write(tmp_path, "x.jsonl", b'\xef\xbb\xbf{"tokens": ["a"], "ner_tags": ["O"]}\n')
    assert next(io.read(j)).tokens == ["a"]


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll", b"a\tO\n\nPar\xeds\tB-LOC\n\n")
    err = _error(p)
    assert err.path == str(p) and err.line == 3
    assert f"{p}:3:" in str(err) and "UTF-8" in str(err) and "0xed" in str(err)


@pytest.mark.parametrize("content", ["", "\n\n  \n", "-DOCSTART- -X- O O\n\n"])
def test_empty_file_is_an_error(tmp_path: Path, content: str) -> None:
    p = _write(tmp_path, "x.conll", content)
    err = _error(p, "conll")
    assert "no sentences" in str(err) and str(p) in str(err)


@pytest.mark.parametrize("fmt", ["conll", "conll02", "masakhaner", "wikiann", "uner", "text", "jsonl"])
def test_empty_file_every_format(tmp_path: Path, fmt: str) -> None:
    p = _write(tmp_path, "empty", "")
    assert "no sentences" in str(_error(p, fmt))


def test_empty_file_detection(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.txt", "")
    with pytest.raises(InputError, match="no sentences"):
        io.detect_format(p)


def test_missing_tag_column(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll", "EU\tB-ORG\nrejects\n\n")
    err = _error(p)
    assert err.line == 2 and "missing tag column" in str(err)


def test_wrong_column_count(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll", "EU NNP B-ORG\nrejects VBZ\n\n")
    err = _error(p)
    assert err.line == 2 and "expected 3 columns like line 1, found 2" in str(err)
    p2 = _write(tmp_path, "y.conll02", "EU\tNNP\tB-ORG\n\n")
    assert "expected 2 columns" in str(_error(p2))


@pytest.mark.parametrize(
    "tag,hint",
    [
        ("X-PER", "invalid tag"),
        ("I-", "type is missing"),
        ("0", "did you mean"),
        ("I-PER visited", "holds whitespace"),
    ],
)
def test_invalid_tags(tmp_path: Path, tag: str, hint: str) -> None:
    p = _write(tmp_path, "x.conll", f"a\tO\nb\t{tag}\n\n")
    err = _error(p)
    assert err.line == 2 and hint in str(err)


def test_invalid_tag_not_repaired(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll", "a\tX-PER\n\n")
    assert "invalid tag" in str(_error(p, repair=True))


def test_iob1_kept_or_repaired(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll", "a\tO\nb\tI-PER\nc\tI-LOC\nd\tB-LOC\n\n")
    (s,) = io.read(p)
    assert s.tags == ["O", "I-PER", "I-LOC", "B-LOC"]  # IOB1-style input is valid, kept as is
    (r,) = io.read(p, repair=True)
    assert r.tags == ["O", "B-PER", "B-LOC", "B-LOC"]  # same entities as seqeval reads, valid IOB2
    assert r.spans == s.spans


def test_bioes_is_accepted(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll", "a\tS-PER\nb\tB-LOC\nc\tE-LOC\n\n")
    (s,) = io.read(p)
    assert s.tags == ["S-PER", "B-LOC", "E-LOC"]
    assert next(io.read(p, repair=True)).tags == ["B-PER", "B-LOC", "I-LOC"]


def test_trailing_separator(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.conll02", "a\tO\t\n\n")
    assert "expected 2 columns" in str(_error(p))
    p = _write(tmp_path, "y.conll", "a\tO\t\n\n")
    assert "empty tag column" in str(_error(p))


def test_trailing_whitespace_after_tag_is_tolerated(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.txt", "Kampala B-LOC \nis O\n\n")
    (s,) = io.read(p, "masakhaner")
    assert s.tags == ["B-LOC", "O"]


def test_wikiann_missing_prefix(tmp_path: Path) -> None:
    p = _write(tmp_path, "train", "en:a\tO\nb\tO\n\n")
    err = _error(p, "wikiann")
    assert err.line == 2 and "en:" in str(err)


def test_uner_bad_index_and_dangling_comment(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.iob2", "# sent_id = 1\n1\ta\tO\t-\t-\n3\tb\tO\t-\t-\n\n")
    err = _error(p)
    assert err.line == 3 and "expected 2" in str(err)
    p = _write(tmp_path, "y.iob2", "1\ta\tO\t-\t-\n\n# sent_id = 2\n")
    assert "not followed by a sentence" in str(_error(p))
    p = _write(tmp_path, "z.iob2", "1\ta\n\n")
    assert _error(p).line == 1


def test_jsonl_malformed(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.jsonl", '{"tokens": ["a"], "ner_tags": ["O"]}\n{"tokens": ["a"], \n')
    err = _error(p)
    assert err.line == 2 and "not valid JSON" in str(err)
    p = _write(tmp_path, "y.jsonl", '{"tokens": ["a", "b"], "ner_tags": ["O"]}\n')
    assert "2 tokens but 1 ner_tags" in str(_error(p))
    p = _write(tmp_path, "z.jsonl", '{"words": ["a"]}\n')
    assert '"tokens"' in str(_error(p))
    p = _write(tmp_path, "w.jsonl", '{"tokens": ["a"], "ner_tags": [5]}\n')
    assert "outside the 2 labels" in str(_error(p, labels=["O", "B-PER"]))


@pytest.mark.parametrize("bad", ["1.5", "null", "true", "[1]", '{"x": 1}'])
@pytest.mark.parametrize("key", ["ner_tags", "tags"])
def test_jsonl_tag_of_wrong_type_names_file_and_line(tmp_path: Path, key: str, bad: str) -> None:
    """A tag that is neither a string nor an integer is an InputError naming the file and line, not a TypeError
    (with or without a label list; bool is rejected although it is an int subclass)."""
    good = f'{{"tokens": ["a"], "{key}": ["O"]}}'
    p = _write(tmp_path, "x.jsonl", f'{good}\n{{"tokens": ["a", "b"], "{key}": ["O", {bad}]}}\n')
    for labels in (None, ["O", "B-PER"]):
        err = _error(p, labels=labels)
        assert err.line == 2 and "x.jsonl" in str(err)
        assert "neither a string nor an integer" in str(err)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        list(io.read(tmp_path / "nope.conll"))
    p = _write(tmp_path, "x.conll", "a\tO\n\n")
    with pytest.raises(InputError, match="unknown format"):
        list(io.read(p, "xml"))
    with pytest.raises(InputError, match="not a Hugging Face"):
        list(io.read(tmp_path, "hf"))
