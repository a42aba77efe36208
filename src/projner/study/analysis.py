"""From cell records to the study's tables: per-(arm, pair, V) summaries, robustness and slopes.

* The zero-shot cells are the ``V = 0`` point of the neural arms; when the neural arms score only the first N
  evaluation sentences, the reference is re-scored on those N from its per-sentence counts, so both sides of
  every comparison use the same sentences.
* The slope is the OLS slope of F1 (in points) against log2 V over the cells with V > 0; its 95 % CI comes from a
  bootstrap that resamples the seeds of every volume *and* the evaluation sentences (one sentence weight vector
  per replicate, shared by all cells of the pair, so the resampling is paired).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from projner.study.config import NEURAL_ARMS

Record = dict[str, Any]


def f1_from_counts(tp: np.ndarray, npred: np.ndarray, ngold: np.ndarray) -> np.ndarray:
    """Micro F1 (fraction) from summed counts; arrays broadcast."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(npred > 0, tp / npred, 0.0)
        r = np.where(ngold > 0, tp / ngold, 0.0)
        return np.where(p + r > 0, 2 * p * r / (p + r), 0.0)


def _first_counts(rec: Record, n: int, noisy: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The per-sentence ``(tp, npred, ngold)`` counts of the first ``n`` evaluation sentences, as float arrays
    (``noisy``: the record's ``noisy_counts`` instead of its ``counts``)."""
    tp, npred, ngold = (np.asarray(x[:n], dtype=float) for x in rec["noisy_counts" if noisy else "counts"])
    return tp, npred, ngold


def _restricted(rec: Record, n: int, noisy: bool = False) -> float:
    tp, npred, ngold = _first_counts(rec, n, noisy)
    return float(f1_from_counts(tp.sum(), npred.sum(), ngold.sum()))


def restricted_scores(rec: Record, n: int, n_boot: int = 1000, seed: int = 0) -> dict[str, float]:
    """Precision, recall, F1 and a sentence-bootstrap 95 % CI of F1 over the first ``n`` evaluation sentences.

    Why: a reference re-scored on a subset must report P, R, F1 and CI of that same subset, or its row mixes two
    evaluation sets (the bug of the first report's neural ``V = 0`` rows).
    """
    tp, npred, ngold = _first_counts(rec, n)
    t, p, g = tp.sum(), npred.sum(), ngold.sum()
    out = {
        "precision": float(t / p) if p else 0.0,
        "recall": float(t / g) if g else 0.0,
        "f1": float(f1_from_counts(t, p, g)),
    }
    if n_boot and len(tp):
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, len(tp), size=(n_boot, len(tp)))
        f1s = f1_from_counts(tp[idx].sum(1), npred[idx].sum(1), ngold[idx].sum(1))
        out["f1_ci_low"], out["f1_ci_high"] = (float(x) for x in np.percentile(f1s, [2.5, 97.5]))
    else:
        out["f1_ci_low"] = out["f1_ci_high"] = float("nan")
    return out


def with_references(records: Sequence[Record]) -> list[Record]:
    """Add the zero-shot reference as the V = 0 cells of every neural arm (re-scored on the arm's sentences)."""
    out = list(records)
    zero = {r["pair"]: r for r in records if r["arm"] == "zero-shot"}
    arms_pairs: dict[tuple[str, str], int] = {}
    for r in records:
        if r["arm"] in NEURAL_ARMS:
            arms_pairs[(r["arm"], r["pair"])] = r["n_eval"]
    for (arm, pair), n in arms_pairs.items():
        z = zero.get(pair)
        if z is None:
            continue
        ref = dict(z)
        ref.update(
            arm=arm,
            volume=0,
            grid=0,
            n_eval=n,
            reference=True,
            noisy_f1=_restricted(z, n, noisy=True),
        )
        if n < z["n_eval"]:  # P, R, F1 and CI all of the same first n sentences
            ref.update(restricted_scores(z, n))
        ref["noise_drop"] = ref["f1"] - ref["noisy_f1"]
        out.append(ref)
    return out


@dataclass
class Summary:
    arm: str
    pair: str
    volume: int
    n_seeds: int
    f1_mean: float
    f1_sd: float
    ci_low: float
    ci_high: float
    noisy_mean: float
    drop_mean: float
    precision_mean: float
    recall_mean: float
    seconds_mean: float
    african: bool


def summarize(records: Sequence[Record]) -> list[Summary]:
    groups: dict[tuple[str, str, int], list[Record]] = defaultdict(list)
    for r in records:
        groups[(r["arm"], r["pair"], r["volume"])].append(r)
    out = []
    for (arm, pair, vol), rs in sorted(groups.items()):
        f1 = np.array([r["f1"] for r in rs]) * 100
        out.append(
            Summary(
                arm,
                pair,
                vol,
                len(rs),
                float(f1.mean()),
                float(f1.std(ddof=1)) if len(rs) > 1 else 0.0,
                float(np.nanmean([r["f1_ci_low"] for r in rs]) * 100)
                if any(not math.isnan(r["f1_ci_low"]) for r in rs)
                else float("nan"),
                float(np.nanmean([r["f1_ci_high"] for r in rs]) * 100)
                if any(not math.isnan(r["f1_ci_high"]) for r in rs)
                else float("nan"),
                float(np.mean([r["noisy_f1"] for r in rs]) * 100),
                float(np.mean([r["noise_drop"] for r in rs]) * 100),
                float(np.mean([r.get("precision", np.nan) for r in rs]) * 100),
                float(np.mean([r.get("recall", np.nan) for r in rs]) * 100),
                float(np.mean([r.get("seconds", 0.0) for r in rs])),
                bool(rs[0].get("african", False)),
            )
        )
    return out


@dataclass
class Slope:
    arm: str
    pair: str
    slope: float
    ci_low: float
    ci_high: float
    n_volumes: int
    gain_max_vs_0: float
    """Mean F1 at the largest V minus mean F1 at V = 0 (points)."""


def ols_slope(x: np.ndarray, y: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xm = x - x.mean()
    den = float((xm**2).sum())
    return float((xm * (y - y.mean())).sum() / den) if den > 0 else float("nan")


def slope_with_ci(records: Sequence[Record], n_boot: int = 1000, seed: int = 0) -> Slope | None:
    """Slope of F1 (points) per doubling of V over the cells with V > 0 (all of one arm and pair)."""
    pos = [r for r in records if r["volume"] > 0]
    vols = sorted({r["volume"] for r in pos})
    if len(vols) < 2:
        return None
    n = min(r["n_eval"] for r in pos)
    x = np.log2([r["volume"] for r in pos])
    y = np.array([r["f1"] for r in pos]) * 100
    point = ols_slope(x, y)
    counts = np.array([[np.asarray(c[:n], dtype=float) for c in r["counts"]] for r in pos])  # [cells, 3, n]
    rng = np.random.default_rng(seed)
    by_vol = {v: [i for i, r in enumerate(pos) if r["volume"] == v] for v in vols}
    slopes = np.empty(n_boot)
    for b in range(n_boot):
        w = rng.multinomial(n, np.full(n, 1.0 / n)).astype(float)
        sums = counts @ w  # [cells, 3]
        f = f1_from_counts(sums[:, 0], sums[:, 1], sums[:, 2]) * 100
        xs, ys = [], []
        for v, idx in by_vol.items():
            pick = rng.choice(idx, size=len(idx), replace=True)
            xs.extend([math.log2(v)] * len(pick))
            ys.extend(f[pick])
        slopes[b] = ols_slope(np.array(xs), np.array(ys))
    means = {
        v: float(np.mean([r["f1"] for r in records if r["volume"] == v]) * 100)
        for v in {r["volume"] for r in records}
    }
    gain = means[max(means)] - means[0] if 0 in means else float("nan")
    r0 = pos[0]
    return Slope(
        r0["arm"],
        r0["pair"],
        point,
        float(np.percentile(slopes, 2.5)),
        float(np.percentile(slopes, 97.5)),
        len(vols),
        gain,
    )


def slopes(records: Sequence[Record], n_boot: int = 1000) -> list[Slope]:
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        if r["arm"] != "zero-shot":
            groups[(r["arm"], r["pair"])].append(r)
    out = []
    for _, rs in sorted(groups.items()):
        s = slope_with_ci(rs, n_boot)
        if s is not None:
            out.append(s)
    return out


@dataclass
class Robustness:
    arm: str
    volume_rank: str
    """``V=<n>`` for a common volume, or ``all`` for each pair's whole pool."""
    worst_pair: str
    worst_f1: float
    worst_african: str
    worst_african_f1: float
    mean_f1: float
    mean_seed_sd: float
    mean_noise_drop: float
    n_pairs: int


def robustness(summaries: Sequence[Summary]) -> list[Robustness]:
    """Per arm and volume: worst-pair F1 (all pairs and African pairs), mean seed sd, mean noise drop.

    Volumes are compared at the same nominal V; the pools differ in size, so "all" is a row of its own that
    takes each pair's largest V.
    """
    by_arm: dict[str, list[Summary]] = defaultdict(list)
    for s in summaries:
        if s.arm != "zero-shot":
            by_arm[s.arm].append(s)
    out = []
    for arm, ss in sorted(by_arm.items()):
        pairs = sorted({s.pair for s in ss})
        largest = {p: max(s.volume for s in ss if s.pair == p) for p in pairs}
        rows: dict[str, list[Summary]] = defaultdict(list)
        for s in ss:
            rows[f"V={s.volume}"].append(s)
            if s.volume == largest[s.pair]:
                rows["all"].append(s)
        for label, rs in rows.items():
            if len({s.pair for s in rs}) != len(pairs):
                continue  # a volume larger than some pool: not comparable across pairs
            worst = min(rs, key=lambda s: s.f1_mean)
            afr = [s for s in rs if s.african]
            worst_a = min(afr, key=lambda s: s.f1_mean) if afr else None
            out.append(
                Robustness(
                    arm,
                    label,
                    worst.pair,
                    worst.f1_mean,
                    worst_a.pair if worst_a else "-",
                    worst_a.f1_mean if worst_a else float("nan"),
                    float(np.mean([s.f1_mean for s in rs])),
                    float(np.mean([s.f1_sd for s in rs])),
                    float(np.mean([s.drop_mean for s in rs])),
                    len(rs),
                )
            )

    def sort_key(r: Robustness) -> tuple[str, float]:
        return (r.arm, float("inf") if r.volume_rank == "all" else float(r.volume_rank[2:]))

    return sorted(out, key=sort_key)


def arm_seconds(records: Sequence[Record]) -> dict[str, float]:
    """Total wall time per arm (reference rows excluded)."""
    out: dict[str, float] = defaultdict(float)
    for r in records:
        if not r.get("reference"):
            out[r["arm"]] += float(r.get("seconds", 0.0))
    return dict(out)
