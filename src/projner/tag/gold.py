"""The gold tagger: a sentence's own annotation, as spans (isolated-projection experiments, §2.4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from projner.core.tags import map_spans
from projner.core.types import InputError, Sentence, Span
from projner.tag.base import SentenceLike, Tagger, register_tagger


@register_tagger("gold")
class GoldTagger(Tagger):
    """Spans decoded from each :class:`Sentence`'s tags, optionally relabelled/filtered (e.g. keep PER/ORG/LOC)."""

    name = "gold"

    def __init__(
        self,
        mapping: Mapping[str, str] | None = None,
        keep: Iterable[str] | None = None,
        drop: Iterable[str] | None = None,
    ) -> None:
        self.mapping = dict(mapping) if mapping else None
        self.keep = sorted(keep) if keep is not None else None
        self.drop = sorted(drop) if drop is not None else None

    def params(self) -> dict[str, Any]:
        return {"mapping": self.mapping, "keep": self.keep, "drop": self.drop}

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for i, s in enumerate(sentences):
            if not isinstance(s, Sentence) or s.tags is None:
                ident = getattr(s, "id", None) or f"#{i}"
                raise InputError(f"the gold tagger needs sentences with tags; sentence {ident} has none")
            out.append(map_spans(s.spans, self.mapping, self.keep, self.drop))
        return out
