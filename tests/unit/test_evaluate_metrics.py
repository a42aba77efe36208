"""Our metrics against seqeval (the reference) on random tag sequences, plus mismatch errors and bootstrap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from projner.core.tags import map_tags
from projner.core.types import InputError, Sentence
from projner.evaluate import evaluate_sentences, evaluate_tags

TAG = st.sampled_from(["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "S-PER", "E-LOC"])
SENTS = st.lists(st.lists(TAG, min_size=1, max_size=12), min_size=1, max_size=8)


def _noisy(gold: list[list[str]], data: st.DataObject) -> list[list[str]]:
    return [[data.draw(TAG) if data.draw(st.booleans()) else t for t in s] for s in gold]


@given(SENTS, st.data())
@settings(max_examples=200, deadline=None)
def test_micro_and_per_type_equal_seqeval(gold: list[list[str]], data: st.DataObject) -> None:
    pred = _noisy(gold, data)
    ours = evaluate_tags(gold, pred)
    assert ours.precision == pytest.approx(precision_score(gold, pred, zero_division=0))
    assert ours.recall == pytest.approx(recall_score(gold, pred, zero_division=0))
    assert ours.f1 == pytest.approx(f1_score(gold, pred, zero_division=0))
    report = classification_report(gold, pred, output_dict=True, zero_division=0)
    for label, s in ours.per_type.items():
        if s.support:
            assert s.f1 == pytest.approx(report[label]["f1-score"])
            assert s.support == report[label]["support"]


@given(SENTS, st.data())
@settings(max_examples=100, deadline=None)
def test_ignore_equals_mapping_both_sides_to_o(gold: list[list[str]], data: st.DataObject) -> None:
    pred = _noisy(gold, data)
    ours = evaluate_tags(gold, pred, ignore=["MISC"])
    g2 = [map_tags(s, drop=["MISC"]) for s in gold]
    p2 = [map_tags(s, drop=["MISC"]) for s in pred]
    assert ours.f1 == pytest.approx(f1_score(g2, p2, zero_division=0))


def test_perfect_and_empty() -> None:
    gold = [["B-PER", "I-PER", "O"], ["O", "B-LOC"]]
    r = evaluate_tags(gold, gold)
    assert (r.precision, r.recall, r.f1, r.proj_ratio, r.accuracy) == (1.0, 1.0, 1.0, 1.0, 1.0)
    r0 = evaluate_tags(gold, [["O"] * 3, ["O"] * 2])
    assert (r0.precision, r0.recall, r0.f1) == (0.0, 0.0, 0.0)


def test_mismatches_name_the_sentence() -> None:
    gold = [Sentence(["a", "b"], ["O", "O"], id="s1"), Sentence(["Obama", "spoke"], ["B-PER", "O"], id="s2")]
    short = [Sentence(["a", "b"], ["O", "O"])]
    with pytest.raises(InputError, match=r"sentence count mismatch.*sentence 2 \(id s2\) «Obama spoke»"):
        evaluate_sentences(gold, short)
    bad = [Sentence(["a", "b"], ["O", "O"]), Sentence(["Obama"], ["B-PER"])]
    with pytest.raises(InputError, match=r"token count mismatch at sentence 2 .*2 tokens.*1"):
        evaluate_sentences(gold, bad)
    with pytest.raises(InputError, match="no sentences"):
        evaluate_sentences([], [])


def test_bootstrap_ci_contains_point_estimate_and_is_deterministic() -> None:
    rng = np.random.default_rng(1)
    gold, pred = [], []
    for _ in range(200):
        g = ["B-PER", "I-PER", "O", "B-LOC"]
        p = list(g) if rng.random() < 0.7 else ["O", "B-PER", "O", "B-LOC"]
        gold.append(g)
        pred.append(p)
    r1 = evaluate_tags(gold, pred, bootstrap=500, seed=3)
    r2 = evaluate_tags(gold, pred, bootstrap=500, seed=3)
    lo, hi = r1.ci["f1"]
    assert lo <= r1.f1 <= hi and hi - lo < 0.2
    assert r1.ci == r2.ci


IOB2_TAG = st.sampled_from(["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-MISC"])
IOB2_SENTS = st.lists(st.lists(IOB2_TAG, min_size=1, max_size=12), min_size=1, max_size=8)


@given(IOB2_SENTS, st.data())
@settings(max_examples=200, deadline=None)
def test_strict_mode_equals_seqeval_strict_iob2(gold: list[list[str]], data: st.DataObject) -> None:
    from seqeval.scheme import IOB2

    pred = [[data.draw(IOB2_TAG) if data.draw(st.booleans()) else t for t in s] for s in gold]
    ours = evaluate_tags(gold, pred, mode="strict")
    kw = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
    assert ours.precision == pytest.approx(precision_score(gold, pred, **kw))
    assert ours.recall == pytest.approx(recall_score(gold, pred, **kw))
    assert ours.f1 == pytest.approx(f1_score(gold, pred, **kw))
    assert ours.mode == "strict" and ours.to_dict()["mode"] == "strict"


def test_strict_and_default_differ_only_on_invalid_iob2() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred = [
        ["I-PER", "I-PER", "O", "B-LOC"]
    ]  # a chunk opened by I-: an entity by default, none in strict mode
    assert evaluate_tags(gold, pred).f1 == pytest.approx(1.0)
    assert evaluate_tags(gold, pred, mode="strict").f1 == pytest.approx(2 / 3)
    assert evaluate_tags(gold, gold, mode="strict").f1 == 1.0
    with pytest.raises(InputError, match="not IOB2"):
        evaluate_tags([["S-PER"]], [["S-PER"]], mode="strict")
    with pytest.raises(ValueError, match="unknown evaluation mode"):
        evaluate_tags(gold, pred, mode="lenient")
