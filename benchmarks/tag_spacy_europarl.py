"""spaCy (en_core_web_sm mirror) as an English source tagger: F1 on Europarl-NER en gold (PER/ORG/LOC).

Usage: .venv/bin/python benchmarks/tag_spacy_europarl.py [--limit N]
Prints a table (seqeval, default mode; MISC removed from gold and predictions, as the paper ignores MISC).
"""

from __future__ import annotations

import argparse
import time

from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from projner.core.tags import map_tags, spans_to_tags
from projner.io import read_all
from projner.tag import get_tagger
from projner.utils.paths import data_root

KEEP = ["PER", "ORG", "LOC"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    root = data_root(required=True)
    assert root is not None
    path = root / "europarl-ner" / "en-europarl.test.conll02"
    sents = read_all(path, format="conll02")[: args.limit]
    tagger = get_tagger("spacy", labels=KEEP)
    t0 = time.perf_counter()
    spans = tagger.tag(sents)
    secs = time.perf_counter() - t0
    gold = [map_tags(s.tags or [], keep=KEEP) for s in sents]
    pred = [spans_to_tags(sp, len(s), "IOB2") for s, sp in zip(sents, spans, strict=True)]
    print(f"sentences: {len(sents)}  tagging time: {secs:.1f}s  tagger: {tagger.params()}")
    print(
        f"| P | R | F1 |\n|---|---|---|\n| {100 * precision_score(gold, pred):.1f} | "
        f"{100 * recall_score(gold, pred):.1f} | {100 * f1_score(gold, pred):.1f} |"
    )
    print(classification_report(gold, pred, digits=3))


if __name__ == "__main__":
    main()
