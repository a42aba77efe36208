"""Target-NER boundary bonus (``ner_bonus``, projector ``greedy-nerext``) and ``projner project --target-tagger``.

The motivating case (Europarl-NER it): English "the Union" (entity "Union") is translated "l' Unione europea"
(gold "Unione europea"); "europea" is aligned to nothing, so Dice prefers "Unione". A target NER span
"Unione europea" that contains the best candidate wins with the bonus; a NER span that does not contain it
(or a candidate that is not a NER span) gets nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from projner.cli.main import app
from projner.core.types import Alignment, ParallelExample, Sentence, Span
from projner.project import get_projector
from projner.project.base import ProjectionError
from projner.project.matching import ner_extension_hits
from projner.tag.base import register_tagger


def _union_example(ner: list[tuple[int, int]] | None) -> ParallelExample:
    src = Sentence(["the", "Union", "acts"])
    tgt = Sentence(["l'", "Unione", "europea", "agisce"])
    meta: dict[str, object] = {} if ner is None else {"candidates": ner}
    ali = Alignment(np.array([[0, 0], [1, 1], [2, 3]]))
    return ParallelExample(src, tgt, [Span(1, 2, "ORG")], ali, meta=meta)


def test_hits_need_exact_ner_span_containing_the_best_candidate() -> None:
    rows = np.array([0, 0, 0, 1, 1])
    cols = np.array([0, 1, 2, 0, 3])
    vals = np.array([1.0, 0.6, 0.5, 0.2, 0.9])
    starts = np.array([1, 1, 0, 5])
    ends = np.array([2, 3, 3, 7])
    # row 0: best is candidate 0 = [1, 2); [1, 3) is a NER span containing it, [0, 3) is not a NER span.
    # row 1: best is candidate 3 = [5, 7); candidate 0 = [1, 2) is a NER span but does not contain it.
    hits = ner_extension_hits(rows, cols, vals, starts, ends, [(1, 3), (1, 2), (5, 6)])
    assert hits.tolist() == [True, True, False, False, False]
    assert not ner_extension_hits(rows, cols, vals, starts, ends, []).any()


def test_bonus_extends_over_unaligned_word_only_with_a_ner_span() -> None:
    plain = get_projector("greedy", max_len=10, unaligned_weight=0.5).project(_union_example(None))
    assert plain == [Span(1, 2, "ORG", plain[0].score)]
    (got,) = get_projector("greedy-nerext").project(_union_example([(1, 3)]))
    assert (got.start, got.end, got.label) == (1, 3, "ORG")
    assert got.score is not None and got.score < 1.0  # the Dice score, not Dice + bonus
    (kept,) = get_projector("greedy-nerext").project(_union_example([(2, 4)]))  # does not contain "Unione"
    assert (kept.start, kept.end) == (1, 2)
    with pytest.raises(ProjectionError, match="ner_bonus needs"):
        get_projector("greedy-nerext").project(_union_example(None))
    with pytest.raises(ValueError, match="ner_bonus"):
        get_projector("greedy", ner_bonus=-1.0)


def test_params_unchanged_without_bonus() -> None:
    assert "ner_bonus" not in get_projector("greedy").params
    assert get_projector("greedy-nerext").params["ner_bonus"] == 1.0
    assert get_projector("greedy-nerext", ner_bonus=0.3).params["ner_bonus"] == 0.3


@register_tagger("capitalised-target-test")
class _Capitalised:
    """Maximal runs of capitalised/lower-case-after-capital words: 'Unione europea' is one span."""

    def __init__(self, **_: object) -> None:
        pass

    def tag(self, sentences: list[list[str]]) -> list[list[Span]]:
        out = []
        for ws in sentences:
            spans = [Span(i, i + 2 if i + 1 < len(ws) and ws[i + 1] == "europea" else i + 1, "ORG")
                     for i, w in enumerate(ws) if w[:1].isupper()]  # fmt: skip
            out.append(spans)
        return out


def test_cli_target_tagger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    (tmp_path / "src.conll").write_text("the\tO\nUnion\tB-ORG\nacts\tO\n\n", encoding="utf-8")
    (tmp_path / "tgt.conll").write_text("l'\tO\nUnione\tO\neuropea\tO\nagisce\tO\n\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("0-0 1-1 2-3\n", encoding="utf-8")
    base = ["project", "--source", str(tmp_path / "src.conll"), "--target", str(tmp_path / "tgt.conll"),
            "--alignments", str(tmp_path / "a.txt")]  # fmt: skip
    out = tmp_path / "out.conll"
    res = CliRunner().invoke(
        app,
        [*base, "-o", str(out), "--projector", "greedy-nerext", "--target-tagger", "capitalised-target-test"],
    )
    assert res.exit_code == 0, res.output
    assert [ln.split("\t")[1] for ln in out.read_text().split("\n\n")[0].splitlines()] == [
        "O",
        "B-ORG",
        "I-ORG",
        "O",
    ]
    res = CliRunner().invoke(app, [*base, "-o", str(out), "--projector", "greedy-nerext"])
    assert res.exit_code != 0 and "--target-tagger" in str(res.exception)
    res = CliRunner().invoke(app, [*base, "-o", str(out), "--projector", "ner-greedy"])
    assert res.exit_code != 0 and "--target-tagger" in str(res.exception)


def test_cli_target_spans_with_engine_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "s.conll").write_text("Union\tB-ORG\n\n", encoding="utf-8")
    (tmp_path / "t.conll").write_text("Unione\tO\n\n", encoding="utf-8")
    base = ["project", "--source", str(tmp_path / "s.conll"), "--target", str(tmp_path / "t.conll"),
            "-o", str(tmp_path / "o.conll"), "--engine", "local"]  # fmt: skip
    res = CliRunner().invoke(app, [*base, "--projector", "greedy-nerext"])
    assert res.exit_code != 0 and "--engine" in str(res.exception)
    res = CliRunner().invoke(app, [*base, "--target-tagger", "capitalised-target-test"])
    assert res.exit_code != 0 and "--engine" in str(res.exception)
