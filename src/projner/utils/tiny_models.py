"""Shared pieces of the tiny, randomly initialised models that tests build in code (no model hub)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def save_wordpiece_tokenizer(
    vocab: dict[str, int],
    path: str | Path,
    *,
    max_input_chars_per_word: int = 100,
    strip_accents: bool | None = None,
    model_max_length: int | None = None,
) -> None:
    """Save a BERT-style fast WordPiece tokenizer over ``vocab`` (must contain the five BERT specials)."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(
        models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=max_input_chars_per_word)
    )
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=strip_accents)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    extra = {} if model_max_length is None else {"model_max_length": model_max_length}
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        **extra,
    )
    fast.save_pretrained(str(path))


def save_random_bert(
    path: str | Path,
    vocab_size: int,
    *,
    hidden: int,
    layers: int,
    heads: int,
    max_positions: int,
    seed: int,
    token_classifier: bool = False,
    **config: Any,
) -> None:
    """Seed torch, then save a randomly initialised BERT (feed-forward size ``2 * hidden``) to ``path``.

    Why here: every tiny test model is the same recipe with a different shape, and the weights must depend on
    ``seed`` and the config alone, so the seed is set immediately before the model is built. ``token_classifier``
    adds a token-classification head (pass ``id2label``/``label2id`` in ``config``); other ``config`` keys go to
    ``BertConfig`` unchanged.
    """
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertModel

    torch.manual_seed(seed)
    cfg = BertConfig(
        vocab_size=vocab_size,
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=hidden * 2,
        max_position_embeddings=max_positions,
        **config,
    )
    model = BertForTokenClassification(cfg) if token_classifier else BertModel(cfg)
    model.eval().save_pretrained(str(path))
