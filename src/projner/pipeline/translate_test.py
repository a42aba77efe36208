"""translate-test (the paper's main mode, method.md §2.1): label target-language text through English.

Stages, each cached by fingerprint so a crash or a re-run recomputes only what is missing:

1. **translate** the detokenized target sentence into English (any :class:`~projner.translate.base.Translator`,
   chunk-cached), *or* take human translations given per sentence (an empty/None entry = no translation);
2. **tokenize** the English (Moses rules, :func:`projner.translate.text.tokenize`);
3. **tag** the English words with a source tagger (chunk-cached);
4. **align** English words ↔ original target tokens (the aligner's own cache);
5. **project** the English entities onto the target tokens (errors are reported, never turned into silent ``O``);
6. **target-side consistency** (on by default): one name, one type over the whole target set, and untagged
   occurrences of a name tagged elsewhere get tagged (:func:`target_consistency`);
7. **set completion** (on by default): a span cut short grows to the multi-word name the set projects whole
   elsewhere (:func:`projner.project.set_completion.complete_from_set`).

Sentences without a translation, or whose projection failed, get all-``O`` output *and are counted* in
:class:`TranslateTestOutput`, so evaluation on the full set is honest and the gap is visible.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projner.core.tags import map_spans, spans_to_tags
from projner.core.types import InputError, ParallelExample, Sentence, Span

DEFAULT_LABELS = ("PER", "ORG", "LOC")

TRANSLATE_TEST_PROJECTOR = "heuristic-words"
"""Projector of translate-test when none is given: the paper's heuristic with its defaults (d=1, thr 0.8), the
length ratio counted in source *words* (``heuristic-words``: "People 's" is one word, so "Uganda People 's Congress"
may project onto the 3 target tokens "Uganda People's Congress"; session 5, MasakhaNER2 dev lug +2.3, others ±0).

Not the projection default (greedy n-gram matching, chosen on gold source entities): here the English entities
come from a *tagger*, and the heuristic, which drops an entity whose alignment is weak, trades 1-2 points of
recall for 3-7 of precision. Chosen on the MasakhaNER2 dev splits (lug/tsn/luo/twi, MAFAND English,
docs/benchmarks/source_taggers.md): it beats greedy matching on 7 of 8 tagger x language pairs; mean dev F1
69.9 -> 70.7 with the ``news`` tagger, 58.8 -> 59.7 with ``spacy-news``."""

DEFAULT_TAGGER = "spacy-news"
"""English tagger of translate-test when none is given: package-only and guideline-neutral (CoNLL/OntoNotes-like).

For African news scored under the MasakhaNER guidelines use ``news`` (our e5 model trained on English news
projected from MasakhaNER2 Pidgin; ``projner models prepare en-ner-news``): MasakhaNER2 test F1 +3.0 (lug) to
+15.5 (tsn) over ``spacy-news`` on the four languages it was not trained on (with target-side consistency). It is not the default because it
follows *those* guidelines — it does not tag bare "Parliament" or "Commission" — and loses 17 F1 on Europarl-NER
es (docs/benchmarks.md), and because its model is built from the data folder."""


TARGET_CONSISTENCY: dict[str, Any] = {"min_votes": 2, "majority": 0.5, "min_tagged_ratio": 0.4}
"""Settings of the target-side consistency pass (:func:`projner.tag.consistency.make_consistent`).

Why: a human (or machine) translation often renders a name freely ("Kenya" → "the country"), so the English has no
entity to project, although the same name is projected in other sentences of the set. Propagating a capitalised
target string that is tagged in at least 40 % of its occurrences (in sentences that had a translation), with the
majority type of its >= 2 projections, recovers it. Chosen on the MasakhaNER2 dev splits of lug/luo/tsn/twi
(MAFAND English, heuristic projector; grid: ratio 0.2/0.3/0.4/0.5, untranslated sentences counted or not): with the
``news`` tagger mean dev F1 72.3 -> 74.8 (+0.8 to +4.5 per language), with ``spacy-news`` 59.7 -> 63.0 (+2.1 to
+4.6); every language gains with both taggers (docs/benchmarks/source_taggers.md).

