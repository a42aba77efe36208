"""Peak memory of streaming a CoNLL file through ``projner.io.read``: must stay flat as the file grows.

Generates synthetic CoNLL files (10k and ≥1M tokens by default) under the projner cache, then reads each one in
a fresh child process (so every measurement has its own peak RSS) and prints a table:

* ``stream``: ``for s in read(path): count`` — what every projner stage does;
* ``list`` (contrast, shows the measurement is sensitive): ``list(read(path))`` keeps all sentences in memory.

Peak RSS is ``ru_maxrss`` of the child (includes the Python interpreter and imports, measured separately as
"after import"). Usage::

    .venv/bin/python benchmarks/read_memory.py [--sizes 10000 1000000] [--modes stream list]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
from projner import io
base = rss_mb()
path, mode = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if mode == "stream":
    n_sent = n_tok = 0
    for s in io.read(path, "conll"):
        n_sent += 1
        n_tok += len(s.tokens)
else:
    sents = list(io.read(path, "conll"))
    n_sent, n_tok = len(sents), sum(len(s.tokens) for s in sents)
dt = time.perf_counter() - t
print(json.dumps({"base_mb": base, "peak_mb": rss_mb(), "sentences": n_sent, "tokens": n_tok, "seconds": dt}))
"""

TYPES = ("PER", "ORG", "LOC", "MISC")


def generate(path: Path, n_tokens: int, seed: int = 0) -> Path:
    """Write a CoNLL-2003-like file (token POS chunk tag) of ``n_tokens`` tokens, once (cached by name)."""
    if path.exists():
        return path
    rng = random.Random(seed)
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10)))
        for _ in range(50_000)
    ]
    tmp = path.with_suffix(".tmp")
    written = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("-DOCSTART- -X- -X- O\n\n")
        while written < n_tokens:
            length = min(rng.randint(5, 40), n_tokens - written)
            i = 0
            while i < length:
                if rng.random() < 0.08:
                    typ = rng.choice(TYPES)
                    span = min(rng.randint(1, 3), length - i)
                    for k in range(span):
                        fh.write(f"{rng.choice(vocab).title()} NNP B-NP {'B' if k == 0 else 'I'}-{typ}\n")
                    i += span
                else:
                    fh.write(f"{rng.choice(vocab)} NN I-NP O\n")
                    i += 1
            fh.write("\n")
            written += length
    tmp.replace(path)
    return path


def measure(path: Path, mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    ap.add_argument("--modes", nargs="+", default=["stream", "list"], choices=["stream", "list"])
    args = ap.parse_args()

    from projner.utils.paths import cache_dir

    folder = cache_dir("benchmarks", "read_memory")
    rows = []
    for n in args.sizes:
        t = time.perf_counter()
        path = generate(folder / f"synthetic_{n}.conll", n)
        gen_s = time.perf_counter() - t
        for mode in args.modes:
            r = measure(path, mode)
            rows.append((n, path.stat().st_size / 2**20, mode, r, gen_s))
    print(f"files in {folder}")
    header = (
        f"{'tokens':>10} {'file MB':>8} {'mode':>6} {'sentences':>9} {'after import MB':>15} "
        f"{'peak RSS MB':>11} {'growth MB':>9} {'read s':>7} {'tokens/s':>10}"
    )
    print(header)
    print("-" * len(header))
    for _n, mb, mode, r, _ in rows:
        growth = r["peak_mb"] - r["base_mb"]
        print(
            f"{int(r['tokens']):>10,} {mb:>8.1f} {mode:>6} {int(r['sentences']):>9,} {r['base_mb']:>15.1f} "
            f"{r['peak_mb']:>11.1f} {growth:>9.1f} {r['seconds']:>7.2f} {r['tokens'] / r['seconds']:>10,.0f}"
        )


if __name__ == "__main__":
    main()
