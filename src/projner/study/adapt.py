"""CPU-sized adaptation of the alignment encoder: awesome-align self-training (``ft-align``) and target-side
masked-LM (``mlm``), each for a fixed number of steps (docs/study.md §1.2).

Why this shape:

* Only layers ``1..layer`` (8) matter for the aligner, which reads hidden layer 8; the layers above are cut before
  training, so no compute is spent on them and the saved model *is* the aligner's encoder.
* The word-embedding matrix (250k × 384, ~80 % of the parameters) and the other embeddings are **frozen**: it keeps a
  step cheap on 2 cores, it keeps both arms comparable (the same parameters move), and it lets every adapted
  encoder share one embedding file: a model directory holds a sharded-checkpoint index that points at the shared
  embedding shard (a symlink) and at its own ~57 MB shard of encoder layers.
* ``ft-align`` (awesome-align's self-training objective, Dou & Neubig 2021): the layer-8 sub-word states of both
  sentences give a dot-product matrix; softmax over each axis; links above ``threshold`` in *both* directions are the
  pseudo-gold (no gradient); the loss is minus the *probability* mass on those links in each direction, per sentence
  divided by the sentence length, as in awesome-align's ``so_loss`` (:data:`ADAPT_VERSION` 2). Version 1 used the
  log-probability (cross-entropy over the guided links) instead; on e5-small that diverged (1,000 Multi30k en-de
  pairs, 120 steps: loss 1.39 -> 2.99, Europarl-NER de projection F1 90.0 -> 20.8), while the probability
  objective is stable (90.0 -> 90.4). The study's ft-align figures made with version 1 are therefore void
  (docs/study.md, session-6 note).
* ``mlm``: 15 % of the target-side sub-words are masked (80/10/10); the output layer is a fresh transform
  (dense + GELU + LayerNorm) followed by the *tied, frozen* input embeddings restricted to the pieces present in the
  batch, so the softmax costs O(batch vocabulary) instead of O(250k). The transform is discarded afterwards.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from projner.study.config import TrainConfig
from projner.utils.atomic import atomic_dir
from projner.utils.paths import cache_dir

log = logging.getLogger(__name__)

TokenPair = tuple[list[str], list[str]]
_EMB_SHARD = "embeddings.safetensors"
_LAYER_SHARD = "layers.safetensors"
_TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "sentencepiece.bpe.model",
)


def _quiet() -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def load_truncated(base_dir: str | Path, layer: int) -> tuple[Any, Any]:
    """Tokenizer and a ``BertModel`` cut after ``layer`` encoder layers (pooler dropped), in train mode."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    _quiet()
    tok = AutoTokenizer.from_pretrained(str(base_dir))
    model = AutoModel.from_pretrained(str(base_dir))
    model.encoder.layer = torch.nn.ModuleList(list(model.encoder.layer)[:layer])
    model.config.num_hidden_layers = layer
    if getattr(model, "pooler", None) is not None:
        model.pooler = None
    for p in model.embeddings.parameters():
        p.requires_grad = False
    return tok, model


def shared_embeddings(base_dir: str | Path) -> Path:
    """The embedding tensors of the base encoder in their own safetensors file (written once per base model)."""
    from safetensors import safe_open
    from safetensors.torch import save_file

    from projner.utils.cache import file_fingerprint

    src = Path(base_dir) / "model.safetensors"
    out_dir = cache_dir("study", "encoders", "_base-" + file_fingerprint(src)[:12])
    out = out_dir / _EMB_SHARD
    if not out.is_file():
        with safe_open(str(src), "pt") as f:
            tensors = {k: f.get_tensor(k) for k in f.keys() if k.startswith("embeddings.")}  # noqa: SIM118
        tmp = out.with_suffix(".tmp")
        save_file(tensors, str(tmp), metadata={"format": "pt"})
        os.replace(tmp, out)
    return out


