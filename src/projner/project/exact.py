"""Exact matching as an integer linear programme solved with HiGHS (method.md §3.9.4–3.9.5).

Binary variable ``x[s, t]`` per nonzero score entry. Maximise ``Σ score·x`` subject to

* at most one projection per source entity: ``Σ_t x[s, t] ≤ 1`` (the thesis's best setting);
* chosen candidates do not overlap. Candidates are intervals, so overlapping sets are exactly the sets of
  candidates sharing a position, and every maximal such set contains the start of one of its members: one
  clique constraint ``Σ_{t ∋ k} Σ_s x[s, t] ≤ 1`` per distinct candidate start ``k`` is equivalent to the
  thesis's pairwise constraints, with far fewer rows and a tighter relaxation.

Unlike the paper's SciPy bipartite matcher, overlap is a constraint (not repaired afterwards) and a full
matching is not required, so the solver never fails for lack of a full matching.

Deterministic ties: (1) if the greedy assignment reaches the upper bound ``Σ_s max_t score`` it is optimal
and returned as is (this also skips the solver for most sentences); (2) otherwise the ILP is solved
lexicographically: first the maximal total score ``z*`` (HiGHS, zero MIP gap), then, among solutions with
score ≥ ``z* − 1e-7``, the lexicographically greedy-preferred one: the entries' ranks in the greedy order
(score desc, entity asc, candidate asc) weigh ``2^-rank`` and their sum is maximised, so the solution holding
the best-ranked entry wins, then the next... (exact for the first ~40 ranks; beyond that the weights fall
under HiGHS's gap tolerance and HiGHS's own deterministic choice decides). A one-stage ε-perturbation was tried first and rejected: HiGHS's tolerances
did not reliably honour it (the result changed with the presolve setting).
"""

from __future__ import annotations

import os
import sys
import threading

import highspy
import numpy as np
from scipy import sparse

from projner.project.base import ProjectionError
from projner.project.greedy import greedy_entries, sparse_entries

_LOCAL = threading.local()


def _highs() -> highspy.Highs:
    """One silent HiGHS instance per thread, reused across sentences (creation prints a banner on stdout,
    which would corrupt CLI output, so it is created with file descriptor 1 pointed at /dev/null)."""
    h = getattr(_LOCAL, "highs", None)
    if h is None:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-12)
        h.setOptionValue("threads", 1)
        _LOCAL.highs = h
    return h


TIE_TOL = 1e-7
"""Solutions whose total score is within this of the optimum count as tied (float sums of equal fractions)."""


def _run(h: highspy.Highs) -> np.ndarray:
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise ProjectionError(f"HiGHS did not find an optimal matching: {h.modelStatusToString(status)}")
    return np.asarray(h.getSolution().col_value) > 0.5


def _solve_ilp(
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    cand_starts: np.ndarray,
    cand_ends: np.ndarray,
    n_entities: int,
) -> list[tuple[int, int, float]]:
    nnz = vals.size
    order = np.lexsort((cols, rows, -vals))
    rank = np.empty(nnz, dtype=np.float64)
    rank[order] = np.arange(nnz, dtype=np.float64)

    s, e = cand_starts[cols], cand_ends[cols]
    points = np.unique(s)
    cover_k, cover_j = np.nonzero(
        (s[None, :] <= points[:, None]) & (e[None, :] > points[:, None])
    )  # (K, nnz)
    # Constraint matrix, column-wise (one column per variable): its entity row, then its clique rows.
    col = np.concatenate((np.arange(nnz), cover_j))
    row = np.concatenate((rows, n_entities + cover_k))
    order_c = np.argsort(col, kind="stable")
    n_rows = n_entities + points.size
    starts_csc = np.zeros(nnz + 1, dtype=np.int32)
    np.cumsum(np.bincount(col, minlength=nnz), out=starts_csc[1:])

    lp = highspy.HighsLp()
    lp.num_col_ = nnz
    lp.num_row_ = n_rows
    lp.col_cost_ = vals
    lp.col_lower_ = np.zeros(nnz)
    lp.col_upper_ = np.ones(nnz)
    lp.row_lower_ = np.full(n_rows, -highspy.kHighsInf)
    lp.row_upper_ = np.ones(n_rows)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts_csc
    lp.a_matrix_.index_ = row[order_c].astype(np.int32)
    lp.a_matrix_.value_ = np.ones(col.size)
    lp.a_matrix_.num_col_ = nnz
    lp.a_matrix_.num_row_ = n_rows
    lp.integrality_ = [highspy.HighsVarType.kInteger] * nnz

    h = _highs()
    h.clearModel()
    h.passModel(lp)
    x = _run(h)
    # Stage 2 (ties): among solutions within TIE_TOL of the optimum, prefer greedy-order entries
    # lexicographically: weight 2^-rank makes containing entry k worth more than all later entries together.
    best = float(vals[x].sum())
    idx = np.arange(nnz, dtype=np.int32)
    h.addRow(best - TIE_TOL, highspy.kHighsInf, nnz, idx, vals)
    h.changeColsCost(nnz, idx, np.exp2(-np.minimum(rank, 60.0)))
    x = _run(h)
    chosen = np.flatnonzero(x)
    chosen = chosen[np.lexsort((cols[chosen], rows[chosen]))]
    return [(int(rows[k]), int(cols[k]), float(vals[k])) for k in chosen]


def exact_entries(
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    cand_starts: np.ndarray,
    cand_ends: np.ndarray,
    n_entities: int,
    shortcut: bool = True,
) -> list[tuple[int, int, float]]:
    """Optimal assignment ``(entity, candidate, score)``; ``shortcut=False`` always calls the solver."""
    if vals.size == 0:
        return []
    if shortcut:
        greedy = greedy_entries(rows, cols, vals, cand_starts, cand_ends)
        bound = np.zeros(n_entities)
        np.maximum.at(bound, rows, vals)
        if sum(g[2] for g in greedy) >= bound.sum() - 1e-12:
            return greedy
    return _solve_ilp(rows, cols, vals, cand_starts, cand_ends, n_entities)


def exact_match(
    scores: sparse.csr_array | sparse.csr_matrix,
    cand_starts: np.ndarray,
    cand_ends: np.ndarray,
    shortcut: bool = True,
) -> list[tuple[int, int, float]]:
    """Exact ILP matching of a CSR score matrix (entities × candidates)."""
    rows, cols, vals = sparse_entries(scores)
    return exact_entries(rows, cols, vals, cand_starts, cand_ends, scores.shape[0], shortcut)
