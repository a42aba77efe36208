"""Write ``results.csv``, ``summary.csv``, ``report.md`` and the PNG figures of a study directory."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from projner.study.analysis import (
    Record,
    arm_seconds,
    robustness,
    slopes,
    summarize,
    with_references,
)
from projner.utils.atomic import atomic_write_text

CSV_FIELDS = (
    "arm",
    "pair",
    "pool",
    "volume",
    "grid",
    "seed",
    "n_eval",
    "pool_size",
    "precision",
    "recall",
    "f1",
    "f1_ci_low",
    "f1_ci_high",
    "noisy_precision",
    "noisy_recall",
    "noisy_f1",
    "noise_drop",
    "seconds",
    "train_seconds",
    "align_seconds",
    "loss_first",
    "loss_last",
    "projection_failures",
    "projector",
    "african",
    "key",
)
ARM_ORDER = ("zero-shot", "eflomal", "fill", "ft-align", "mlm")
COLORS = {
    "eflomal": "tab:blue",
    "fill": "tab:red",
    "ft-align": "tab:orange",
    "mlm": "tab:green",
    "zero-shot": "gray",
}


def _fmt(x: float, nd: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{nd}f}"


def write_csv(records: Sequence[Record], path: Path) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore")
    w.writeheader()
    for r in sorted(records, key=lambda r: (ARM_ORDER.index(r["arm"]), r["pair"], r["volume"], r["seed"])):
        w.writerow({k: r.get(k, "") for k in CSV_FIELDS})
    atomic_write_text(path, buf.getvalue())


def _xpos(v: int) -> float:
    return 125.0 if v == 0 else float(v)


def _label(v: int) -> str:
    return str(v) if v < 1000 else f"{v / 1000:g}k"


def _ticks(ax: object, volumes: set[int]) -> None:
    vs = sorted(volumes)
    ax.set_xticks([_xpos(v) for v in vs])  # type: ignore[attr-defined]
    ax.set_xticklabels([_label(v) for v in vs], rotation=45, fontsize=7)  # type: ignore[attr-defined]
    ax.minorticks_off()  # type: ignore[attr-defined]


def figures(records: Sequence[Record], out: Path) -> list[Path]:
    """F1 vs V per pair and arm (CI bands), and the robustness measures vs V."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    recs = with_references(records)
    summ = summarize(recs)
    pairs = sorted({s.pair for s in summ}, key=lambda p: (p in ("lug", "luo", "pcm", "tsn", "twi"), p))
    paths: list[Path] = []
    ncol = min(4, len(pairs))
    nrow = math.ceil(len(pairs) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.4 * nrow), squeeze=False)
    for ax, pair in zip(axes.flat, pairs, strict=False):
        for arm in ARM_ORDER:
            ss = sorted((s for s in summ if s.pair == pair and s.arm == arm), key=lambda s: s.volume)
            if not ss:
                continue
            if arm == "zero-shot":
                ax.axhline(ss[0].f1_mean, color=COLORS[arm], ls="--", lw=1, label="zero-shot")
                continue
            xs = [_xpos(s.volume) for s in ss]
            ax.plot(xs, [s.f1_mean for s in ss], "o-", color=COLORS[arm], label=arm, ms=3)
            lo = [s.ci_low if not math.isnan(s.ci_low) else s.f1_mean - s.f1_sd for s in ss]
            hi = [s.ci_high if not math.isnan(s.ci_high) else s.f1_mean + s.f1_sd for s in ss]
            ax.fill_between(xs, lo, hi, color=COLORS[arm], alpha=0.15)
        ax.set_xscale("log", base=2)
        _ticks(ax, {s.volume for s in summ if s.pair == pair})
        ax.set_title(pair)
        ax.set_xlabel("V (pool pairs, log scale)")
        ax.set_ylabel("F1")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(pairs) :]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower right")
    fig.suptitle(
        "Projection / translate-test F1 vs unlabeled volume V (mean over seeds; band = mean 95% bootstrap CI)"
    )
    fig.tight_layout()
    p = out / "f1_vs_volume.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)

    rob = robustness(summ)
    fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
    for arm in ARM_ORDER[1:]:
        rs = [r for r in rob if r.arm == arm and r.volume_rank != "all"]
        if not rs:
            continue
        xs = [_xpos(int(r.volume_rank[2:])) for r in rs]
        axes[0].plot(xs, [r.worst_f1 for r in rs], "o-", color=COLORS[arm], label=arm)
        axes[1].plot(xs, [r.mean_seed_sd for r in rs], "o-", color=COLORS[arm], label=arm)
        axes[2].plot(xs, [r.mean_noise_drop for r in rs], "o-", color=COLORS[arm], label=arm)
    vols = {int(r.volume_rank[2:]) for r in rob if r.volume_rank != "all"}
    for ax, title in zip(
        axes, ("worst-pair F1", "mean sd over seeds (F1)", "mean noise drop (F1 clean − noisy)"), strict=True
    ):
        ax.set_xscale("log", base=2)
        if vols:
            _ticks(ax, vols)
        ax.set_title(title)
        ax.set_xlabel("V (grid points common to all pairs of the arm)")
        ax.grid(alpha=0.3)
    axes[0].legend()
    fig.tight_layout()
    p = out / "robustness_vs_volume.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)
    return paths