``target_consistency_kwargs={"propagate_initial": False}`` never propagates onto a sentence-initial word. It is off
by default because it was slightly worse on the MasakhaNER2 dev splits (mean dev F1 ``news-agree`` 77.40 -> 77.31,
``news`` 76.82 -> 76.76, ``spacy-news`` 64.53 -> 64.29), where names often open a sentence. Text with formulaic
capitalised openings gains: Europarl-NER es (Apertium, ``spacy-news``; a test set, so not used to choose) 65.4 ->
66.7, from "Señor Presidente , ..." no longer tagged PER."""


@dataclass
class TranslateTestOptions:
    """Everything that changes the output of a translate-test run (also its cache identity)."""

    from_lang: str
    to_lang: str = "en"
    translator: str | None = None
    translator_kwargs: dict[str, Any] = field(default_factory=dict)
    tagger: str = DEFAULT_TAGGER
    aligner: str | None = None
    aligner_kwargs: dict[str, Any] = field(default_factory=dict)
    extra_parallel: tuple[str, ...] = ()
    """More English–target parallel text for a trainable aligner (``eflomal``, ``e5-inter-eflomal``): parallel
    dataset names with English first (``mafand-mt:en-luo:train``, or ``mafand-mt:en-luo`` for every split) or
    ``EN_FILE,TARGET_FILE`` pairs of raw text, one sentence per line. Both sides are tokenized like the pipeline's
    own (:func:`read_extra_parallel`). With ``--engine`` every shard's aligner trains on all of it plus the shard."""
    projector: str | None = None
    projector_kwargs: dict[str, Any] = field(default_factory=dict)
    labels: tuple[str, ...] = DEFAULT_LABELS
    target_consistency: bool = True
    """Run :func:`target_consistency` over the projected set (its evidence is the batch given to
    :func:`translate_test`: the whole file in memory, one shard with ``--engine``)."""
    target_consistency_kwargs: dict[str, Any] = field(default_factory=dict)
    """Overrides of :data:`TARGET_CONSISTENCY`."""
    trim_lowercase: bool = True
    """Drop the leading lower-case words of a projected span that holds a capitalised word
    (:func:`trim_lowercase_prefix`), before the consistency pass."""
    set_completion: bool = True
    """After the consistency pass, grow projected spans to the longer names the set projects whole elsewhere
    (:func:`projner.project.set_completion.complete_from_set`; evidence as for :attr:`target_consistency`).
    Chosen on the MasakhaNER2 dev splits with ``news-agree``: lug +1.4, luo +0.9, tsn and twi ±0."""


@dataclass
class TranslateTestOutput:
    """Projected sentences (same order and tokens as the input) and what happened to each."""

    sentences: list[Sentence]
    examples: list[ParallelExample]
    missing: list[int]
    failed: list[tuple[int, str]]
    translations: list[str | None]
    consistency_changes: int = 0
    """Spans added or re-typed by the target-side consistency pass."""
    completed: int = 0
    """Spans grown by set completion."""
    runs: list[tuple[int, int]] = field(default_factory=list)
    """Runs ``(start, stop)`` of target sentences translated together (see :func:`translate_test`)."""

    def summary(self) -> str:
        n = len(self.sentences)
        ents = sum(len(e.source_spans) for e in self.examples)
        proj = sum(len(e.target_spans or []) for e in self.examples)
        return (
            f"{n} sentences: {n - len(self.missing)} translated, {len(self.missing)} without translation, "
            f"{len(self.failed)} projection failures; {ents} English entities, {proj} projected spans, "
            f"{self.consistency_changes} spans added or re-typed by target-side consistency, "
            f"{self.completed} grown by set completion"
        )


def _translate(targets: Sequence[Sentence], opts: TranslateTestOptions) -> list[str | None]:
    from projner.translate import get_translator
    from projner.translate.cache import CachedTranslator
    from projner.translate.text import detokenize

    if not opts.translator:
        raise ValueError("give either translations or a translator name")
    translator = CachedTranslator(get_translator(opts.translator, **opts.translator_kwargs))
    texts = [detokenize(t.tokens, opts.from_lang) for t in targets]
    out = translator.translate(texts, opts.from_lang, opts.to_lang)
    return [o if o and o.strip() else None for o in out]


