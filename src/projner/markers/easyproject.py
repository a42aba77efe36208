"""Marker-based label transfer (EasyProject; method.md §3.6 back-translation refinement).

Put ``[`` / ``]`` around each source entity, translate the marked sentence, translate every entity string on
its own, then find the bracketed spans in the translation and give each one the label of the source entity
whose stand-alone translation it resembles most. The result is a word list in the output language with
labelled spans — the back-translated ``S'`` with ``E'`` of §3.6 (translate-test refinement), or a labelled
translation of gold English data (translate-train, EasyProject proper).

Differences from the reference code, on purpose:

* **true argmax**: the reference never updates its running maximum, so it takes the *last* entity translation
  above the threshold; here the bracket gets the entity with the highest ``difflib`` ratio (ties: the earlier
  source entity);
* **unmatched brackets are stripped**: bracket characters of unmatched or unbalanced markers are removed, so
  they never become words of ``S'``;
* the similarity compares the bracket's *inner* text by default (the reference includes the brackets, which
  lowers every ratio and rejects one-character entities outright); ``with_brackets=True`` restores it;
* source words containing ``[`` / ``]`` are rewritten to ``(`` / ``)`` before marking so they cannot be mistaken
  for markers, and full-width / lenticular brackets some MT systems emit (``［］``, ``【】``) count as markers.

All parsing and matching functions are pure; :func:`marker_transfer` is the batched driver around a
:class:`~projner.translate.base.Translator` (two ``translate`` calls per batch: marked sentences and unique
entity strings).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from projner.core.types import Span
from projner.translate.base import Translator
from projner.translate.text import detokenize, tokenize

OPEN = "["
CLOSE = "]"
_BRACKET_VARIANTS = str.maketrans({"［": "[", "］": "]", "【": "[", "】": "]"})
_MARKER = re.compile(r"\[([^\[\]]*)\]")
DEFAULT_THRESHOLD = 0.5


def sanitize_word(word: str) -> str:
    """Rewrite literal square brackets in a source word so they cannot be read back as markers."""
    return word.replace("[", "(").replace("]", ")")


def _check_spans(words: Sequence[str], spans: Sequence[Span]) -> list[Span]:
    ordered = sorted(spans)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise ValueError(f"overlapping spans {a} and {b} cannot be marked")
    if ordered and ordered[-1].end > len(words):
        raise ValueError(f"span {ordered[-1]} exceeds sentence length {len(words)}")
    return ordered


def mark_words(
    words: Sequence[str], spans: Sequence[Span], open_: str = OPEN, close: str = CLOSE
) -> list[str]:
    """Words with ``open_`` inserted before and ``close`` after every entity span (same marker for all classes)."""
    ordered = _check_spans(words, spans)
    starts = {s.start for s in ordered}
    ends = {s.end for s in ordered}
    out: list[str] = []
    for i, w in enumerate(words):
        if i in ends:
            out.append(close)
        if i in starts:
            out.append(open_)
        out.append(sanitize_word(w))
    if len(words) in ends:
        out.append(close)
    return out


def marked_text(words: Sequence[str], spans: Sequence[Span], lang: str = "en") -> str:
    """The detokenized marked sentence sent to MT, e.g. ``"I met [Angela Merkel] in [Berlin]."``."""
    return detokenize(mark_words(words, spans), lang)


def entity_texts(words: Sequence[str], spans: Sequence[Span], lang: str = "en") -> list[str]:
    """Each entity's words detokenized, in document order (translated alone, without context)."""
    return [detokenize([sanitize_word(w) for w in words[s.start : s.end]], lang) for s in sorted(spans)]


@dataclass(frozen=True, slots=True)
class Marker:
    """A bracketed substring of a translation: character offsets ``[start, end)`` include the brackets."""

    start: int
    end: int
    inner: str


def normalize_brackets(text: str) -> str:
    return text.translate(_BRACKET_VARIANTS)


def find_markers(text: str) -> list[Marker]:
    """Innermost ``[...]`` pairs, left to right (an unbalanced bracket is not a marker)."""
    return [Marker(m.start(), m.end(), m.group(1)) for m in _MARKER.finditer(normalize_brackets(text))]


