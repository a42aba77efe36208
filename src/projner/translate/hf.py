"""Hugging Face seq2seq translators: NLLB-200, M2M100 and Marian (OPUS-MT).

Language codes are handled explicitly rather than through tokenizer side effects (``tokenizer.src_lang = ...``):
the source ids are built as ``[src-lang token] + text ids + [</s>]`` (NLLB non-legacy and M2M100 layout) and
generation is forced to start with the target-language token. That works the same for real checkpoints and for
the tiny tokenizers tests build in code, and a code the model does not know fails with a clear error instead of
falling back to ``<unk>``. The family is detected from the vocabulary (``eng_Latn`` → NLLB, ``__en__`` → M2M100,
``>>xxx<<`` → multilingual Marian, else a bilingual Marian model with no codes).

Inputs are grouped into length-sorted batches (less padding) and outputs scattered back to input order.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from projner.core.types import ProjnerError
from projner.translate import langcodes
from projner.translate.base import Translator, length_sorted_batches, register_translator
from projner.utils.cache import fingerprint

log = logging.getLogger(__name__)


def model_identity(model: str | Path) -> dict[str, Any]:
    """Cache identity of a model: a hub id as is; a local dir by its config and weight files' names and sizes."""
    p = Path(model)
    if not p.is_dir():
        return {"model": str(model)}
    files = sorted(
        (f.name, f.stat().st_size)
        for f in p.iterdir()
        if f.is_file() and f.suffix in (".json", ".bin", ".safetensors", ".model", ".txt", ".spm")
    )
    config = (p / "config.json").read_text(encoding="utf-8") if (p / "config.json").is_file() else ""
    return {"model_dir": p.name, "files": fingerprint(files, config)}


@dataclass(frozen=True)
class CodeScheme:
    """How a seq2seq model is told the languages: ``nllb``, ``m2m100``, ``marian-multi`` or ``none``."""

    family: str
    vocab: dict[str, int]

    @classmethod
    def detect(cls, tokenizer: Any, family: str | None = None) -> CodeScheme:
        vocab = dict(tokenizer.get_vocab())
        if family is None:
            if "eng_Latn" in vocab:
                family = "nllb"
            elif "__en__" in vocab:
                family = "m2m100"
            elif any(t.startswith(">>") and t.endswith("<<") for t in vocab):
                family = "marian-multi"
            else:
                family = "none"
        if family not in ("nllb", "m2m100", "marian-multi", "none"):
            raise ProjnerError(f"unknown language-code family {family!r}")
        return cls(family, vocab)

    def _lookup(self, candidates: Sequence[str], lang: str) -> str:
        for tok in candidates:
            if tok in self.vocab:
                return tok
        raise ProjnerError(
            f"the model does not know language {lang!r} (looked for {', '.join(candidates)} in its vocabulary)"
        )

    def lang_token(self, lang: str) -> str | None:
        """The token naming ``lang`` for this family (``None`` for models without language codes)."""
        if self.family == "nllb":
            return self._lookup([langcodes.nllb_code(lang)], lang)
        if self.family == "m2m100":
            return self._lookup([langcodes.m2m100_code(lang)], lang)
        if self.family == "marian-multi":
            return self._lookup(langcodes.marian_target_tokens(lang), lang)
        return None

    def source_prefix(self, from_lang: str, to_lang: str) -> list[str]:
        """Tokens before the text: the source code (NLLB/M2M100) or the target code (multilingual Marian)."""
        if self.family in ("nllb", "m2m100"):
            return [self.lang_token(from_lang) or ""]
        if self.family == "marian-multi":
            return [self.lang_token(to_lang) or ""]
        return []

    def target_prefix(self, to_lang: str) -> list[str]:
        """Tokens generation must start with (the forced BOS of NLLB/M2M100)."""
        if self.family in ("nllb", "m2m100"):
            return [self.lang_token(to_lang) or ""]
        return []


