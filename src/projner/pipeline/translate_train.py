"""translate-train (method.md §2.2, §3.12): build target-language NER training data from labelled English.

Projection as *data transfer*: the English side carries (gold or tagger) entities, the target side is its
translation — machine output, a human/parallel translation, or already-tokenized target sentences (MasakhaNER2
train tokens with their MAFAND English). Stages, each cached by fingerprint so a crash or a re-run recomputes only
what is missing:

1. **translate** the detokenized English into the target language (:class:`~projner.translate.cache.CachedTranslator`,
   chunk-cached), *or* take given translations (``None``/empty = no translation);
2. **tokenize** the translation (Moses rules, :func:`projner.translate.text.tokenize`);
3. **align** English words ↔ target words (the aligner's own :class:`~projner.align.base.CachedAligner`);
4. **project** the English entities onto the target words (:func:`projner.utils.cache.cached_map`, chunk-cached);
5. **filter** by per-sentence projection confidence and write.

With ``projector="markers"`` stages 2–4 are replaced by EasyProject marker transfer (:mod:`projner.markers`):
the English entities are wrapped in ``[ ]`` before translation and recovered from the output, so the translator
must keep the brackets (it needs a real translator, not given translations).

Nothing is dropped silently: every input sentence gets a :class:`SentenceRecord` saying whether it was kept and,
if not, why (no translation, projection failure, below the confidence threshold); entities that were not
projected in kept sentences are counted too, because they become false ``O`` labels in the training data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from projner.core.tags import map_spans, spans_to_tags
from projner.core.types import Alignment, ParallelExample, Sentence, Span

MARKERS = "markers"
"""Projector name selecting EasyProject marker transfer instead of alignment + projection."""

KEPT = "kept"
NO_TRANSLATION = "no_translation"
PROJECTION_FAILED = "projection_failed"
BELOW_CONFIDENCE = "below_confidence"
STATUSES = (KEPT, NO_TRANSLATION, PROJECTION_FAILED, BELOW_CONFIDENCE)


@dataclass
class TranslateTrainOptions:
    """Everything that changes the output of a translate-train run (also its cache identity)."""

    target_lang: str
    source_lang: str = "en"
    translator: str | None = None
    translator_kwargs: dict[str, Any] = field(default_factory=dict)
    aligner: str | None = None
    aligner_kwargs: dict[str, Any] = field(default_factory=dict)
    projector: str | None = None
    projector_kwargs: dict[str, Any] = field(default_factory=dict)
    labels: tuple[str, ...] | None = None
    """Source entity types to project (``None``: all). Filtered *before* projection, so e.g. MISC never
    occludes a kept entity."""
    min_confidence: float = 0.0
    """Keep a sentence only if its projection confidence is at least this (0 keeps every projected sentence)."""
    marker_threshold: float = 0.5

    @property
    def uses_markers(self) -> bool:
        return self.projector == MARKERS

    def projector_spec(self) -> tuple[str, dict[str, Any]]:
        """The projector's name and parameters: the offline default (with its parameters) when none is named,
        ``projector_kwargs`` on top."""
        from projner.project.pipeline import DEFAULT_PROJECTOR, DEFAULT_PROJECTOR_PARAMS

        if self.projector:
            return self.projector, dict(self.projector_kwargs)
        return DEFAULT_PROJECTOR, {**DEFAULT_PROJECTOR_PARAMS, **self.projector_kwargs}


@dataclass
class SentenceRecord:
    """What happened to one input sentence."""

    index: int
    status: str
    source_entities: int
    projected_entities: int = 0
    confidence: float | None = None
    message: str = ""


@dataclass
class TranslateTrainOutput:
    """Kept target sentences (projected IOB2 tags, ``meta["confidence"]``) and one record per input sentence."""

    sentences: list[Sentence]
    records: list[SentenceRecord]
    translations: list[str | None]

    def counts(self) -> dict[str, Any]:
        """Sentences and entities kept/dropped, by reason (JSON-able)."""
        by_status = Counter(r.status for r in self.records)
        ents: dict[str, int] = {s: 0 for s in STATUSES}
        for r in self.records:
            ents[r.status] += r.source_entities
        kept = [r for r in self.records if r.status == KEPT]
        projected = sum(r.projected_entities for r in kept)
        return {
            "sentences": {
                "input": len(self.records),
                **{s: by_status.get(s, 0) for s in STATUSES},
            },
            "source_entities": {
                "input": sum(r.source_entities for r in self.records),
                "in_kept_sentences": ents[KEPT],
                "projected_in_kept": projected,
                "not_projected_in_kept": ents[KEPT] - projected,
                "in_sentences_without_translation": ents[NO_TRANSLATION],
                "in_failed_projections": ents[PROJECTION_FAILED],
                "in_sentences_below_confidence": ents[BELOW_CONFIDENCE],
            },
        }

    def summary(self) -> str:
        c = self.counts()
        s, e = c["sentences"], c["source_entities"]
        return (
            f"{s['input']} sentences: {s[KEPT]} kept, {s[NO_TRANSLATION]} without translation, "
            f"{s[PROJECTION_FAILED]} projection failures, {s[BELOW_CONFIDENCE]} below confidence; "
            f"{e['input']} source entities: {e['projected_in_kept']} projected into kept sentences, "
            f"{e['not_projected_in_kept']} not projected (sentence kept), "
            f"{e['input'] - e['in_kept_sentences']} in dropped sentences"
        )


def source_spans_of(sentences: Sequence[Sentence], labels: Sequence[str] | None) -> list[list[Span]]:
    """Gold spans of labelled English sentences, restricted to ``labels`` (all when ``None``)."""
    return [list(s.spans) if labels is None else map_spans(s.spans, keep=labels) for s in sentences]


def translate_sources(sources: Sequence[Sentence], opts: TranslateTrainOptions) -> list[str | None]:
    """Stage 1: detokenize and machine-translate the English sentences (chunk-cached, resumable)."""
    from projner.translate import CachedTranslator, detokenize, get_translator

    if not opts.translator:
        raise ValueError("give either translations or a translator name")
    translator = CachedTranslator(get_translator(opts.translator, **opts.translator_kwargs))
    try:
        texts = [detokenize(s.tokens, opts.source_lang) for s in sources]
        out = translator.translate(texts, opts.source_lang, opts.target_lang)
    finally:
        translator.close()
    return [o if o and o.strip() else None for o in out]


def _project_chunk(
    items: list[tuple[list[str], list[Span], list[str], list[list[int]]]], name: str, params: dict[str, Any]
) -> list[tuple[list[Span], float | None, str | None, int]]:
    """Project one chunk → ``(target spans, confidence, error, number of source entities projected)`` each.

    Uses :meth:`Projector.project_checked` (not ``project_batch``) to keep which source entity each span came
    from: a projector may split one entity into several spans, so spans are not entities.
    """
    from projner.project import get_projector, sentence_confidence

    projector = get_projector(name, **params)
    out: list[tuple[list[Span], float | None, str | None, int]] = []
    for src, spans, tgt, pairs in items:
        ex = ParallelExample(
            source=Sentence(src),
            target=Sentence(tgt),
            source_spans=spans,
            alignment=Alignment([(int(p[0]), int(p[1])) for p in pairs]),
        )
        try:
            links = projector.project_checked(ex)
        except Exception as exc:  # reported per sentence, never turned into a silent all-O sentence
            out.append(([], None, f"{type(exc).__name__}: {exc}", 0))
            continue
        conf = sentence_confidence(links, len(spans))
        out.append(([p.span for p in links], conf, None, len({p.source for p in links})))
    return out


def align_and_project(
    source_words: Sequence[Sequence[str]],
    source_spans: Sequence[Sequence[Span]],
    target_words: Sequence[Sequence[str]],
    opts: TranslateTrainOptions,
) -> list[tuple[list[Span], float | None, str | None, int]]:
    """Stages 3–4: align (cached) and project (chunk-cached) → ``(spans, confidence, error, n projected)``."""
    from projner.align import DEFAULT_ALIGNER, get_aligner
    from projner.utils.cache import cached_map

    if not source_words:
        return []
    aligner = get_aligner(opts.aligner or DEFAULT_ALIGNER, **opts.aligner_kwargs)
    pairs = [(list(s), list(t)) for s, t in zip(source_words, target_words, strict=True)]
    alignments = [a.pairs.tolist() for a in aligner.align(pairs)]
    name, params = opts.projector_spec()
    items = [
        (list(s), list(sp), list(t), a)
        for s, sp, t, a in zip(source_words, source_spans, target_words, alignments, strict=True)
    ]
    return cached_map(
        lambda chunk: _project_chunk(chunk, name, params),
        items,
        stage="translate-train-project",
        params={"projector": name, "params": params},
        chunk_size=256,
        description=f"project ({name})",
    )


def project_training_data(
    sources: Sequence[Sentence],
    source_spans: Sequence[Sequence[Span]],
    targets: Sequence[Sequence[str] | None],
    opts: TranslateTrainOptions,
    translations: Sequence[str | None] | None = None,
) -> TranslateTrainOutput:
    """Project ``source_spans`` (entities of ``sources``) onto tokenized ``targets`` and filter by confidence.

    ``targets[i]`` is the target-language word list for source ``i`` (``None``/empty: no translation). Target
    sentences inherit the source's ``id`` (or ``str(i)``) and get ``lang=opts.target_lang`` and
    ``meta["confidence"]``/``meta["source_index"]``.
    """
    if not (len(sources) == len(source_spans) == len(targets)):
        raise ValueError(f"{len(sources)} sources, {len(source_spans)} span lists, {len(targets)} targets")
    covered = [i for i, t in enumerate(targets) if t]
    results = align_and_project(
        [sources[i].tokens for i in covered],
        [source_spans[i] for i in covered],
        [list(targets[i] or []) for i in covered],
        opts,
    )
    by_index = dict(zip(covered, results, strict=True))
    records: list[SentenceRecord] = []
    kept: list[Sentence] = []
    for i, src in enumerate(sources):
        n_src = len(source_spans[i])
        if i not in by_index:
            records.append(SentenceRecord(i, NO_TRANSLATION, n_src))
            continue
        spans, conf, err, n_proj = by_index[i]
        words = list(targets[i] or [])
        rec = _decide(i, n_src, n_proj, conf, err, opts.min_confidence)
        records.append(rec)
        if rec.status == KEPT:
            kept.append(_target_sentence(src, i, words, spans, rec.confidence, opts))
    return TranslateTrainOutput(
        kept, records, list(translations) if translations is not None else [None] * len(sources)
    )


def _decide(
    i: int, n_src: int, projected: int, conf: float | None, err: str | None, min_conf: float
) -> SentenceRecord:
    if err is not None:
        return SentenceRecord(i, PROJECTION_FAILED, n_src, message=err)
    confidence = 1.0 if conf is None else float(conf)
    status = KEPT if confidence >= min_conf else BELOW_CONFIDENCE
    return SentenceRecord(i, status, n_src, projected, confidence)


def _target_sentence(
    src: Sentence,
    i: int,
    words: list[str],
    spans: Sequence[Span],
    conf: float | None,
    opts: TranslateTrainOptions,
) -> Sentence:
    return Sentence(
        words,
        spans_to_tags(sorted(spans), len(words)),
        id=src.id if src.id is not None else str(i),
        lang=opts.target_lang,
        meta={"confidence": conf, "source_index": i},
    )


def _marker_train(
    sources: Sequence[Sentence], source_spans: Sequence[Sequence[Span]], opts: TranslateTrainOptions
) -> TranslateTrainOutput:
    """EasyProject: translate marked English, recover the labelled target words from the brackets."""
    from projner.markers import marker_transfer
    from projner.translate import CachedTranslator, get_translator

    if not opts.translator:
        raise ValueError(
            "the marker projector needs a translator that keeps [ ] markers (not given translations)"
        )
    translator = CachedTranslator(get_translator(opts.translator, **opts.translator_kwargs))
    records: list[SentenceRecord] = []
    kept: list[Sentence] = []
    translations: list[str | None] = []
    try:
        results = marker_transfer(
            [(s.tokens, sp) for s, sp in zip(sources, source_spans, strict=True)],
            translator,
            opts.source_lang,
            opts.target_lang,
            threshold=opts.marker_threshold,
        )
    finally:
        translator.close()
    for i, (src, spans, res) in enumerate(zip(sources, source_spans, results, strict=True)):
        n_src = len(spans)
        translations.append(res.translation if res.translation.strip() else None)
        if not res.words:
            records.append(SentenceRecord(i, NO_TRANSLATION, n_src))
            continue
        matched = n_src - len(res.unused_entities)
        conf = matched / n_src if n_src else 1.0
        rec = _decide(i, n_src, matched, conf, None, opts.min_confidence)
        records.append(rec)
        if rec.status == KEPT:
            kept.append(_target_sentence(src, i, res.words, res.spans, conf, opts))
    return TranslateTrainOutput(kept, records, translations)


def translate_train(
    sources: Sequence[Sentence],
    opts: TranslateTrainOptions,
    translations: Sequence[str | None] | None = None,
    source_spans: Sequence[Sequence[Span]] | None = None,
) -> TranslateTrainOutput:
    """The whole pipeline on labelled English ``sources`` (their tags give the entities unless
    ``source_spans`` is given); ``translations[i]`` (untokenized target text, ``None`` if absent) replaces MT."""
    spans = (
        [list(s) for s in source_spans] if source_spans is not None else source_spans_of(sources, opts.labels)
    )
    if source_spans is not None and opts.labels is not None:
        spans = [map_spans(s, keep=opts.labels) for s in spans]
    if len(spans) != len(sources):
        raise ValueError(f"{len(spans)} span lists for {len(sources)} sentences")
    if opts.uses_markers:
        if translations is not None:
            raise ValueError(
                "the marker projector translates marked sentences itself; drop the given translations"
            )
        return _marker_train(sources, spans, opts)
    if translations is None:
        translations = translate_sources(sources, opts)
    elif len(translations) != len(sources):
        raise ValueError(f"{len(translations)} translations for {len(sources)} source sentences")
    from projner.translate import tokenize

    targets = [tokenize(t, opts.target_lang) if t and t.strip() else None for t in translations]
    return project_training_data(sources, spans, targets, opts, translations)


def read_translation_file(path: str, n_expected: int) -> list[str | None]:
    """One untokenized target-language sentence per line, line i for source sentence i, empty where none exists."""
    from projner.core.types import InputError

    try:
        with open(path, encoding="utf-8-sig") as fh:
            lines = [line.rstrip("\r\n") for line in fh]
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path) from None
    if len(lines) != n_expected:
        raise InputError(f"has {len(lines)} lines but the source has {n_expected} sentences", path)
    return [line if line.strip() else None for line in lines]


def write_training_set(out: TranslateTrainOutput, path: str, format: str = "conll") -> list[str]:
    """Write the kept sentences with their confidence; returns the paths written.

    * ``jsonl``: a ``confidence`` (and ``source_index``) field on every line;
    * ``hf``: ``confidence`` and ``source_index`` columns of the saved dataset;
    * ``conll``: the CoNLL file plus ``<path>.confidence.tsv`` (``sentence<TAB>id<TAB>source_index<TAB>confidence``,
      one line per written sentence, in file order), since CoNLL has no place for it.
    """
    from projner import io
    from projner.utils.atomic import atomic_dir, atomic_write_text

    sents = out.sentences
    if format == "jsonl":
        io.write(jsonl_rows(sents), path, format="jsonl")
        return [path]
    if format == "hf":
        from projner.io.hf import _quiet, to_dataset

        with _quiet():
            ds = to_dataset(sents) if sents else None
            if ds is None:
                from projner.core.types import ProjnerError

                raise ProjnerError("no sentence was kept; nothing to write")
            ds = ds.add_column("confidence", [_round(s.meta.get("confidence")) for s in sents])
            ds = ds.add_column("source_index", [int(s.meta.get("source_index", -1)) for s in sents])  # type: ignore[call-overload]
            with atomic_dir(path) as tmp:
                ds.save_to_disk(str(tmp))
        return [path]
    if format != "conll":
        raise ValueError(f"unsupported output format {format!r}; choose conll, jsonl or hf")
    io.write(sents, path, format="conll")
    side = f"{path}.confidence.tsv"
    lines = ["sentence\tid\tsource_index\tconfidence"] + [
        f"{k + 1}\t{s.id or ''}\t{s.meta.get('source_index')}\t{_round(s.meta.get('confidence'))}"
        for k, s in enumerate(sents)
    ]
    atomic_write_text(side, "\n".join(lines) + "\n")
    return [path, side]


def jsonl_rows(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences carrying ``confidence`` and ``source_index`` as extra JSONL fields (shared with the engines)."""
    return [
        Sentence(
            s.tokens,
            s.tags,
            id=s.id,
            lang=s.lang,
            meta={
                "extra": {
                    "confidence": _round(s.meta.get("confidence")),
                    "source_index": s.meta.get("source_index"),
                }
            },
        )
        for s in sentences
    ]


def _round(x: object) -> float | None:
    return None if x is None else round(float(x), 4)  # type: ignore[arg-type]
