"""Set-level span completion: a projected span grows to the longer name that the set projects whole elsewhere.

Why: alignment is sentence by sentence, and a one-to-many translation ("EU" → "Unione europea", "Structural
Funds" → "Fondi strutturali" split over a coordination, "NRM" → "National Resistance Movement") often links only
one word of the target name, so the projection is cut short. The same name is usually projected whole in other
sentences of the set, where the source says it in full. Those other projections are the evidence: when a
multi-word string is projected whole at least ``min_count`` times and in at least ``min_ratio`` of its occurrences,
a projected span lying strictly inside another occurrence of that string is grown to the whole string. This is the
boundary counterpart of the type-and-propagation consistency pass of translate-test
(:mod:`projner.tag.consistency`; Krishnan & Manning 2006 for the document-level idea).

Safeguards, each there for a measured failure:

* ``min_count=3``: two projections of "Das Parlament" (a sentence-initial article wrongly included twice) would
  otherwise grow every "Parlament" of the German set (Europarl-NER de first half −0.8 F1 with 2).
* ``min_ratio=0.5``: a string that occurs often but is projected whole only now and then is no evidence.
* only spans strictly inside an occurrence, no span crossing it, one label among them: the pass never shortens,
  splits or re-types a span, and never joins entities of different types.

Chosen on the selection data of the projection benchmark (first half of Europarl-NER, UNER-PUD de/pt) and on the
MasakhaNER2 dev splits; see docs/benchmarks/projection.md, "Session 12".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from projner.core.types import ParallelExample, Span

SET_COMPLETION: dict[str, Any] = {"min_count": 3, "min_ratio": 0.5}
"""Default settings of :func:`complete_from_set` (module doc)."""


def _whole_strings(
    words: Sequence[Sequence[str]], spans: Sequence[Sequence[Span]], seen: Sequence[bool], min_count: int
) -> Counter[tuple[str, ...]]:
    """Multi-word strings projected as a whole span at least ``min_count`` times in the evidence sentences."""
    whole: Counter[tuple[str, ...]] = Counter()
    for w, ss, ok in zip(words, spans, seen, strict=True):
        if ok:
            whole.update(tuple(w[s.start : s.end]) for s in ss if s.end - s.start >= 2)
    return Counter({k: n for k, n in whole.items() if n >= min_count})


def _occurrences(
    w: Sequence[str], by_first: dict[str, list[tuple[str, ...]]]
) -> list[tuple[int, tuple[str, ...]]]:
    """``(start, string)`` of every occurrence in ``w`` of a string indexed by its first word."""
    found = []
    for i, tok in enumerate(w):
        for key in by_first.get(tok, ()):
            if tuple(w[i : i + len(key)]) == key:
                found.append((i, key))
    return found


def complete_from_set(
    words: Sequence[Sequence[str]],
    spans: Sequence[Sequence[Span]],
    min_count: int = SET_COMPLETION["min_count"],
    min_ratio: float = SET_COMPLETION["min_ratio"],
    observed: Sequence[bool] | None = None,
) -> list[list[Span]]:
    """Grow projected spans to the multi-word strings the set projects whole (pure function; module doc).

    ``observed[i]`` False (a sentence without translation, or whose projection failed) casts no evidence and does
    not count as an occurrence, but its spans can be completed like any other. Returns new span lists, sorted;
    the input is not modified.
    """
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    if not 0.0 <= min_ratio <= 1.0:
        raise ValueError(f"min_ratio must lie in [0, 1], got {min_ratio}")
    seen = [True] * len(words) if observed is None else list(observed)
    if not len(seen) == len(words) == len(spans):
        raise ValueError(f"{len(words)} sentences, {len(spans)} span lists and {len(seen)} observed flags")
    whole = _whole_strings(words, spans, seen, min_count)
    out = [sorted(ss) for ss in spans]
    if not whole:
        return out
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key in whole:
        by_first[key[0]].append(key)
    found = [_occurrences(w, by_first) for w in words]
    occurs: Counter[tuple[str, ...]] = Counter(
        key for hits, ok in zip(found, seen, strict=True) if ok for _, key in hits
    )
    keys = {k for k, n in whole.items() if n / occurs[k] >= min_ratio}
    for ss, hits in zip(out, found, strict=True):
        # longest strings first, then left to right: a grown span is never grown again by a shorter string
        for i, key in sorted(((i, k) for i, k in hits if k in keys), key=lambda ik: (-len(ik[1]), ik[0])):
            stop = i + len(key)
            inside = [s for s in ss if i <= s.start and s.end <= stop]
            if not inside or any(s.start == i and s.end == stop for s in inside):
                continue
            if any(s.start < stop and i < s.end for s in ss if s not in inside):
                continue  # a span crosses the occurrence: leave both alone
            if len({s.label for s in inside}) != 1:
                continue
            scores = [s.score for s in inside if s.score is not None]
            grown = Span(i, stop, inside[0].label, max(scores) if scores else None)
            ss[:] = sorted([s for s in ss if s not in inside] + [grown])
    return out


def complete_examples(examples: Sequence[ParallelExample], **settings: Any) -> int:
    """:func:`complete_from_set` over projected examples, in place; returns the number of grown spans.

    Failed examples (``meta["projection_error"]``) give no evidence.
    """
    words = [ex.target.tokens for ex in examples]
    spans = [list(ex.target_spans or []) for ex in examples]
    observed = ["projection_error" not in ex.meta for ex in examples]
    new = complete_from_set(words, spans, observed=observed, **{**SET_COMPLETION, **settings})
    grown = 0
    for ex, before, after in zip(examples, spans, new, strict=True):
        if after != sorted(before):
            grown += len(set(after) - set(before))
            ex.target_spans = after
    return grown
