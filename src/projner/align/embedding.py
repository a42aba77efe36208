"""Embedding-based word alignment (SimAlign / awesome-align style) over any Hugging Face encoder.

Why not call SimAlign: it runs one forward pass per sentence pair (batch of 2), computes all layers and
re-tokenizes every word each time, so it manages a few pairs per second on a laptop CPU. This implementation
produces the same alignments (same tokenization, layer, similarity and extraction semantics — see
:mod:`projner.align.extraction`) but

* tokenizes each distinct word once (a bounded cache) with the fast tokenizer's batch call;
* encodes the sentences of a whole chunk together, sorted by length and padded per batch under a token
  budget, with ``torch.inference_mode``;
* runs only the encoder layers up to the requested one (the layers above cannot change layer ``k``'s output);
* extracts links with vectorised numpy per pair.

It streams: pairs are consumed ``batch_size`` at a time, so memory stays flat on corpora of any size.
Sentences longer than the model's maximum length are truncated like SimAlign does (``truncation=True``):
the words past the limit stay unaligned; the number of truncated sentences is counted in ``stats`` and logged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from projner.align.base import DEFAULT_BATCH_SIZE, Pair, chunked
from projner.align.extraction import (
    apply_distortion,
    canonical_method,
    dot_scores,
    extract_from_similarity,
    similarity,
    softmax_threshold,
    to_word_pairs,
)
from projner.core.types import Alignment, ConfigError
from projner.utils.cache import fingerprint

log = logging.getLogger(__name__)

TOKEN_TYPES = ("bpe", "word")
# Architectures whose ``encoder.layer`` stack can be cut after layer k without changing hidden_states[k]
# (post-LN encoders with no final norm after the stack).
_CUTTABLE = {"bert", "roberta", "xlm-roberta", "camembert", "electra", "ernie", "xlm-roberta-xl"}
_WORD_CACHE_LIMIT = 500_000


def _model_id(path: str) -> str:
    """Identify a local model directory by its config and weight files (size + mtime), for cache keys."""
    p = Path(path)
    if not p.is_dir():
        return path
    stats = []
    for f in sorted(p.iterdir()):
        if f.is_file() and f.suffix in {".json", ".safetensors", ".bin", ".txt", ".model"}:
            st = f.stat()
            stats.append((f.name, st.st_size, int(st.st_mtime)))
    return fingerprint(stats)


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide the load report (e.g. the unused pooler of the converted e5) and the weight-loading bar."""
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


