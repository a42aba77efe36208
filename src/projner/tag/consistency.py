"""Batch-level label consistency on top of a source tagger (``consistent``): one name, one type.

Why: on MAFAND English the spaCy mirror tags the same name with different types in different sentences (in the lug
dev English "Uganda" is ORG 57 times and LOC 66 times; "Binaisa" ORG 27, PER 4) and misses occurrences it tags
elsewhere ("Museveni" untagged or NORP in a third of its mentions). News text names the same entities over and over,
so the batch itself is evidence: each mention is re-typed with the majority type of its surface string over the
batch, and untagged mentions of a string that is usually an entity get that entity's type (label propagation).
This is the classic document-level consistency idea (e.g. Krishnan & Manning 2006), applied per ``tag()`` call —
pipelines call ``tag`` in chunks (translate-test: 256 sentences), so the evidence is the chunk, not one sentence.

Rules (all counts over the batch, string = exact word tuple):

* votes: every PER/ORG/LOC span votes for its type on its string; a multi-word PER span also votes PER on its last
  word (the surname, as in "Yoweri Museveni" … "Museveni");
* re-type: a span (also a MISC span, e.g. NORP "Museveni") whose string has at least ``min_votes`` votes takes the
  string's majority type when that type has more than ``majority`` of the votes;
* propagate: an untagged, capitalised occurrence of a string with a re-typing majority is tagged with it, when at
  least ``min_tagged_ratio`` of the string's occurrences lie inside some span (longest strings first, never
  overlapping an existing span).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from projner.core.types import Span
from projner.tag.base import SentenceLike, Tagger, register_tagger, words_of

TYPES = ("PER", "ORG", "LOC")
# Bump when the rules change: pipelines cache tagger output by ``params()``, which must then change too.
RULES_VERSION = 2


def _majority(votes: Counter[str], min_votes: int, majority: float) -> str | None:
    total = sum(votes.values())
    if total < min_votes:
        return None
    label, n = max(sorted(votes.items()), key=lambda kv: kv[1])
    return label if n / total > majority else None


def make_consistent(
    words: Sequence[Sequence[str]],
    spans: Sequence[Sequence[Span]],
    min_votes: int = 2,
    majority: float = 0.5,
    retype: bool = True,
    propagate: bool = True,
    min_tagged_ratio: float = 0.5,
    surname: bool = True,
    observed: Sequence[bool] | None = None,
    propagate_initial: bool = True,
) -> list[list[Span]]:
    """Re-type and propagate spans over a batch of sentences (pure function; see module doc).

    ``propagate_initial=False``: never propagate onto a sentence-initial occurrence (its capital letter is no
    evidence of a name: "Señor Presidente , …").

    ``observed`` (default: all) marks the sentences whose spans are evidence. An unobserved sentence (in
    translate-test: one without a translation, which no tagger ever saw) casts no votes and does not count as an
    untagged occurrence, but still receives re-typed and propagated spans.
    """
    seen = [True] * len(words) if observed is None else list(observed)
    if len(seen) != len(words):
        raise ValueError(f"{len(seen)} observed flags for {len(words)} sentences")
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for w, ss, ok in zip(words, spans, seen, strict=True):
        if not ok:
            continue
        for s in ss:
            if s.label not in TYPES:
                continue
            votes[tuple(w[s.start : s.end])][s.label] += 1
            if surname and s.label == "PER" and s.end - s.start >= 2 and w[s.end - 1][:1].isupper():
                votes[(w[s.end - 1],)]["PER"] += 1
    decided = {k: lab for k, v in votes.items() if (lab := _majority(v, min_votes, majority)) is not None}
    out: list[list[Span]] = []
    for w, ss in zip(words, spans, strict=True):
        cur = []
        for s in ss:
            lab = decided.get(tuple(w[s.start : s.end])) if retype else None
            cur.append(Span(s.start, s.end, lab, s.score) if lab else s)
        out.append(cur)
    if not propagate or not decided:
        return out
    # how often each decided string occurs at all, and how often as a span
    by_len: dict[int, set[tuple[str, ...]]] = defaultdict(set)
    for k in decided:
        if all(x[:1].isupper() for x in k):
            by_len[len(k)].add(k)
    occurrences: Counter[tuple[str, ...]] = Counter()
    tagged: Counter[tuple[str, ...]] = Counter()
    for w, ss, counted in zip(words, out, seen, strict=True):
        if not counted:
            continue
        for n, keys in by_len.items():
            for i in range(len(w) - n + 1):
                key = tuple(w[i : i + n])
                if key in keys:
                    occurrences[key] += 1
                    if any(s.start <= i and i + n <= s.end for s in ss):  # inside a span ("Yoweri Museveni")
                        tagged[key] += 1
    frequent = {k for k in occurrences if tagged[k] / occurrences[k] >= min_tagged_ratio}
    for w, ss in zip(words, out, strict=True):
        for n in sorted(by_len, reverse=True):
            for i in range(0 if propagate_initial else 1, len(w) - n + 1):
                key = tuple(w[i : i + n])
                if key in frequent and key in by_len[n]:
                    new = Span(i, i + n, decided[key])
                    if not any(new.overlaps(s) for s in ss):
                        ss.append(new)
        ss.sort()
    return out


@register_tagger("consistent")
class ConsistentTagger(Tagger):
    """``inner`` tagger (default ``spacy``) + batch-level re-typing and propagation (:func:`make_consistent`)."""

    name = "consistent"

    def __init__(
        self,
        inner: str | Tagger = "spacy",
        min_votes: int = 2,
        majority: float = 0.5,
        retype: bool = True,
        propagate: bool = True,
        min_tagged_ratio: float = 0.5,
        surname: bool = True,
        org_to_person: bool = False,
        model: str | None = None,
    ) -> None:
        from projner.tag.base import get_tagger

        spec = model or inner  # "consistent:<inner>" through get_tagger
        self.inner = spec if isinstance(spec, Tagger) else get_tagger(spec)
        self.inner_name = spec if isinstance(spec, str) else spec.name
        self.settings: dict[str, Any] = {
            "min_votes": min_votes,
            "majority": majority,
            "retype": retype,
            "propagate": propagate,
            "min_tagged_ratio": min_tagged_ratio,
            "surname": surname,
        }
        self.org_to_person = org_to_person
        self._frequent: Callable[[str], bool] | None = None

    def params(self) -> dict[str, Any]:
        return {
            "rules_version": RULES_VERSION,
            "inner": self.inner_name,
            "inner_params": self.inner.params(),
            **self.settings,
            "org_to_person": self.org_to_person,
        }

    def tag(self, sentences: Sequence[SentenceLike]) -> list[list[Span]]:
        words = [words_of(s) for s in sentences]
        spans = self.inner.tag(words)
        if self.org_to_person:
            if self._frequent is None:
                self._frequent = single_piece_words()
            spans = [
                org_names_to_person(w, sp, frequent=self._frequent)
                for w, sp in zip(words, spans, strict=True)
            ]
        return make_consistent(words, spans, **self.settings)


@register_tagger("spacy-news")
def spacy_news(model: str | None = None) -> Tagger:
    """The default English source tagger: spaCy + ORG→PER for rare name-shaped spans + batch consistency.

    Measured on MasakhaNER2 dev translate-test with MAFAND English (docs/benchmarks/source_taggers.md): lug
    58.0 → 66.7, tsn 51.0 → 53.6 F1 over plain ``spacy``; Europarl-NER en 75.5 → 75.7.
    """
    return ConsistentTagger(inner=model or "spacy", org_to_person=True)


@register_tagger("spacy-news-e5")
def spacy_news_e5(model: str | None = None) -> Tagger:
    """``spacy-news`` whose PER/ORG/LOC types are re-decided by a vote with the e5 English NER model.

    spaCy keeps the boundaries (the WikiANN-trained e5 model draws Wikipedia-style, far too long spans in running
    text) and its MISC spans; the e5 model (``en-ner:e5``, trained on WikiANN en, which knows many more African and
    sports-club names) wins type disagreements (weight 1.01 vs 1). Chosen on the MasakhaNER2 dev splits
    (docs/benchmarks/source_taggers.md): mean dev F1 of lug/tsn/luo/pcm/twi 58.5 → 61.4, Europarl-NER en 75.7 → 77.0.
    Needs the ``en-ner-e5`` model (``python -m projner.tag.en_ner e5``: WikiANN en from the data folder, ~40 min on
    2 CPU cores), so it is not the offline default.
    """
    from projner.tag.ensemble import EnsembleTagger

    inner = EnsembleTagger(members=[model or "spacy", "en-ner:e5"], weights=[1.0, 1.01], keep_types=["MISC"])
    return ConsistentTagger(inner=inner, org_to_person=True)


@register_tagger("news")
def news(model: str | None = None) -> Tagger:
    """Our English *news* NER model (``en-ner:news``) + batch label consistency: the best translate-test tagger.

    The model is e5-small trained on English news labelled by projecting MasakhaNER2 Nigerian Pidgin gold onto
    its MAFAND English, plus the Pidgin gold itself (:mod:`projner.tag.en_ner_data`), so it follows the
    MasakhaNER guidelines and knows African names; unlike the WikiANN models it draws its own boundaries well in
    running text. Chosen on the MasakhaNER2 dev splits of lug/tsn/luo/twi (docs/benchmarks/source_taggers.md):
    dev F1 +9 to +17 over ``spacy-news``. Needs the ``en-ner-news`` model (``projner models prepare
    en-ner-news``: built from the data folder in ~25 min on 2 CPU cores), so it is not the package-only default.
    ``model`` picks another ``en-ner`` recipe (e.g. ``news-en``).
    """
    return ConsistentTagger(inner=f"en-ner:{model or 'news'}")


@register_tagger("news-agree")
def news_agree(model: str | None = None, base: str = "en-ner:news", other: str | None = None) -> Tagger:
    """``news`` keeping only the spans that a second news model also tags (+ batch consistency).

    ``model`` is the second model's en-ner recipe (default ``news-multi``: news projected from five MasakhaNER2
    languages; for a target among them use the variant that left it out, ``news-agree:news-multi-no-lug-twi``).
    Why agreement: the two models err differently (``news`` misses names of other regions, the multi-language
    model tags demonyms), and an entity both find is rarely wrong. Chosen on the MasakhaNER2 dev splits with the
    held-out models, against type vote and union (docs/benchmarks/source_taggers.md): mean dev F1 74.75 (``news``)
    -> 75.44 (vote 75.08, union 74.54); 3 of 4 languages gain (tsn +2.1), twi -0.4. Needs both models
    (``projner models prepare en-ner-news`` and ``en-ner-news-multi``, about 25 + 45 min on 2 cores).
    """
    from projner.tag.ensemble import EnsembleTagger

    second = other or f"en-ner:{model or 'news-multi'}"  # other: any tagger spec (tests)
    inner = EnsembleTagger(members=[base, second], weights=[1.0, 1.0], min_support=0.99)
    return ConsistentTagger(inner=inner)


# Head words that make a capitalised span an organisation (CoNLL ORG), whatever a small model guesses.
ORG_WORDS = frozenset(
    """ltd limited inc co corp corporation company companies plc group holdings industries enterprises authority
    forces force police army navy ministry council party bank university club fc association union commission
    committee court parliament government agency foundation trust board services radio television tv news times
    post airlines airways church school college hospital society institute federation league movement network
    department office organisation organization assembly congress senate secretariat fund programme program
    project centre center studios records media brewery breweries alliance front coalition cabinet tribunal
    bureau team united cooperative sacco academy commission council festival ngo""".split()
)


def looks_like_person(span_words: Sequence[str], org_words: frozenset[str] = ORG_WORDS) -> bool:
    """1–3 title-case alphabetic words, no acronym, no organisation head word: a name, not an organisation."""
    if not 1 <= len(span_words) <= 3:
        return False
    for w in span_words:
        core = w.replace("-", "").replace("'", "")
        if not core.isalpha() or not w[:1].isupper() or w.isupper() or w.lower() in org_words:
            return False
    return True


def org_names_to_person(
    words: Sequence[str],
    spans: Sequence[Span],
    known: Mapping[str, str] | None = None,
    frequent: Callable[[str], bool] | None = None,
) -> list[Span]:
    """Re-type ORG spans that :func:`looks_like_person` as PER (spaCy's commonest error on African names).

    ``known`` (word → type, e.g. :class:`projner.tag.lexicon.LexiconTagger` ``.types``) vetoes the change when a
    word of the span is a known non-person name ("Facebook", "Netflix" are ORG in WikiANN); ``frequent`` (see
    :func:`single_piece_words`) vetoes it when a word is a frequent word of a large multilingual vocabulary
    ("Reuters", "Forbes"), i.e. a well-known name rather than a rare (e.g. African) personal name.
    """
    out = []
    for s in spans:
        ws = words[s.start : s.end]
        if (
            s.label == "ORG"
            and looks_like_person(ws)
            and not (known and any(known.get(w, "PER") != "PER" for w in ws))
            and not (frequent and any(frequent(w) for w in ws))
        ):
            s = Span(s.start, s.end, "PER", s.score)
        out.append(s)
    return out


def single_piece_words(tokenizer_dir: str | None = None, min_len: int = 4) -> Callable[[str], bool]:
    """``word -> bool``: is the word one SentencePiece of the e5-small (XLM-R) vocabulary, at least ``min_len``
    characters long? A 250k-piece vocabulary keeps frequent names whole ("▁Reuters") and splits rare ones
    ("▁Bina", "isa"), so this is a cheap frequency test without any word-frequency table."""
    from transformers import AutoTokenizer

    if tokenizer_dir is None:
        from projner.align.encoders import prepare_e5

        tokenizer_dir = str(prepare_e5())
    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    cache: dict[str, bool] = {}

    def frequent(word: str) -> bool:
        if word not in cache:
            cache[word] = len(word) >= min_len and len(tok.tokenize(word)) == 1
        return cache[word]

    return frequent
