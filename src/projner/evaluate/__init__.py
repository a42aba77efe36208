"""Evaluation: seqeval-default entity P/R/F1, per type, proj_ratio, sentence-bootstrap confidence intervals."""

from projner.evaluate.metrics import (
    EvalResult,
    Scorer,
    TypeScore,
    bootstrap_ci,
    evaluate_files,
    evaluate_sentences,
    evaluate_tags,
)

__all__ = [
    "EvalResult",
    "Scorer",
    "TypeScore",
    "bootstrap_ci",
    "evaluate_files",
    "evaluate_sentences",
    "evaluate_tags",
]
