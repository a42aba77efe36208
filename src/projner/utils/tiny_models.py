"""Shared pieces of the tiny, randomly initialised models that tests build in code (no model hub)."""

from __future__ import annotations

from pathlib import Path


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

    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=max_input_chars_per_word))
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
