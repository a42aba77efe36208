"""A tiny random Hugging Face encoder for tests (no downloads, builds in well under a second).

Other stages' tests can use it to exercise the embedding aligner end to end::

    from projner.align.testing import tiny_encoder
    path = tiny_encoder(tmp_path / "enc")
    aligner = get_aligner("embedding", model=str(path), layer=2, cache=False)
"""

from __future__ import annotations

from pathlib import Path

_BASE_VOCAB = [
    "the",
    "a",
    "of",
    "in",
    "and",
    "to",
    "is",
    "was",
    "met",
    "visited",
    "said",
    "president",
    "minister",
    "city",
    "house",
    "book",
    "small",
    "big",
    "new",
    "old",
    "der",
    "die",
    "das",
    "und",
    "in",
    "ist",
    "war",
    "traf",
    "besuchte",
    "sagte",
    "präsident",
    "minister",
    "stadt",
    "haus",
    "buch",
    "klein",
    "groß",
    "neu",
    "alt",
    "berlin",
    "paris",
    "london",
    "obama",
    "merkel",
    "macron",
    "angela",
    "barack",
    "european",
    "parliament",
    "union",
    "germany",
    "france",
    ".",
    ",",
    "!",
    "?",
]


def tiny_encoder(
    path: str | Path,
    layers: int = 3,
    hidden: int = 32,
    heads: int = 2,
    max_positions: int = 64,
    seed: int = 0,
) -> Path:
    """Save a randomly initialised ``BertModel`` + WordPiece fast tokenizer to ``path`` and return it.

    ``max_positions`` is kept small so tests can exercise the over-long-sentence truncation path.
    """
    from projner.utils.tiny_models import save_random_bert, save_wordpiece_tokenizer

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    pieces = list(specials) + list(_BASE_VOCAB)
    # single characters as word-initial and continuation pieces, so every lower-case word can be tokenized
    chars = "abcdefghijklmnopqrstuvwxyzäöüß0123456789"
    pieces += [c for c in chars if c not in pieces] + [f"##{c}" for c in chars]
    pieces += ["##s", "##er", "##en", "##ing"]
    vocab = {p: i for i, p in enumerate(dict.fromkeys(pieces))}
    save_wordpiece_tokenizer(vocab, path, strip_accents=False, model_max_length=max_positions)
    save_random_bert(
        path,
        len(vocab),
        hidden=hidden,
        layers=layers,
        heads=heads,
        max_positions=max_positions,
        seed=seed,
        pad_token_id=vocab["[PAD]"],
    )
    return path


TOY_PARALLEL: list[tuple[list[str], list[str]]] = [
    (["the", "house", "is", "small"], ["das", "haus", "ist", "klein"]),
    (["the", "house"], ["das", "haus"]),
    (["a", "small", "house"], ["ein", "kleines", "haus"]),
    (["the", "book"], ["das", "buch"]),
    (["the", "book", "is", "small"], ["das", "buch", "ist", "klein"]),
] * 4
"""A toy en–de corpus on which a statistical aligner learns "house" ↔ "haus" (20 pairs)."""