class EmbeddingAligner:
    """Align word pairs with contextual embeddings from layer ``layer`` of a Hugging Face encoder.

    ``method``: ``itermax`` (SimAlign default), ``inter`` (= ``argmax``), ``mwmf`` (= ``match``), ``softmax``
    (awesome-align, with ``softmax_threshold``), ``fwd``, ``rev``. ``token_type="bpe"`` aligns sub-words and
    links two words if any of their sub-words are linked (SimAlign ``bpe``); ``"word"`` averages each word's
    sub-word vectors first. ``max_tokens`` bounds the padded size of one forward batch. ``dtype``: ``float32``
    (default), ``bfloat16`` or ``auto`` (bfloat16 where the CPU has it natively), else ``$PROJNER_ENCODER_DTYPE``
    (:func:`projner.align.encoders.resolve_dtype`); vectors are compared in float32 either way.
    """

    streaming = True

    def __init__(
        self,
        model: str = "e5-small",
        layer: int = 8,
        method: str = "itermax",
        token_type: str = "bpe",
        distortion: float = 0.0,
        softmax_threshold: float = 0.001,
        max_tokens: int = 8192,
        max_batch_sentences: int = 128,
        num_threads: int | None = None,
        device: str = "cpu",
        cut_layers: bool = True,
        dtype: str | None = None,
        name: str | None = None,
    ) -> None:
        from projner.align.encoders import resolve_dtype

        self.model_name = model
        self.layer = int(layer)
        self.method = canonical_method(method)
        if token_type not in TOKEN_TYPES:
            raise ValueError(f"token_type must be one of {TOKEN_TYPES}, got {token_type!r}")
        self.token_type = token_type
        self.distortion = float(distortion)
        self.softmax_threshold = float(softmax_threshold)
        self.max_tokens = int(max_tokens)
        self.max_batch_sentences = int(max_batch_sentences)
        self.num_threads = num_threads
        self.device = device
        self.cut_layers = cut_layers
        self.dtype = resolve_dtype(dtype, device)
        self.name = name or f"embedding-{self.method}"
        self.stats: dict[str, int] = {
            "pairs": 0,
            "truncated_sentences": 0,
            "empty_pairs": 0,
            "forward_batches": 0,
        }
        self._model: Any = None
        self._tokenizer: Any = None
        self._path: str | None = None
        self._prefix: list[int] = []
        self._suffix: list[int] = []
        self._max_content = 510
        self._pad_id = 0
        self._use_last_hidden = False
        self._word_ids: dict[str, list[int]] = {}

    # ----------------------------------------------------------------------------------------------- set-up
    @property
    def path(self) -> str:
        """The resolved model location (prepares the offline e5 encoder on first use)."""
        if self._path is None:
            from projner.align.encoders import resolve_encoder

            self._path = resolve_encoder(self.model_name)
        return self._path

    def params(self) -> dict[str, Any]:
        p: dict[str, Any] = {
            "model": self.model_name,
            "model_id": _model_id(self.path),
            "layer": self.layer,
            "method": self.method,
            "token_type": self.token_type,
            "distortion": self.distortion,
        }
        if self.method == "softmax":
            p["softmax_threshold"] = self.softmax_threshold
        if self.dtype != "float32":  # float32 keys stay as they were before the option existed
            p["dtype"] = self.dtype
        return p

    def load(self) -> None:
        """Load tokenizer and model (idempotent)."""
        if self._model is not None:
            return
        import torch
        from transformers import AutoModel, AutoTokenizer

        if self.num_threads:
            torch.set_num_threads(int(self.num_threads))
        with _quiet_transformers():
            tokenizer = AutoTokenizer.from_pretrained(self.path)
            model = AutoModel.from_pretrained(self.path)
        model.eval().to(self.device)
        if self.dtype == "bfloat16":
            model.to(torch.bfloat16)
        n_layers = int(getattr(model.config, "num_hidden_layers", 0) or 0)
        if self.layer < 0 or (n_layers and self.layer > n_layers):
            raise ConfigError(
                f"layer {self.layer} out of range: {self.path} has {n_layers} layers (0 = embeddings)"
            )
        encoder = getattr(model, "encoder", None)
        stack = getattr(encoder, "layer", None)
        if (
            self.cut_layers
            and encoder is not None
            and getattr(model.config, "model_type", "") in _CUTTABLE
            and isinstance(stack, torch.nn.ModuleList)
            and len(stack) == n_layers
        ):
            encoder.layer = torch.nn.ModuleList(list(stack)[: self.layer])
            if hasattr(model, "pooler"):
                model.pooler = None
            self._use_last_hidden = True
        self._model = model
        self._tokenizer = tokenizer
        self._prefix, self._suffix = self._special_affixes(tokenizer)
        limit = int(getattr(tokenizer, "model_max_length", 512) or 512)
        pos = int(getattr(model.config, "max_position_embeddings", limit) or limit)
        if getattr(model.config, "model_type", "") in {"roberta", "xlm-roberta", "camembert"}:
            pos -= 2  # position ids start after the padding index
        self._max_content = max(1, min(limit, pos) - len(self._prefix) - len(self._suffix))
        pad = tokenizer.pad_token_id
        self._pad_id = int(pad) if pad is not None else 0

    @staticmethod
    def _special_affixes(tokenizer: Any) -> tuple[list[int], list[int]]:
        """The special ids the tokenizer adds before/after a sequence (e.g. ``[CLS]``/``[SEP]``, ``<s>``/``</s>``)."""
        plain = tokenizer("a", add_special_tokens=False)["input_ids"]
        full = tokenizer("a", add_special_tokens=True)["input_ids"]
        for k in range(len(full) - len(plain) + 1):
            if full[k : k + len(plain)] == plain:
                return list(full[:k]), list(full[k + len(plain) :])
        return [], []

    # ---------------------------------------------------------------------------------------- tokenization
    def _subword_ids(self, sentences: Sequence[Sequence[str]]) -> list[tuple[list[int], np.ndarray]]:
        """Per sentence: the concatenated sub-word ids of its words and each sub-word's word index."""
        cache = self._word_ids
        if len(cache) > _WORD_CACHE_LIMIT:
            cache.clear()
        new = list({w for s in sentences for w in s if w not in cache})
        if new:
            enc = self._tokenizer(new, add_special_tokens=False)["input_ids"]
            cache.update(zip(new, (list(e) for e in enc), strict=True))
        out = []
        for sent in sentences:
            ids: list[int] = []
            word_of: list[int] = []
            for i, w in enumerate(sent):
                wid = cache[w]
                ids.extend(wid)
                word_of.extend([i] * len(wid))
            if len(ids) > self._max_content:
                self.stats["truncated_sentences"] += 1
                log.warning(
                    "sentence of %d words has %d sub-words; truncated to the model's %d (later words stay unaligned)",
                    len(sent),
                    len(ids),
                    self._max_content,
                )
                ids = ids[: self._max_content]
                word_of = word_of[: self._max_content]
            out.append((ids, np.asarray(word_of, dtype=np.int64)))
        return out

    # --------------------------------------------------------------------------------------------- encoding
    def _encode(
        self, seqs: list[list[int]], layers: Sequence[int] | None = None
    ) -> dict[int, list[np.ndarray]]:
        """Hidden states (float32, special tokens removed) per requested layer (default ``self.layer``)."""
        import torch

        wanted = list(layers) if layers is not None else [self.layer]
        if max(wanted) > self.layer or min(wanted) < 0:
            raise ValueError(f"layers {wanted} must lie in [0, {self.layer}] (the aligner's layer)")
        empty = np.zeros((0, 0), dtype=np.float32)
        out: dict[int, list[np.ndarray]] = {k: [empty] * len(seqs) for k in wanted}
        order = sorted((i for i in range(len(seqs)) if seqs[i]), key=lambda i: len(seqs[i]))
        pre, suf = self._prefix, self._suffix
        start = 0
        with torch.inference_mode():
            while start < len(order):
                longest = len(seqs[order[start]]) + len(pre) + len(suf)
                end = start + 1
                while end < len(order) and end - start < self.max_batch_sentences:
                    width = len(seqs[order[end]]) + len(pre) + len(suf)
                    if width * (end - start + 1) > self.max_tokens:
                        break
                    longest = width
                    end += 1
                batch = order[start:end]
                ids = torch.full((len(batch), longest), self._pad_id, dtype=torch.long)
                mask = torch.zeros((len(batch), longest), dtype=torch.long)
                for row, i in enumerate(batch):
                    full = pre + seqs[i] + suf
                    ids[row, : len(full)] = torch.tensor(full, dtype=torch.long)
                    mask[row, : len(full)] = 1
                ids, mask = ids.to(self.device), mask.to(self.device)
                if self._use_last_hidden and wanted == [self.layer]:
                    states = {self.layer: self._model(input_ids=ids, attention_mask=mask).last_hidden_state}
                else:
                    all_states = self._model(
                        input_ids=ids, attention_mask=mask, output_hidden_states=True
                    ).hidden_states
                    states = {k: all_states[k] for k in wanted}
                for k, hidden in states.items():
                    hidden_np = hidden.float().cpu().numpy()
                    for row, i in enumerate(batch):
                        out[k][i] = hidden_np[row, len(pre) : len(pre) + len(seqs[i])].copy()
                self.stats["forward_batches"] += 1
                start = end
        return out

    # ------------------------------------------------------------------------------------------- extraction
    def _word_vectors(self, vecs: np.ndarray, word_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean sub-word vector of each word that has sub-words (SimAlign ``word``), and those words' indices."""
        words, inverse = np.unique(word_of, return_inverse=True)
        sums = np.zeros((len(words), vecs.shape[1]), dtype=np.float64)
        np.add.at(sums, inverse, vecs)
        counts = np.bincount(inverse, minlength=len(words)).astype(np.float64)
        return (sums / counts[:, None]).astype(vecs.dtype), words

    def _links(
        self, methods: Sequence[str], xs: np.ndarray, xw: np.ndarray, ys: np.ndarray, yw: np.ndarray
    ) -> dict[str, np.ndarray]:
        if self.token_type == "word":
            xs, xw = self._word_vectors(xs, xw)
            ys, yw = self._word_vectors(ys, yw)
        result: dict[str, np.ndarray] = {}
        sim = None
        for method in methods:
            if method == "softmax":
                links = softmax_threshold(dot_scores(xs, ys), self.softmax_threshold)
            else:
                if sim is None:
                    sim = apply_distortion(similarity(xs, ys), self.distortion)
                links = extract_from_similarity(method, sim)
            result[method] = to_word_pairs(links, xw, yw)
        return result

    def align_methods(
        self, pairs: Iterable[Pair], methods: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE
    ) -> Iterator[dict[str, Alignment]]:
        """Like :meth:`align` but extracting several methods from one encoding (for comparisons)."""
        methods = [canonical_method(m) for m in methods]
        self.load()
        for chunk in chunked(pairs, batch_size):
            sents = [s for pair in chunk for s in pair]
            tokenized = self._subword_ids(sents)
            vectors = self._encode([ids for ids, _ in tokenized])[self.layer]
            for k in range(len(chunk)):
                (_, xw), (_, yw) = tokenized[2 * k], tokenized[2 * k + 1]
                xs, ys = vectors[2 * k], vectors[2 * k + 1]
                self.stats["pairs"] += 1
                if len(xw) == 0 or len(yw) == 0:
                    self.stats["empty_pairs"] += 1
                    yield {m: Alignment() for m in methods}
                    continue
                links = self._links(methods, xs, xw, ys, yw)
                yield {m: Alignment(links[m]) for m in methods}

    def align_grid(
        self,
        pairs: Iterable[Pair],
        layers: Sequence[int],
        methods: Sequence[str],
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> Iterator[dict[tuple[int, str], Alignment]]:
        """Alignments for every ``(layer, method)`` from one forward pass per batch (layer and method studies).

        Every layer must be at most the aligner's own ``layer`` (the stack is cut there).
        """
        methods = [canonical_method(m) for m in methods]
        self.load()
        for chunk in chunked(pairs, batch_size):
            sents = [s for pair in chunk for s in pair]
            tokenized = self._subword_ids(sents)
            by_layer = self._encode([ids for ids, _ in tokenized], layers)
            for k in range(len(chunk)):
                (_, xw), (_, yw) = tokenized[2 * k], tokenized[2 * k + 1]
                self.stats["pairs"] += 1
                result: dict[tuple[int, str], Alignment] = {}
                for layer in layers:
                    if len(xw) == 0 or len(yw) == 0:
                        result.update({(layer, m): Alignment() for m in methods})
                        continue
                    vec = by_layer[layer]
                    links = self._links(methods, vec[2 * k], xw, vec[2 * k + 1], yw)
                    result.update({(layer, m): Alignment(links[m]) for m in methods})
                yield result

    def align(self, pairs: Iterable[Pair], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Alignment]:
        """Yield one alignment per ``(source tokens, target tokens)`` pair, in order, links ``(src, tgt)``."""
        for result in self.align_methods(pairs, [self.method], batch_size=batch_size):
            yield result[self.method]
