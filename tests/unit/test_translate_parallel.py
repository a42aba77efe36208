from __future__ import annotations

import logging
from pathlib import Path

import pytest

from projner.core.types import InputError
from projner.translate import detokenize, get_translator
from projner.translate.parallel import ParallelFileTranslator, mafand_translations


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_lookup_is_tokenization_insensitive_and_reports_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = write(tmp_path / "a.lug", ["Kampala, Uganda.", "Omusajja agenze.", "Ekibuga kinene."])
    tgt = write(tmp_path / "a.en", ["Kampala, Uganda.", "The man went.", "A big city."])
    t = get_translator("parallel-file", from_file=src, to_file=tgt, from_lang="lug", to_lang="en")
    queries = [
        detokenize(["Kampala", ",", "Uganda", "."], "lug"),
        "Kampala , Uganda .",
        "not there",
        "Ekibuga kinene.",
    ]
    with caplog.at_level(logging.WARNING):
        out = t.translate(queries, "lug", "en")
    assert out == ["Kampala, Uganda.", "Kampala, Uganda.", "", "A big city."]
    assert t.last_missing == [2]
    assert "1 of 4 sentences have no translation" in caplog.text
    assert t.lookup(queries) == ["Kampala, Uganda.", "Kampala, Uganda.", None, "A big city."]


def test_direction_is_checked(tmp_path: Path) -> None:
    t = ParallelFileTranslator(mapping={"a": "b"}, from_lang="lug", to_lang="en")
    with pytest.raises(InputError, match="from_lang"):
        t.translate(["a"], "luo", "en")


def test_misaligned_files_are_an_error(tmp_path: Path) -> None:
    src = write(tmp_path / "a.x", ["1", "2"])
    tgt = write(tmp_path / "a.y", ["1"])
    with pytest.raises(InputError, match="line-aligned"):
        ParallelFileTranslator(from_file=src, to_file=tgt)


def test_from_aligned_skips_empty_translations_and_keeps_first_duplicate() -> None:
    t = ParallelFileTranslator.from_aligned(["s1", "s2", "s1", "s3"], ["t1", "", "other", None])
    assert t.lookup(["s1", "s2", "s3"]) == ["t1", None, None]
    assert t.conflicts == 1 and len(t) == 1


def test_params_change_with_content() -> None:
    a = ParallelFileTranslator(mapping={"a": "b"}).params()
    b = ParallelFileTranslator(mapping={"a": "c"}).params()
    assert a != b


def test_mafand_mapping_reader(tmp_path: Path) -> None:
    (tmp_path / "masakhaner2").mkdir()
    (tmp_path / "mafand-mt" / "en-lug").mkdir(parents=True)
    write(tmp_path / "mafand-mt" / "en-lug" / "test.en", ["zero", "one", "two"])
    write(tmp_path / "mafand-mt" / "en-lug" / "test.lug", ["nul", "emu", "bbiri"])
    write(
        tmp_path / "masakhaner2" / "masakhaner2_to_mafand.tsv",
        [
            "lang\tner_split\tner_sentence_index\tmafand_source_lang\tmafand_target_file\tmafand_line_index",
            "lug\ttest\t0\ten\ten-lug/test.lug\t2",
            "lug\ttest\t5\ten\ten-lug/test.lug\t0",
            "lug\tdev\t1\ten\ten-lug/test.lug\t1",
            "luo\ttest\t1\ten\ten-luo/test.luo\t1",
        ],
    )
    assert mafand_translations("lug", "test", root=tmp_path) == {0: "two", 5: "zero"}
    bad = tmp_path / "masakhaner2" / "masakhaner2_to_mafand.tsv"
    bad.write_text(bad.read_text() + "lug\ttest\t6\ten\ten-lug/test.lug\t99\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"masakhaner2_to_mafand.tsv:6: line index 99"):
        mafand_translations("lug", "test", root=tmp_path)