def build_source_side(
    translations: Sequence[str | None], opts: TranslateTestOptions
) -> tuple[list[int], list[list[str]], list[list[Span]]]:
    """Tokenize and tag the English side; returns (covered indices, words, spans restricted to labels)."""
    from projner.tag import get_tagger
    from projner.translate.text import tokenize
    from projner.utils.cache import cached_map

    covered = [i for i, t in enumerate(translations) if t and t.strip()]
    words = [tokenize(translations[i] or "", opts.to_lang) for i in covered]
    tagger = get_tagger(opts.tagger)
    params = tagger.params() if hasattr(tagger, "params") else {}
    spans = cached_map(
        tagger.tag,
        words,
        stage="tag",
        params={"tagger": opts.tagger, "params": params},
        chunk_size=256,
        description=f"tag ({opts.tagger})",
    )
    return covered, words, [map_spans(s, keep=opts.labels) for s in spans]


_EXTRA_MEMO: dict[tuple[object, ...], list[tuple[list[str], list[str]]]] = {}
"""Tokenized extra parallel text of this process, so that the shards of an ``--engine`` run (which all train on
it) tokenize it once per worker process instead of once per shard."""


def _extra_key(specs: Sequence[str], lang: str, english: str) -> tuple[object, ...]:
    """What the tokenized extra text depends on: the specs, the languages and the files' sizes and times."""
    from projner.utils.paths import data_root

    stamps: list[object] = []
    for spec in specs:
        paths = [Path(p) for p in spec.partition(",")[::2]] if "," in spec else []
        for path in paths:
            st = path.stat() if path.is_file() else None
            stamps.append((str(path), st.st_size, st.st_mtime_ns) if st else (str(path), None))
    return (tuple(specs), lang, english, str(data_root()), tuple(stamps))


def read_extra_parallel(
    specs: Sequence[str], lang: str, english: str = "en"
) -> list[tuple[list[str], list[str]]]:
    """Tokenized (English, target) pairs of extra parallel text: dataset names with English first
    (``mafand-mt:en-luo:train``; without the split, ``mafand-mt:en-luo``, every split) or ``EN_FILE,TARGET_FILE``
    pairs of raw text files. Empty lines on either side are skipped; files of different lengths are an error
    naming them. The result is remembered for the process (keyed by the files' sizes and times): callers must not
    change it."""
    key = _extra_key(specs, lang, english)
    if key not in _EXTRA_MEMO:
        _EXTRA_MEMO.clear()  # one set at a time: it can be large
        _EXTRA_MEMO[key] = _read_extra_parallel(specs, lang, english)
    return list(_EXTRA_MEMO[key])


def _read_extra_parallel(
    specs: Sequence[str], lang: str, english: str = "en"
) -> list[tuple[list[str], list[str]]]:
    from projner.data.registry import read_parallel
    from projner.translate.text import tokenize

    out: list[tuple[list[str], list[str]]] = []
    for spec in specs:
        if "," in spec:
            en_file, _, tgt_file = spec.partition(",")
            lines: Iterable[tuple[str, str]] = _file_pairs(Path(en_file), Path(tgt_file))
        elif spec.count(":") == 1:  # no split given: every split the dataset has
            lines = itertools.chain.from_iterable(read_parallel(s) for s in parallel_splits(spec))
        else:
            lines = read_parallel(spec)
        for en, tgt in lines:
            words_en, words_tgt = tokenize(en, english), tokenize(tgt, lang)
            if words_en and words_tgt:
                out.append((words_en, words_tgt))
    return out


def parallel_splits(spec: str) -> list[str]:
    """``mafand-mt:en-luo`` → the names of its splits whose files exist (train, dev, test); none is an error."""
    from projner.data.registry import parallel_files, parse

    info = parse(f"{spec}:train").info  # an unknown dataset or pair fails here, with its own message
    found = []
    for split in info.splits:
        try:
            parallel_files(f"{spec}:{split}")
        except InputError:  # a split whose files this copy of the data does not have
            continue
        found.append(f"{spec}:{split}")
    if not found:
        raise InputError(f"{spec}: none of the splits {', '.join(info.splits)} was found in the data folder")
    return found


