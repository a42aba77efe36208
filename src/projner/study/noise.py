"""Local word-order noise for the robustness measure (docs/study.md §1.3, "noise drop").

The source sentence is cut into *units* — each entity span is one unit, every other word is its own unit — and
each unit is, with probability ``prob``, given a sort key ``i + u`` with ``u ~ U[0, window)`` (the others keep
``i``); the units are then stably sorted by key. A unit can only be overtaken by units whose index differs by
less than ``window``, so no unit moves by ``window`` positions or more, entities stay contiguous and in their
internal order, and the spans are recomputed for the new positions. The aligner then has to match words by
their lexical content rather than by their position.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from projner.core.types import Span


def units_of(n_tokens: int, spans: Sequence[Span]) -> list[tuple[int, int, Span | None]]:
    """Half-open ``(start, end, span)`` units covering ``range(n_tokens)``: each span one unit, other words alone."""
    ordered = sorted(spans)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.end > b.start:
            raise ValueError(f"overlapping spans {a} and {b}")
    units: list[tuple[int, int, Span | None]] = []
    pos = 0
    for s in ordered:
        if s.start < pos or s.end > n_tokens or s.start >= s.end:
            raise ValueError(f"span {s} out of range for {n_tokens} tokens")
        units.extend((i, i + 1, None) for i in range(pos, s.start))
        units.append((s.start, s.end, s))
        pos = s.end
    units.extend((i, i + 1, None) for i in range(pos, n_tokens))
    return units


def local_shuffle(
    tokens: Sequence[str],
    spans: Sequence[Span],
    rng: np.random.Generator,
    window: int = 3,
    prob: float = 0.3,
) -> tuple[list[str], list[Span], list[int]]:
    """Shuffle ``tokens`` locally, moving entity ``spans`` as units.

    Returns the new tokens, the spans at their new positions (same labels and scores, sorted) and the
    permutation ``order`` such that ``new_tokens[k] == tokens[order[k]]``.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    if not 0.0 <= prob <= 1.0:
        raise ValueError(f"prob must be in [0, 1], got {prob}")
    units = units_of(len(tokens), spans)
    n = len(units)
    moved = rng.random(n) < prob
    keys = np.arange(n, dtype=np.float64) + np.where(moved, rng.uniform(0.0, window, n), 0.0)
    perm = np.argsort(keys, kind="stable")
    order: list[int] = []
    new_spans: list[Span] = []
    for u in perm:
        start, end, span = units[int(u)]
        if span is not None:
            new_spans.append(Span(len(order), len(order) + (end - start), span.label, span.score))
        order.extend(range(start, end))
    return [tokens[i] for i in order], new_spans, order
