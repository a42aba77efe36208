"""Synthetic parallel corpora for engine tests and the streaming benchmark (random, seeded; no shared data)."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = ["the", "a", "met", "said", "in", "house", "city", "new", "old", "and", "of", "big"]
NAMES = ["Merkel", "Obama", "Paris", "Berlin", "UN", "EU", "Siemens", "Anna", "Rome", "NATO"]
LABELS = ["PER", "LOC", "ORG"]


def write_corpus(root: Path, n: int, seed: int = 0) -> tuple[Path, Path, Path]:
    """``n`` sentence pairs: a labelled CoNLL source, a tokenized target and Pharaoh links (with reordering).

    Written line by line, so a million pairs need no more memory than ten."""
    rng = random.Random(seed)
    src, tgt, ali = root / "src.conll", root / "tgt.tok", root / "ali.txt"
    with (
        open(src, "w", encoding="utf-8") as fs,
        open(tgt, "w", encoding="utf-8") as ft,
        open(ali, "w", encoding="utf-8") as fa,
    ):
        for _ in range(n):
            toks, tags = _sentence(rng)
            fs.writelines(f"{t}\t{g}\n" for t, g in zip(toks, tags, strict=True))
            fs.write("\n")
            perm = list(range(len(toks)))
            if len(perm) > 2 and rng.random() < 0.5:
                a, b = rng.sample(range(len(perm)), 2)
                perm[a], perm[b] = perm[b], perm[a]
            ft.write(" ".join(toks[p] for p in perm) + "\n")
            links = sorted((perm[t], t) for t in range(len(perm)) if rng.random() < 0.9)
            fa.write(" ".join(f"{s}-{t}" for s, t in links) + "\n")
    return src, tgt, ali


def _sentence(rng: random.Random) -> tuple[list[str], list[str]]:
    k = rng.randint(1, 12)
    toks: list[str] = []
    tags: list[str] = []
    while len(toks) < k:
        if rng.random() < 0.25:
            label = rng.choice(LABELS)
            for j in range(rng.randint(1, 3)):
                toks.append(rng.choice(NAMES))
                tags.append(("B-" if j == 0 else "I-") + label)
        else:
            toks.append(rng.choice(WORDS))
            tags.append("O")
    return toks, tags
