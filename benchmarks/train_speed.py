"""Training/prediction speed and F1 of the target NER models on WikiANN/PAN-X English (2 CPU cores).

    .venv/bin/python benchmarks/train_speed.py                      # CRF on 5k + neural (e5-small) on 2k, 1 epoch
    .venv/bin/python benchmarks/train_speed.py --skip-neural        # CRF only (about a minute)

Reads ``<data>/wikiann-panx/en/{train,dev,test}`` in place (skips when absent); models go to the projner cache.
Also reports the 1-minute load average before and after each run: other processes on the
machine inflate wall time. Prints one table: wall seconds, CPU seconds (all threads; the machine is shared, so wall time depends on load),
sentences per second and seqeval F1 (PER/ORG/LOC) on the test slice.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PROJNER_NO_PROGRESS", "1")


def _read(path: Path, n: int | None) -> list:  # type: ignore[type-arg]
    from projner import io

    out = []
    for s in io.read(path):
        out.append(s)
        if n is not None and len(out) >= n:
            break
    return out


def _timed(fn):  # type: ignore[no-untyped-def]
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - w0, time.process_time() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crf-train", type=int, default=5000, help="CRF training sentences (default 5000)")
    ap.add_argument("--neural-train", type=int, default=2000, help="neural training sentences (default 2000)")
    ap.add_argument("--dev", type=int, default=500, help="dev sentences for per-epoch F1 (default 500)")
    ap.add_argument("--crf-test", type=int, default=5000, help="CRF test sentences (default 5000)")
    ap.add_argument("--neural-test", type=int, default=2000, help="neural test sentences (default 2000)")
    ap.add_argument("--model", default="e5-small", help="encoder for the neural run (default e5-small)")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-crf", action="store_true")
    ap.add_argument("--skip-neural", action="store_true")
    args = ap.parse_args()

    from projner.ner import NerModel, TrainConfig, evaluate_model, train_model
    from projner.ner.data import describe_file
    from projner.utils.paths import cache_dir, data_root

    root = data_root()
    folder = root / "wikiann-panx" / "en" if root else None
    if folder is None or not (folder / "train").is_file():
        print(f"skipped: WikiANN English not found: {folder or '<data root>/wikiann-panx/en'}")
        return 0
    labels = ["PER", "ORG", "LOC"]
    out_root = cache_dir("benchmarks", "train_speed")
    rows: list[dict[str, object]] = []

    def run(kind: str, n_train: int, n_test: int, config: TrainConfig) -> None:
        train = _read(folder / "train", n_train)
        dev = _read(folder / "dev", args.dev)
        test = _read(folder / "test", n_test)
        src = describe_file(folder / "train", len(train))
        out = out_root / f"{kind}-{n_train}"
        load0 = os.getloadavg()[0]
        print(f"[{kind}] training on {len(train)} sentences ...", file=sys.stderr, flush=True)

        def log(msg: str) -> None:
            print(f"[{kind}] {msg}", file=sys.stderr, flush=True)

        model, tw, tc = _timed(lambda: train_model(train, out, config, dev=dev, train_source=src, log=log))
        loaded = NerModel.load(out, threads=args.threads)
        print(f"[{kind}] predicting {len(test)} test sentences ...", file=sys.stderr, flush=True)
        _, pw, pc = _timed(lambda: loaded.predict([s.tokens for s in test]))
        rep = evaluate_model(loaded, test, labels)
        rows.append(
            {
                "model": kind,
                "load avg": f"{load0:.1f}→{os.getloadavg()[0]:.1f}",
                "train sents": len(train),
                "epochs": model.card.get("epochs_run") or "-",
                "train wall s": round(tw, 1),
                "train CPU s": round(tc, 1),
                "test sents": len(test),
                "predict wall s": round(pw, 1),
                "predict sents/s": round(len(test) / pw, 1) if pw else "-",
                "dev F1": model.card.get("dev_f1"),
                "test F1": rep["overall"]["f1"],
                "PER/ORG/LOC F1": "/".join(f"{rep.get(t, {}).get('f1', 0):.3f}" for t in labels),
            }
        )

    base = {"labels": labels, "seed": args.seed, "threads": args.threads}
    if not args.skip_crf:
        run("crf", args.crf_train, args.crf_test, TrainConfig(model="crf", **base))  # type: ignore[arg-type]
    if not args.skip_neural:
        cfg = TrainConfig(
            model=args.model, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size, **base
        )  # type: ignore[arg-type]
        run(args.model, args.neural_train, args.neural_test, cfg)

    if not rows:
        return 0
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
