"""Hugging Face token classification at word level (method.md §3.5), also for models ``projner train`` writes.

Words go to the tokenizer pre-split (``is_split_into_words=True``); the *first* sub-token of each word gives the
word's label (aggregation "first"), and words are grouped into spans with seqeval's IOB rules
(:func:`projner.core.tags.tags_to_spans`). Sentences longer than the model's maximum length are truncated: words
past the cut get ``O`` and the truncation is counted in ``last_truncated`` and logged, never silently ignored.
Batches are length-sorted to reduce padding; results come back in input order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from projner.core.tags import map_spans, tags_to_spans
from projner.core.types import ProjnerError, Span
from projner.tag.base import SentenceLike, Tagger, register_tagger, words_of
from projner.translate.base import length_sorted_batches
from projner.translate.hf import model_identity

log = logging.getLogger(__name__)


def _normalize_label(label: str) -> str:
    """``PER`` (no prefix, as some models emit) → ``B-PER``-compatible ``I-PER``; ``LABEL_0``-style stays."""
    if label == "O" or (len(label) > 2 and label[1] == "-" and label[0] in "BIES"):
        return label
    return f"I-{label}"


@register_tagger("hf")
class HFTokenTagger(Tagger):
    """A ``AutoModelForTokenClassification`` (hub id or local dir) applied word-level, first sub-token per word."""

    name = "hf"

    def __init__(
        self,
        model: str | Path,
        batch_size: int = 32,
        max_length: int | None = None,
        labels: Iterable[str] | None = None,
        label_map: Mapping[str, str] | None = None,
        device: str = "cpu",
    ) -> None:
        import transformers
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        transformers.utils.logging.disable_progress_bar()
        self.model_name = str(model)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(model))
            self.model = AutoModelForTokenClassification.from_pretrained(str(model)).to(device).eval()
        except OSError as exc:
            raise ProjnerError(f"cannot load token-classification model {model!r}: {exc}") from exc
        if not getattr(self.tokenizer, "is_fast", False):
            raise ProjnerError(f"model {model!r} needs a fast tokenizer (word_ids) for word-level tagging")
        self.batch_size = batch_size
        limit = max_length or getattr(self.tokenizer, "model_max_length", None) or 512
        pos_limit = getattr(self.model.config, "max_position_embeddings", None)
        self.max_length = int(min(limit, pos_limit or limit, 100_000))
        self.labels = sorted(labels) if labels is not None else None
        self.label_map = dict(label_map) if label_map else None
        self.device = device
        self.id2label = {int(k): _normalize_label(v) for k, v in self.model.config.id2label.items()}
        self._identity = model_identity(model)
        self.last_truncated: list[int] = []

    def params(self) -> dict[str, Any]:
        return {
            **self._identity,
            "max_length": self.max_length,
            "labels": self.labels,
            "label_map": self.label_map,
        }

    def tag_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Word-level IOB tags (first sub-token per word) for each sentence."""
        import torch

        words = [list(s) for s in sentences]
        out: list[list[str]] = [["O"] * len(w) for w in words]
        todo = [i for i, w in enumerate(words) if w]
        self.last_truncated = []
        if not todo:
            return out
        # Sub-token counts (without special tokens) decide the batches and which sentences get truncated.
        encoded = self.tokenizer(
            [words[i] for i in todo], is_split_into_words=True, add_special_tokens=False, verbose=False
        )["input_ids"]
        lengths = [len(ids) for ids in encoded]
        room = self.max_length - self.tokenizer.num_special_tokens_to_add(pair=False)
        self.last_truncated = [todo[k] for k, n in enumerate(lengths) if n > room]
        for batch in length_sorted_batches(lengths, self.batch_size):
            idx = [todo[k] for k in batch]
            enc = self.tokenizer(
                [words[i] for i in idx],
                is_split_into_words=True,
                truncation=True,
                max_length=self.max_length,
                padding=True,
                return_tensors="pt",
            )
            with torch.inference_mode():
                logits = self.model(**{k: v.to(self.device) for k, v in enc.items()}).logits
            pred = logits.argmax(-1).cpu().tolist()
            for row, i in enumerate(idx):
                seen: set[int] = set()
                for pos, wid in enumerate(enc.word_ids(row)):
                    if wid is None or wid in seen:
                        continue
                    seen.add(wid)
                    out[i][wid] = self.id2label.get(pred[row][pos], "O")
        if self.last_truncated:
            log.warning(
                "%d sentences were longer than %d sub-tokens; words past the cut are tagged O",
                len(self.last_truncated),
                self.max_length,
            )
        return out

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        tags = self.tag_words([words_of(s) for s in sentences])
        return [map_spans(tags_to_spans(t), self.label_map, keep=self.labels) for t in tags]
