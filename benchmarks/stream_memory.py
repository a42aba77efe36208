"""Peak RSS of `projner project` (precomputed synthetic Pharaoh links) as the corpus grows: flat with --engine.

Each run is a separate `projner` process; its peak RSS is the kernel's ``ru_maxrss`` for that child (``os.wait4``),
so the figure includes the interpreter and imports. Optionally also an aligner run (``--aligner-sizes``; the
exact-match aligner by default, or any name via ``--aligner``) and the in-memory path without --engine for contrast.

    .venv/bin/python benchmarks/stream_memory.py --sizes 10000 1000000 --in-memory-sizes 10000 100000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from projner.engine.testing import write_corpus

PROJNER = [sys.executable, "-m", "projner"]


def run(cmd: list[str]) -> tuple[float, float]:
    """(peak RSS in MB, wall seconds) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return usage.ru_maxrss / 1024, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    ap.add_argument("--in-memory-sizes", type=int, nargs="*", default=[])
    ap.add_argument("--aligner-sizes", type=int, nargs="*", default=[])
    ap.add_argument("--aligner", default="exact-match")
    ap.add_argument("--shard-size", type=int, default=1000)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="projner-stream-"))
    rows: list[tuple[str, int, float, float]] = []
    sizes = sorted(set(args.sizes) | set(args.in_memory_sizes) | set(args.aligner_sizes))
    for n in sizes:
        d = root / str(n)
        d.mkdir(parents=True, exist_ok=True)
        if not (d / "ali.txt").exists():
            write_corpus(d, n, seed=0)
        src, tgt, ali = d / "src.conll", d / "tgt.tok", d / "ali.txt"
        base = [*PROJNER, "project", "--source", str(src), "--target", str(tgt)]
        eng = ["--engine", "local", "--shard-size", str(args.shard_size), "--run-dir", str(d / "runs")]
        if n in args.sizes:
            rss, wall = run([*base, "--alignments", str(ali), "-o", str(d / "out.conll"), *eng])
            rows.append(("project --engine local (Pharaoh links)", n, rss, wall))
            print(f"{rows[-1][0]:<45} {n:>9,} {rss:>8.0f} MB {wall:>8.1f} s", flush=True)
        if n in args.in_memory_sizes:
            rss, wall = run([*base, "--alignments", str(ali), "-o", str(d / "out-mem.conll")])
            rows.append(("project, in memory (no --engine)", n, rss, wall))
            print(f"{rows[-1][0]:<45} {n:>9,} {rss:>8.0f} MB {wall:>8.1f} s", flush=True)
        if n in args.aligner_sizes:
            rss, wall = run([*base, "--aligner", args.aligner, "-o", str(d / "out-al.conll"), *eng])
            rows.append((f"project --engine local --aligner {args.aligner}", n, rss, wall))
            print(f"{rows[-1][0]:<45} {n:>9,} {rss:>8.0f} MB {wall:>8.1f} s", flush=True)
    print()
    print("| run | sentence pairs | peak RSS (MB) | wall (s) | sentences/s |")
    print("|---|---:|---:|---:|---:|")
    for name, n, rss, wall in rows:
        print(f"| {name} | {n:,} | {rss:.0f} | {wall:.1f} | {n / wall:,.0f} |")
    print(f"\nload average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores, shared machine)")


if __name__ == "__main__":
    main()
