"""Evaluation: seqeval-default entity P/R/F1, per type, proj_ratio, sentence-bootstrap confidence intervals,
and the paired bootstrap of the F1 difference between two systems."""

from projner.evaluate.metrics import (
    Comparison,
    EvalResult,
    Scorer,
    TypeScore,
    bootstrap_ci,
    evaluate_files,
    evaluate_sentences,
    evaluate_tags,
    paired_bootstrap,
    score_files,
    score_sentences,
)

__all__ = [
    "Comparison",
    "EvalResult",
    "Scorer",
    "TypeScore",
    "bootstrap_ci",
    "evaluate_files",
    "evaluate_sentences",
    "evaluate_tags",
    "paired_bootstrap",
    "score_files",
    "score_sentences",
]