def markdown(records: Sequence[Record], pools: dict[str, dict[str, int]], meta: dict[str, Any]) -> str:
    recs = with_references(records)
    summ = summarize(recs)
    lines = [f"# Study report: {meta.get('name', 'study')}", ""]
    lines += [
        f"Cells: {len(records)} computed ({meta.get('n_expected', '?')} in the config). Projector: `{meta.get('projector')}`; "
        f"aligner for the neural arms: `{meta.get('aligner')}` on `{meta.get('encoder')}`. F1 in points (seqeval default).",
        "",
        "## Pools after deduplication",
        "",
        "| pool | raw | empty | mapped test | = eval target | = eval source | duplicate | too long | kept |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, st in pools.items():
        lines.append(
            f"| {name} | {st.get('raw', 0)} | {st.get('empty', 0)} | {st.get('mapped_test', 0)} | {st.get('match_target', 0)} | "
            f"{st.get('match_source', 0)} | {st.get('duplicate', 0)} | {st.get('too_long', 0)} | {st.get('capped_to', st.get('kept', 0))} |"
        )
    lines += ["", "## Wall time per arm", "", "| arm | seconds | minutes |", "|---|---|---|"]
    for arm, sec in sorted(arm_seconds(records).items(), key=lambda kv: ARM_ORDER.index(kv[0])):
        lines.append(f"| {arm} | {sec:.0f} | {sec / 60:.1f} |")
    lines += [
        "",
        "## F1 per arm, pair and V (mean ± sd over seeds; 95% CI = mean of the per-seed sentence-bootstrap CIs)",
        "",
        "V = 0 rows of ft-align/mlm are the zero-shot encoder re-scored (P, R, F1 and CI) on the same sentences as the arm.",
        "",
        "| arm | pair | V | seeds | P | R | F1 | sd | 95% CI | noisy F1 | noise drop | s/cell |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in sorted(summ, key=lambda s: (ARM_ORDER.index(s.arm), s.pair, s.volume)):
        lines.append(
            f"| {s.arm} | {s.pair} | {s.volume} | {s.n_seeds} | {_fmt(s.precision_mean)} | {_fmt(s.recall_mean)} | "
            f"{_fmt(s.f1_mean)} | {_fmt(s.f1_sd, 2)} | [{_fmt(s.ci_low)}, {_fmt(s.ci_high)}] | {_fmt(s.noisy_mean)} | "
            f"{_fmt(s.drop_mean)} | {s.seconds_mean:.0f} |"
        )
    lines += [
        "",
        "## Effect per doubling of V",
        "",
        "OLS slope of F1 (points) against log2 V over V > 0, 95% CI from a bootstrap over seeds × sentences; "
        "gain = mean F1 at the largest V minus mean F1 at V = 0.",
        "",
        "| arm | pair | volumes > 0 | slope / doubling | 95% CI | gain max V vs 0 |",
        "|---|---|---|---|---|---|",
    ]
    for sl in slopes(recs, n_boot=int(meta.get("slope_boot", 1000))):
        lines.append(
            f"| {sl.arm} | {sl.pair} | {sl.n_volumes} | {sl.slope:+.2f} | [{sl.ci_low:+.2f}, {sl.ci_high:+.2f}] | {_fmt(sl.gain_max_vs_0)} |"
        )
    lines += [
        "",
        "## Robustness per arm and V",
        "",
        "Worst pair = lowest mean F1 among the pairs of that arm; `all` = each pair's whole pool.",
        "",
        "| arm | V | pairs | mean F1 | worst pair | worst F1 | worst African | its F1 | mean seed sd | mean noise drop |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in robustness(summ):
        lines.append(
            f"| {r.arm} | {r.volume_rank} | {r.n_pairs} | {_fmt(r.mean_f1)} | {r.worst_pair} | {_fmt(r.worst_f1)} | "
            f"{r.worst_african} | {_fmt(r.worst_african_f1)} | {_fmt(r.mean_seed_sd, 2)} | {_fmt(r.mean_noise_drop)} |"
        )
    lines += [
        "",
        "## Figures",
        "",
        "![F1 vs V](f1_vs_volume.png)",
        "",
        "![robustness vs V](robustness_vs_volume.png)",
        "",
    ]
    return "\n".join(lines)


def write_summary_csv(records: Sequence[Record], path: Path) -> None:
    summ = summarize(with_references(records))
    buf = io.StringIO()
    if summ:
        w = csv.DictWriter(buf, fieldnames=list(asdict(summ[0])))
        w.writeheader()
        for s in summ:
            w.writerow(asdict(s))
    atomic_write_text(path, buf.getvalue())


def write_report(
    records: Sequence[Record], out: Path, pools: dict[str, dict[str, int]], meta: dict[str, Any]
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    write_csv(records, out / "results.csv")
    write_summary_csv(records, out / "summary.csv")
    paths = [out / "results.csv", out / "summary.csv"]
    if records:
        paths += figures(records, out)
    atomic_write_text(out / "report.md", markdown(records, pools, meta))
    paths.append(out / "report.md")
    return paths
