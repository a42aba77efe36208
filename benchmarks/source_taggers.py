"""English source taggers for translate-test/translate-train: Europarl-NER en F1 and end-to-end translate-test F1.

    .venv/bin/python benchmarks/source_taggers.py                         # dev: lug, tsn (MAFAND human English)
    .venv/bin/python benchmarks/source_taggers.py --langs lug tsn --split dev --only spacy,ensemble

Every candidate is a combination (:func:`projner.tag.ensemble.combine`) of *base* taggers, so each base tagger
runs once per sentence set (its spans are cached under ``<cache>/benchmarks/source_taggers``). Measured:

* ``europarl``: seqeval F1 on ``europarl-ner:en`` gold, PER/ORG/LOC (MISC removed from gold and predictions).
  Europarl en is only *evaluated* on (it is the source side of the projection benchmark, never training data);
* ``<lang>``: translate-test F1 on MasakhaNER2 ``<lang>:<split>`` with MAFAND human English, default aligner and
  projector, DATE ignored — the pipeline of :func:`projner.pipeline.translate_test.translate_test`, with the
  alignment computed once and shared by all candidates.

Needs the data root (skips with a message when absent) and the ``en-ner-crf`` model for candidates that use it
(``python -m projner.tag.en_ner crf``).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("PROJNER_NO_PROGRESS", "1")

from projner.core.types import ParallelExample, Sentence, Span  # noqa: E402

KEEP = ("PER", "ORG", "LOC")
PROJECTOR: list[Any] = [None, {}]  # --projector NAME (default: translate-test's) and its parameters
CHUNK = 256  # translate-test tags in chunks of 256 sentences (projner.pipeline.translate_test)


HELD_OUT_MULTI = ("news-multi-no-lug-twi", "news-multi-no-luo-tsn")
"""Two-fold ``news-multi`` models: score lug/twi with the first, luo/tsn with the second (``--langs`` accordingly)."""


def base_taggers() -> dict[str, Callable[[], Any]]:
    """Base taggers by name (built lazily)."""
    from projner.tag import get_tagger

    return {
        "spacy": lambda: get_tagger("spacy"),
        "spacy-norp": lambda: get_tagger("ensemble", members=["spacy"], norp="LOC", vote=False),
        "crf": lambda: get_tagger("en-ner", recipe="crf"),
        "lex": lambda: get_tagger("en-lex"),
        "e5": lambda: get_tagger("en-ner", recipe="e5"),
        "news-en": lambda: get_tagger("en-ner", recipe="news-en"),
        "news": lambda: get_tagger("en-ner", recipe="news"),
        # session 4: news from several languages, each model leaving out the targets it is scored on
        **{r: (lambda r=r: get_tagger("en-ner", recipe=r)) for r in HELD_OUT_MULTI},
    }


# candidate name → (base members, combine kwargs). combine(): boundary member index, add_from, vote, weights.
CANDIDATES: dict[str, tuple[list[str], dict[str, Any]]] = {
    "spacy": (["spacy"], {"vote": False}),
    "spacy-norp": (["spacy-norp"], {"vote": False}),
    "crf": (["crf"], {"vote": False}),
    "lex": (["lex"], {"vote": False}),
    "spacy+crf-type": (["spacy", "crf"], {"weights": [1.0, 1.01]}),
    "spacy+crf-type+add": (["spacy", "crf"], {"weights": [1.0, 1.01], "add_from": [1]}),
    "crf+spacy-add": (["crf", "spacy"], {"vote": False, "add_from": [1]}),
    "spacy+lex-type": (["spacy", "lex"], {"weights": [1.0, 1.01]}),
    "spacy+crf+lex-vote": (["spacy", "crf", "lex"], {"weights": [1.0, 1.0, 1.0]}),
    "spacy+crf+lex-vote+add": (["spacy", "crf", "lex"], {"weights": [1.0, 1.0, 1.0], "add_from": [1]}),
    "spacy-norp+crf-type": (["spacy-norp", "crf"], {"weights": [1.0, 1.01]}),
    "spacy-norp+crf+lex-vote": (["spacy-norp", "crf", "lex"], {"weights": [1.0, 1.0, 1.0]}),
    "e5": (["e5"], {"vote": False}),
    "e5+consistent": (["e5"], {"vote": False, "consistent": {}}),
    "spacy+e5-type": (["spacy", "e5"], {"weights": [1.0, 1.01]}),
    "spacy+e5-type+consistent": (["spacy", "e5"], {"weights": [1.0, 1.01], "consistent": {}}),
    "spacy+e5-type+add+consistent": (
        ["spacy", "e5"],
        {"weights": [1.0, 1.01], "add_from": [1], "consistent": {}},
    ),
    "e5+spacy-type+consistent": (["e5", "spacy"], {"weights": [1.0, 1.01], "consistent": {}}),
    "e5+spacy-add+consistent": (["e5", "spacy"], {"vote": False, "add_from": [1], "consistent": {}}),
    "org2per-freq+consistent+e5-vote": (
        ["spacy", "e5"],
        {"weights": [1.0, 0.5], "org2per": True, "veto_frequent": True, "consistent": {}},
    ),
    "org2per-freq+consistent+e5-type": (
        ["spacy", "e5"],
        {"weights": [1.0, 1.01], "org2per": True, "veto_frequent": True, "consistent": {}},
    ),
    "org2per-freq+consistent+e5-type-keepmisc": (
        ["spacy", "e5"],
        {
            "weights": [1.0, 1.01],
            "keep_types": ["MISC"],
            "org2per": True,
            "veto_frequent": True,
            "consistent": {},
        },
    ),
    "org2per-freq+consistent+e5-tie": (
        ["spacy", "e5"],
        {"weights": [1.0, 1.0], "org2per": True, "veto_frequent": True, "consistent": {}},
    ),
    # session 3: e5-small on English news projected from MasakhaNER2 pcm gold (recipe "news-en"), and on that plus
    # the pcm gold sentences themselves (recipe "news", the tagger "news" = news+consistent)
    "news-en": (["news-en"], {"vote": False}),
    "news-en+consistent": (["news-en"], {"vote": False, "consistent": {}}),
    "news-en+spacy-add": (["news-en", "spacy"], {"vote": False, "add_from": [1]}),
    "news-en+spacy-type": (["news-en", "spacy"], {"weights": [1.0, 0.99]}),
    "spacy-news+news-en-type": (
        ["spacy", "news-en"],
        {
            "weights": [1.0, 1.01],
            "keep_types": ["MISC"],
            "org2per": True,
            "veto_frequent": True,
            "consistent": {},
        },
    ),
    "news-en+spacy-news-add": (
        ["news-en", "spacy"],
        {"vote": False, "add_from": [1], "org2per": True, "veto_frequent": True, "consistent": {}},
    ),
    "news+consistent": (["news"], {"vote": False, "consistent": {}}),
    "news-en+news+consistent": (["news-en", "news"], {"weights": [1.0, 1.01], "consistent": {}}),
    **{f"{r}+consistent": ([r], {"vote": False, "consistent": {}}) for r in HELD_OUT_MULTI},
    "consistent": (["spacy"], {"vote": False, "consistent": {}}),
    "org2per": (["spacy"], {"vote": False, "org2per": True}),
    "org2per-lex": (["spacy"], {"vote": False, "org2per": (2, 0.6)}),
    "org2per-lex1": (["spacy"], {"vote": False, "org2per": (1, 0.5)}),
    "org2per-lex1+consistent": (["spacy"], {"vote": False, "org2per": (1, 0.5), "consistent": {}}),
    "org2per-lex+consistent": (["spacy"], {"vote": False, "org2per": (2, 0.6), "consistent": {}}),
    "org2per-lex1-freq": (["spacy"], {"vote": False, "org2per": (1, 0.5), "veto_frequent": True}),
    "org2per-freq": (["spacy"], {"vote": False, "org2per": True, "veto_frequent": True}),
    "org2per-lex1-freq+consistent": (
        ["spacy"],
        {"vote": False, "org2per": (1, 0.5), "veto_frequent": True, "consistent": {}},
    ),
    "org2per-freq+consistent": (
        ["spacy"],
        {"vote": False, "org2per": True, "veto_frequent": True, "consistent": {}},
    ),
    "org2per-freq+consistent-r30": (
        ["spacy"],
        {"vote": False, "org2per": True, "veto_frequent": True, "consistent": {"min_tagged_ratio": 0.3}},
    ),
    "org2per-freq+consistent-r70": (
        ["spacy"],
        {"vote": False, "org2per": True, "veto_frequent": True, "consistent": {"min_tagged_ratio": 0.7}},
    ),
    "org2per-freq+consistent-v3": (
        ["spacy"],
        {"vote": False, "org2per": True, "veto_frequent": True, "consistent": {"min_votes": 3}},
    ),
    "norp+org2per-freq+consistent": (
        ["spacy-norp"],
        {"vote": False, "org2per": True, "veto_frequent": True, "consistent": {}},
    ),
    "org2per-freq+consistent+crf-vote": (
        ["spacy", "crf"],
        {"weights": [1.0, 0.5], "org2per": True, "veto_frequent": True, "consistent": {}},
    ),
    "org2per-freq+consistent+dropbare": (
        ["spacy"],
        {"vote": False, "org2per": True, "veto_frequent": True, "drop_bare": True, "consistent": {}},
    ),
    "org2per+consistent": (["spacy"], {"vote": False, "org2per": True, "consistent": {}}),
    "org2per+consistent-r70": (
        ["spacy"],
        {"vote": False, "org2per": True, "consistent": {"min_tagged_ratio": 0.7}},
    ),
    "consistent-retype": (["spacy"], {"vote": False, "consistent": {"propagate": False}}),
    "consistent-propagate": (["spacy"], {"vote": False, "consistent": {"retype": False}}),
    "consistent-nosurname": (["spacy"], {"vote": False, "consistent": {"surname": False}}),
    "consistent-v3": (["spacy"], {"vote": False, "consistent": {"min_votes": 3}}),
    "consistent-m60": (["spacy"], {"vote": False, "consistent": {"majority": 0.6}}),
    "consistent-r30": (["spacy"], {"vote": False, "consistent": {"min_tagged_ratio": 0.3}}),
    "consistent-r70": (["spacy"], {"vote": False, "consistent": {"min_tagged_ratio": 0.7}}),
}


def _cache_path(tag: str, base: str) -> Path:
    from projner.utils.paths import cache_dir

    return Path(cache_dir("benchmarks", "source_taggers")) / f"{tag}.{base}.pkl"


def run_base(
    base: str, words: Sequence[Sequence[str]], tag: str, builders: dict[str, Any], times: dict[str, float]
) -> list[list[Span]]:
    """Spans of base tagger ``base`` on ``words`` (cached on disk by set name + a fingerprint of the words)."""
    from projner.utils.cache import fingerprint

    path = _cache_path(tag, base)
    key = fingerprint(base, [list(w) for w in words], _model_stamp(base))
    if path.is_file():
        stored = pickle.loads(path.read_bytes())
        if stored.get("key") == key:
            return stored["spans"]  # type: ignore[no-any-return]
    if base not in builders:
        builders[base] = base_taggers()[base]()
    t0 = time.perf_counter()
    spans = builders[base].tag([list(w) for w in words])
    times[f"{base}@{tag}"] = time.perf_counter() - t0
    from projner.utils.atomic import atomic_open

    with atomic_open(path, "wb") as fh:
        pickle.dump({"key": key, "spans": spans}, fh)
    return spans


def _model_stamp(base: str) -> str:
    """Changes when the trained model behind a base tagger changes (so cached spans are not reused)."""
    from projner.tag.en_ner import en_ner_dir

    if base in ("crf", "e5") or base.startswith("news"):
        card = en_ner_dir(base) / "projner_model.json"
        return card.read_text() if card.is_file() else ""
    if base.startswith("spacy"):
        from projner.tag.spacy_tagger import TRIM_VERSION

        return f"trim{TRIM_VERSION}"
    if base == "lex":
        from projner.tag.lexicon import lexicon_path

        p = lexicon_path()
        return str(p.stat().st_mtime_ns) if p.is_file() else ""
    return ""


def candidate_spans(
    name: str, per_base: dict[str, list[list[Span]]], words: Sequence[Sequence[str]]
) -> list[list[Span]]:
    from projner.core.tags import map_spans
    from projner.tag.consistency import make_consistent
    from projner.tag.ensemble import combine

    bases, kw = CANDIDATES[name]
    n = len(words)
    weights = kw.get("weights", [1.0] * len(bases))
    out = [
        combine(
            [per_base[b][i] for b in bases],
            weights,
            boundary=0,
            add_from=kw.get("add_from", ()),
            vote=kw.get("vote", True),
            keep_types=kw.get("keep_types", ()),
        )
        for i in range(n)
    ]
    if kw.get("org2per"):
        from projner.tag.consistency import org_names_to_person, single_piece_words

        known = _known_types(kw["org2per"])
        freq = single_piece_words() if kw.get("veto_frequent") else None
        out = [org_names_to_person(w, sp, known, freq) for w, sp in zip(words, out, strict=True)]
    if kw.get(
        "drop_bare"
    ):  # experiment: bare organisation head nouns ("Parliament", "Government") are not names
        from projner.tag.consistency import ORG_WORDS

        out = [
            [x for x in sp if not (x.end - x.start == 1 and w[x.start].lower() in ORG_WORDS)]
            for w, sp in zip(words, out, strict=True)
        ]
    if "consistent" in kw:  # batch-level, in the chunks translate-test tags in
        for lo in range(0, n, CHUNK):
            out[lo : lo + CHUNK] = make_consistent(
                words[lo : lo + CHUNK], out[lo : lo + CHUNK], **kw["consistent"]
            )
    return [map_spans(s, keep=KEEP) for s in out]


def _known_types(spec: Any) -> dict[str, str] | None:
    """``org2per`` veto lexicon: True = none; (min_count, min_ratio) = the WikiANN en word-type lexicon."""
    if spec is True:
        return None
    from projner.tag import get_tagger

    return get_tagger("en-lex", min_count=spec[0], min_ratio=spec[1]).types  # type: ignore[attr-defined,no-any-return]


def europarl(words_only: bool = False) -> list[Sentence]:
    from projner.io import read_all
    from projner.utils.paths import data_root

    root = data_root(required=True)
    assert root is not None
    return read_all(root / "europarl-ner" / "en-europarl.test.conll02", format="conll02")


def score_tags(gold: Sequence[Sentence], spans: Sequence[Sequence[Span]]) -> tuple[float, float, float]:
    from projner.core.tags import map_tags, spans_to_tags
    from projner.evaluate import evaluate_tags

    g = [map_tags(s.tags or [], keep=list(KEEP)) for s in gold]
    p = [spans_to_tags(sp, len(s.tokens), "IOB2") for s, sp in zip(gold, spans, strict=True)]
    r = evaluate_tags(g, p)
    return r.precision, r.recall, r.f1


class TranslateTestSet:
    """One MasakhaNER2 split with MAFAND English: words once, alignment once, projection per candidate."""

    def __init__(self, lang: str, split: str) -> None:
        from projner.data.registry import masakhaner2_to_mafand
        from projner.io import read_all
        from projner.translate.text import tokenize

        self.lang, self.split = lang, split
        self.targets = read_all(f"masakhaner2:{lang}:{split}")
        self.translations = masakhaner2_to_mafand(lang, split)
        self.covered = [i for i, t in enumerate(self.translations) if t and t.strip()]
        self.words = [tokenize(self.translations[i] or "", "en") for i in self.covered]
        self._alignments: list[Any] | None = None

    def alignments(self) -> list[Any]:
        if self._alignments is None:
            from projner.align import DEFAULT_ALIGNER, get_aligner

            aligner = get_aligner(DEFAULT_ALIGNER)
            pairs = [(w, self.targets[i].tokens) for w, i in zip(self.words, self.covered, strict=True)]
            self._alignments = list(aligner.align(pairs))
        return self._alignments

    def evaluate(self, spans: Sequence[Sequence[Span]]) -> tuple[float, float, float]:
        from projner.core.tags import spans_to_tags
        from projner.evaluate import evaluate_sentences
        from projner.pipeline.translate_test import TRANSLATE_TEST_PROJECTOR
        from projner.project import get_projector

        examples = [
            ParallelExample(
                source=Sentence(w, lang="en"),
                target=self.targets[i],
                source_spans=list(s),
                alignment=a,
                meta={"index": i},
            )
            for i, w, s, a in zip(self.covered, self.words, spans, self.alignments(), strict=True)
        ]
        projector = get_projector(PROJECTOR[0] or TRANSLATE_TEST_PROJECTOR, **PROJECTOR[1])
        projected = {
            int(str(e.meta["index"])): list(e.target_spans or [])
            for e in projector.project_batch(examples, on_error="report")
        }
        pred = [
            Sentence(list(t.tokens), spans_to_tags(projected.get(i, []), len(t.tokens)))
            for i, t in enumerate(self.targets)
        ]
        r = evaluate_sentences(self.targets, pred, ignore=["DATE"])
        return r.precision, r.recall, r.f1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", nargs="*", default=["lug", "tsn"])
    ap.add_argument(
        "--split", default="dev", help="MasakhaNER2 split (choose on dev; test only once at the end)"
    )
    ap.add_argument("--only", default="", help="comma-separated candidate names (default: all)")
    ap.add_argument("--no-europarl", action="store_true")
    ap.add_argument(
        "--chunk",
        type=int,
        default=256,
        help="sentences per tag() call for batch consistency (pipeline: 256)",
    )
    ap.add_argument(
        "--projector",
        default=None,
        help="projector (default: translate-test's, heuristic; 'greedy' gives the session-1/2 tables' setting, "
        "which also used max_len 10 and unaligned weight 0.5)",
    )
    args = ap.parse_args(argv)
    if args.projector == "greedy":
        from projner.project.pipeline import DEFAULT_PROJECTOR_PARAMS

        PROJECTOR[:] = ["greedy", dict(DEFAULT_PROJECTOR_PARAMS)]
    elif args.projector:
        PROJECTOR[:] = [args.projector, {}]
    global CHUNK
    CHUNK = args.chunk

    from projner.utils.paths import data_root

    if data_root() is None:
        print(
            "data root not found (set PROJNER_DATA or put shared/data beside the repo); skipping",
            file=sys.stderr,
        )
        return 0
    names = [n for n in (args.only.split(",") if args.only else CANDIDATES) if n]
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown:
        ap.error(f"unknown candidates {unknown}; known: {', '.join(CANDIDATES)}")
    bases = sorted({b for n in names for b in CANDIDATES[n][0]})
    builders: dict[str, Any] = {}
    times: dict[str, float] = {}
    results: dict[str, dict[str, tuple[float, float, float]]] = {n: {} for n in names}
    columns: list[str] = []
    if not args.no_europarl:
        gold = europarl()
        words = [list(s.tokens) for s in gold]
        per_base = {b: run_base(b, words, "europarl-en", builders, times) for b in bases}
        for n in names:
            results[n]["europarl"] = score_tags(gold, candidate_spans(n, per_base, words))
        columns.append("europarl")
    for lang in args.langs:
        ds = TranslateTestSet(lang, args.split)
        per_base = {b: run_base(b, ds.words, f"{lang}-{args.split}", builders, times) for b in bases}
        words = ds.words  # type: ignore[assignment]
        for n in names:
            results[n][lang] = ds.evaluate(candidate_spans(n, per_base, ds.words))
        columns.append(lang)
        print(
            f"[{lang}:{args.split}] {len(ds.covered)}/{len(ds.targets)} sentences with English",
            file=sys.stderr,
        )

    head = "| candidate | " + " | ".join(f"{c} P / R / F1" for c in columns) + " |"
    print(head)
    print("|---|" + "---|" * len(columns))
    for n in names:
        cells = [" / ".join(f"{100 * x:.1f}" for x in results[n][c]) for c in columns]
        print(f"| `{n}` | " + " | ".join(cells) + " |")
    if times:
        print("\ntagging time (s): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(times.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