def similarity(a: str, b: str) -> float:
    """Case-insensitive ``difflib.SequenceMatcher`` ratio (the reference's fuzzy match)."""
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def match_markers(
    marker_texts: Sequence[str],
    entity_translations: Sequence[str | None],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[int | None]:
    """For each marker (left to right), the index of the source entity it gets, or ``None``.

    Greedy as in the reference: each marker takes the unused entity whose translation has the highest ratio
    (true argmax; ties → lower index), accepted only when the ratio exceeds ``threshold``; a used entity leaves
    the pool, so each source entity labels at most one marker.
    """
    pool = list(range(len(entity_translations)))
    out: list[int | None] = []
    for text in marker_texts:
        best, best_ratio = None, threshold
        for j in pool:
            cand = entity_translations[j]
            if not cand:
                continue
            r = similarity(text, cand)
            if r > best_ratio:  # strict: ties keep the earlier entity
                best, best_ratio = j, r
        out.append(best)
        if best is not None:
            pool.remove(best)
    return out


@dataclass(slots=True)
class MarkerResult:
    """Words and labelled spans recovered from one marked translation, with matching diagnostics."""

    words: list[str]
    spans: list[Span]
    translation: str
    assignment: list[int | None] = field(default_factory=list)  # per marker: source entity index or None
    n_source_entities: int = 0

    @property
    def n_markers(self) -> int:
        return len(self.assignment)

    @property
    def unmatched_markers(self) -> int:
        return sum(a is None for a in self.assignment)

    @property
    def unused_entities(self) -> list[int]:
        used = {a for a in self.assignment if a is not None}
        return [i for i in range(self.n_source_entities) if i not in used]


def _strip_brackets(text: str) -> str:
    return text.replace(OPEN, " ").replace(CLOSE, " ")


def parse_marked_translation(
    translation: str,
    entity_translations: Sequence[str | None],
    labels: Sequence[str],
    lang: str,
    threshold: float = DEFAULT_THRESHOLD,
    with_brackets: bool = False,
) -> MarkerResult:
    """Split a marked translation into words and labelled spans (method.md §3.6 steps 4–5, bugs fixed).

    ``entity_translations[j]`` and ``labels[j]`` belong to source entity ``j`` (document order). Text before,
    inside and after each matched marker is tokenized separately (:func:`projner.translate.text.tokenize` for
    ``lang``), so a span covers exactly the marker's inner words. Unmatched markers keep their inner text but
    lose their brackets; a matched marker with empty inner text yields no span.
    """
    if len(entity_translations) != len(labels):
        raise ValueError(f"{len(entity_translations)} entity translations but {len(labels)} labels")
    text = normalize_brackets(translation)
    markers = find_markers(text)
    compare = [f"{OPEN}{m.inner}{CLOSE}" if with_brackets else m.inner.strip() for m in markers]
    assignment = match_markers(compare, entity_translations, threshold)
    words: list[str] = []
    spans: list[Span] = []
    pending = ""
    pos = 0
    for m, src in zip(markers, assignment, strict=True):
        before = text[pos : m.start]
        pos = m.end
        if src is None:
            pending += before + m.inner
            continue
        words.extend(tokenize(_strip_brackets(pending + before), lang))
        pending = ""
        inner = tokenize(m.inner, lang)
        if inner:
            spans.append(Span(len(words), len(words) + len(inner), labels[src]))
            words.extend(inner)
    words.extend(tokenize(_strip_brackets(pending + text[pos:]), lang))
    return MarkerResult(words, spans, translation, assignment, len(labels))


def marker_transfer(
    sentences: Sequence[tuple[Sequence[str], Sequence[Span]]],
    translator: Translator,
    from_lang: str,
    to_lang: str,
    threshold: float = DEFAULT_THRESHOLD,
    with_brackets: bool = False,
) -> list[MarkerResult]:
    """Translate ``(words, spans)`` sentences with markers and recover labelled spans in ``to_lang``.

    Batched: one ``translate`` call for all marked sentences and one for the unique entity strings (wrap the
    translator in :class:`~projner.translate.cache.CachedTranslator` to make both resumable). For the §3.6
    refinement pass the English words and tagger spans with ``from_lang="en"`` and the target language as
    ``to_lang``; for EasyProject translate-train pass gold English data.
    """
    prepared = [(list(w), sorted(s)) for w, s in sentences]
    marked = [marked_text(w, s, from_lang) for w, s in prepared]
    ents = [entity_texts(w, s, from_lang) for w, s in prepared]
    unique = list(dict.fromkeys(e for es in ents for e in es if e))
    ent_tr = (
        dict(zip(unique, translator.translate(unique, from_lang, to_lang), strict=True)) if unique else {}
    )
    translations = translator.translate(marked, from_lang, to_lang)
    if len(translations) != len(marked):
        raise RuntimeError(f"translator returned {len(translations)} outputs for {len(marked)} inputs")
    return [
        parse_marked_translation(
            tr, [ent_tr.get(e) for e in es], [sp.label for sp in s], to_lang, threshold, with_brackets
        )
        for tr, es, (_, s) in zip(translations, ents, prepared, strict=True)
    ]


def backtranslation_refine(
    src_words: Sequence[Sequence[str]],
    src_spans: Sequence[Sequence[Span]],
    translator: Translator,
    to_lang: str,
    from_lang: str = "en",
    threshold: float = DEFAULT_THRESHOLD,
) -> list[MarkerResult]:
    """§3.6: English words + tagger spans → back-translated target words ``S'`` with spans ``E'``.

    The caller then aligns the original target tokens ``T`` with ``result.words`` and projects
    ``result.spans`` (source side = ``S'``, target side = ``T``).
    """
    if len(src_words) != len(src_spans):
        raise ValueError(f"{len(src_words)} sentences but {len(src_spans)} span lists")
    return marker_transfer(
        list(zip(src_words, src_spans, strict=True)), translator, from_lang, to_lang, threshold
    )
