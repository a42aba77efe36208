"""A word-type lexicon tagger (``en-lex``): the entity type each capitalised word most often has in WikiANN en.

Why: it is a cheap, transparent *type voter* for the ensemble (projner.tag.ensemble). Names such as "Museveni" or
"Kampala" occur in WikiANN en with one dominant type, which is the information spaCy's small model lacks. It is not
meant to find boundaries: it tags single words (contiguous words of the same type merge into one span), only
capitalised ones, and only words that are an entity word in at least ``min_ratio`` of their occurrences in the
training data and seen at least ``min_count`` times.

The lexicon is built once from the WikiANN en train split into ``<cache>/models/en-lex.json`` (a few seconds); the
file records the source data fingerprint.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from projner.core.tags import tags_to_spans
from projner.core.types import ProjnerError, Sentence, Span
from projner.tag.base import SentenceLike, Tagger, register_tagger, words_of

LEXICON_VERSION = 1


def build_lexicon(
    sentences: Iterable[Sentence], labels: Sequence[str] = ("PER", "ORG", "LOC")
) -> dict[str, dict[str, int]]:
    """Per word form: how often it is inside an entity of each type and how often outside (``"O"``)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for s in sentences:
        tags = ["O"] * len(s.tokens)
        for sp in tags_to_spans(s.tags or ["O"] * len(s.tokens)):
            if sp.label in labels:
                for k in range(sp.start, sp.end):
                    tags[k] = sp.label
        for w, t in zip(s.tokens, tags, strict=True):
            counts[w][t] += 1
    return {w: dict(c) for w, c in counts.items()}


def lexicon_path() -> Path:
    from projner.utils.paths import cache_dir

    return Path(cache_dir("models")) / "en-lex.json"


def prepare_lexicon(force: bool = False) -> Path:
    """Build ``en-lex.json`` from WikiANN en train (under the data root) unless it exists."""
    from projner.ner.data import read_sentences
    from projner.utils.atomic import atomic_write_text
    from projner.utils.cache import file_fingerprint
    from projner.utils.paths import data_root

    out = lexicon_path()
    if out.is_file() and not force:
        return out
    src = Path(data_root(required=True)) / "wikiann-panx" / "en" / "train"  # type: ignore[arg-type]
    if not src.is_file():
        raise ProjnerError(f"WikiANN en train split not found: {src} (needed to build the en-lex lexicon)")
    lex = build_lexicon(read_sentences(src, require_tags=True))
    doc = {"version": LEXICON_VERSION, "source": str(src), "fingerprint": file_fingerprint(src), "words": lex}
    atomic_write_text(out, json.dumps(doc, ensure_ascii=False))
    return out


class LexiconTagger(Tagger):
    """Tags capitalised words with their dominant lexicon type (see module doc)."""

    name = "en-lex"

    def __init__(
        self,
        lexicon: Mapping[str, Mapping[str, int]],
        min_count: int = 2,
        min_ratio: float = 0.6,
        ident: str = "",
    ) -> None:
        self.min_count = min_count
        self.min_ratio = min_ratio
        self.ident = ident
        self.types: dict[str, str] = {}
        for w, c in lexicon.items():
            total = sum(c.values())
            ents = {t: n for t, n in c.items() if t != "O"}
            if not ents or total < min_count:
                continue
            label, n = max(sorted(ents.items()), key=lambda kv: kv[1])
            if sum(ents.values()) / total >= min_ratio and n / sum(ents.values()) >= 0.5:
                self.types[w] = label

    def params(self) -> dict[str, Any]:
        return {"lexicon": self.ident, "min_count": self.min_count, "min_ratio": self.min_ratio}

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for item in sentences:
            words = words_of(item)
            spans: list[Span] = []
            for k, w in enumerate(words):
                label = self.types.get(w) if w[:1].isupper() else None
                if label is None:
                    continue
                if spans and spans[-1].end == k and spans[-1].label == label:
                    spans[-1] = Span(spans[-1].start, k + 1, label)
                else:
                    spans.append(Span(k, k + 1, label))
            out.append(spans)
        return out


@register_tagger("en-lex")
def en_lex_tagger(min_count: int = 2, min_ratio: float = 0.6, model: str | None = None) -> Tagger:
    """The WikiANN en word-type lexicon (built into the cache on first use); ``model`` = a lexicon JSON path."""
    path = Path(model) if model else prepare_lexicon()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProjnerError(f"cannot read lexicon {path}: {exc}") from exc
    return LexiconTagger(doc["words"], min_count, min_ratio, ident=str(doc.get("fingerprint", path)))