def _file_pairs(a: Path, b: Path) -> Iterator[tuple[str, str]]:
    for p in (a, b):
        if not p.is_file():
            raise InputError("extra parallel file not found", str(p))
    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        for n, (x, y) in enumerate(itertools.zip_longest(fa, fb), 1):
            if x is None or y is None:
                raise InputError(f"{a} and {b} differ in length (line {n})", str(a if x is None else b), n)
            yield x.rstrip("\n"), y.rstrip("\n")


def align_and_project(examples: list[ParallelExample], opts: TranslateTestOptions) -> list[ParallelExample]:
    """Align every example (source = English words) and project; failures stay marked in ``meta``."""
    from projner.align import DEFAULT_ALIGNER, get_aligner
    from projner.project import get_projector

    aligner = get_aligner(opts.aligner or DEFAULT_ALIGNER, **opts.aligner_kwargs)
    if opts.extra_parallel:
        extra = read_extra_parallel(opts.extra_parallel, opts.from_lang, opts.to_lang)
        fit = getattr(aligner, "fit", None)
        try:
            if fit is None:
                raise TypeError(aligner.name)
            fit(extra)  # a fill without a trainable member raises TypeError
        except TypeError:
            raise InputError(
                f"aligner {aligner.name!r} does not train on extra parallel text; "
                "use a trainable one such as eflomal or e5-inter-eflomal"
            ) from None
    pairs = [(e.source.tokens, e.target.tokens) for e in examples]
    for ex, ali in zip(examples, aligner.align(pairs), strict=True):
        ex.alignment = ali
    projector = get_projector(opts.projector or TRANSLATE_TEST_PROJECTOR, **opts.projector_kwargs)
    return list(projector.project_batch(examples, on_error="report"))


def check_runs(runs: Sequence[tuple[int, int]], translations: Sequence[str | None]) -> dict[int, int]:
    """``start -> stop`` of valid runs: in range, at least two sentences, not overlapping, the translation at
    ``start`` and none at the other sentences of the run (a :class:`ValueError` says which run is wrong)."""
    out: dict[int, int] = {}
    last = 0
    for start, stop in sorted(runs):
        if not 0 <= start < stop - 1 < len(translations) or start < last:
            raise ValueError(f"bad run {start}..{stop} (overlapping, shorter than 2 or out of range)")
        if not (translations[start] and str(translations[start]).strip()):
            raise ValueError(f"run {start}..{stop} has no translation at its first sentence")
        if any(t and t.strip() for t in translations[start + 1 : stop]):
            raise ValueError(f"run {start}..{stop}: only its first sentence may carry the translation")
        out[start] = stop
        last = stop
    return out


def split_run_spans(spans: Sequence[Span], lengths: Sequence[int]) -> list[list[Span]]:
    """Spans over concatenated sentences of ``lengths`` tokens, cut back per sentence (a span crossing a
    sentence end is split in two: an entity never continues across a sentence boundary in the output)."""
    out: list[list[Span]] = [[] for _ in lengths]
    offset = 0
    for k, n in enumerate(lengths):
        for sp in spans:
            lo, hi = max(sp.start, offset), min(sp.end, offset + n)
            if lo < hi:
                out[k].append(Span(lo - offset, hi - offset, sp.label, sp.score))
        offset += n
    return out


