"""Projector contract: registry, batch filling, confidence, and errors that are raised or reported."""

from __future__ import annotations

import pytest

from projner.core.tags import iob2_errors, spans_to_tags
from projner.core.types import Alignment, ParallelExample, ProjnerError, Sentence, Span
from projner.project import PROJECTORS, Projection, ProjectionError, Projector, get_projector
from projner.project.base import sentence_confidence


def _ex(pairs: list[tuple[int, int]], ents: list[Span], n_src: int = 3, n_tgt: int = 3) -> ParallelExample:
    return ParallelExample(
        source=Sentence([f"s{i}" for i in range(n_src)], id="x"),
        target=Sentence([f"t{i}" for i in range(n_tgt)]),
        source_spans=ents,
        alignment=Alignment(pairs),
    )


def test_registry() -> None:
    assert {"heuristic", "greedy", "exact", "ner-greedy", "minmax", "fusion"} <= set(PROJECTORS)
    assert get_projector("greedy", max_len=3).params["max_len"] == 3
    with pytest.raises(ProjnerError, match="unknown projector"):
        get_projector("nope")
    with pytest.raises(ProjnerError, match="bad parameters"):
        get_projector("heuristic", nope=1)


def test_batch_fills_spans_and_confidence() -> None:
    exs = [
        _ex([(0, 0), (1, 1)], [Span(0, 1, "PER"), Span(1, 2, "LOC")]),
        _ex([], [Span(0, 1, "PER")]),
        _ex([], []),
    ]
    batch = get_projector("greedy").project_batch(exs)
    out = list(batch)
    assert out[0].target_spans == [Span(0, 1, "PER"), Span(1, 2, "LOC")] and out[0].confidence == 1.0
    assert out[1].target_spans == [] and out[1].confidence == 0.0
    assert out[2].confidence == 1.0
    assert (
        batch.stats.examples == 3 and batch.stats.source_entities == 3 and batch.stats.projected_entities == 2
    )
    assert batch.stats.failed == 0


def test_confidence_formula() -> None:
    links = [Projection(0, Span(0, 1, "X", 0.5)), Projection(0, Span(2, 3, "X", 1.5))]
    assert sentence_confidence(links, 2) == pytest.approx((0.5 + 1.0) / 2 * 0.5)


def test_errors_raise_or_are_reported_never_silent() -> None:
    bad = _ex([(0, 5)], [Span(0, 1, "PER")])  # alignment out of range of 3 target tokens
    good = _ex([(0, 0)], [Span(0, 1, "PER")])
    with pytest.raises(ProjectionError, match="out of bounds"):
        get_projector("heuristic").project(bad)
    with pytest.raises(ProjectionError):
        list(get_projector("greedy").project_batch([good, bad]))
    batch = get_projector("greedy").project_batch([good, bad, good], on_error="report")
    out = list(batch)
    assert len(out) == 3 and batch.stats.failed == 1
    assert out[1].target_spans == [] and out[1].confidence is None and "projection_error" in out[1].meta
    assert batch.stats.failures[0][0] == 1 and "out of bounds" in batch.stats.failures[0][2]
    assert "1 failed" in batch.stats.summary()
    no_alignment = ParallelExample(Sentence(["a"]), Sentence(["b"]), [Span(0, 1, "PER")], None)
    with pytest.raises(ProjectionError, match="no alignment"):
        get_projector("greedy").project(no_alignment)


class _Overlapping(Projector):
    def project_links(self, example: ParallelExample) -> list[Projection]:
        return [Projection(0, Span(0, 2, "A")), Projection(0, Span(1, 3, "B"))]


def test_invalid_projector_output_is_an_error() -> None:
    with pytest.raises(ProjectionError, match="overlap"):
        _Overlapping().project(_ex([(0, 0)], [Span(0, 1, "A")]))


@pytest.mark.parametrize("name", ["heuristic", "greedy", "exact", "minmax", "fusion"])
def test_outputs_are_valid_iob2_on_random_inputs(name: str) -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    proj = get_projector(name)
    for _ in range(100):
        n_src, n_tgt = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        pairs = [tuple(p) for p in np.argwhere(rng.random((n_src, n_tgt)) < 0.35)]
        ents = []
        for _k in range(int(rng.integers(1, 4))):
            a = int(rng.integers(0, n_src))
            b = int(rng.integers(a + 1, n_src + 1))
            ents.append(Span(a, b, str(rng.choice(["PER", "LOC"]))))
        ex = _ex(pairs, ents, n_src, n_tgt)
        spans = proj.project(ex)
        assert iob2_errors(spans_to_tags(spans, n_tgt)) == []
