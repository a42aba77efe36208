"""The paper's greedy matcher (method.md §3.9.3), without the O(m^5) overlap pre-computation.

The paper repeatedly takes the row-major first maximum of the dense score matrix (highest score, then lowest
entity index, then earliest candidate in extraction order), assigns it, zeroes the entity's row and zeroes
every candidate column overlapping the chosen one. Taking the argmax after zeroing is the same as walking the
nonzero entries once in the order (score desc, entity asc, candidate asc) and skipping dead ones, so we sort
the sparse entries once and keep an ``alive`` mask; each assignment kills its row and every entry whose
candidate overlaps the chosen ``[p, q)`` — the interval test ``start < q and end > p`` — in one vectorised
step. Cost: one sort of the nonzeros plus ``O(#entities)`` numpy passes.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def sparse_entries(scores: sparse.csr_array | sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(rows, cols, values)`` of the positive entries of a CSR matrix, in row-major order."""
    indptr = scores.indptr
    rows = np.repeat(np.arange(scores.shape[0], dtype=np.int64), np.diff(indptr))
    cols = scores.indices.astype(np.int64, copy=False)
    vals = np.asarray(scores.data, dtype=np.float64)
    keep = vals > 0
    if not keep.all():
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
    return rows, cols, vals


def greedy_entries(
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    cand_starts: np.ndarray,
    cand_ends: np.ndarray,
) -> list[tuple[int, int, float]]:
    """Greedy assignment on sparse entries; returns ``(entity, candidate, score)`` in assignment order."""
    if vals.size == 0:
        return []
    if rows[0] == rows[-1] and (rows == rows[0]).all():  # one entity: its first maximum, no updates needed
        best = vals.max()
        k = int(np.flatnonzero(vals == best)[np.argmin(cols[vals == best])])
        return [(int(rows[k]), int(cols[k]), float(vals[k]))]
    order = np.lexsort((cols, rows, -vals))
    r, c, v = rows[order], cols[order], vals[order]
    s, e = cand_starts[c], cand_ends[c]
    alive = np.ones(r.size, dtype=bool)
    out: list[tuple[int, int, float]] = []
    k = 0
    while True:
        out.append((int(r[k]), int(c[k]), float(v[k])))
        p, q = s[k], e[k]
        alive &= (r != r[k]) & ((s >= q) | (e <= p))
        k = int(alive.argmax())
        if not alive[k]:
            return out


def greedy_match(
    scores: sparse.csr_array | sparse.csr_matrix, cand_starts: np.ndarray, cand_ends: np.ndarray
) -> list[tuple[int, int, float]]:
    """Greedy matching of a CSR score matrix (entities × candidates) with the paper's tie-breaking."""
    rows, cols, vals = sparse_entries(scores)
    return greedy_entries(rows, cols, vals, cand_starts, cand_ends)
