"""Do Apertium translations keep EasyProject markers? Europarl-NER en gold entities, marked, en→es (and es→en).

Usage: .venv/bin/python benchmarks/markers_apertium_europarl.py [--to es] [--limit N]
Prints marker survival (markers found / source entities), matched entities and the time taken.
"""

from __future__ import annotations

import argparse
import time

from projner.io import read_all
from projner.markers import marker_transfer
from projner.translate import get_translator
from projner.utils.paths import data_root


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--to", default="es")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    root = data_root(required=True)
    assert root is not None
    sents = read_all(root / "europarl-ner" / "en-europarl.test.conll02", format="conll02")[: args.limit]
    t0 = time.perf_counter()
    res = marker_transfer([(s.tokens, s.spans) for s in sents], get_translator("apertium"), "en", args.to)
    secs = time.perf_counter() - t0
    n_ent = sum(len(s.spans) for s in sents)
    n_mark = sum(r.n_markers for r in res)
    n_match = sum(len(r.spans) for r in res)
    same_labels = sum(
        [sp.label for sp in r.spans] == [sp.label for sp in s.spans] for r, s in zip(res, sents, strict=True)
    )
    print(
        "| sentences | source entities | markers found | matched (labelled) | sentences with identical label sequence | time |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| {len(sents)} | {n_ent} | {n_mark} ({100 * n_mark / max(n_ent, 1):.1f}%) | "
        f"{n_match} ({100 * n_match / max(n_ent, 1):.1f}%) | {same_labels} ({100 * same_labels / len(sents):.1f}%) | {secs:.1f}s |"
    )


if __name__ == "__main__":
    main()
