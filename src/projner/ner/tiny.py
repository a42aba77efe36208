"""A tiny randomly initialised BERT encoder + fast WordPiece tokenizer, built in code.

Tests (and users checking an installation) need a Hugging Face encoder directory without any download; this one
has a few hundred parameters' worth of layers and a vocabulary made from the given words plus single characters,
so it runs the full neural training/prediction path in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_tiny_encoder(
    out_dir: str | Path,
    words: Iterable[str] = (),
    hidden_size: int = 32,
    layers: int = 2,
    heads: int = 2,
    seed: int = 0,
) -> Path:
    """Write a tiny ``BertModel`` + tokenizer to ``out_dir``; ``words`` become whole-word vocabulary entries."""
    import torch
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    from projner.ner.neural import quiet_transformers

    quiet_transformers()

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vocab: dict[str, int] = {}
    for t in SPECIALS:
        vocab.setdefault(t, len(vocab))
    chars = sorted({c for w in words for c in w.lower()} | set("abcdefghijklmnopqrstuvwxyz0123456789.,-'"))
    for c in chars:
        vocab.setdefault(c, len(vocab))
        vocab.setdefault("##" + c, len(vocab))
    for w in sorted({w.lower() for w in words}):
        vocab.setdefault(w, len(vocab))
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=50))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    fast.save_pretrained(str(out))
    torch.manual_seed(seed)
    cfg = BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=hidden_size * 2,
        max_position_embeddings=256,
    )
    BertModel(cfg).save_pretrained(str(out))
    return out
