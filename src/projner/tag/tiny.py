"""A tiny random BERT token classifier built in code, for tests and pipeline smoke runs (no model hub)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

DEFAULT_LABELS: tuple[str, ...] = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
DEFAULT_WORDS: tuple[str, ...] = tuple(
    [
        "the",
        "a",
        "of",
        "in",
        "and",
        "to",
        "is",
        "was",
        "he",
        "she",
        "met",
        "said",
        "went",
        "city",
        "president",
        "minister",
        "bank",
        "obama",
        "merkel",
        "berlin",
        "kampala",
        "uganda",
        ".",
        ",",
        "!",
        "?",
        "(",
        ")",
        "[",
        "]",
    ]
)


def build_tiny_token_classifier(
    out_dir: str | Path,
    labels: Sequence[str] = DEFAULT_LABELS,
    words: Sequence[str] = DEFAULT_WORDS,
    seed: int = 0,
    max_length: int = 32,
) -> Path:
    """Write a random ``BertForTokenClassification`` + WordPiece tokenizer (lower-casing) to ``out_dir``.

    The tokenizer comes from the shared :func:`projner.utils.tiny_models.save_wordpiece_tokenizer`: building it
    through a ``vocab.txt`` (``BertTokenizerFast(vocab_file=...)``) silently drops the vocabulary under
    transformers 5, leaving only the five specials (every word ``[UNK]``).
    """
    from projner.utils.tiny_models import save_random_bert, save_wordpiece_tokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pieces = ["##" + c for c in "abcdefghijklmnopqrstuvwxyz"] + list("abcdefghijklmnopqrstuvwxyz0123456789")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *dict.fromkeys([*words, *pieces])]
    save_wordpiece_tokenizer({w: i for i, w in enumerate(vocab)}, out, model_max_length=max_length)
    save_random_bert(
        out,
        len(vocab),
        hidden=16,
        layers=1,
        heads=2,
        max_positions=max_length,
        seed=seed,
        token_classifier=True,
        initializer_range=1.0,
        id2label=dict(enumerate(labels)),
        label2id={lab: i for i, lab in enumerate(labels)},
    )
    return out