def save_encoder(model: Any, base_dir: str | Path, out: Path, meta: dict[str, Any]) -> Path:
    """Write a loadable model directory: config, tokenizer, the shared embedding shard and this model's layers."""
    from safetensors.torch import save_file

    emb = shared_embeddings(base_dir)
    sd = {
        k: v.detach().contiguous() for k, v in model.state_dict().items() if not k.startswith("embeddings.")
    }
    with atomic_dir(out) as tmp:
        save_file(sd, str(tmp / _LAYER_SHARD), metadata={"format": "pt"})
        os.symlink(emb, tmp / _EMB_SHARD)
        from safetensors import safe_open

        with safe_open(str(emb), "pt") as f:
            emb_keys = list(f.keys())  # noqa: SIM118
        index = {
            "metadata": {"total_size": 0},
            "weight_map": {**{k: _EMB_SHARD for k in emb_keys}, **{k: _LAYER_SHARD for k in sd}},
        }
        (tmp / "model.safetensors.index.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
        model.config.to_json_file(str(tmp / "config.json"))
        for name in _TOKENIZER_FILES:
            if (Path(base_dir) / name).is_file():
                shutil.copyfile(Path(base_dir) / name, tmp / name)
        (tmp / "projner-study.json").write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
    return out


class _Batcher:
    """Turns word lists into padded sub-word id tensors (with special tokens), truncated to ``max_len``."""

    def __init__(self, tokenizer: Any, max_len: int) -> None:
        self.tok = tokenizer
        self.max_len = max_len
        self.cls = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
        self.sep = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
        self.pad = tokenizer.pad_token_id or 0
        self.cache: dict[str, list[int]] = {}

    def ids(self, words: Sequence[str]) -> list[int]:
        new = [w for w in dict.fromkeys(words) if w not in self.cache]
        if new:
            enc = self.tok(new, add_special_tokens=False)["input_ids"]
            self.cache.update(zip(new, (list(e) for e in enc), strict=True))
        out = [i for w in words for i in self.cache[w]][: self.max_len - 2]
        return [self.cls, *out, self.sep]

    def batch(self, sents: Sequence[Sequence[str]]) -> tuple[Any, Any]:
        import torch

        seqs = [self.ids(s) for s in sents]
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = torch.tensor(s)
            mask[r, : len(s)] = 1
        return ids, mask


ADAPT_VERSION = {"ft-align": 2, "mlm": 1}
"""Bumped when an arm's training changes, so that no cached encoder or study cell of the old version is reused."""


def so_loss(hs: Any, ms: Any, ht: Any, mt: Any, threshold: float) -> Any:
    """awesome-align self-training loss for a batch (states ``[B, L, H]``, masks ``[B, L]`` incl. specials).

    ``-(sum of P(s->t) over guided links / |s| + sum of P(t->s) over guided links / |t|)``, averaged over the batch;
    in [-2, 0]. Special tokens (first and last real position) are excluded, as in awesome-align's ``guide_layer``.
    """
    import torch

    def content(mask: Any) -> Any:
        m = mask.clone().bool()
        m[:, 0] = False
        lengths = mask.sum(1)
        m[torch.arange(len(m)), lengths - 1] = False
        return m

    cs, ct = content(ms), content(mt)
    scores = torch.bmm(hs, ht.transpose(1, 2))  # [B, Ls, Lt]
    valid = cs[:, :, None] & ct[:, None, :]
    neg = torch.finfo(scores.dtype).min / 4
    scores = scores.masked_fill(~valid, neg)
    p_st = torch.softmax(scores, dim=2)  # source → target
    p_ts = torch.softmax(scores, dim=1)  # target → source
    with torch.no_grad():
        g = ((p_st > threshold) & (p_ts > threshold) & valid).float()
    len_s = cs.sum(1).clamp(min=1)
    len_t = ct.sum(1).clamp(min=1)
    return -((g * p_st).sum((1, 2)) / len_s + (g * p_ts).sum((1, 2)) / len_t).mean()


class _MlmHead:
    """A fresh transform + tied frozen embeddings restricted to the batch vocabulary."""

    def __init__(self, hidden: int, embeddings: Any) -> None:
        import torch

        self.transform = torch.nn.Sequential(
            torch.nn.Linear(hidden, hidden), torch.nn.GELU(), torch.nn.LayerNorm(hidden, eps=1e-12)
        )
        self.emb = embeddings

    def loss(self, states: Any, ids: Any, labels: Any) -> Any:
        import torch

        sel = labels >= 0
        if not bool(sel.any()):
            return states.sum() * 0.0
        vocab = torch.unique(torch.cat([ids.flatten(), labels[sel]]))
        lookup = torch.full((int(vocab.max()) + 1,), -1, dtype=torch.long)
        lookup[vocab] = torch.arange(len(vocab))
        h = self.transform(states[sel])
        logits = h @ self.emb[vocab].T
        return torch.nn.functional.cross_entropy(logits, lookup[labels[sel]])


def mask_tokens(ids: Any, mask: Any, prob: float, mask_id: int, vocab_size: int, gen: Any) -> tuple[Any, Any]:
    """BERT masking (80 % ``<mask>``, 10 % random, 10 % kept) of non-special positions; labels −100 elsewhere."""
    import torch

    special = mask == 0
    special[:, 0] = True
    special[torch.arange(len(ids)), mask.sum(1) - 1] = True
    chosen = (torch.rand(ids.shape, generator=gen) < prob) & ~special
    labels = torch.where(chosen, ids, torch.full_like(ids, -100))
    out = ids.clone()
    r = torch.rand(ids.shape, generator=gen)
    out[chosen & (r < 0.8)] = mask_id
    rand_pos = chosen & (r >= 0.8) & (r < 0.9)
    out[rand_pos] = torch.randint(5, vocab_size, (int(rand_pos.sum()),), generator=gen)
    return out, labels


def adapt_encoder(
    arm: str,
    pairs: Sequence[TokenPair],
    base_dir: str | Path,
    out: Path,
    cfg: TrainConfig,
    seed: int,
    meta: dict[str, Any] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Train ``arm`` (``ft-align`` | ``mlm``) on ``pairs`` for ``cfg.steps`` steps; save to ``out``; return stats.

    The data order is a seeded cycle over shuffled epochs, so every ``V > 0`` gets the same number of updates.
    """
    import torch

    if arm not in ("ft-align", "mlm"):
        raise ValueError(f"unknown adaptation arm {arm!r}")
    if not pairs:
        raise ValueError("adaptation needs at least one pair")
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    tok, model = load_truncated(base_dir, cfg.layer)
    # Dropout off: with a few dozen steps the self-training guide and the loss should come from one deterministic model.
    model.eval()
    batcher = _Batcher(tok, cfg.max_len)
    params = [p for p in model.parameters() if p.requires_grad]
    head = None
    if arm == "mlm":
        head = _MlmHead(model.config.hidden_size, model.embeddings.word_embeddings.weight)
        params += list(head.transform.parameters())
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, cfg.steps // 10)) * max(0.0, 1 - s / cfg.steps)
    )
    order: list[int] = []
    losses: list[float] = []
    t0 = time.perf_counter()
    for _step in range(cfg.steps):
        while len(order) < cfg.batch_size:
            order.extend(rng.permutation(len(pairs)).tolist())
        idx, order = order[: cfg.batch_size], order[cfg.batch_size :]
        batch = [pairs[i] for i in idx]
        if arm == "ft-align":
            ids_s, m_s = batcher.batch([s for s, _ in batch])
            ids_t, m_t = batcher.batch([t for _, t in batch])
            hs = model(input_ids=ids_s, attention_mask=m_s).last_hidden_state
            ht = model(input_ids=ids_t, attention_mask=m_t).last_hidden_state
            loss = so_loss(hs, m_s, ht, m_t, cfg.threshold)
        else:
            assert head is not None
            ids, m = batcher.batch([t for _, t in batch])
            masked, labels = mask_tokens(
                ids, m, cfg.mask_prob, tok.mask_token_id, model.config.vocab_size, gen
            )
            states = model(input_ids=masked, attention_mask=m).last_hidden_state
            loss = head.loss(states, ids, labels)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        losses.append(float(loss.detach()))
    seconds = time.perf_counter() - t0
    k = max(1, len(losses) // 10)
    stats = {
        "arm": arm,
        "pairs": len(pairs),
        "steps": cfg.steps,
        "train_seconds": seconds,
        "loss_first": float(np.mean(losses[:k])),
        "loss_last": float(np.mean(losses[-k:])),
        "train": asdict(cfg),
        "seed": seed,
    }
    save_encoder(model, base_dir, out, {**(meta or {}), **stats})
    return out, stats
