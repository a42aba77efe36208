"""Projection of source entities onto target sentences: heuristic, candidate matching, fusion, baseline.

Use :func:`get_projector` with a name from :data:`PROJECTORS`::

    proj = get_projector("greedy", max_len=10)
    for ex in proj.project_batch(examples, on_error="report"):
        ...
"""

from projner.project.base import (
    PROJECTORS,
    Projection,
    ProjectionBatch,
    ProjectionError,
    ProjectionStats,
    Projector,
    example_links,
    get_projector,
    register_projector,
    sentence_confidence,
)
from projner.project.baseline import MinMaxProjector
from projner.project.candidates import NerCandidates, NgramCandidates, ngram_spans
from projner.project.exact import exact_match
from projner.project.fusion import FusionProjector
from projner.project.greedy import greedy_match
from projner.project.heuristic import HeuristicProjector
from projner.project.matching import MatchingProjector
from projner.project.score import dice_score_matrix

__all__ = [
    "PROJECTORS",
    "FusionProjector",
    "HeuristicProjector",
    "MatchingProjector",
    "MinMaxProjector",
    "NerCandidates",
    "NgramCandidates",
    "Projection",
    "ProjectionBatch",
    "ProjectionError",
    "ProjectionStats",
    "Projector",
    "dice_score_matrix",
    "exact_match",
    "example_links",
    "get_projector",
    "greedy_match",
    "ngram_spans",
    "register_projector",
    "sentence_confidence",
]
