"""Name completion: grow projected spans over adjacent capitalised target words that no alignment link reaches.

Why: a name is often longer in the translation than in the source, and the extra words are exactly the ones the
aligner leaves alone. "the UK" → "il Regno Unito" links "UK" to "Unito" only; "Mr Duisenberg" → "Wim Duisenberg"
adds the first name; "Prasad Panvalker" loses "Prasad" to a missing link. The Dice score cannot recover these:
adding an unaligned word always lowers it (method.md §3.9.2). A capitalised word next to a projected name, that
nothing in the source is aligned to, is most likely part of that name. Two guards keep common words out:

* the word must have **no link at all** (a capitalised German noun aligned to an English noun stays out);
* the first word of the sentence never joins (its capital letter says nothing: "Auf Agora", "Signor Presidente");
* nothing joins when fewer than ``min_coverage`` (half) of the sentence's words have a link: "no link" is evidence
  only from an aligner that links most words. The encoder aligners link about 80 % of the target words, a sparse
  aligner such as ``exact-match`` about 15 %; with it, every capitalised German noun would join the names.

Chosen on UNER-PUD de/pt with the default projector: +0.29 / +0.74 F1 (docs/benchmarks/projection.md,
"Session 9"). It stays off in ``greedy-nerext``, where the target-NER boundary bonus already extends names and
the two together were −0.29 / +0.18.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from projner.core.types import Span


def complete_names(
    tokens: Sequence[str],
    spans: Sequence[Span],
    target_linked: np.ndarray,
    max_add: int = 3,
    min_coverage: float = 0.5,
) -> list[Span]:
    """``spans`` (sorted, disjoint) grown over adjacent capitalised, unlinked words, at most ``max_add`` per side.

    ``target_linked[j]`` is True when target word j has any alignment link; below ``min_coverage`` linked words
    the spans are returned unchanged. A word already inside a span never moves to another one; spans keep their
    label and score. Pure function.
    """
    if not len(tokens) or float(np.mean(target_linked)) < min_coverage:
        return list(spans)
    taken = np.zeros(len(tokens), dtype=bool)
    for s in spans:
        taken[s.start : s.end] = True

    def free(j: int) -> bool:
        return tokens[j][:1].isupper() and not target_linked[j] and not taken[j]

    out: list[Span] = []
    for s in spans:
        start, end = s.start, s.end
        while start - 1 > 0 and s.start - start < max_add and free(start - 1):
            start -= 1
        while end < len(tokens) and end - s.end < max_add and free(end):
            end += 1
        taken[start:end] = True
        out.append(s if (start, end) == (s.start, s.end) else Span(start, end, s.label, s.score))
    return out


NAME_LABELS = frozenset({"PER", "ORG", "LOC"})


def drop_lowercase_words(
    tokens: Sequence[str], spans: Sequence[Span], labels: frozenset[str] = NAME_LABELS
) -> list[Span]:
    """``spans`` without the one-word spans of a name type (``labels``) whose word starts with a lower-case letter.

    Why: in a cased script a one-word person, organisation or place name is capitalised. When the projection of a
    name lands on a lower-case word, the translation used an adjective or a common noun instead ("US" →
    "americana", "Democrats" → "democratas", "Commission" → the "commissione" of a committee title), and the
    target's guidelines do not tag it. MISC is kept (CoNLL tags nationality adjectives as MISC, lower-case in
    Romance languages: "italiano"), and so are longer spans (Italian committee titles are lower-case ORG names).
    Scripts without case (Chinese) are untouched: their letters are neither upper nor lower case. Measured with
    the default projector on the projection benchmark's selection data (docs/benchmarks/projection.md,
    "Session 12"): Europarl-NER first half de +0.8, es +0.5, it +1.2; UNER-PUD de +0.3, pt +0.7. Pure function.
    """
    return [
        s for s in spans if not (s.end - s.start == 1 and s.label in labels and tokens[s.start][:1].islower())
    ]


def split_place_lists(tokens: Sequence[str], spans: Sequence[Span]) -> tuple[list[Span], list[int]]:
    """Source LOC spans that hold a comma, cut into their comma-separated parts; with each part's original index.

    Why: "Denver , Colorado" and "Plano , Texas" are one LOC in UNER's English but two places in its German and
    Portuguese (and in CoNLL), and a projector can never turn one source entity into two target entities. As
    separate entities, each part finds its own target word. Only LOC: commas inside person and organisation names
    belong to the name ("Martin Luther King , Jr.", "Committee on Industry , External Trade , Research and
    Energy"). Chosen on UNER-PUD de/pt (docs/benchmarks/projection.md, "Session 12"); Europarl-NER has no such
    span. Pure function.
    """
    parts: list[Span] = []
    owner: list[int] = []
    for k, s in enumerate(spans):
        words = tokens[s.start : s.end]
        if s.label != "LOC" or "," not in words:
            parts.append(s)
            owner.append(k)
            continue
        start = s.start
        for j in range(s.start, s.end + 1):
            if j == s.end or tokens[j] == ",":
                if j > start:
                    parts.append(Span(start, j, s.label, s.score))
                    owner.append(k)
                start = j + 1
    return parts, owner


ENGLISH_ARTICLES = ("the", "a", "an")


def strip_leading_articles(
    tokens: Sequence[str], spans: Sequence[Span], articles: Sequence[str]
) -> list[Span]:
    """Source spans of two or more words without their leading lower-case article ("the Netherlands" → "Netherlands").

    Why: the CoNLL guidelines leave articles out of names, and so do the German and Portuguese UNER annotators,
    but UNER's English includes "the" in 10 of its 1,075 entities ("the Netherlands", "the Rhine"); projected, the
    article lands on "a Holanda", "os Andes". Only the exact lower-case words in ``articles`` are stripped: a
    capitalised article mid-sentence belongs to the name ("The Hague", "The Times"). Chosen on UNER-PUD de/pt
    (docs/benchmarks/projection.md, "Session 12"). Pure function; labels and scores are kept.
    """
    drop = frozenset(articles)
    return [
        Span(s.start + 1, s.end, s.label, s.score) if s.end - s.start > 1 and tokens[s.start] in drop else s
        for s in spans
    ]
