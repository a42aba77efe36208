"""Training settings shared by the CRF and the neural trainer (one dataclass → one CLI, one model card)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CRF_NAMES = frozenset({"crf", "sklearn-crfsuite", "crfsuite"})


@dataclass
class TrainConfig:
    """How to train a target NER model.

    ``model`` is ``"crf"`` for the feature CRF, otherwise an encoder: ``"e5-small"`` (the offline
    multilingual-e5-small, resolved by :func:`projner.align.encoders.resolve_encoder`), a local Hugging Face
    directory, or a hub name (only where a hub is reachable).

    Defaults follow method.md §3.12 scaled to 2 CPU cores: lr 5e-5 (HF default), linear schedule with 10 % warmup,
    AdamW, first sub-word labelled, at most 128 sub-words per chunk; the input word-embedding matrix is frozen by
    default (``freeze_embeddings``), because in e5/XLM-R it holds 96 M of the 118 M parameters — updating it costs
    most of the CPU time and memory, and leaving it untouched keeps the vocabulary of languages absent from the
    training data where it was (useful for model transfer).

    For the CRF, ``max_steps`` is the L-BFGS iteration limit (default 100) and ``epochs``/``lr``/``batch_size`` do
    not apply.
    """

    model: str = "e5-small"
    epochs: int = 3
    lr: float = 5e-5
    batch_size: int = 16
    seed: int = 42
    max_steps: int | None = None
    labels: list[str] | None = None
    patience: int = 2
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    max_length: int = 128
    threads: int | None = 2
    freeze_embeddings: bool = True
    eval_batch_size: int = 64
    crf_c1: float = 0.1
    crf_c2: float = 0.05
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_crf(self) -> bool:
        return self.model.lower() in CRF_NAMES

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def check(self) -> None:
        from projner.core.types import ProjnerError

        if self.epochs < 1:
            raise ProjnerError(f"--epochs must be >= 1, got {self.epochs}")
        if self.batch_size < 1:
            raise ProjnerError(f"--batch-size must be >= 1, got {self.batch_size}")
        if self.max_steps is not None and self.max_steps < 1:
            raise ProjnerError(f"--max-steps must be >= 1, got {self.max_steps}")
        if self.lr <= 0:
            raise ProjnerError(f"--lr must be > 0, got {self.lr}")
        if self.patience < 0:
            raise ProjnerError(f"--patience must be >= 0, got {self.patience}")
        if self.max_length < 8:
            raise ProjnerError(f"--max-length must be >= 8, got {self.max_length}")
