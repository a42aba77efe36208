"""Corpus statistics (sentences, tokens, entities per type) computed in one streaming pass."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from projner.core.tags import tags_to_spans
from projner.core.types import Sentence


@dataclass
class CorpusStats:
    sentences: int = 0
    tokens: int = 0
    tagged: bool = False
    entities: Counter[str] = field(default_factory=Counter)

    @property
    def total_entities(self) -> int:
        return sum(self.entities.values())


def corpus_stats(sentences: Iterable[Sentence]) -> CorpusStats:
    """Count sentences, tokens and entities per type (seqeval's reading of the tags)."""
    st = CorpusStats()
    for s in sentences:
        st.sentences += 1
        st.tokens += len(s.tokens)
        if s.tags is not None:
            st.tagged = True
            for span in tags_to_spans(s.tags):
                st.entities[span.label] += 1
    return st
