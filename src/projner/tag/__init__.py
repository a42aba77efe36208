"""Source taggers: word-level NER over pre-split words, ``get_tagger(name).tag(sentences) -> list[list[Span]]``."""

from projner.tag.base import DEFAULT_LABELS, Tagger, get_tagger, register_tagger, tagger_names

__all__ = ["DEFAULT_LABELS", "Tagger", "get_tagger", "register_tagger", "tagger_names"]
