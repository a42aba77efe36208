"""Glue from files to projected sentences: Pharaoh reading, label filtering, example building, defaults.

Kept apart from the CLI so that benchmarks, the README demo and other stages can run the same steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from projner.core.tags import spans_to_tags
from projner.core.types import Alignment, InputError, ParallelExample, Sentence, Span
from projner.project.matching import NAME_SHAPE_RULES

LabelFilter = Literal["before", "after"]

DEFAULT_PROJECTOR = "greedy"
"""Offline default projector: n-gram candidates (max 20 tokens since session 10) × Dice × the paper's greedy matching.

Chosen on UNER-PUD en→de/pt (only ``max_len`` on the first half of Europarl-NER, see below).
``unaligned_weight=0.5``: target words aligned to nothing count half in the Dice denominator, so a reordered name
with function words inside ("Estados Miembros de la UE") is not cut short — +0.8 F1 on UNER pt, ±0 on de;
0.4–0.6 tied, 0.5 is the middle of that plateau. Other variants we tried there (heuristic settings, fusion, exact, coverage score,
punctuation trimming, score thresholds) were within ±0.2 F1 of plain greedy. See docs/benchmarks/projection.md."""
BASE_PROJECTOR_PARAMS: dict[str, Any] = {"max_len": 10, "unaligned_weight": 0.5}
"""The default projector's parameters up to session 8 (the aligner study's fixed reference)."""
NAME_PROJECTOR_PARAMS: dict[str, Any] = {**BASE_PROJECTOR_PARAMS, "max_len": 20, "extend_names": True}
"""The default projector's parameters of sessions 10–11 (the benchmark's ``default-s10``).

``extend_names`` (session 9): projected names grow over adjacent capitalised words that no link reaches
("Unito" → "Regno Unito"); +0.29 / +0.74 F1 on UNER-PUD de/pt (:mod:`projner.project.completion`).

``max_len=20`` (session 10): a candidate of at most 10 words can never match a longer name, and parliamentary
committee and report titles are longer in Romance languages ("commissione per l'industria, il commercio estero,
la ricerca e l'energia", 15 words). UNER-PUD has no name over 10 words (identical F1); on the first half of
Europarl-NER, the extra selection set of session 10: de +0.28, es +0.55, it +0.55; 20 and 40 tie. Candidates
stay inside each entity's linked window, so speed is unchanged."""
DEFAULT_PROJECTOR_PARAMS: dict[str, Any] = {**NAME_PROJECTOR_PARAMS, **NAME_SHAPE_RULES}
"""The offline default: :data:`NAME_PROJECTOR_PARAMS` + three session-12 rules, each measured on the selection data
(first half of Europarl-NER, UNER-PUD de/pt; docs/benchmarks/projection.md, "Session 12"):

``drop_lowercase``: one-word PER/ORG/LOC projections onto a lower-case word are dropped
(:func:`projner.project.completion.drop_lowercase_words`). With set completion after it: de +0.8, es +0.5,
it +1.2, UNER de +0.3, pt +0.7. Dropping them inside the matching instead (the entity then takes its next
candidate) was worse on all five.

``split_places``: a source LOC entity with commas ("Denver , Colorado") is projected as its parts
(:func:`projner.project.completion.split_place_lists`): UNER de +0.8, pt +0.7; Europarl has no such entity.

``strip_articles``: a leading lower-case English article leaves the source entity before projection ("the
Netherlands" → "Holanda", not "a Holanda"; :func:`projner.project.completion.strip_leading_articles`): UNER de
+0.3, pt +0.3, Europarl es first half +0.3, nothing lost. The source is English in the default pipelines; for
another source language pass its articles (``--param strip_articles=le,la,les``), or none (``strip_articles=``).

translate-train projects with these parameters too: on the MasakhaNER2 *train* splits (MAFAND English tagged by
``news-agree``, projected onto the gold tokens) the projected labels agree better with the gold train tags than
with :data:`NAME_PROJECTOR_PARAMS`: lug 77.69 -> 79.03, tsn 66.29 -> 67.70 F1. Set completion is not applied
there (+0.04 / +0.07)."""


def read_pharaoh(path: str | Path, reverse: bool = False) -> Iterator[Alignment]:
    """One :class:`Alignment` per line of a Pharaoh file (``i-j`` with ``i`` on the source side unless
    ``reverse``); an empty line is a sentence without links. Bad items raise :class:`InputError` with the line."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            try:
                yield Alignment.from_pharaoh(line.strip(), reverse=reverse)
            except ValueError as exc:
                raise InputError(str(exc), str(path), lineno) from exc


def keep_labels(spans: Iterable[Span], labels: Sequence[str] | None) -> list[Span]:
    """Spans whose label is in ``labels`` (all when ``labels`` is None)."""
    if labels is None:
        return list(spans)
    allowed = set(labels)
    return [s for s in spans if s.label in allowed]


def build_examples(
    sources: Iterable[Sentence],
    targets: Iterable[Sentence],
    alignments: Iterable[Alignment],
    labels: Sequence[str] | None = None,
    label_filter: LabelFilter = "before",
    source_path: str | None = None,
    target_path: str | None = None,
) -> Iterator[ParallelExample]:
    """Zip sources, targets and alignments into examples; counts must agree (else :class:`InputError`).

    ``label_filter="before"`` drops source entities outside ``labels`` before projection, so e.g. MISC can
    never occlude a kept entity; ``"after"`` is the paper's behaviour (project every entity, drop the
    labels at write time) — apply :func:`keep_labels` to the target spans afterwards.
    """
    s_it, t_it, a_it = iter(sources), iter(targets), iter(alignments)
    n = 0
    while True:
        src = next(s_it, None)
        tgt = next(t_it, None)
        if src is None or tgt is None:
            if src is not None or tgt is not None:
                longer, path = ("source", source_path) if src is not None else ("target", target_path)
                raise InputError(
                    f"the {longer} file has more sentences than the other ({n} read so far)", path
                )
            if next(a_it, None) is not None:
                raise InputError(f"more alignment lines than sentence pairs ({n})")
            return
        ali = next(a_it, None)
        if ali is None:
            raise InputError(f"alignments end after {n} sentences but the corpus has more")
        spans = src.spans
        if label_filter == "before":
            spans = keep_labels(spans, labels)
        yield ParallelExample(source=src, target=tgt, source_spans=spans, alignment=ali, meta={"index": n})
        n += 1


def projected_sentence(example: ParallelExample, labels: Sequence[str] | None = None) -> Sentence:
    """The target sentence with projected IOB2 tags (its own tags are ignored); ``labels`` filters last."""
    spans = keep_labels(example.target_spans or [], labels)
    tgt = example.target
    return Sentence(list(tgt.tokens), spans_to_tags(spans, len(tgt.tokens)), id=tgt.id, lang=tgt.lang)


CONFIDENCE_HEADER = "index\tconfidence\tsource_entities\ttarget_spans\n"
"""Header of ``projner project --confidence-out``: one row per sentence, in input order."""


def confidence_line(example: ParallelExample, offset: int = 0) -> str:
    """One ``--confidence-out`` row: sentence index (``offset`` + the example's index, for shards), the
    projector's confidence (``nan`` when it gives none), #source entities, #distinct projected spans."""
    conf = "nan" if example.confidence is None else f"{example.confidence:.4f}"
    index = offset + int(example.meta["index"])  # type: ignore[call-overload]
    n_proj = len(set(example.target_spans or []))
    return f"{index}\t{conf}\t{len(example.source_spans)}\t{n_proj}\n"
