"""Tiny random seq2seq models built in code, for tests and pipeline smoke runs.

No model hub is reachable, so tests cannot download a real translator. These builders write a complete Hugging
Face model directory (random weights, a word-level tokenizer whose vocabulary contains the language-code tokens
of the chosen family) that :class:`projner.translate.hf.HFTranslator` and the CTranslate2 converter load exactly
like a real NLLB / M2M100 / Marian checkpoint. Outputs are garbage; the plumbing (batching, order restoration,
language codes, special-token handling) is what gets exercised.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_WORDS: tuple[str, ...] = tuple(
    [
        "the",
        "a",
        "of",
        "in",
        "on",
        "and",
        "to",
        "is",
        "was",
        "for",
        "with",
        "by",
        "at",
        "from",
        "that",
        "this",
        "it",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "man",
        "woman",
        "city",
        "house",
        "river",
        "president",
        "minister",
        "government",
        "company",
        "bank",
        "school",
        "met",
        "said",
        "went",
        "saw",
        "has",
        "have",
        "will",
        "be",
        "not",
        "Obama",
        "Merkel",
        "Berlin",
        "Kampala",
        "Paris",
        "Uganda",
        "Europe",
        ".",
        ",",
        "!",
        "?",
        "'",
        '"',
        "(",
        ")",
        "[",
        "]",
        "-",
        ":",
        ";",
    ]
)

FAMILY_LANG_TOKENS: dict[str, tuple[str, ...]] = {
    "nllb": ("eng_Latn", "spa_Latn", "swh_Latn", "lug_Latn", "deu_Latn", "ita_Latn"),
    "m2m100": ("__en__", "__es__", "__sw__", "__lg__", "__de__", "__it__"),
    "marian": (">>spa<<", ">>ita<<", ">>deu<<"),
}


def build_tiny_seq2seq(
    out_dir: str | Path,
    family: str = "nllb",
    words: Sequence[str] = DEFAULT_WORDS,
    seed: int = 0,
    d_model: int = 32,
    max_length: int = 64,
    init_std: float = 1.0,
) -> Path:
    """Write a random tiny ``family`` (``nllb``, ``m2m100`` or ``marian``) model + tokenizer to ``out_dir``."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import (
        M2M100Config,
        M2M100ForConditionalGeneration,
        MarianConfig,
        MarianMTModel,
        PreTrainedTokenizerFast,
    )

    if family not in FAMILY_LANG_TOKENS:
        raise ValueError(
            f"unknown tiny model family {family!r}; choose one of {', '.join(FAMILY_LANG_TOKENS)}"
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    lang_tokens = list(FAMILY_LANG_TOKENS[family])
    vocab_list = specials + lang_tokens + [w for w in dict.fromkeys(words) if w not in specials]
    vocab = {tok: i for i, tok in enumerate(vocab_list)}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation()]
    )
    core.decoder = decoders.WordPiece(prefix="##", cleanup=True)  # joins with spaces, tidies punctuation
    tok = PreTrainedTokenizerFast(
        tokenizer_object=core,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        additional_special_tokens=lang_tokens,
        model_max_length=max_length,
    )
    tok.save_pretrained(out)

    torch.manual_seed(seed)
    common: dict[str, Any] = dict(
        vocab_size=len(vocab_list),
        d_model=d_model,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=2 * d_model,
        decoder_ffn_dim=2 * d_model,
        max_position_embeddings=max_length,
        pad_token_id=vocab["<pad>"],
        bos_token_id=vocab["<s>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["</s>"],
        init_std=init_std,
        dropout=0.0,
    )
    model: Any
    if family == "marian":
        model = MarianMTModel(
            MarianConfig(**common, decoder_vocab_size=len(vocab_list), share_encoder_decoder_embeddings=True)
        )
        model.config.decoder_start_token_id = vocab["<pad>"]  # Marian starts decoding from <pad>
    else:
        model = M2M100ForConditionalGeneration(M2M100Config(**common, scale_embedding=True))
    model.generation_config.num_beams = 1
    model.eval()
    model.save_pretrained(out)
    return out
