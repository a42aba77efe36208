"""Combining two aligners: keep the first one's links and fill its gaps with the second one's.

Why not a union or a vote: the embedding aligner's links are precise, and every extra link on an already aligned
word changes the Dice scores of the projection (a word linked twice counts twice). The fill rule only adds a
secondary link when *both* of its words are unaligned, one link per word, so the primary's decisions are kept
and only its gaps are filled — with a bilingual lexicon (``lexicon``) or a statistical aligner trained on more
parallel text (``eflomal-inter``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from projner.align.base import DEFAULT_BATCH_SIZE, Aligner, Pair, chunked
from projner.core.types import Alignment

FILL_RULE = "both-unaligned, nearest-diagonal-first, one link per word"
FILL_TARGETS = ("any", "capitalised")
"""Which target words a fill link may reach: any word, or only capitalised (and non-alphabetic) words."""


def capitalised_only(links: Alignment, target: Sequence[str]) -> Alignment:
    """The links whose target word starts with an upper-case letter or with no letter at all (a number).

    Why: in translate-test the fill exists to link an English name's words to the name in the target sentence.
    A statistical aligner also links them to correct translations of common nouns ("Electoral Commission" →
    Luganda "akakiiko k'ebyokulonda"), which the target annotation does not tag as a name; on the MasakhaNER2
    dev splits those links cost lug 0.6 F1, and keeping only capitalised targets turned the fill's mean gain
    from +0.4 to +0.9 (docs/benchmarks.md).
    """
    keep = [(i, j) for i, j in links.pairs.tolist() if target[j][:1].isupper() or not target[j][:1].isalpha()]
    return Alignment(np.asarray(keep, dtype=np.int64).reshape(-1, 2))


def reassign_links(primary: Alignment, secondary: Alignment) -> Alignment:
    """Move a target word from a source word the primary linked twice to the source word the secondary gives it.

    A secondary link ``(i, j)`` is taken when source word ``i`` has no primary link, target word ``j`` has, and
    every source word linked to ``j`` keeps at least one other link after losing ``j``. The primary's link(s) to
    ``j`` are dropped and ``(i, j)`` is added, so no word loses its last link and no word gains a second one.

    Why: sub-word links make one source word take two target words that share a piece with it. e5 links
    "Commissioner" to "Commissario" and, through the shared "▁commission", to "commissione" as well; the
    "Committee" of that sentence then has no link, and the committee's projected name loses its head word.
    A statistical aligner trained on the input links "Committee" to "commissione" (docs/aligners.md).
    Secondary links are taken in their given order; a target word moves at most once.
    """
    if len(secondary) == 0 or len(primary) == 0:
        return primary
    src_degree: dict[int, int] = {}
    tgt_sources: dict[int, list[int]] = {}
    for i, j in primary.pairs.tolist():
        src_degree[i] = src_degree.get(i, 0) + 1
        tgt_sources.setdefault(j, []).append(i)
    dropped: set[tuple[int, int]] = set()
    added: list[tuple[int, int]] = []
    for i, j in secondary.pairs.tolist():
        sources = tgt_sources.get(j)
        if i in src_degree or not sources or any(src_degree[k] < 2 for k in sources):
            continue
        for k in sources:
            dropped.add((k, j))
            src_degree[k] -= 1
        del tgt_sources[j]
        src_degree[i] = 1
        added.append((i, j))
    if not added:
        return primary
    kept = [(i, j) for i, j in primary.pairs.tolist() if (i, j) not in dropped]
    return Alignment(np.asarray(kept + added, dtype=np.int64).reshape(-1, 2))


def fill_links(primary: Alignment, secondary: Alignment, n_src: int, n_tgt: int) -> Alignment:
    """``primary`` plus the ``secondary`` links whose two words the primary (and earlier fills) left unaligned.

    Candidate links are taken in order of their distance from the diagonal, ``|i/n_src − j/n_tgt|`` (ties: source
    then target index), so when a lexicon offers a word two translations in the sentence, the one in the
    corresponding position wins; after a link is added neither of its words takes another.
    """
    if len(secondary) == 0:
        return primary
    src_done = set(primary.pairs[:, 0].tolist())
    tgt_done = set(primary.pairs[:, 1].tolist())
    cand = secondary.pairs
    dist = np.abs(cand[:, 0] / max(n_src, 1) - cand[:, 1] / max(n_tgt, 1))
    added: list[tuple[int, int]] = []
    for k in np.lexsort((cand[:, 1], cand[:, 0], dist)):
        i, j = int(cand[k, 0]), int(cand[k, 1])
        if i in src_done or j in tgt_done:
            continue
        added.append((i, j))
        src_done.add(i)
        tgt_done.add(j)
    if not added:
        return primary
    return Alignment(np.concatenate([primary.pairs, np.asarray(added, dtype=np.int64)]))


class FillAligner:
    """The primary aligner's links, gaps filled by the secondary's (:func:`fill_links`).

    Streams when both aligners stream. ``fit`` (extra parallel data) goes to whichever of the two is trainable,
    e.g. eflomal as the secondary.
    """

    def __init__(
        self,
        primary: Aligner,
        secondary: Aligner,
        name: str = "fill",
        fill_target: str = "any",
        reassign: bool = False,
    ) -> None:
        if fill_target not in FILL_TARGETS:
            raise ValueError(f"fill_target must be one of {', '.join(FILL_TARGETS)}, got {fill_target!r}")
        self.primary = primary
        self.secondary = secondary
        self.name = name
        self.fill_target = fill_target
        self.reassign = reassign
        """Before filling, move doubly linked target words to the secondary's source word
        (:func:`reassign_links`); any target word may move, whatever ``fill_target`` says."""

    @property
    def streaming(self) -> bool:
        return bool(getattr(self.primary, "streaming", True) and getattr(self.secondary, "streaming", True))

    @property
    def shardable(self) -> bool:
        """Whether a sharded run (``--engine``) may align shard by shard: when the primary streams. A trained
        secondary then learns from its shard (plus any extra data) only; it just fills the primary's gaps, so a
        shard of a few hundred sentences is enough (docs/scale.md)."""
        return bool(getattr(self.primary, "streaming", True))

    def params(self) -> dict[str, Any]:
        return {
            "primary": [self.primary.name, self.primary.params()],
            "secondary": [self.secondary.name, self.secondary.params()],
            "rule": FILL_RULE,
            "fill_target": self.fill_target,
            **({"reassign": True} if self.reassign else {}),
        }

    def fit(self, extra_pairs: Iterable[Pair]) -> None:
        """Give extra parallel pairs to the trainable member(s); a TypeError when neither is trainable."""
        targets = [a for a in (self.primary, self.secondary) if hasattr(a, "fit")]
        if not targets:
            raise TypeError(f"neither {self.primary.name!r} nor {self.secondary.name!r} is trainable")
        pairs = [(list(s), list(t)) for s, t in extra_pairs]
        for aligner in targets:
            aligner.fit(pairs)  # type: ignore[attr-defined]

    def add_parallel_files(self, source: str | Path, target: str | Path, fmt: str | None = None) -> None:
        """Train the member(s) that read extra parallel files (eflomal) also on this file pair."""
        targets = [a for a in (self.primary, self.secondary) if hasattr(a, "add_parallel_files")]
        if not targets:
            raise TypeError(
                f"neither {self.primary.name!r} nor {self.secondary.name!r} trains on parallel files"
            )
        for aligner in targets:
            aligner.add_parallel_files(source, target, fmt)  # type: ignore[attr-defined]

    def _merge(self, pairs: list[Pair], batch_size: int) -> Iterator[Alignment]:
        first = self.primary.align(pairs, batch_size=batch_size)
        second = self.secondary.align(pairs, batch_size=batch_size)
        for (src, tgt), a, b in zip(pairs, first, second, strict=True):
            if self.reassign:
                a = reassign_links(a, b)
            if self.fill_target == "capitalised":
                b = capitalised_only(b, tgt)
            yield fill_links(a, b, len(src), len(tgt))

    def align(self, pairs: Iterable[Pair], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Alignment]:
        if not self.streaming:  # a trained member needs every pair at once
            yield from self._merge([(list(s), list(t)) for s, t in pairs], batch_size)
            return
        for chunk in chunked(pairs, batch_size):
            yield from self._merge(chunk, batch_size)
