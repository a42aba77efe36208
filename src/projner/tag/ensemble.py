"""Combining English source taggers: one member fixes the span boundaries, all members vote on the type.

Why: on MAFAND English the spaCy mirror finds reasonable *boundaries* (after CoNLL trimming) but often the wrong
*type* for African names (Museveni → ORG, Karegyeya → LOC), while a model trained on WikiANN en knows many more
non-European names but draws Wikipedia-style boundaries. An ensemble keeps the spans of a ``boundary`` member,
re-decides each span's type by a weighted word-level vote of all members, and optionally adds spans that other
members found where the boundary member found nothing (recall).

The vote for a span ``[s, e)``: every member that tagged at least one word inside ``[s, e)`` casts its full
``weight``, split over the types it gave those words in proportion to their word counts (so "Yoweri Museveni"
tagged ORG by spaCy and only "Museveni" tagged PER by the model is a 1 : 1 vote, not 1 : 0.5); the type with the
highest total wins (ties: the boundary member's type). A member that tagged none of the span's words abstains — it does not
vote for "no entity", so the ensemble never deletes a boundary span unless ``min_support`` asks for it.

``spacy_norp`` (on the ``spacy`` member) maps OntoNotes NORP (nationalities: "Ugandan", "South African") to a CoNLL
type before voting; whether that helps depends on the target annotation guidelines, so it is measured, not assumed
(docs/benchmarks/source_taggers.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from projner.core.types import ProjnerError, Span
from projner.tag.base import SentenceLike, Tagger, register_tagger, words_of


def vote_type(
    span: Span, member_spans: Sequence[Sequence[Span]], weights: Sequence[float], default: str
) -> tuple[str, float]:
    """The weighted word-level type vote over ``span`` (see module doc); returns (type, winning share of votes)."""
    votes: dict[str, float] = {}
    for spans, w in zip(member_spans, weights, strict=True):
        mine: dict[str, int] = {}
        for other in spans:
            lo, hi = max(span.start, other.start), min(span.end, other.end)
            if lo < hi and other.label:
                mine[other.label] = mine.get(other.label, 0) + hi - lo
        covered = sum(mine.values())
        for label, n in mine.items():
            votes[label] = votes.get(label, 0.0) + w * n / covered
    if not votes:
        return default, 0.0
    total = sum(votes.values())
    best = max(votes.values())
    winners = [t for t, v in votes.items() if v >= best - 1e-12]
    label = default if default in winners else sorted(winners)[0]
    return label, best / total


def combine(
    member_spans: Sequence[Sequence[Span]],
    weights: Sequence[float],
    boundary: int = 0,
    add_from: Iterable[int] = (),
    vote: bool = True,
    min_support: float = 0.0,
    keep_types: Iterable[str] = (),
) -> list[Span]:
    """Combine one sentence's spans from several members (pure function; the tagger calls it per sentence).

    ``keep_types``: spans of these types keep their type (no vote). With ``("MISC",)`` the spaCy member's
    nationality/event spans stay MISC instead of being re-typed into PER/ORG/LOC by a PER/ORG/LOC-only member,
    which otherwise adds false entities (Europarl-NER en: −4 precision, docs/benchmarks/source_taggers.md).

    ``boundary`` indexes the member whose spans are kept; ``add_from`` members contribute their spans that overlap
    no kept span (their own type, then re-voted); ``min_support`` drops spans whose total vote weight (the sum of
    the member weights that tagged any of their words, over the sum of all weights) is below it.
    """
    if len(member_spans) != len(weights):
        raise ProjnerError(f"{len(member_spans)} members but {len(weights)} weights")
    kept: list[Span] = list(member_spans[boundary])
    for k in add_from:
        for s in sorted(member_spans[k]):
            if not any(s.overlaps(t) for t in kept):
                kept.append(s)
    total_w = sum(weights) or 1.0
    fixed = frozenset(keep_types)
    out: list[Span] = []
    for s in sorted(kept):
        label = s.label
        if vote and label not in fixed:
            label, _ = vote_type(s, member_spans, weights, default=s.label)
        if min_support > 0.0:
            support = sum(
                w
                for spans, w in zip(member_spans, weights, strict=True)
                if any(o.start < s.end and s.start < o.end for o in spans)
            )
            if support / total_w < min_support - 1e-12:
                continue
        out.append(Span(s.start, s.end, label, s.score))
    return out


def _member(spec: str | Tagger, norp: str | None) -> Tagger:
    if isinstance(spec, Tagger):
        return spec
    from projner.tag.base import get_tagger

    if spec == "spacy" and norp:
        return _NorpSpacy(norp)
    return get_tagger(spec)


class _NorpSpacy(Tagger):
    """The spaCy tagger with OntoNotes NORP mapped to a CoNLL type (instead of MISC) before CoNLL trimming."""

    name = "spacy-norp"

    def __init__(self, norp: str) -> None:
        from projner.core.tags import ONTONOTES_TO_CONLL
        from projner.tag.spacy_tagger import SpacyTagger

        self.inner = SpacyTagger(labels=None)
        self.norp = norp
        self.mapping = {**ONTONOTES_TO_CONLL, "NORP": norp}

    def params(self) -> dict[str, Any]:
        return {**self.inner.params(), "norp": self.norp}

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        from projner.core.tags import map_spans
        from projner.tag.spacy_tagger import conll_trim

        words = [words_of(s) for s in sentences]
        docs = [self.inner._doc_cls(self.inner.nlp.vocab, words=w, spaces=_spaces(w)) for w in words if w]
        results = iter(self.inner.nlp.pipe(docs, batch_size=self.inner.batch_size))
        out: list[list[Span]] = []
        for w in words:
            if not w:
                out.append([])
                continue
            doc = next(results)
            raw = [Span(e.start, e.end, e.label_) for e in doc.ents]
            spans = map_spans(raw, self.mapping, keep=["PER", "ORG", "LOC", "MISC"])
            out.append([t for s in spans if (t := conll_trim(s, w)) is not None])
        return out


def _spaces(words: list[str]) -> list[bool]:
    from projner.translate.text import spaces_after

    return spaces_after(words, "en")


@register_tagger("ensemble")
class EnsembleTagger(Tagger):
    """Boundary member's spans + weighted type vote of all members (+ optional recall from other members).

    ``members`` are tagger names (``spacy``, ``en-ner``, ``en-ner:crf``, ``model:<dir>``…) or :class:`Tagger`
    objects. ``norp`` maps spaCy's NORP to that type (``LOC``/``MISC``) in the ``spacy`` member; ``None`` keeps
    the default mapping (NORP → MISC, dropped by PER/ORG/LOC pipelines).
    """

    name = "ensemble"

    def __init__(
        self,
        members: Sequence[str | Tagger] = ("spacy", "en-ner"),
        weights: Sequence[float] | None = None,
        boundary: int = 0,
        add_from: Sequence[int] = (),
        vote: bool = True,
        min_support: float = 0.0,
        norp: str | None = None,
        keep_types: Sequence[str] = (),
        model: str | None = None,
    ) -> None:
        if model:  # "ensemble:<preset>" through get_tagger
            raise ProjnerError(
                f"the ensemble tagger takes no model argument ({model!r}); use the named presets"
            )
        if not members:
            raise ProjnerError("an ensemble needs at least one member")
        self.members = [_member(m, norp) for m in members]
        self.member_names = [m if isinstance(m, str) else m.name for m in members]
        self.weights = [float(w) for w in (weights if weights is not None else [1.0] * len(self.members))]
        if len(self.weights) != len(self.members):
            raise ProjnerError(f"{len(self.members)} members but {len(self.weights)} weights")
        if not 0 <= boundary < len(self.members) or any(not 0 <= k < len(self.members) for k in add_from):
            raise ProjnerError("boundary/add_from must index members")
        self.boundary = boundary
        self.add_from = list(add_from)
        self.vote = vote
        self.min_support = min_support
        self.norp = norp
        self.keep_types = sorted(keep_types)

    def params(self) -> dict[str, Any]:
        return {
            "members": [
                {"name": n, **m.params()} for n, m in zip(self.member_names, self.members, strict=True)
            ],
            "weights": self.weights,
            "boundary": self.boundary,
            "add_from": self.add_from,
            "vote": self.vote,
            "min_support": self.min_support,
            "norp": self.norp,
            **({"keep_types": self.keep_types} if self.keep_types else {}),
        }

    def tag_members(self, sentences: Sequence[SentenceLike]) -> list[list[list[Span]]]:
        """Each member's spans: ``out[member][sentence]`` (exposed so benchmarks can recombine without re-tagging)."""
        items = [words_of(s) for s in sentences]
        return [m.tag(items) for m in self.members]

    def combine_members(self, per_member: Sequence[Sequence[Sequence[Span]]]) -> list[list[Span]]:
        n = len(per_member[0]) if per_member else 0
        return [
            combine(
                [per_member[k][i] for k in range(len(self.members))],
                self.weights,
                self.boundary,
                self.add_from,
                self.vote,
                self.min_support,
                self.keep_types,
            )
            for i in range(n)
        ]

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        return self.combine_members(self.tag_members(sentences))