class _Seq2SeqBase(Translator):
    """Shared tokenization/batching for the HF and CTranslate2 backends."""

    tokenizer: Any
    scheme: CodeScheme
    batch_size: int
    max_tokens: int | None
    max_input_length: int | None

    def _encode(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[list[int]]:
        prefix = [self.scheme.vocab[t] for t in self.scheme.source_prefix(from_lang, to_lang)]
        eos = self.tokenizer.eos_token_id
        limit = self.max_input_length or getattr(self.tokenizer, "model_max_length", None) or 1024
        limit = min(int(limit), 100_000)
        encoded = self.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        out: list[list[int]] = []
        n_trunc = 0
        for ids in encoded:
            room = limit - len(prefix) - 1
            if len(ids) > room:
                ids = ids[:room]
                n_trunc += 1
            out.append(prefix + list(ids) + [eos])
        if n_trunc:
            log.warning("%d of %d inputs were truncated to %d tokens", n_trunc, len(texts), limit)
        self.last_truncated = n_trunc
        return out

    def _decode(self, ids: Sequence[int]) -> str:
        return str(self.tokenizer.decode(list(ids), skip_special_tokens=True)).strip()

    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        texts = [" ".join(str(t).split()) for t in texts]
        out = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if t]
        if not todo:
            return out
        encoded = self._encode([texts[i] for i in todo], from_lang, to_lang)
        for batch in length_sorted_batches([len(e) for e in encoded], self.batch_size, self.max_tokens):
            results = self._generate([encoded[k] for k in batch], to_lang)
            for k, text in zip(batch, results, strict=True):
                out[todo[k]] = text
        return out

    def _generate(self, batch: list[list[int]], to_lang: str) -> list[str]:
        raise NotImplementedError


@register_translator("hf")
class HFTranslator(_Seq2SeqBase):
    """A Hugging Face ``AutoModelForSeq2SeqLM`` (hub id or local directory), batched greedy/beam generation.

    Decoding uses the model's own generation config (the paper sets no overrides) unless ``num_beams`` /
    ``max_new_tokens`` are given.
    """

    name = "hf"

    def __init__(
        self,
        model: str | Path,
        batch_size: int = 16,
        max_tokens: int | None = None,
        max_input_length: int | None = None,
        num_beams: int | None = None,
        max_new_tokens: int | None = None,
        family: str | None = None,
        device: str = "cpu",
        tokenizer: str | Path | None = None,
    ) -> None:
        import transformers
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        transformers.utils.logging.disable_progress_bar()
        self.model_name = str(model)
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.max_input_length = max_input_length
        self.num_beams = num_beams
        self.max_new_tokens = max_new_tokens
        self.device = device
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(tokenizer or model))
            self.model = AutoModelForSeq2SeqLM.from_pretrained(str(model)).to(device).eval()
        except OSError as exc:
            raise ProjnerError(f"cannot load translation model {model!r}: {exc}") from exc
        self.scheme = CodeScheme.detect(self.tokenizer, family)
        self._identity = model_identity(model)

    def params(self) -> dict[str, Any]:
        return {
            **self._identity,
            "family": self.scheme.family,
            "num_beams": self.num_beams,
            "max_new_tokens": self.max_new_tokens,
            "max_input_length": self.max_input_length,
        }

    def _generate(self, batch: list[list[int]], to_lang: str) -> list[str]:
        import torch

        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        width = max(len(x) for x in batch)
        ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for r, x in enumerate(batch):  # right padding, as the HF tokenizers do for encoder inputs
            ids[r, : len(x)] = torch.tensor(x, dtype=torch.long)
            mask[r, : len(x)] = 1
        kwargs: dict[str, Any] = {}
        prefix = self.scheme.target_prefix(to_lang)
        if prefix:
            kwargs["forced_bos_token_id"] = self.scheme.vocab[prefix[0]]
        if self.num_beams is not None:
            kwargs["num_beams"] = self.num_beams
        if self.max_new_tokens is not None:
            kwargs["max_new_tokens"] = self.max_new_tokens
        with torch.inference_mode():
            gen = self.model.generate(
                input_ids=ids.to(self.device), attention_mask=mask.to(self.device), **kwargs
            )
        return [self._decode(row.tolist()) for row in gen]
