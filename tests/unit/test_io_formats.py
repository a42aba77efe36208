"""Round trips and format specifics on tiny synthetic files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner import io
from projner.core.types import InputError, Sentence

CONLL03 = (
    "-DOCSTART- -X- -X- O\n\n"
    "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n\n"
    "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n"
    "-DOCSTART- -X- -X- O\n\n"
    "BRUSSELS NNP B-NP B-LOC\n\n"
)
CONLL02 = "Wiederaufnahme\tO\nder\tO\nSitzung\tO\n\nHerr\tO\nBarón\tB-PER\nCrespo\tI-PER\n\n"
MASAKHANER = "Allied B-ORG\nForces I-ORG\nyasobola O\n\n O\nKampala B-LOC\n\n"
WIKIANN = "en:Shortly\tO\nen:Paris\tB-LOC\n\nen:New\tB-ORG\nen:York\tI-ORG\nen:Times\tI-ORG\n\n"
UNER = (
    "# newdoc id = d1\n# sent_id = d1-1\n# text = Obama wrote.\n"
    "1\tObama\tB-PER\t-\tann1\n2\twrote\tO\t-\t-\n3\t.\tO\t-\t-\n\n"
    "# sent_id = d1-2\n# text = In Rome\n1\tIn\tO\t-\t-\n2\tRome\tB-LOC\t-\tann2\n\n"
)
TEXT = "a tokenized sentence .\n\nanother one\n"
JSONL = (
    '{"id": "s1", "lang": "de", "tokens": ["Herr", "Barón"], "ner_tags": ["O", "B-PER"]}\n'
    '{"id": "s2", "tokens": ["Rom"], "ner_tags": ["B-LOC"], "source": "x"}\n'
)

CASES = {
    "conll": ("x.conll", CONLL03),
    "conll02": ("x.conll02", CONLL02),
    "masakhaner": ("x.txt", MASAKHANER),
    "wikiann": ("train", WIKIANN),
    "uner": ("x.iob2", UNER),
    "text": ("x.tok", TEXT),
    "jsonl": ("x.jsonl", JSONL),
}


def _fields(sents: list[Sentence]) -> list[tuple]:
    return [(s.tokens, s.tags, s.id, s.lang, s.meta) for s in sents]


@pytest.mark.parametrize("fmt", list(CASES))
def test_detect_and_byte_identical_rewrite(tmp_path: Path, fmt: str) -> None:
    name, content = CASES[fmt]
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    assert io.detect_format(src) == fmt
    first = list(io.read(src))
    out = tmp_path / ("out_" + name)
    assert io.write(first, out, fmt) == len(first)
    if fmt != "jsonl":  # jsonl key order is normalised; the sentences are still identical
        assert out.read_bytes() == src.read_bytes()
    assert _fields(list(io.read(out, fmt))) == _fields(first)


@pytest.mark.parametrize("fmt", list(CASES))
@pytest.mark.parametrize(
    "target", ["conll", "conll02", "masakhaner", "wikiann", "uner", "jsonl", "text", "hf"]
)
def test_cross_format_keeps_tokens_and_tags(tmp_path: Path, fmt: str, target: str) -> None:
    name, content = CASES[fmt]
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    sents = list(io.read(src))
    if target not in ("jsonl", "text", "hf") and any(not s.tokens for s in sents):
        pytest.skip("column formats cannot hold empty sentences")
    if target not in ("jsonl", "text", "hf") and sents[0].tags is None:
        pytest.skip("tag-less text cannot become a tagged column file")
    out = tmp_path / f"out.{target}"
    opts = {"lang": "xx"} if target == "wikiann" else {}
    if target == "text" and any(not t for s in sents for t in s.tokens):
        pytest.skip("an empty token cannot be written as whitespace-separated text")
    io.write(sents, out, target, **opts)
    back = list(io.read(out, target))
    assert [s.tokens for s in back] == [s.tokens for s in sents]
    if target != "text":
        assert [s.tags for s in back] == [s.tags for s in sents]


def test_conll_details(tmp_path: Path) -> None:
    p = tmp_path / "x.conll"
    p.write_text(CONLL03)
    sents = list(io.read(p))
    assert [s.tokens for s in sents] == [
        ["EU", "rejects", "German", "call"],
        ["Peter", "Blackburn"],
        ["BRUSSELS"],
    ]
    assert sents[0].meta["docstart"] == ["-DOCSTART- -X- -X- O"]
    assert "docstart" not in sents[1].meta
    assert sents[0].meta["columns"][0] == ["NNP", "B-NP"]
    assert sents[0].tags == ["B-ORG", "O", "B-MISC", "O"]
    assert sents[0].meta["sep"] == " "


def test_conll_tab_keeps_spaces_in_tokens(tmp_path: Path) -> None:
    p = tmp_path / "x.conll"
    p.write_text("New York\tB-LOC\ncity\tO\n\n")
    (s,) = io.read(p)
    assert s.tokens == ["New York", "city"]
    out = tmp_path / "y.conll"
    io.write([s], out)
    assert out.read_text() == p.read_text()


def test_wikiann_lang_prefix(tmp_path: Path) -> None:
    p = tmp_path / "train"
    p.write_text(WIKIANN)
    sents = list(io.read(p))
    assert sents[0].lang == "en" and sents[0].tokens == ["Shortly", "Paris"]
    # a sentence without a language needs lang=
    bare = Sentence(["a"], ["O"])
    with pytest.raises(InputError, match="language"):
        io.write([bare], tmp_path / "w", "wikiann")
    io.write([bare], tmp_path / "w", "wikiann", lang="de")
    assert (tmp_path / "w").read_text() == "de:a\tO\n\n"


def test_wikiann_token_with_colon(tmp_path: Path) -> None:
    p = tmp_path / "f"
    p.write_text("en::\tO\nen:http://x\tO\n\n")
    (s,) = io.read(p, "wikiann")
    assert s.tokens == [":", "http://x"]


def test_uner_ids_comments_misc(tmp_path: Path) -> None:
    p = tmp_path / "x.iob2"
    p.write_text(UNER)
    a, b = io.read(p)
    assert a.id == "d1-1" and b.id == "d1-2"
    assert a.meta["comments"][0] == "# newdoc id = d1"
    assert a.meta["misc"] == [["-", "ann1"], ["-", "-"], ["-", "-"]]


def test_uner_writer_from_other_format(tmp_path: Path) -> None:
    out = tmp_path / "o.iob2"
    io.write([Sentence(["Rome", "!"], ["B-LOC", "O"], id="s7")], out, "uner")
    assert out.read_text() == "# sent_id = s7\n# text = Rome !\n1\tRome\tB-LOC\t-\t-\n2\t!\tO\t-\t-\n\n"


def test_text_keeps_line_alignment(tmp_path: Path) -> None:
    p = tmp_path / "x.tok"
    p.write_text(TEXT)
    sents = list(io.read(p))
    assert [s.tokens for s in sents] == [["a", "tokenized", "sentence", "."], [], ["another", "one"]]
    assert all(s.tags is None for s in sents)


def test_jsonl_int_tags_and_extra(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text('{"id": 3, "tokens": ["Ana", "x"], "ner_tags": [1, 0], "pos": [1, 2]}\n')
    with pytest.raises(ValueError, match="label list"):
        list(io.read(p))
    (s,) = io.read(p, labels=["O", "B-PER"])
    assert s.tags == ["B-PER", "O"] and s.id == "3" and s.meta["extra"] == {"pos": [1, 2]}
    out = tmp_path / "y.jsonl"
    io.write([s], out, "jsonl", labels=["O", "B-PER"])
    assert out.read_text() == p.read_text()


def test_hf_dataset_object_and_dict(tmp_path: Path) -> None:
    import datasets

    feats = datasets.Features(
        {
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=["O", "B-PER", "I-PER"])),
        }
    )
    ds = datasets.Dataset.from_dict(
        {"tokens": [["Ana", "Lima", "x"]], "ner_tags": [[1, 2, 0]]}, features=feats
    )
    (s,) = io.read(ds)
    assert s.tags == ["B-PER", "I-PER", "O"]
    dd = datasets.DatasetDict({"train": ds, "test": ds})
    dd.save_to_disk(str(tmp_path / "dd"))
    assert io.detect_format(tmp_path / "dd") == "hf"
    with pytest.raises(ValueError, match="split"):
        list(io.read(tmp_path / "dd"))
    assert [x.tokens for x in io.read(tmp_path / "dd", split="test")] == [["Ana", "Lima", "x"]]
    # writing back keeps the ClassLabel order read from the input
    io.write([s], tmp_path / "out", "hf")
    back = datasets.load_from_disk(str(tmp_path / "out"))
    assert back.features["ner_tags"].feature.names == ["O", "B-PER", "I-PER"]
    assert back[0]["ner_tags"] == [1, 2, 0]


def test_write_is_atomic_on_error(tmp_path: Path) -> None:
    out = tmp_path / "o.conll"
    out.write_text("old\tO\n\n")

    def gen():
        yield Sentence(["a"], ["O"])
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        io.write(gen(), out)
    assert out.read_text() == "old\tO\n\n"
    assert [p.name for p in tmp_path.iterdir()] == ["o.conll"]


def test_reader_is_lazy(tmp_path: Path) -> None:
    p = tmp_path / "x.conll"
    p.write_text("a\tO\n\nb\tO\n\nc\tBAD\n\n")
    it = io.read(p)
    assert next(it).tokens == ["a"]  # the bad line 5 is not reached yet: the file is streamed
    assert next(it).tokens == ["b"]
    with pytest.raises(ValueError, match=":5:"):
        next(it)


def test_unwritable_tokens(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot represent"):
        io.write([Sentence(["a\tb"], ["O"])], tmp_path / "o.conll")
    with pytest.raises(ValueError, match="whitespace"):
        io.write([Sentence(["a b"], ["O"])], tmp_path / "o.conll", sep=" ")
    with pytest.raises(ValueError, match="no tokens"):
        io.write([Sentence([], [])], tmp_path / "o.conll")
    with pytest.raises(ValueError, match="no tags"):
        io.write([Sentence(["a"])], tmp_path / "o.conll")


def test_format_for_output(tmp_path: Path) -> None:
    assert io.format_for_output("a.jsonl") == "jsonl"
    assert io.format_for_output("a.iob2") == "uner"
    assert io.format_for_output("out/") == "hf"
    assert io.format_for_output("a.txt", default="masakhaner") == "masakhaner"
    assert set(io.FORMATS) == {
        "conll",
        "conll02",
        "masakhaner",
        "wikiann",
        "uner",
        "text",
        "jsonl",
        "hf",
        "parquet",
    }
