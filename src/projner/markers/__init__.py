"""Marker-based projection (EasyProject) and the back-translation refinement of method.md §3.6."""

from projner.markers.easyproject import (
    Marker,
    MarkerResult,
    backtranslation_refine,
    entity_texts,
    find_markers,
    mark_words,
    marked_text,
    marker_transfer,
    match_markers,
    parse_marked_translation,
    similarity,
)

__all__ = [
    "Marker",
    "MarkerResult",
    "backtranslation_refine",
    "entity_texts",
    "find_markers",
    "mark_words",
    "marked_text",
    "marker_transfer",
    "match_markers",
    "parse_marked_translation",
    "similarity",
]
