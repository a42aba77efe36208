"""Alignment extraction from a similarity matrix: the methods of SimAlign and awesome-align, in numpy.

Every function takes one ``(m, n)`` matrix whose rows index the *first* sentence (the source side) and columns
the *second* (the target side), and returns a boolean ``(m, n)`` link matrix. They are pure functions so they
can be pinned on hand-built matrices (``tests/unit/test_align_extraction.py``).

Semantics follow the reference implementations exactly, because the research question compares aligners and
"SimAlign itermax" must mean what SimAlign does:

* SimAlign 0.4 (``simalign/simalign.py``): similarity ``(cos + 1) / 2``; ``fwd``/``rev`` argmax (first index
  wins ties, as ``np.argmax``); ``inter`` = both; ``itermax`` with ``max_count=2`` and down-weighting 0.9, and
  plain ``inter`` when either side has at most 2 tokens; ``mwmf`` = maximum-weight maximum-cardinality
  bipartite matching (SimAlign uses networkx; the assignment problem solved by scipy gives the same optimum on
  these strictly positive weights); optional distortion.
* awesome-align 0.1.7 (``guide_layer``): raw dot products of the hidden states, softmax over the target axis
  and over the source axis, both above ``threshold`` (0.001).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

METHODS = ("inter", "itermax", "mwmf", "softmax", "fwd", "rev")
"""Extraction method names (SimAlign's ``inter``/``mwmf``/``itermax``/``fwd``/``rev`` plus awesome's ``softmax``)."""

METHOD_ALIASES = {
    "argmax": "inter",
    "a": "inter",
    "i": "itermax",
    "m": "mwmf",
    "match": "mwmf",
    "f": "fwd",
    "r": "rev",
}


def canonical_method(method: str) -> str:
    """Map aliases (``argmax``, ``match``, SimAlign's one-letter codes) to a name in :data:`METHODS`."""
    name = METHOD_ALIASES.get(method, method)
    if name not in METHODS:
        raise ValueError(
            f"unknown extraction method {method!r}; choose one of {', '.join(METHODS)} (or argmax, match)"
        )
    return name


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """L2-normalise rows the way scikit-learn's ``normalize`` does (zero rows stay zero), keeping the dtype."""
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    norms[norms == 0.0] = 1.0
    return x / norms[:, None]


def similarity(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """SimAlign's similarity ``(cos(x_i, y_j) + 1) / 2`` in the inputs' dtype (float32 like SimAlign)."""
    return (normalize_rows(x) @ normalize_rows(y).T + 1.0) / 2.0


def apply_distortion(sim: np.ndarray, ratio: float = 0.5) -> np.ndarray:
    """SimAlign's distortion: down-weight links far from the diagonal by ``1 - ratio * (rel. distance)^2``."""
    m, n = sim.shape
    if m < 2 or n < 2 or ratio == 0.0:
        return sim
    pos_x = np.arange(n, dtype=np.float64) / float(n - 1)
    pos_y = np.arange(m, dtype=np.float64) / float(m - 1)
    mask = 1.0 - ((pos_x[None, :] - pos_y[:, None]) ** 2) * ratio
    return np.multiply(sim, mask)


def _row_onehot(idx: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((len(idx), n), dtype=bool)
    out[np.arange(len(idx)), idx] = True
    return out


def forward(sim: np.ndarray) -> np.ndarray:
    """Each source row links to its best target column (SimAlign ``fwd``)."""
    m, n = sim.shape
    if m == 0 or n == 0:
        return np.zeros((m, n), dtype=bool)
    return _row_onehot(sim.argmax(axis=1), n)


def reverse(sim: np.ndarray) -> np.ndarray:
    """Each target column links to its best source row (SimAlign ``rev``)."""
    m, n = sim.shape
    if m == 0 or n == 0:
        return np.zeros((m, n), dtype=bool)
    return _row_onehot(sim.argmax(axis=0), m).T


def intersection(sim: np.ndarray) -> np.ndarray:
    """Mutual argmax (SimAlign ``inter``, a.k.a. ArgMax)."""
    return forward(sim) & reverse(sim)


def itermax(sim: np.ndarray, max_count: int = 2, alpha: float = 0.9) -> np.ndarray:
    """SimAlign's IterMax, a line-by-line port of ``SentenceAligner.iter_max`` with boolean masks.

    Round 1 is the mutual argmax. Each further round (``max_count - 1`` of them) re-takes mutual argmaxes on the
    similarity where cells whose row *and* column are both unaligned keep full weight, cells with exactly one
    aligned side are weighted by ``alpha`` (``clip(0.9 + 0.9, 0, 1) = 1`` vs ``0.9``), and cells whose row and
    column are both aligned are excluded. With at most 2 tokens on a side only the intersection is returned.
    """
    m, n = sim.shape
    inter = intersection(sim)
    if min(m, n) <= 2:
        return inter
    sim64 = sim.astype(np.float64)
    count = 1
    while count < max_count:
        free_rows = np.asarray(~inter.any(axis=1))
        free_cols = np.asarray(~inter.any(axis=0))
        if not free_rows.any() or not free_cols.any():
            break  # SimAlign zeroes the mask, so the new round adds nothing
        mx = free_rows[:, None].astype(np.float64)
        my = free_cols[None, :].astype(np.float64)
        mask = np.clip(alpha * mx + alpha * my, 0.0, 1.0)
        mask_zeros = free_rows[:, None] | free_cols[None, :]
        new_sim = sim64 * mask
        fwd = _row_onehot(new_sim.argmax(axis=1), n) & mask_zeros
        bac = _row_onehot(new_sim.argmax(axis=0), m).T & mask_zeros
        new_inter = fwd & bac
        if not new_inter.any():
            break
        inter = inter | new_inter
        count += 1
    return inter


def max_weight_match(sim: np.ndarray) -> np.ndarray:
    """Maximum-weight maximum-cardinality bipartite matching (SimAlign ``mwmf``) via the assignment problem."""
    m, n = sim.shape
    out = np.zeros((m, n), dtype=bool)
    if m == 0 or n == 0:
        return out
    rows, cols = linear_sum_assignment(sim, maximize=True)
    out[rows, cols] = True
    return out


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_threshold(scores: np.ndarray, threshold: float = 0.001) -> np.ndarray:
    """awesome-align's ``softmax`` extraction on raw dot-product ``scores``: both directions above ``threshold``."""
    m, n = scores.shape
    if m == 0 or n == 0:
        return np.zeros((m, n), dtype=bool)
    return (_softmax(scores, axis=1) > threshold) & (_softmax(scores, axis=0) > threshold)


def dot_scores(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Raw dot products of hidden states (awesome-align's ``attention_scores`` with one head)."""
    return x @ y.T


def extract(
    method: str, x: np.ndarray, y: np.ndarray, distortion: float = 0.0, threshold: float = 0.001
) -> np.ndarray:
    """Run one extraction method on two matrices of token vectors (rows = tokens)."""
    method = canonical_method(method)
    if method == "softmax":
        return softmax_threshold(dot_scores(x, y), threshold)
    sim = apply_distortion(similarity(x, y), distortion)
    return extract_from_similarity(method, sim)


def extract_from_similarity(method: str, sim: np.ndarray) -> np.ndarray:
    """Run a SimAlign method (not ``softmax``, which needs raw scores) on a similarity matrix."""
    method = canonical_method(method)
    if method == "inter":
        return intersection(sim)
    if method == "itermax":
        return itermax(sim)
    if method == "mwmf":
        return max_weight_match(sim)
    if method == "fwd":
        return forward(sim)
    if method == "rev":
        return reverse(sim)
    raise ValueError(f"method {method!r} needs raw scores, not a similarity matrix")


def to_word_pairs(links: np.ndarray, src_word_of: np.ndarray, tgt_word_of: np.ndarray) -> np.ndarray:
    """Map sub-word links to unique word pairs: a word pair is linked if any of its sub-word pairs is (SimAlign bpe).

    ``src_word_of[k]`` is the word index of source sub-word ``k`` (likewise for the target). Returns a sorted
    unique ``(n, 2)`` int64 array.
    """
    idx = np.argwhere(links)
    if len(idx) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.stack([src_word_of[idx[:, 0]], tgt_word_of[idx[:, 1]]], axis=1).astype(np.int64)
    return np.unique(pairs, axis=0)
