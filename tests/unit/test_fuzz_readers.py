"""Fuzzing every reader: corrupted files either read into well-formed sentences or raise InputError naming the file.

Never another exception type (an IndexError or UnicodeDecodeError would be a bug), never a sentence whose tags
disagree with its tokens. Plus the named bad inputs of docs/reliability.md: truncated lines, wrong column counts,
CRLF, BOM, non-UTF-8, empty sentences, 5,000-token sentences, mismatched source/target counts, unknown labels.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from projner import io
from projner.cli.main import app
from projner.core.tags import is_valid_tag
from projner.core.types import InputError, Sentence

SAMPLE = [
    Sentence(
        ["Angela", "Merkel", "met", "Obama", "."], ["B-PER", "I-PER", "O", "B-PER", "O"], id="s1", lang="en"
    ),
    Sentence(["The", "EU", "said"], ["O", "B-ORG", "O"], id="s2", lang="en"),
    Sentence(["in", "New", "York"], ["O", "B-LOC", "I-LOC"], id="s3", lang="en"),
]
FORMATS = ["conll", "conll02", "masakhaner", "wikiann", "uner", "text", "jsonl"]


def _valid_bytes(fmt: str) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f"
        io.write(SAMPLE, p, fmt)
        return p.read_bytes()


VALID = {fmt: _valid_bytes(fmt) for fmt in FORMATS}


@st.composite
def mutated(draw: st.DrawFn, fmt: str) -> bytes:
    data = bytearray(VALID[fmt])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "insert", "delete", "replace", "crlf", "bom", "dup_line"]))
        pos = draw(st.integers(0, len(data)))
        if kind == "truncate":
            del data[pos:]
        elif kind == "insert":
            junk = draw(
                st.sampled_from(
                    [b"\t", b" ", b"\n", b"\n\n", b"\xff", b"\xc3", b"{", b"B-", b"I-X", b"\r", b"#"]
                )
            )
            data[pos:pos] = junk
        elif kind == "delete" and data:
            del data[pos : pos + draw(st.integers(1, 5))]
        elif kind == "replace" and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif kind == "crlf":
            data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
        elif kind == "bom":
            data[0:0] = b"\xef\xbb\xbf"
        elif kind == "dup_line":
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, max(0, len(lines) - 1)))
            lines.insert(k, lines[k] if lines else b"")
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def _check(path: Path, fmt: str) -> None:
    try:
        sents = list(io.read(path, fmt))
    except InputError as exc:
        assert str(path) in str(exc), str(exc)
        return
    assert sents
    for s in sents:
        assert all(isinstance(t, str) for t in s.tokens)
        if s.tags is not None:
            assert len(s.tags) == len(s.tokens)
            assert all(is_valid_tag(t) for t in s.tags), s.tags


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_mutated_files_read_or_raise_input_error(fmt: str, data: st.DataObject) -> None:
    raw = data.draw(mutated(fmt))
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "input"
        p.write_bytes(raw)
        _check(p, fmt)
        if raw.strip():  # detection must not crash either
            try:
                io.detect_format(p)
            except InputError as exc:
                assert str(p) in str(exc)


@pytest.mark.parametrize("fmt", FORMATS)
@given(raw=st.binary(max_size=200))
@settings(max_examples=30, deadline=None)
def test_random_bytes_read_or_raise_input_error(fmt: str, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "input"
        p.write_bytes(raw)
        _check(p, fmt)


@given(raw=st.binary(max_size=300), cut=st.integers(0, 2000))
@settings(max_examples=30, deadline=None)
def test_parquet_garbage_or_truncation_is_an_input_error(raw: bytes, cut: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        good = Path(d) / "good.parquet"
        io.write(SAMPLE, good, "parquet")
        for data in (raw, good.read_bytes()[:cut]):
            p = Path(d) / "input.parquet"
            p.write_bytes(data)
            _check(p, "parquet")


# ------------------------------------------------------------------------------------------- named bad inputs


def test_non_utf8_error_names_file_and_line(tmp_path: Path) -> None:
    for fmt in FORMATS:
        p = tmp_path / f"bad.{fmt}"
        lines = VALID[fmt].split(b"\n")
        lines[1] = lines[1] + b"\xe9"
        p.write_bytes(b"\n".join(lines))
        with pytest.raises(InputError, match=rf"{p.name}:2: byte 0xe9"):
            list(io.read(p, fmt))


def test_truncated_jsonl_line_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "t.jsonl"
    raw = VALID["jsonl"]
    p.write_bytes(raw[: raw.rindex(b",")])  # cut inside the last object
    with pytest.raises(InputError, match=r"t\.jsonl:3: not valid JSON"):
        list(io.read(p))


@pytest.mark.parametrize("fmt", FORMATS)
def test_5000_token_sentence(tmp_path: Path, fmt: str) -> None:
    toks = [f"w{i}" for i in range(5000)]
    tags = ["B-PER" if i % 7 == 0 else "O" for i in range(5000)]
    sent = Sentence(toks, tags, id="long", lang="en")
    p = tmp_path / f"long.{fmt}"
    io.write([sent, SAMPLE[0]], p, fmt)
    back = list(io.read(p, fmt))
    assert back[0].tokens == toks and len(back) == 2
    if fmt != "text":
        assert back[0].tags == tags


def test_5000_token_sentence_projects(tmp_path: Path) -> None:
    n = 5000
    src = tmp_path / "s.conll"
    src.write_text("".join(f"w{i}\t{'B-PER' if i % 500 == 0 else 'O'}\n" for i in range(n)) + "\n")
    tgt = tmp_path / "t.tok"
    # capitalised: the default projector drops one-word names projected onto a lower-case word
    tgt.write_text(" ".join(f"V{i}" for i in range(n)) + "\n")
    ali = tmp_path / "a.txt"
    ali.write_text(" ".join(f"{i}-{i}" for i in range(n)) + "\n")
    out = tmp_path / "o.conll"
    res = CliRunner().invoke(
        app,
        [
            "project",
            "--source",
            str(src),
            "--target",
            str(tgt),
            "--alignments",
            str(ali),
            "-o",
            str(out),
            "--engine",
            "local",
            "--run-dir",
            str(tmp_path / "r"),
        ],
    )
    assert res.exit_code == 0, res.output
    tags = [line.split("\t")[1] for line in out.read_text().splitlines() if line]
    assert len(tags) == n and tags.count("B-PER") == n // 500


def test_empty_sentences_in_text_keep_alignment(tmp_path: Path) -> None:
    p = tmp_path / "t.tok"
    p.write_text("a b\n\nc\n")
    assert [s.tokens for s in io.read(p)] == [["a", "b"], [], ["c"]]


@pytest.mark.parametrize("engine", [None, "local"])
def test_mismatched_counts_are_errors(tmp_path: Path, engine: str | None) -> None:
    src = tmp_path / "s.conll"
    io.write(SAMPLE, src, "conll")
    tgt = tmp_path / "t.tok"
    tgt.write_text("a b\nc d\n")  # 2 targets for 3 sources
    ali = tmp_path / "a.txt"
    ali.write_text("0-0\n0-0\n0-0\n")
    extra = ["--engine", engine, "--run-dir", str(tmp_path / "r")] if engine else []
    res = CliRunner().invoke(
        app,
        [
            "project",
            "--source",
            str(src),
            "--target",
            str(tgt),
            "--alignments",
            str(ali),
            "-o",
            str(tmp_path / "o.conll"),
            *extra,
        ],
    )
    assert isinstance(res.exception, InputError)
    assert "t.tok" in str(res.exception) or "s.conll" in str(res.exception)
    assert not (tmp_path / "o.conll").exists()


def test_unknown_entity_types_are_kept_and_unknown_tags_rejected(tmp_path: Path) -> None:
    p = tmp_path / "u.conll"
    p.write_text("Foo\tB-WEIRDTYPE\nbar\tO\n\n")
    assert list(io.read(p))[0].tags == ["B-WEIRDTYPE", "O"]  # any entity type is a valid label
    p.write_text("Foo\tX-PER\nbar\tO\n\n")
    with pytest.raises(InputError, match=r"u\.conll:1: invalid tag 'X-PER'"):
        list(io.read(p))


def test_labels_filter_naming_absent_type_reports_zero_entities(tmp_path: Path) -> None:
    src = tmp_path / "s.conll"
    io.write(SAMPLE, src, "conll")
    tgt = tmp_path / "t.tok"
    tgt.write_text("".join(" ".join(s.tokens) + "\n" for s in SAMPLE))
    ali = tmp_path / "a.txt"
    ali.write_text("".join(" ".join(f"{i}-{i}" for i in range(len(s.tokens))) + "\n" for s in SAMPLE))
    res = CliRunner().invoke(
        app,
        [
            "project",
            "--source",
            str(src),
            "--target",
            str(tgt),
            "--alignments",
            str(ali),
            "-o",
            str(tmp_path / "o.conll"),
            "--labels",
            "GPE",
        ],
    )
    assert res.exit_code == 0
    assert "0 source entities" in res.output  # visible in the summary, not silent
