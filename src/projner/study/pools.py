"""The unlabeled parallel pools of the study, deduplicated against every evaluation sentence.

* ``multi30k:de`` — Multi30k en–de train + val (image captions; out of domain for Europarl-NER and PUD).
* ``mafand:<lang>`` — MAFAND-MT en–<lang> train + dev (news: out of *sample* but in *genre* for MasakhaNER2).

Deduplication removes a pool pair when (a) the published MasakhaNER2→MAFAND mapping says the line is a
MasakhaNER2 *test* sentence, or (b) after normalisation (NFKC, case-folded, everything but letters and digits
removed — so tokenisation and punctuation spacing cannot hide a copy) its target side equals any evaluation target
sentence or its source side equals any evaluation source sentence. Exact duplicate pairs inside the pool are
dropped as well, so that "V pairs" means V distinct pairs. The counts of every removal are reported.

Volumes are *nested*: the pool is shuffled once per seed and ``V`` pairs are the first ``V`` of that order.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from projner.core.types import InputError
from projner.data.registry import masakhaner2_mafand_path, masakhaner2_mafand_rows
from projner.utils.atomic import atomic_write_text
from projner.utils.cache import file_fingerprint, fingerprint
from projner.utils.paths import cache_dir, data_root

TokenPair = tuple[list[str], list[str]]

MAX_TOKENS = 100
"""Pool pairs with a side longer than this many words are dropped (aligner training cost; captions/news are shorter)."""


def normalize(text: str) -> str:
    """Normalisation used for duplicate detection: NFKC, case-folded, only letters and digits kept."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def tokenize_text(text: str, lang: str) -> list[str]:
    """Word-tokenize with the toolkit's tokenizer (Moses via ``projner.translate.text``); regex fallback."""
    try:
        from projner.translate.text import tokenize
    except ImportError:  # pragma: no cover - the translate package is part of the toolkit
        return re.findall(r"\w+(?:[-'’]\w+)*|[^\w\s]", text)
    return tokenize(text, lang)


@dataclass
class Pool:
    """A deduplicated pool of (English tokens, target tokens) pairs and how it was built."""

    name: str
    pairs: list[TokenPair]
    stats: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.pairs)

    def order(self, seed: int) -> np.ndarray:
        """The seeded permutation whose prefixes are the nested subsets."""
        return np.random.default_rng(seed).permutation(len(self.pairs))

    def subset(self, volume: int, seed: int) -> list[TokenPair]:
        """The first ``volume`` pairs of the seed's permutation (``-1`` or more than the pool = all)."""
        if volume == 0:
            return []
        idx = self.order(seed)
        if 0 < volume < len(idx):
            idx = idx[:volume]
        return [self.pairs[i] for i in idx]


def resolve_volume(volume: int, pool_size: int) -> int | None:
    """The effective volume of a grid point: ``-1`` → the pool size; values above the pool size → ``None`` (skip)."""
    if volume == -1:
        return pool_size
    if volume > pool_size:
        return None
    return volume


def _read_lines(path: Path) -> list[str]:
    if not path.is_file():
        raise FileNotFoundError(f"pool file not found: {path}")
    with open(path, encoding="utf-8") as fh:
        return fh.read().split("\n")[:-1] if path.stat().st_size else []


def _raw_pool(pool: str, root: Path) -> tuple[list[tuple[str, str, str]], str, str]:
    """(English line, target line, "file:line" id) triples of a pool, plus the two language codes."""
    kind, _, lang = pool.partition(":")
    triples: list[tuple[str, str, str]] = []
    if kind == "multi30k":
        files = [
            (root / "multi30k" / f"{split}.en.txt", root / "multi30k" / f"{split}.{lang}.txt", split)
            for split in ("train", "val")
        ]
    elif kind == "mafand":
        files = [
            (
                root / "mafand-mt" / f"en-{lang}" / f"{split}.en",
                root / "mafand-mt" / f"en-{lang}" / f"{split}.{lang}",
                f"en-{lang}/{split}.{lang}",
            )
            for split in ("train", "dev")
        ]
    else:
        raise InputError(f"unknown pool {pool!r}; use multi30k:<lang> or mafand:<lang>")
    for src_path, tgt_path, tag in files:
        src, tgt = _read_lines(src_path), _read_lines(tgt_path)
        if len(src) != len(tgt):
            raise InputError(f"{src_path} has {len(src)} lines but {tgt_path} has {len(tgt)}")
        triples.extend((s, t, f"{tag}:{i}") for i, (s, t) in enumerate(zip(src, tgt, strict=True)))
    return triples, "en", lang


