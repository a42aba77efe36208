"""The dataset registry on a fake data root written here (PROJNER_DATA), plus the CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projner import io
from projner.core.types import InputError
from projner.data import registry
from projner.data.stats import corpus_stats


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROJNER_DATA", str(tmp_path))
    (tmp_path / "europarl-ner").mkdir()
    (tmp_path / "europarl-ner" / "de-europarl.test.conll02").write_text(
        "Herr\tO\nBarón\tB-PER\n\nRom\tB-LOC\n\n"
    )
    lug = tmp_path / "masakhaner2" / "lug"
    lug.mkdir(parents=True)
    (lug / "test.txt").write_text("Kampala B-LOC\nkibuga O\n\nMusoke B-PER\n\nomusajja O\n\n")
    (tmp_path / "masakhaner2" / "masakhaner2_to_mafand.tsv").write_text(
        "lang\tner_split\tner_sentence_index\tmafand_source_lang\tmafand_target_file\tmafand_line_index\n"
        "lug\ttest\t0\ten\ten-lug/test.lug\t1\n"
        "lug\ttest\t2\ten\ten-lug/dev.lug\t0\n"
        "luo\ttest\t0\ten\ten-luo/test.luo\t0\n"
    )
    pair = tmp_path / "mafand-mt" / "en-lug"
    pair.mkdir(parents=True)
    (pair / "test.en").write_text("First line.\nKampala is a city.\n")
    (pair / "test.lug").write_text("Layini esooka.\nKampala kibuga.\n")
    (pair / "dev.en").write_text("A man.\n")
    (pair / "dev.lug").write_text("Omusajja.\n")
    uner = tmp_path / "uner-pud"
    uner.mkdir()
    (uner / "zh_to_en_alignment.tsv").write_text(
        "zh_index\tzh_sent_id\ten_index\ten_sent_id\tcosine_me5\tmutual_best\n"
        "1\tb-2\t0\tn-1\t0.8\t1\n0\tb-1\t1\tn-2\t0.9\t0\n"
    )
    (tmp_path / "multi30k").mkdir()
    (tmp_path / "multi30k" / "val.en.txt").write_text("a dog\ntwo cats\n")
    (tmp_path / "multi30k" / "val.de.txt").write_text("ein Hund\n")
    return tmp_path


def test_parse_names(root: Path) -> None:
    ref = registry.parse("masakhaner2:lug:test")
    assert (ref.info.name, ref.lang, ref.split) == ("masakhaner2", "lug", "test")
    assert registry.parse("europarl-ner:de").split == "test"  # single-split datasets default to it
    assert registry.parse("mafand-mt:lug:train").lang == "en-lug"
    assert registry.parse("wikiann-panx:en:train").info.name == "wikiann"
    with pytest.raises(InputError, match="splits train, dev, test"):
        registry.parse("masakhaner2:lug")
    with pytest.raises(InputError, match="languages"):
        registry.parse("europarl-ner:xx")
    with pytest.raises(InputError, match="unknown dataset"):
        registry.parse("conll2003:en:test")
    assert registry.is_dataset_name("uner-pud:zh") and not registry.is_dataset_name("file.conll")


def test_read_by_name(root: Path) -> None:
    sents = list(io.read("europarl-ner:de"))
    assert [s.tokens for s in sents] == [["Herr", "Barón"], ["Rom"]]
    assert all(s.lang == "de" for s in sents)
    st = corpus_stats(io.read("masakhaner2:lug:test"))
    assert (st.sentences, st.tokens, dict(st.entities)) == (3, 4, {"LOC": 1, "PER": 1})


def test_missing_file_names_the_path(root: Path) -> None:
    with pytest.raises(InputError) as info:
        list(io.read("europarl-ner:en"))
    assert "en-europarl.test.conll02" in str(info.value) and "nearest existing folder" in str(info.value)
    with pytest.raises(InputError, match="masakhaner2/luo"):
        registry.resolve("masakhaner2:luo:test")


def test_read_parallel(root: Path) -> None:
    assert list(registry.read_parallel("mafand-mt:en-lug:test")) == [
        ("First line.", "Layini esooka."),
        ("Kampala is a city.", "Kampala kibuga."),
    ]
    assert next(registry.read_parallel("mafand-mt:lug-en:test")) == ("Layini esooka.", "First line.")
    with pytest.raises(InputError, match="more lines"):
        list(registry.read_parallel("multi30k:en-de:val"))


def test_masakhaner2_to_mafand(root: Path) -> None:
    assert registry.masakhaner2_to_mafand("lug", "test") == ["Kampala is a city.", None, "A man."]
    links = registry.masakhaner2_mafand_links("lug", "test")
    assert links[0].source_file == "en-lug/test.en"


def test_uner_zh_to_en(root: Path) -> None:
    assert registry.uner_zh_to_en() == [1, 0]
    assert registry.uner_zh_alignment()[0].mutual_best is False


def test_no_data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROJNER_DATA", str(tmp_path / "absent"))
    with pytest.raises(InputError, match="PROJNER_DATA"):
        registry.resolve("europarl-ner:de")


def test_cli_data_and_convert(root: Path, tmp_path: Path) -> None:
    from projner.cli.main import app

    runner = CliRunner()
    res = runner.invoke(app, ["data", "list", "--json"])
    assert res.exit_code == 0, res.output
    assert '"europarl-ner"' in res.output and '"present": true' in res.output
    res = runner.invoke(app, ["data", "show", "masakhaner2:lug:test", "--json"])
    assert res.exit_code == 0, res.output
    assert '"sentences": 3' in res.output and '"LOC": 1' in res.output
    res = runner.invoke(app, ["data", "show", "mafand-mt:en-lug", "--json"])
    assert res.exit_code == 0 and '"pairs": 2' in res.output
    out = tmp_path / "o" / "de.jsonl"
    res = runner.invoke(app, ["convert", "europarl-ner:de", str(out)])
    assert res.exit_code == 0, res.output
    assert [s.tags for s in io.read(out)] == [["O", "B-PER"], ["B-LOC"]]
    card = json.loads(
        Path(f"{out}.card.json").read_text(encoding="utf-8")
    )  # a converted dataset keeps its terms
    assert card["inputs"]["input"]["dataset"] == "europarl-ner:de" and card["licences"] == [
        card["inputs"]["input"]["licence"]
    ]
    back = tmp_path / "o" / "de.conll02"
    res = runner.invoke(app, ["convert", str(out), str(back)])
    assert res.exit_code == 0, res.output
    assert back.read_bytes() == (root / "europarl-ner" / "de-europarl.test.conll02").read_bytes()
    res = runner.invoke(app, ["convert", str(out), str(tmp_path / "x.out"), "--to", "wikiann"])
    assert res.exit_code == 0 and (tmp_path / "x.out").read_text().startswith("de:Herr\tO\n")
    assert "names no format" not in res.output  # --to given: no note
    # an unknown extension: the format chosen is said, not silent
    res = runner.invoke(app, ["convert", str(back), str(tmp_path / "y.out")])
    assert res.exit_code == 0 and "the extension '.out' names no format; writing conll02" in res.output
