"""Symmetrisation of two directional word alignments (Och & Ney 2003; Koehn et al. 2003 / Moses).

Both inputs are ``(src, tgt)`` link sets over the same sentence pair, one from the forward model and one from
the reverse model (already flipped to ``(src, tgt)`` order). The heuristics are the textbook ones
(Koehn's ``grow-diag-final(-and)`` pseudo-code, also what NLTK's ``grow_diag_final_and`` implements):

* ``intersection`` / ``union``;
* ``grow-diag``: start from the intersection and repeatedly add union points that neighbour (8-neighbourhood)
  an existing point and cover a source *or* target word not aligned yet, scanning points in row-major order
  (points added during a scan are themselves expanded in the same scan) until nothing changes;
* ``grow-diag-final``: then add, from the forward and then the reverse alignment, points whose source *or*
  target word is still unaligned;
* ``grow-diag-final-and``: the same but both words must be unaligned.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from projner.core.types import Alignment

SYMMETRIZATIONS = (
    "intersection",
    "union",
    "grow-diag",
    "grow-diag-final",
    "grow-diag-final-and",
    "fwd",
    "rev",
)
ALIASES = {
    "inter": "intersection",
    "gd": "grow-diag",
    "gdf": "grow-diag-final",
    "gdfa": "grow-diag-final-and",
    "forward": "fwd",
    "reverse": "rev",
}
_NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


def canonical_symmetrization(name: str) -> str:
    full = ALIASES.get(name, name)
    if full not in SYMMETRIZATIONS:
        raise ValueError(f"unknown symmetrisation {name!r}; choose one of {', '.join(SYMMETRIZATIONS)}")
    return full


def _as_matrix(links: Alignment | Iterable[tuple[int, int]] | np.ndarray, m: int, n: int) -> np.ndarray:
    al = links if isinstance(links, Alignment) else Alignment(links)  # type: ignore[arg-type]
    al.check_bounds(m, n)
    return al.matrix(m, n)


def _grow_diag(a: np.ndarray, union: np.ndarray) -> None:
    m, n = a.shape
    src_done = np.asarray(a.any(axis=1))
    tgt_done = np.asarray(a.any(axis=0))
    changed = True
    while changed:
        changed = False
        for e in range(m):
            f = 0
            while f < n:
                # next aligned point of row e at or after column f (points added meanwhile are seen too)
                nz = np.flatnonzero(a[e, f:])
                if len(nz) == 0:
                    break
                f += int(nz[0])
                for de, df in _NEIGHBOURS:
                    e2, f2 = e + de, f + df
                    if (
                        0 <= e2 < m
                        and 0 <= f2 < n
                        and not a[e2, f2]
                        and union[e2, f2]
                        and (not src_done[e2] or not tgt_done[f2])
                    ):
                        a[e2, f2] = True
                        src_done[e2] = True
                        tgt_done[f2] = True
                        changed = True
                f += 1


def _final(a: np.ndarray, directional: np.ndarray, require_both: bool) -> None:
    src_done = np.asarray(a.any(axis=1))
    tgt_done = np.asarray(a.any(axis=0))
    for e, f in np.argwhere(directional):  # row-major order, like the pseudo-code's nested loops
        if a[e, f]:
            continue
        ok = (not src_done[e] and not tgt_done[f]) if require_both else (not src_done[e] or not tgt_done[f])
        if ok:
            a[e, f] = True
            src_done[e] = True
            tgt_done[f] = True


def symmetrize(
    forward: Alignment | Iterable[tuple[int, int]] | np.ndarray,
    reverse: Alignment | Iterable[tuple[int, int]] | np.ndarray,
    n_src: int,
    n_tgt: int,
    method: str = "grow-diag-final-and",
) -> Alignment:
    """Combine a forward and a reverse alignment (both as ``(src, tgt)`` links) with a named heuristic."""
    method = canonical_symmetrization(method)
    fwd = _as_matrix(forward, n_src, n_tgt)
    rev = _as_matrix(reverse, n_src, n_tgt)
    if method == "fwd":
        return Alignment.from_matrix(fwd)
    if method == "rev":
        return Alignment.from_matrix(rev)
    if method == "intersection":
        return Alignment.from_matrix(fwd & rev)
    union = fwd | rev
    if method == "union":
        return Alignment.from_matrix(union)
    a = fwd & rev
    _grow_diag(a, union)
    if method == "grow-diag-final":
        _final(a, fwd, require_both=False)
        _final(a, rev, require_both=False)
    elif method == "grow-diag-final-and":
        _final(a, fwd, require_both=True)
        _final(a, rev, require_both=True)
    return Alignment.from_matrix(a)
