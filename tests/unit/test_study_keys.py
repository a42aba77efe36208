"""The study's cell key must change whenever an input that reaches the cell's numbers changes."""

from __future__ import annotations

from pathlib import Path

from projner.core.types import ParallelExample, Sentence, Span
from projner.study.config import PairSpec, StudyConfig
from projner.study.data import EvalSet
from projner.study.pools import Pool
from projner.study.runner import Cell, Study


def _study(tmp_path: Path, label: str = "PER", pool_word: str = "Haus", n: int = 60) -> Study:
    pair = PairSpec(name="toy", eval="europarl-ner:de", pool="multi30k:de")
    study = Study(StudyConfig(pairs=(pair,), arms=("zero-shot",)), tmp_path, echo=lambda _: None)
    examples = [
        ParallelExample(
            source=Sentence(["Anna", "sleeps", str(i)]),
            target=Sentence(["Anna", "schläft", str(i)]),
            # only the last sentence's label varies: version 1 hashed the first 50 sentences' tokens only
            source_spans=[Span(0, 1, label if i == n - 1 else "PER")],
        )
        for i in range(n)
    ]
    study.evals["toy"] = EvalSet(pair, examples, examples)
    study.pools["multi30k:de"] = Pool("multi30k:de", [(["a", "house"], ["ein", pool_word])], {"kept": 1})
    return study


def test_cell_key_covers_source_spans_of_every_sentence_and_the_pool_pairs(tmp_path: Path) -> None:
    cell = Cell("zero-shot", "toy", "multi30k:de", 0, 0, 0)
    base = _study(tmp_path / "a").cell_key(cell)
    assert _study(tmp_path / "b").cell_key(cell) == base
    assert _study(tmp_path / "c", label="ORG").cell_key(cell) != base
    assert _study(tmp_path / "d", pool_word="Heim").cell_key(cell) != base


def test_statistical_arm_keys_differ_and_name_the_fill_aligner(tmp_path: Path) -> None:
    study = _study(tmp_path)
    eflomal = study.cell_key(Cell("eflomal", "toy", "multi30k:de", 0, 0, 0))
    fill = study.cell_key(Cell("fill", "toy", "multi30k:de", 0, 0, 0))
    assert eflomal.startswith("eflomal-") and fill.startswith("fill-") and eflomal[-12:] != fill[-12:]
    params = study.fill_aligner().params()
    assert params["secondary"][0] == "thot-eflomal-inter" and params["reassign"] is True
