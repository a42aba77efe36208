"""The one parser of masakhaner2_to_mafand.tsv (registry.masakhaner2_mafand_rows) on a mapping written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.core.types import InputError
from projner.data import registry
from projner.study.pools import mapped_test_lines
from projner.translate.parallel import mafand_translations

HEADER = "lang\tner_split\tner_sentence_index\tmafand_source_lang\tmafand_target_file\tmafand_line_index\n"


def _mapping(root: Path, body: str, header: str = HEADER) -> Path:
    path = root / "masakhaner2" / "masakhaner2_to_mafand.tsv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path


def test_rows_filter_keep_duplicates_and_line_numbers(tmp_path: Path) -> None:
    _mapping(
        tmp_path,
        "lug\ttest\t0\ten\ten-lug/test.lug\t2\n"
        "lug\tdev\t1\ten\ten-lug/dev.lug\t1\n"
        "lug\ttest\t0\ten\ten-lug/test.lug\t3\n"
        "bam\ttest\t4\tfr\tfr-bam/test.bam\t7\n",
    )
    rows = registry.masakhaner2_mafand_rows("lug", "test", root=tmp_path)
    assert [(r.line, r.ner_index, r.link.line_index) for r in rows] == [(2, 0, 2), (4, 0, 3)]
    assert len(registry.masakhaner2_mafand_rows(root=tmp_path)) == 4
    (bam,) = registry.masakhaner2_mafand_rows("bam", root=tmp_path)
    assert bam.link.source_file == "fr-bam/test.fr" and bam.ner_split == "test"
    assert mapped_test_lines("lug", tmp_path) == {"en-lug/test.lug:2", "en-lug/test.lug:3"}


def test_rows_bad_input_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="MAFAND mapping not found"):
        registry.masakhaner2_mafand_rows(root=tmp_path)
    with pytest.raises(InputError, match="MAFAND mapping not found"):
        mafand_translations("lug", "test", root=tmp_path)
    _mapping(tmp_path, "lug\ttest\t0\ten\ten-lug/test.lug\t2\nlug\ttest\tx\ten\ten-lug/test.lug\t2\n")
    with pytest.raises(InputError, match=r"masakhaner2_to_mafand.tsv:3: bad mapping row"):
        registry.masakhaner2_mafand_rows("lug", root=tmp_path)
    assert (
        registry.masakhaner2_mafand_rows("luo", root=tmp_path) == []
    )  # other languages' rows are not parsed
    _mapping(tmp_path, "lug\ttest\t0\n", header="lang\tner_split\tner_sentence_index\n")
    with pytest.raises(InputError, match=r"masakhaner2_to_mafand.tsv:1: mapping header lacks column"):
        registry.masakhaner2_mafand_rows(root=tmp_path)
