"""Property tests (hypothesis) for the invariants large sharded runs rely on.

* shard concatenation: writing sentences in pieces and concatenating gives the bytes of one write (every text
  format) — what makes a sharded run byte-identical to an unsharded one;
* CRLF / BOM variants of a written file read back as the same sentences (documented repairs);
* cross-format round trips keep tokens and tags;
* every projector emits valid IOB2, in bounds, never overlapping, on random examples and alignments;
* evaluate(x, x) = 100 F1 whenever x has an entity.
The per-format write→read round trips live in test_io_roundtrip_property.py (not repeated here).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from projner import io
from projner.core.tags import iob2_errors, spans_to_tags, tags_to_spans
from projner.core.types import Alignment, ParallelExample, Sentence, Span
from projner.engine.stages import format_sentences
from projner.evaluate import evaluate_tags
from projner.project import get_projector
from tests.unit.test_io_roundtrip_property import sentences  # the round-trip suite's sentence strategy

TEXT_FORMATS = ["conll", "conll02", "masakhaner", "wikiann", "uner", "text", "jsonl"]
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@given(data=st.data())
@SETTINGS
def test_shard_concatenation_equals_one_write(fmt: str, data: st.DataObject) -> None:
    sents = data.draw(sentences(fmt))
    cut = data.draw(st.integers(0, len(sents)))
    with tempfile.TemporaryDirectory() as d:
        whole = Path(d) / "whole"
        io.write(sents, whole, fmt)
        pieces = format_sentences(sents[:cut], fmt) + format_sentences(sents[cut:], fmt)
        assert pieces.encode("utf-8") == whole.read_bytes()


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@given(data=st.data())
@SETTINGS
def test_crlf_and_bom_variants_read_the_same(fmt: str, data: st.DataObject) -> None:
    sents = data.draw(sentences(fmt))
    with tempfile.TemporaryDirectory() as d:
        plain, variant = Path(d) / "plain", Path(d) / "variant"
        io.write(sents, plain, fmt)
        raw = plain.read_bytes()
        assume(b"\r" not in raw)  # a token holding a bare CR cannot survive CRLF conversion
        variant.write_bytes(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
        a = list(io.read(plain, fmt))
        b = list(io.read(variant, fmt))
        assert [(s.tokens, s.tags, s.id, s.lang) for s in a] == [(s.tokens, s.tags, s.id, s.lang) for s in b]


@pytest.mark.parametrize(
    ("src_fmt", "dst_fmt"), [("conll", "jsonl"), ("conll02", "conll"), ("uner", "jsonl")]
)
@given(data=st.data())
@SETTINGS
def test_cross_format_keeps_tokens_and_tags(src_fmt: str, dst_fmt: str, data: st.DataObject) -> None:
    sents = data.draw(sentences(src_fmt))
    with tempfile.TemporaryDirectory() as d:
        a, b = Path(d) / "a", Path(d) / "b"
        io.write(sents, a, src_fmt)
        io.write(io.read(a, src_fmt), b, dst_fmt)
        assert [(s.tokens, s.tags) for s in io.read(b, dst_fmt)] == [(s.tokens, s.tags) for s in sents]


# ------------------------------------------------------------------------------------------------ projection

LABELS = st.sampled_from(["PER", "LOC", "ORG"])


@st.composite
def examples(draw: st.DrawFn) -> ParallelExample:
    n_src = draw(st.integers(1, 12))
    n_tgt = draw(st.integers(0, 12))
    spans: list[Span] = []
    i = 0
    while i < n_src:
        if draw(st.booleans()):
            j = draw(st.integers(i + 1, min(n_src, i + 4)))
            spans.append(Span(i, j, draw(LABELS)))
            i = j
        else:
            i += 1
    cells = [(s, t) for s in range(n_src) for t in range(n_tgt)]
    pairs = draw(st.lists(st.sampled_from(cells), max_size=20)) if cells else []
    src = Sentence([f"s{k}" for k in range(n_src)], spans_to_tags(spans, n_src))
    tgt = Sentence([draw(st.sampled_from(["x", "y", ",", "?", "de"])) for _ in range(n_tgt)])
    return ParallelExample(source=src, target=tgt, source_spans=spans, alignment=Alignment(pairs))


PROJECTOR_CONFIGS = [
    ("greedy", {"max_len": 10, "unaligned_weight": 0.5}),
    ("greedy", {}),
    ("exact", {"max_len": 6}),
    ("matching", {"solver": "greedy", "links": "single", "trim_punct": True}),
    ("heuristic", {}),
    ("heuristic", {"merge_distance": 2, "only_i": True}),
    ("minmax", {}),
    ("fusion", {}),
]


@pytest.mark.parametrize(("name", "params"), PROJECTOR_CONFIGS)
@given(exs=st.lists(examples(), min_size=1, max_size=5))
@settings(max_examples=40, deadline=None)
def test_projectors_emit_valid_iob2_within_bounds(
    name: str, params: dict, exs: list[ParallelExample]
) -> None:
    proj = get_projector(name, **params)
    batch = proj.project_batch(exs, on_error="report")
    for ex in batch:
        n = len(ex.target.tokens)
        spans = sorted(ex.target_spans or [])
        assert all(0 <= s.start < s.end <= n and s.label for s in spans)
        assert all(not a.overlaps(b) for a, b in zip(spans, spans[1:], strict=False))  # matching: no overlap
        tags = spans_to_tags(spans, n)
        assert iob2_errors(tags) == []
        assert [(s.start, s.end, s.label) for s in tags_to_spans(tags)] == [
            (s.start, s.end, s.label) for s in spans
        ]
    assert batch.stats.failed == 0, batch.stats.failures


TAG = st.sampled_from(["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "S-ORG", "E-ORG", "I-MISC"])


@given(st.lists(st.lists(TAG, min_size=1, max_size=10), min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_evaluate_self_is_100(gold: list[list[str]]) -> None:
    assume(any(tags_to_spans(g) for g in gold))
    r = evaluate_tags(gold, gold)
    assert round(100 * r.f1, 6) == 100.0 and r.precision == r.recall == 1.0


def test_format_sentences_refuses_hf() -> None:
    from projner.core.types import InputError

    with pytest.raises(InputError, match="not hf"):
        format_sentences([Sentence(["a"], ["O"])], "hf")
