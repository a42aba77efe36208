"""Benchmark the aligners: throughput, peak memory, parity with the simalign package, streaming memory.

Every aligner runs in its own subprocess, timed from the parent, so the figures include interpreter start-up,
imports and model loading (what a user waits for). Data: the 799 Europarl-NER en–de pairs, read in place.

    .venv/bin/python benchmarks/aligners.py                       # all aligners + simalign + streaming check
    .venv/bin/python benchmarks/aligners.py --aligners e5-itermax --stream 0
    .venv/bin/python benchmarks/aligners.py --pairs 200 --stream 20000

Columns: pairs/s (whole process), peak RSS (ru_maxrss of the worker), and for ``simalign-itermax`` the share of
pairs whose alignment is identical to ``e5-itermax`` plus the throughput ratio ours/simalign.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

DEFAULT_ALIGNERS = ["e5-itermax", "e5-inter", "e5-match", "e5-softmax", "eflomal", "simalign-itermax"]


def load_pairs(n: int | None) -> list[tuple[list[str], list[str]]]:
    from projner import io
    from projner.utils.paths import data_root

    root = data_root(required=True)
    assert root is not None
    en = root / "europarl-ner" / "en-europarl.test.conll02"
    de = root / "europarl-ner" / "de-europarl.test.conll02"
    pairs = [(s.tokens, t.tokens) for s, t in zip(io.read(en), io.read(de), strict=True)]
    return pairs[:n] if n else pairs


def peak_rss_mb() -> float:
    """Peak RSS of this process or of its largest child (eflomal runs a separate binary)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024.0


