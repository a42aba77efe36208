"""Target-side candidate spans for matching (method.md §3.9.1).

A candidate source maps an example to two int arrays ``(starts, ends)`` of half-open target spans, in the
order that defines greedy tie-breaking: **start ascending, then end ascending**.

* :class:`NgramCandidates` — every contiguous span of at most ``max_len`` tokens, except spans containing an
  excluded token (default ``{"!", "?"}``, as in the paper); ``trim_punct`` also drops spans that begin or end
  with a punctuation token, and ``order="length"`` lists shorter candidates first so that score ties go to
  the shortest span (both beyond the paper). Index arrays are cached per (length, max_len).
* :class:`NerCandidates` — spans predicted by a tagger on the target sentence, labels ignored, read from
  ``example.meta["candidates"]`` (a list of :class:`Span` or ``(start, end)`` pairs, or an IOB tag list), so
  any tagging stage can provide them; optionally expanded to all their sub-spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from projner.core.tags import tags_to_spans
from projner.core.text import is_punct
from projner.core.types import ParallelExample, Span
from projner.project.base import ProjectionError

DEFAULT_EXCLUDED = frozenset({"!", "?"})


@lru_cache(maxsize=4096)
def _ngram_index(n: int, max_len: int) -> tuple[np.ndarray, np.ndarray]:
    starts = np.repeat(np.arange(n, dtype=np.int64), [min(max_len, n - p) for p in range(n)])
    offsets = np.concatenate([np.arange(1, min(max_len, n - p) + 1, dtype=np.int64) for p in range(n)])
    ends = starts + offsets
    starts.flags.writeable = False
    ends.flags.writeable = False
    return starts, ends


def ngram_spans(
    tokens: Sequence[str], max_len: int | None = None, exclude: Iterable[str] = DEFAULT_EXCLUDED
) -> tuple[np.ndarray, np.ndarray]:
    """All spans ``[p, q)`` with ``1 <= q - p <= max_len`` that contain no excluded token, start/end ascending."""
    n = len(tokens)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    m = n if max_len is None else max(1, min(max_len, n))
    starts, ends = _ngram_index(n, m)
    excluded = frozenset(exclude)
    if excluded:
        bad = [i for i, t in enumerate(tokens) if t in excluded]
        if bad:
            count = np.zeros(n + 1, dtype=np.int64)
            count[np.asarray(bad) + 1] = 1
            np.cumsum(count, out=count)
            ok = count[ends] == count[starts]
            return starts[ok], ends[ok]
    return starts, ends


Window = tuple[int, int]


class CandidateSource:
    """Callable ``(example, window=None) -> (starts, ends)``; subclasses define how candidates are found.

    ``window=(lo, hi)`` is the range of target words linked to any entity. Matching only needs candidates
    overlapping it; n-grams are restricted to lie *inside* it, which never changes the result because a
    candidate extended by unlinked words has the same links and a strictly lower Dice score than its trimmed
    version (thesis lemma), so neither solver can prefer it.
    """

    name = "candidates"

    def __call__(
        self, example: ParallelExample, window: Window | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


class NgramCandidates(CandidateSource):
    """All target n-grams up to ``max_len`` (``None`` = sentence length), excluding spans with ``exclude`` tokens."""

    name = "ngram"

    def __init__(
        self,
        max_len: int | None = None,
        exclude: Iterable[str] = DEFAULT_EXCLUDED,
        trim_punct: bool = False,
        order: str = "start",
    ) -> None:
        if order not in ("start", "length"):
            raise ValueError(f"order must be 'start' (paper) or 'length', got {order!r}")
        self.order = order
        if max_len is not None and max_len < 1:
            raise ValueError("max_len must be >= 1 or None")
        self.max_len = max_len
        self.exclude = frozenset(exclude)
        self.trim_punct = trim_punct

    def __call__(
        self, example: ParallelExample, window: Window | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = window if window is not None else (0, len(example.target.tokens))
        tokens = example.target.tokens[lo:hi]
        starts, ends = ngram_spans(tokens, self.max_len, self.exclude)
        if self.trim_punct and starts.size:
            # Entities rarely start or end with punctuation (quotes, commas, brackets), but aligners often link it.
            punct = np.fromiter((is_punct(t) for t in tokens), dtype=bool, count=len(tokens))
            if punct.any():
                ok = ~punct[starts] & ~punct[ends - 1]
                starts, ends = starts[ok], ends[ok]
        if self.order == "length":  # ties go to the shortest candidate, then the leftmost
            perm = np.lexsort((starts, ends - starts))
            starts, ends = starts[perm], ends[perm]
        return starts + lo, ends + lo


def as_candidate_spans(value: object, n: int) -> list[tuple[int, int]]:
    """Target-side spans given as an IOB tag list, :class:`Span` objects or ``(start, end)`` pairs, as pairs;
    a span outside the ``n``-token sentence raises :class:`ProjectionError`."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [(s.start, s.end) for s in tags_to_spans(value)]  # an IOB tag list
    out: list[tuple[int, int]] = []
    for v in value:  # type: ignore[attr-defined]
        if isinstance(v, Span):
            out.append((v.start, v.end))
        else:
            p, q = v
            out.append((int(p), int(q)))
    for p, q in out:
        if not 0 <= p < q <= n:
            raise ProjectionError(f"candidate span [{p}, {q}) is outside the target sentence of {n} tokens")
    return out


class NerCandidates(CandidateSource):
    """Candidates predicted by a target-side tagger, taken from ``example.meta[key]`` (labels ignored).

    ``expand_subspans`` adds every contiguous sub-span of each predicted span (the paper's optional
    expansion). Missing candidates raise: a silently empty candidate set would hide a pipeline bug.
    """

    name = "ner"

    def __init__(self, key: str = "candidates", expand_subspans: bool = False) -> None:
        self.key = key
        self.expand_subspans = expand_subspans

    def __call__(
        self, example: ParallelExample, window: Window | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        if self.key not in example.meta:
            raise ProjectionError(
                f"NER candidates need example.meta[{self.key!r}] (spans predicted on the target sentence)"
            )
        spans = as_candidate_spans(example.meta[self.key], len(example.target.tokens))
        if self.expand_subspans:
            spans = [(p + a, p + b) for p, q in spans for a in range(q - p) for b in range(a + 1, q - p + 1)]
        uniq = sorted(set(spans))
        if window is not None:
            uniq = [(p, q) for p, q in uniq if p < window[1] and q > window[0]]
        if not uniq:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        arr = np.asarray(uniq, dtype=np.int64)
        return arr[:, 0].copy(), arr[:, 1].copy()


def get_candidates(kind: str, **params: object) -> CandidateSource:
    """``"ngram"`` or ``"ner"`` candidate source with its parameters."""
    if kind == "ngram":
        return NgramCandidates(**params)  # type: ignore[arg-type]
    if kind == "ner":
        return NerCandidates(**params)  # type: ignore[arg-type]
    raise ValueError(f"unknown candidate source {kind!r}; choose 'ngram' or 'ner'")
