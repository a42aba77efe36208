"""The trained-model interface shared by the CRF and the neural tagger, and the model card.

Every model directory holds a ``projner_model.json`` card saying what kind of model it is, which labels it emits
and how it was trained (data fingerprints, seed, epochs, dev F1, time, licence of the training data). Loading
dispatches on the card, so ``NerModel.load(dir)`` works for any model the ``train`` command wrote, and the
pipeline can use it as a source tagger, a candidate tagger, or a model-transfer baseline without knowing its kind.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from projner.core.tags import spans_to_tags
from projner.core.types import InputError, ProjnerError, Sentence, Span
from projner.tag.base import SentenceLike, Tagger

CARD_NAME = "projner_model.json"
CARD_VERSION = 1


def read_card(model_dir: str | Path) -> dict[str, Any]:
    """Read and check the model card of ``model_dir``."""
    path = Path(model_dir) / CARD_NAME
    if not Path(model_dir).is_dir():
        raise FileNotFoundError(f"model directory not found: {model_dir}")
    if not path.is_file():
        raise ProjnerError(
            f"{model_dir} is not a projner model directory (no {CARD_NAME}); train one with `projner train`"
        )
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON in model card ({exc.msg})", str(path), exc.lineno) from None
    if not isinstance(card, dict) or "kind" not in card or "types" not in card:
        raise InputError('model card lacks "kind" or "types"', str(path))
    return card


def write_card(model_dir: str | Path, card: dict[str, Any]) -> None:
    from projner.utils.atomic import atomic_write_text

    atomic_write_text(Path(model_dir) / CARD_NAME, json.dumps(card, indent=2, ensure_ascii=False) + "\n")


class NerModel(Tagger):
    """A trained word-level NER tagger: token lists in, entity spans out (a :class:`projner.tag.base.Tagger`).

    ``predict`` is batched; spans carry a confidence ``score`` (mean probability of the predicted tags over the
    span's words) so that callers such as candidate extraction can threshold them.
    """

    kind: str = ""

    def __init__(self, card: dict[str, Any]) -> None:
        self.card = card

    @property
    def types(self) -> list[str]:
        """Entity types the model emits, e.g. ``["PER", "ORG", "LOC"]``."""
        return list(self.card["types"])

    labels = types  # alias: the label set, as other taggers call it

    @property
    def name(self) -> str:  # type: ignore[override]  # Tagger.name is an attribute; a model's comes from its card
        return str(self.card.get("name") or f"{self.kind}:{self.card.get('path', '')}")

    @staticmethod
    def load(model_dir: str | Path, threads: int | None = None, device: str = "cpu") -> NerModel:
        """Load any model directory written by ``projner train`` (CRF or neural), dispatching on its card."""
        card = read_card(model_dir)
        card["path"] = str(model_dir)
        kind = card["kind"]
        if kind == "crf":
            from projner.ner.crf import CrfModel

            return CrfModel.from_dir(model_dir, card)
        if kind == "neural":
            from projner.ner.neural import NeuralModel

            return NeuralModel.from_dir(model_dir, card, threads=threads, device=device)
        raise InputError(f"unknown model kind {kind!r}", str(Path(model_dir) / CARD_NAME))

    @abstractmethod
    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
        """Entity spans (half-open word indices, with ``score``) for each token list."""

    def predict_tags(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags for each token list (spans re-encoded, so always valid IOB2)."""
        return [
            spans_to_tags(sp, len(toks), "IOB2")
            for sp, toks in zip(self.predict(sentences), sentences, strict=True)
        ]

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        """The ``Tagger`` interface: word lists or :class:`Sentence` objects in, spans out."""
        return self.predict([list(s.tokens) if isinstance(s, Sentence) else list(s) for s in sentences])

    def params(self) -> dict[str, Any]:
        """What identifies this model's output (a pipeline cache key): kind, path, types, training data, time."""
        data = self.card.get("data", {}).get("train", {})
        return {
            "kind": self.kind,
            "path": self.card.get("path"),
            "types": self.types,
            "train": data.get("fingerprint") if isinstance(data, dict) else None,
            "created": self.card.get("created"),
            "seed": self.card.get("seed"),
        }

    def __call__(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
        return self.predict(sentences)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(types={self.types}, path={self.card.get('path')!r})"


def span_score(probs: Sequence[float], span: Span) -> float:
    """Mean per-word probability of the predicted tags inside ``span``."""
    vals = probs[span.start : span.end]
    return float(sum(vals) / len(vals)) if len(vals) else 0.0
