"""Analysis: slope with bootstrap CI, references for the neural arms, robustness rows."""

from __future__ import annotations

import math

import numpy as np

from projner.study.analysis import ols_slope, robustness, slope_with_ci, summarize, with_references


def _rec(
    arm: str, pair: str, volume: int, seed: int, tp: list[int], n: int = 10, african: bool = False
) -> dict:
    pred = [1] * len(tp)
    gold = [1] * len(tp)
    f1 = sum(tp) / len(tp)
    return {
        "arm": arm,
        "pair": pair,
        "volume": volume,
        "seed": seed,
        "n_eval": len(tp),
        "f1": f1,
        "noisy_f1": f1 - 0.1,
        "noise_drop": 0.1,
        "f1_ci_low": f1 - 0.05,
        "f1_ci_high": f1 + 0.05,
        "precision": f1,
        "recall": f1,
        "counts": [tp, pred, gold],
        "noisy_counts": [tp, pred, gold],
        "african": african,
        "seconds": 1.0,
    }


def test_ols_slope() -> None:
    assert math.isclose(ols_slope(np.array([1, 2, 3.0]), np.array([2, 4, 6.0])), 2.0)


def test_slope_positive_with_ci() -> None:
    recs = []
    for v, k in ((250, 4), (500, 6), (1000, 8)):
        for s in range(3):
            recs.append(_rec("eflomal", "x", v, s, [1] * k + [0] * (10 - k)))
    sl = slope_with_ci(recs, n_boot=200)
    assert sl is not None
    assert math.isclose(sl.slope, 20.0)  # +2 of 10 sentences correct per doubling = +20 F1 points
    assert sl.ci_low <= sl.slope <= sl.ci_high


def test_references_rescored_on_subset() -> None:
    zero = _rec("zero-shot", "x", 0, 0, [1, 1, 0, 0])
    neural = _rec("mlm", "x", 250, 0, [1, 0])
    out = with_references([zero, neural])
    ref = [r for r in out if r["arm"] == "mlm" and r["volume"] == 0]
    assert len(ref) == 1 and ref[0]["f1"] == 1.0 and ref[0]["n_eval"] == 2
    # precision, recall and the CI belong to the same two sentences as F1 (not the full-set values)
    assert ref[0]["precision"] == 1.0 and ref[0]["recall"] == 1.0
    assert ref[0]["f1_ci_low"] == ref[0]["f1_ci_high"] == 1.0


def test_robustness_worst_pair() -> None:
    recs = [
        _rec("eflomal", p, v, 0, [1] * k + [0] * (10 - k), african=(p == "a"))
        for p, k in (("a", 3), ("b", 8))
        for v in (0, 250)
    ]
    rob = robustness(summarize(recs))
    v0 = next(r for r in rob if r.volume_rank == "V=0")
    assert v0.worst_pair == "a" and math.isclose(v0.worst_f1, 30.0) and v0.worst_african == "a"
