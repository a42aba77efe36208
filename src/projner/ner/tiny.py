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
    from projner.ner.neural import quiet_transformers
    from projner.utils.tiny_models import save_random_bert, save_wordpiece_tokenizer

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
    save_wordpiece_tokenizer(vocab, out, max_input_chars_per_word=50)
    save_random_bert(
        out, len(vocab), hidden=hidden_size, layers=layers, heads=heads, max_positions=256, seed=seed
    )
    return out


_PER = [
    ["Angela", "Merkel"],
    ["Barack", "Obama"],
    ["Ada", "Lovelace"],
    ["Nelson", "Mandela"],
    ["Marie", "Curie"],
]
_ORG = [["Google"], ["Siemens"], ["United", "Nations"], ["Red", "Cross"], ["Airbus"]]
_LOC = [["Paris"], ["Berlin"], ["London"], ["New", "York"], ["Kampala"], ["Gaborone"]]
_TEMPLATES = [
    ["{PER}", "visited", "{LOC}", "with", "{ORG}", "."],
    ["{ORG}", "opened", "an", "office", "in", "{LOC}", "."],
    ["yesterday", "{PER}", "met", "{PER}", "in", "{LOC}", "."],
    ["the", "{ORG}", "report", "was", "written", "by", "{PER}", "."],
    ["nothing", "happened", "here", "."],
]


def synthetic_sentences(n: int, seed: int = 0) -> list[tuple[list[str], list[str]]]:
    """A toy NER corpus (tokens, IOB2 tags) from templates — learnable in seconds, for tests and smoke checks."""
    import random

    rng = random.Random(seed)
    pools = {"PER": _PER, "ORG": _ORG, "LOC": _LOC}
    out: list[tuple[list[str], list[str]]] = []
    for _ in range(n):
        toks: list[str] = []
        tags: list[str] = []
        for slot in rng.choice(_TEMPLATES):
            if slot.startswith("{"):
                label = slot[1:-1]
                words = rng.choice(pools[label])
                toks += words
                tags += [f"B-{label}"] + [f"I-{label}"] * (len(words) - 1)
            else:
                toks.append(slot)
                tags.append("O")
        out.append((toks, tags))
    return out


def synthetic_vocabulary() -> list[str]:
    """Every word :func:`synthetic_sentences` can produce (for :func:`build_tiny_encoder`)."""
    words = {w for pool in (_PER, _ORG, _LOC) for name in pool for w in name}
    words |= {w for t in _TEMPLATES for w in t if not w.startswith("{")}
    return sorted(words)
