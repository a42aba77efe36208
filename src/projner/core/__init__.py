"""The central data model (sentences, spans, alignments, parallel examples) and tag/span conversions."""

from projner.core.tags import map_spans, map_tags, repair_iob2, spans_to_tags, tags_to_spans
from projner.core.types import Alignment, InputError, ParallelExample, ProjnerError, Sentence, Span

__all__ = [
    "Alignment",
    "InputError",
    "ParallelExample",
    "ProjnerError",
    "Sentence",
    "Span",
    "map_spans",
    "map_tags",
    "repair_iob2",
    "spans_to_tags",
    "tags_to_spans",
]