def translate_test(
    targets: Sequence[Sentence],
    opts: TranslateTestOptions,
    translations: Sequence[str | None] | None = None,
    runs: Sequence[tuple[int, int]] = (),
) -> TranslateTestOutput:
    """Run the whole translate-test pipeline on ``targets`` (their own tags, if any, are ignored).

    ``runs`` lists ``(start, stop)`` ranges of consecutive target sentences that one translation covers (given at
    ``translations[start]``; the others of the run are empty): a human translation of a paragraph line that the
    target corpus split into several sentences (:func:`projner.data.registry.masakhaner2_mafand_runs`). Such a run
    is aligned and projected as one target sequence, then cut back into its sentences.
    """
    if translations is None:
        translations = _translate(targets, opts)
    elif len(translations) != len(targets):
        raise ValueError(f"{len(translations)} translations for {len(targets)} target sentences")
    translations = list(translations)
    run_stop = check_runs(runs, translations)
    covered, words, spans = build_source_side(translations, opts)
    examples = [
        ParallelExample(
            source=Sentence(w, lang=opts.to_lang),
            target=_run_target(targets, i, run_stop.get(i, i + 1)),
            source_spans=s,
            meta={"index": i},
        )
        for i, w, s in zip(covered, words, spans, strict=True)
    ]
    examples = align_and_project(examples, opts)
    projected: dict[int, list[Span]] = {}
    failed: list[tuple[int, str]] = []
    for ex in examples:
        i = int(ex.meta["index"])  # type: ignore[call-overload]
        stop = run_stop.get(i, i + 1)
        if "projection_error" in ex.meta:
            failed.extend((k, str(ex.meta["projection_error"])) for k in range(i, stop))
        parts = split_run_spans(ex.target_spans or [], [len(targets[k].tokens) for k in range(i, stop)])
        for k, part in zip(range(i, stop), parts, strict=True):
            projected[k] = part
    if opts.trim_lowercase:
        projected = {i: trim_lowercase_prefix(targets[i].tokens, sp) for i, sp in projected.items()}
    final = [projected.get(i, []) for i in range(len(targets))]
    changes = completed = 0
    failed_at = {i for i, _ in failed}
    observed = [i in projected and i not in failed_at for i in range(len(targets))]
    if opts.target_consistency:
        final = target_consistency(
            [t.tokens for t in targets], final, observed, **opts.target_consistency_kwargs
        )
        changes = sum(len(set(new) - set(projected.get(i, []))) for i, new in enumerate(final))
    if opts.set_completion:
        from projner.project.set_completion import complete_from_set

        before = final
        final = complete_from_set([t.tokens for t in targets], before, observed=observed)
        completed = sum(len(set(new) - set(old)) for old, new in zip(before, final, strict=True))
    sentences = [
        Sentence(list(t.tokens), spans_to_tags(final[i], len(t.tokens)), id=t.id, lang=t.lang)
        for i, t in enumerate(targets)
    ]
    in_run = {k for start, stop in run_stop.items() for k in range(start, stop)}
    missing = [i for i, t in enumerate(translations) if not (t and t.strip()) and i not in in_run]
    return TranslateTestOutput(
        sentences, examples, missing, failed, translations, changes, completed, sorted(run_stop.items())
    )


@dataclass(frozen=True)
class RunMember:
    """What a sharded run needs to know about a sentence of a run (:func:`translate_test`'s ``runs``), carried
    with the sentence's record so that every shard can rebuild the whole run by itself.

    Why in the record: the engines cut the input into shards of a fixed number of sentences, and a run may cross
    a shard boundary. Each shard that holds a member re-projects the run (runs are short and rare: 2-4 sentences,
    2-9 % of a MasakhaNER2 split) and keeps its own sentences; projection is per run, so the result is the same.
    """

    start: int
    """Global index of the run's first sentence (the run's identity)."""
    position: int
    """This sentence's position in the run."""
    tokens: tuple[tuple[str, ...], ...]
    """The tokens of every sentence of the run, in order."""
    translation: str
    """The run's one translation."""


def run_members(
    runs: Sequence[tuple[int, int]],
    translations: Sequence[str | None],
    tokens: Sequence[Sequence[str]] | Mapping[int, Sequence[str]],
) -> dict[int, RunMember]:
    """Sentence index → its :class:`RunMember`, for every sentence of every (checked) run. ``tokens`` is indexed
    by sentence; a mapping that holds only the sentences inside runs will do."""
    out: dict[int, RunMember] = {}
    for start, stop in check_runs(runs, translations).items():
        toks = tuple(tuple(tokens[k]) for k in range(start, stop))
        for k in range(start, stop):
            out[k] = RunMember(start, k - start, toks, str(translations[start]))
    return out