def mapped_test_lines(lang: str, root: Path) -> set[str]:
    """``"en-<lang>/<split>.<lang>:<line>"`` ids of MAFAND lines that are MasakhaNER2 *test* sentences."""
    return {
        f"{row.link.target_file}:{row.link.line_index}"
        for row in masakhaner2_mafand_rows(lang, "test", root=root)
    }


def dedupe(
    triples: Sequence[tuple[str, str, str]],
    eval_sources: Iterable[str],
    eval_targets: Iterable[str],
    banned_ids: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    """Drop empty pairs, mapped test lines, pairs matching an evaluation sentence on either side, and repeats.

    Pure function (unit-tested); returns the kept triples and the removal counts, each pair counted once under
    the first rule that removes it, in the order listed.
    """
    src_set = {n for n in map(normalize, eval_sources) if n}
    tgt_set = {n for n in map(normalize, eval_targets) if n}
    stats = {
        "raw": len(triples),
        "empty": 0,
        "mapped_test": 0,
        "match_target": 0,
        "match_source": 0,
        "duplicate": 0,
    }
    seen: set[tuple[str, str]] = set()
    kept: list[tuple[str, str, str]] = []
    for s, t, ident in triples:
        ns, nt = normalize(s), normalize(t)
        if not ns or not nt:
            stats["empty"] += 1
        elif ident in banned_ids:
            stats["mapped_test"] += 1
        elif nt in tgt_set:
            stats["match_target"] += 1
        elif ns in src_set:
            stats["match_source"] += 1
        elif (ns, nt) in seen:
            stats["duplicate"] += 1
        else:
            seen.add((ns, nt))
            kept.append((s, t, ident))
    stats["kept"] = len(kept)
    return kept, stats


def build_pool(
    pool: str, eval_sources: Sequence[str], eval_targets: Sequence[str], root: Path | None = None
) -> Pool:
    """Load, deduplicate and tokenize a pool (tokenized result cached under ``cache_dir("study", "pools")``)."""
    root = root or data_root(required=True)
    assert root is not None
    triples, src_lang, tgt_lang = _raw_pool(pool, root)
    banned = mapped_test_lines(tgt_lang, root) if pool.startswith("mafand:") else set()
    key = fingerprint(
        "study-pool-v1",
        pool,
        [file_fingerprint(masakhaner2_mafand_path(root))] if banned else [],
        [(s, t) for s, t, _ in triples],
        sorted(eval_sources),
        sorted(eval_targets),
        sorted(banned),
        MAX_TOKENS,
    )
    cached = cache_dir("study", "pools") / f"{pool.replace(':', '-')}-{key[:16]}.json"
    if cached.is_file():
        data = json.loads(cached.read_text(encoding="utf-8"))
        return Pool(pool, [(list(s), list(t)) for s, t in data["pairs"]], data["stats"])
    kept, stats = dedupe(triples, eval_sources, eval_targets, banned)
    pairs: list[TokenPair] = []
    too_long = 0
    for s, t, _ in kept:
        ts, tt = tokenize_text(s, src_lang), tokenize_text(t, tgt_lang)
        if not ts or not tt or len(ts) > MAX_TOKENS or len(tt) > MAX_TOKENS:
            too_long += 1
            continue
        pairs.append((ts, tt))
    stats["too_long"] = too_long
    stats["kept"] = len(pairs)
    atomic_write_text(cached, json.dumps({"pool": pool, "stats": stats, "pairs": pairs}, ensure_ascii=False))
    return Pool(pool, pairs, stats)
