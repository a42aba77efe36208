"""The alignment-based Dice score between source entities and target candidates (method.md §3.9.2).

``score(e, c) = 2 · links(e, c) / (|e| + |c|)`` where ``links`` counts alignment links between the entity's
source words and the candidate's target words. Links are counted for all entity × candidate pairs at once
from a 2-D prefix sum of the link matrix (four gathers, no Python loop), so a sentence with hundreds of
candidates costs a few numpy calls. The link matrix may be weighted (e.g. an average of several aligners'
links), in which case ``links`` is the summed weight.

Properties worth knowing (from the thesis): adding an unaligned word to a candidate always lowers its score,
and scores can exceed 1 for many-to-many alignments.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from projner.core.types import Span


def prefix_sums(links: np.ndarray) -> np.ndarray:
    """2-D inclusive prefix sums with a zero border: ``P[a, b] = links[:a, :b].sum()``."""
    n_src, n_tgt = links.shape
    p = np.zeros((n_src + 1, n_tgt + 1), dtype=np.float64)
    np.cumsum(np.cumsum(links, axis=0), axis=1, out=p[1:, 1:])
    return p


def link_counts(
    prefix: np.ndarray,
    ent_starts: np.ndarray,
    ent_ends: np.ndarray,
    cand_starts: np.ndarray,
    cand_ends: np.ndarray,
) -> np.ndarray:
    """Dense ``(n_entities, n_candidates)`` link counts (or summed weights) from the prefix sums."""
    b = ent_starts[:, None]
    e = ent_ends[:, None]
    p = cand_starts[None, :]
    q = cand_ends[None, :]
    return prefix[e, q] - prefix[b, q] - prefix[e, p] + prefix[b, p]


def dice_dense(
    prefix: np.ndarray,
    ent_starts: np.ndarray,
    ent_ends: np.ndarray,
    cand_starts: np.ndarray,
    cand_ends: np.ndarray,
) -> np.ndarray:
    """Dense Dice scores; one division of exact integers per cell, so equal fractions compare equal (ties)."""
    counts = link_counts(prefix, ent_starts, ent_ends, cand_starts, cand_ends)
    lengths = (ent_ends - ent_starts)[:, None] + (cand_ends - cand_starts)[None, :]
    return (2.0 * counts) / lengths


def dice_score_matrix(
    entities: Sequence[Span],
    cand_starts: np.ndarray,
    cand_ends: np.ndarray,
    links: np.ndarray,
) -> sparse.csr_array:
    """Sparse CSR Dice matrix (entities × candidates); candidates without any link to an entity are absent.

    ``links`` is the dense ``(n_src, n_tgt)`` link matrix (bool/0-1 or weights), see
    :func:`projner.project.base.link_matrix`.
    """
    es = np.fromiter((s.start for s in entities), dtype=np.int64, count=len(entities))
    ee = np.fromiter((s.end for s in entities), dtype=np.int64, count=len(entities))
    dense = dice_dense(prefix_sums(np.asarray(links, dtype=np.float64)), es, ee, cand_starts, cand_ends)
    return dense_to_csr(dense)


def dense_to_csr(dense: np.ndarray) -> sparse.csr_array:
    """CSR built straight from the row-major nonzeros (no COO sort), keeping only positive scores."""
    rows, cols = np.nonzero(dense > 0)
    indptr = np.zeros(dense.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=dense.shape[0]), out=indptr[1:])
    return sparse.csr_array((dense[rows, cols], cols.astype(np.int64), indptr), shape=dense.shape)


def dice(entity: Span, span: Span, prefix: np.ndarray) -> float:
    """Dice score of one (entity, target span) pair, used to score heuristic runs."""
    n = (
        prefix[entity.end, span.end]
        - prefix[entity.start, span.end]
        - prefix[entity.end, span.start]
        + prefix[entity.start, span.start]
    )
    return float(2.0 * n / (len(entity) + len(span)))


def coverage_dense(
    links: np.ndarray,
    ent_starts: np.ndarray,
    ent_ends: np.ndarray,
    cand_starts: np.ndarray,
    cand_ends: np.ndarray,
) -> np.ndarray:
    """Coverage Dice (beyond the paper): ``(covered entity words + covered candidate words) / (|e| + |c|)``.

    A word is covered by its link mass into the other span, capped at 1, so the score never exceeds 1 and a
    target word linked to an entity word that is *already* linked elsewhere in the candidate adds no more
    than it costs. Plain Dice counts links, so one entity word linked to two target words makes the longer
    span score higher (> 1) and pulls in titles, articles and adjectives next to names ("Sonderberaterin Kori
    Schulman"); coverage makes such spans tie at best, and ties go to the candidate order.
    """
    n_src, n_tgt = links.shape
    e = np.asarray(ent_ends)
    b = np.asarray(ent_starts)
    # target side: per-entity link mass per target word, capped, cumulated along the target
    rowcum = np.zeros((n_src + 1, n_tgt))
    np.cumsum(links, axis=0, out=rowcum[1:])
    tgt_cov = np.minimum(rowcum[e] - rowcum[b], 1.0)
    tcum = np.zeros((len(b), n_tgt + 1))
    np.cumsum(tgt_cov, axis=1, out=tcum[:, 1:])
    covered_tgt = tcum[:, cand_ends] - tcum[:, cand_starts]
    # source side: for each entity word, its link mass into each candidate, capped, summed over the entity
    colcum = np.zeros((n_src, n_tgt + 1))
    np.cumsum(links, axis=1, out=colcum[:, 1:])
    per_word = np.minimum(colcum[:, cand_ends] - colcum[:, cand_starts], 1.0)  # (n_src, C)
    wcum = np.zeros((n_src + 1, per_word.shape[1]))
    np.cumsum(per_word, axis=0, out=wcum[1:])
    covered_src = wcum[e] - wcum[b]
    lengths = (e - b)[:, None] + (cand_ends - cand_starts)[None, :]
    return (covered_src + covered_tgt) / lengths