def cpu_seconds() -> float:
    """User + system CPU time of this process and its children since start-up (robust to a busy machine)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# ------------------------------------------------------------------------------------------------ workers
def worker(name: str, n: int | None, out: Path) -> None:
    pairs = load_pairs(n)
    t0 = time.perf_counter()
    lines: list[str] = []
    if name == "simalign-itermax":
        import logging

        from simalign import SentenceAligner

        from projner.align.encoders import resolve_encoder

        logging.getLogger("simalign").setLevel(logging.WARNING)
        sa = SentenceAligner(
            model=resolve_encoder("e5-small"), token_type="bpe", matching_methods="i", layer=8
        )
        for s, t in pairs:
            lines.append(" ".join(f"{i}-{j}" for i, j in sa.get_word_aligns(s, t)["itermax"]))
    else:
        from projner.align import get_aligner

        aligner = get_aligner(name, cache=False)
        lines = [a.to_pharaoh() for a in aligner.align(pairs)]
    inner = time.perf_counter() - t0
    out.write_text(
        json.dumps({"lines": lines, "rss_mb": peak_rss_mb(), "inner_s": inner, "cpu_s": cpu_seconds()}),
        encoding="utf-8",
    )


def stream_worker(n: int, out: Path) -> None:
    """Align ``n`` short synthetic pairs (random Europarl words, 3-8 tokens) lazily; sample RSS along the way."""
    import psutil

    from projner.align import get_aligner

    base = load_pairs(None)
    vocab_s = sorted({w for s, _ in base for w in s})
    vocab_t = sorted({w for _, t in base for w in t})

    def gen():  # type: ignore[no-untyped-def]
        rng = random.Random(0)
        for _ in range(n):
            k = rng.randint(3, 8)
            yield rng.choices(vocab_s, k=k), rng.choices(vocab_t, k=k + rng.randint(-2, 2))

    proc = psutil.Process()
    aligner = get_aligner("e5-itermax", cache=False)
    samples = []
    t0 = time.perf_counter()
    links = 0
    for i, a in enumerate(aligner.align(gen()), 1):
        links += len(a)
        if i % max(1, n // 10) == 0:
            samples.append((i, proc.memory_info().rss / 2**20, time.perf_counter() - t0))
    out.write_text(
        json.dumps({"samples": samples, "rss_mb": peak_rss_mb(), "links": links}), encoding="utf-8"
    )


def select(dataset: str, layers: list[int], methods: list[str], limit: int | None) -> None:
    """Projection F1 of every (layer, method) of the e5 aligner on a development set (not the final test).

    Source entities are gold; projection uses the toolkit's default projector; F1 is exact-span, PER/ORG/LOC.
    """
    from projner import io
    from projner.align import get_aligner
    from projner.evaluate.metrics import evaluate_sentences
    from projner.project import get_projector
    from projner.project.pipeline import (
        DEFAULT_PROJECTOR,
        DEFAULT_PROJECTOR_PARAMS,
        build_examples,
        keep_labels,
        projected_sentence,
    )
    from projner.utils.paths import data_root

    root = data_root(required=True)
    assert root is not None
    if dataset == "pud-de":
        src_p, tgt_p = root / "uner-pud" / "en_pud-ud-test.iob2", root / "uner-pud" / "de_pud-ud-test.iob2"
    elif dataset == "pud-pt":
        src_p, tgt_p = root / "uner-pud" / "en_pud-ud-test.iob2", root / "uner-pud" / "pt_pud-ud-test.iob2"
    else:
        raise SystemExit(f"unknown dataset {dataset}")
    labels = ["PER", "ORG", "LOC"]
    src = list(io.read(src_p, repair=True))[:limit]
    tgt = list(io.read(tgt_p, repair=True))[:limit]
    gold = [t.with_spans(keep_labels(t.spans, labels)) for t in tgt]
    aligner = get_aligner("embedding", model="e5-small", layer=max(layers), cache=False)
    t0 = time.perf_counter()
    grid = list(
        aligner.align_grid(((s.tokens, t.tokens) for s, t in zip(src, tgt, strict=True)), layers, methods)
    )
    print(f"encoded {len(src)} pairs at layers {layers} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print(
        f"\nProjection F1 (gold source entities, projector {DEFAULT_PROJECTOR} {DEFAULT_PROJECTOR_PARAMS}), {dataset}, "
        f"{len(src)} pairs, PER/ORG/LOC exact span\n"
    )
    print("| layer | " + " | ".join(methods) + " |")
    print("|---|" + "---|" * len(methods))
    for layer in layers:
        row = []
        for m in methods:
            proj = get_projector(DEFAULT_PROJECTOR, **DEFAULT_PROJECTOR_PARAMS)
            exs = build_examples(src, tgt, (g[(layer, m)] for g in grid), labels=labels)
            pred = [projected_sentence(ex, labels) for ex in proj.project_batch(exs, on_error="report")]
            row.append(f"{100 * evaluate_sentences(gold, pred).f1:.1f}")
        print(f"| {layer} | " + " | ".join(row) + " |", flush=True)


# ------------------------------------------------------------------------------------------------ driver
def run(cmd: list[str]) -> tuple[float, dict]:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        t0 = time.perf_counter()
        subprocess.run(
            [*cmd, "--result", str(out)], check=True, env={**os.environ, "PROJNER_NO_PROGRESS": "1"}
        )
        wall = time.perf_counter() - t0
        return wall, json.loads(out.read_text(encoding="utf-8"))


def print_table(results: dict[str, dict], n: int) -> None:  # type: ignore[type-arg]
    load = os.getloadavg()[0]
    print(
        f"\nEuroparl-NER en-de, {n} pairs, {os.cpu_count()} CPUs (load average {load:.1f} at the end), "
        "whole process (start-up + model load + align)\n"
    )
    print(
        "| aligner | wall s | pairs/s | align-only wall s | process CPU s | peak RSS MB "
        "| identical to simalign itermax | speed-up vs simalign (wall / CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    ref = results.get("simalign-itermax")
    for name, res in results.items():
        same = speed = ""
        if ref is not None and name in ("e5-itermax", "simalign-itermax"):
            eq = sum(a == b for a, b in zip(res["lines"], ref["lines"], strict=True))
            same = f"{eq}/{n} ({100 * eq / n:.1f} %)"
            speed = f"{ref['wall_s'] / res['wall_s']:.2f}× / {ref['cpu_s'] / res['cpu_s']:.2f}×"
        print(
            f"| {name} | {res['wall_s']:.1f} | {n / res['wall_s']:.1f} | {res['inner_s']:.1f} | {res['cpu_s']:.1f} | "
            f"{res['rss_mb']:.0f} | {same} | {speed} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--aligners", nargs="*", default=DEFAULT_ALIGNERS, help="Aligners to time (none: streaming only)."
    )
    ap.add_argument("--pairs", type=int, default=None, help="First N pairs only (default: all 799).")
    ap.add_argument(
        "--stream", type=int, default=20000, help="Synthetic pairs for the streaming check (0 = skip)."
    )
    ap.add_argument("--select", help="Layer/method selection on a dev set instead: pud-de or pud-pt.")
    ap.add_argument("--layers", nargs="+", type=int, default=[6, 7, 8, 9, 10])
    ap.add_argument("--methods", nargs="+", default=["itermax", "inter", "mwmf", "softmax"])
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--stream-worker", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.select:
        select(args.select, args.layers, args.methods, args.pairs)
        return
    if args.worker:
        worker(args.worker, args.pairs, args.result)
        return
    if args.stream_worker:
        stream_worker(args.stream_worker, args.result)
        return

    from projner.align.encoders import prepare_e5

    prepare_e5()  # build once, outside the timed runs
    n = len(load_pairs(args.pairs))
    me = [sys.executable, str(Path(__file__).resolve())]
    results: dict[str, dict] = {}  # type: ignore[type-arg]
    for name in args.aligners:
        extra = ["--pairs", str(args.pairs)] if args.pairs else []
        wall, res = run([*me, "--worker", name, *extra])
        res["wall_s"] = wall
        results[name] = res
        print(f"  {name}: {wall:.1f} s", file=sys.stderr, flush=True)

    if results:
        print_table(results, n)
    if args.stream:
        wall, res = run([*me, "--stream-worker", str(args.stream)])
        print(
            f"\nStreaming: e5-itermax on {args.stream} synthetic pairs, {wall:.0f} s wall, peak RSS {res['rss_mb']:.0f} MB"
        )
        print("\n| pairs done | RSS MB | elapsed s |\n|---|---|---|")
        for i, rss, t in res["samples"]:
            print(f"| {i} | {rss:.0f} | {t:.0f} |")


if __name__ == "__main__":
    main()