def expand_run_records(
    records: Sequence[tuple[Sentence, str | None, RunMember | None]],
) -> tuple[list[Sentence], list[str | None], list[tuple[int, int]], list[int]]:
    """Records of one shard → ``(targets, translations, runs, own)`` for :func:`translate_test`.

    A run member pulls in the whole run (once per shard, whatever its members in the shard); the other sentences
    stay as they are. ``own[k]`` is the position of record ``k``'s sentence in ``targets``.
    """
    targets: list[Sentence] = []
    translations: list[str | None] = []
    runs: list[tuple[int, int]] = []
    own: list[int] = []
    placed: dict[int, int] = {}  # run start (global) -> its first position in ``targets``
    for target, translation, member in records:
        if member is None:
            own.append(len(targets))
            targets.append(target)
            translations.append(translation)
            continue
        if tuple(target.tokens) != member.tokens[member.position]:
            raise ValueError(f"run member {member.start}+{member.position} does not match its sentence")
        if member.start not in placed:
            at = placed[member.start] = len(targets)
            for k, toks in enumerate(member.tokens):
                targets.append(Sentence(list(toks), lang=target.lang))
                translations.append(member.translation if k == 0 else None)
            runs.append((at, at + len(member.tokens)))
        own.append(placed[member.start] + member.position)
        targets[own[-1]] = target
    return targets, translations, runs, own


def _run_target(targets: Sequence[Sentence], start: int, stop: int) -> Sentence:
    """``targets[start]`` itself, or the concatenation of ``targets[start:stop]`` (tokens only) for a run."""
    if stop == start + 1:
        return targets[start]
    first = targets[start]
    tokens = [tok for k in range(start, stop) for tok in targets[k].tokens]
    return Sentence(tokens, id=first.id, lang=first.lang)


def trim_lowercase_prefix(tokens: Sequence[str], spans: Sequence[Span]) -> list[Span]:
    """Spans without their leading lower-case words, when the span holds a capitalised word.

    Why: an English name phrase often aligns to target words around the name that the target's guidelines leave
    out: "Gulu district" → "disitulikiti y'e Gulu", "Obama's song" → "ngombo ya Baraka Obama" (MasakhaNER tags
    only "Gulu" and "Baraka Obama"). Where names are capitalised, a name does not start with a lower-case word
    (the exceptions, such as "bugwanjuba bwa Uganda", are rarer). Spans without a capitalised word are left as
    they are. Chosen on the MasakhaNER2 dev splits (docs/benchmarks.md, "Session 5"); trimming the
    trailing lower-case words as well was worse there.
    """
    out: list[Span] = []
    for sp in spans:
        start = sp.start
        if any(t[:1].isupper() for t in tokens[sp.start : sp.end]):
            while start < sp.end and tokens[start][:1].islower():
                start += 1
        out.append(sp if start == sp.start else Span(start, sp.end, sp.label, sp.score))
    return out


def target_consistency(
    tokens: Sequence[Sequence[str]],
    spans: Sequence[Sequence[Span]],
    observed: Sequence[bool] | None = None,
    **overrides: Any,
) -> list[list[Span]]:
    """Projected target spans made consistent over the set (:data:`TARGET_CONSISTENCY`, ``overrides`` win).

    ``observed[i]`` is False for a sentence that had no translation (or whose projection failed): it gives no
    evidence, since nothing could be projected onto it, but receives propagated spans like any other.
    """
    from projner.tag.consistency import make_consistent

    settings = {**TARGET_CONSISTENCY, **overrides}
    return make_consistent(tokens, spans, observed=observed, **settings)


def read_translation_file(path: str, n_expected: int) -> list[str | None]:
    """One untokenized English sentence per line, line i for target sentence i, an empty line where none exists."""
    from projner.core.types import InputError

    with open(path, encoding="utf-8-sig") as fh:
        lines = [line.rstrip("\r\n") for line in fh]
    if len(lines) != n_expected:
        raise InputError(f"has {len(lines)} lines but the target has {n_expected} sentences", path)
    return [line if line.strip() else None for line in lines]
