"""Projection benchmark: gold source entities projected onto human translations (method.md §2.4, §7.3).

Europarl-NER en→de/es/it and UNER-PUD en→de/pt/zh (zh paired with en through the derived zh→en table).
For every aligner × projector: seqeval (default mode) micro P/R/F1 of the projected target tags against the
target's gold tags, plus projector throughput (sentences/second, one core, alignments precomputed).

Alignments are cached under ``cache_dir("bench", "projection")`` keyed by aligner and input, so re-runs only
re-project. Usage::

    .venv/bin/python benchmarks/projection.py                         # everything (aligns on first run)
    .venv/bin/python benchmarks/projection.py --align-only            # fill the alignment cache
    .venv/bin/python benchmarks/projection.py --datasets uner-pud:de,uner-pud:pt --aligners e5-itermax
    .venv/bin/python benchmarks/projection.py --write docs/benchmarks/projection.md
    .venv/bin/python benchmarks/projection.py --aligners e5-inter,e5-inter-lex --aligner-arg lexicon=freedict:{lang}
    .venv/bin/python benchmarks/projection.py --datasets uner-pud:de,uner-pud:pt --aligners e5-itermax,e5-inter \
        --projectors minmax,default,greedy-nerext --confidence "" --compare-to e5-itermax/minmax   # paired ΔF1 + CI
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from projner import io  # noqa: E402
from projner.cli.options import parse_key_values  # noqa: E402
from projner.core.tags import spans_to_tags  # noqa: E402
from projner.core.types import Alignment, ParallelExample, Sentence  # noqa: E402
from projner.evaluate.metrics import Scorer, paired_bootstrap  # noqa: E402
from projner.project import get_projector  # noqa: E402
from projner.project.base import Projector  # noqa: E402
from projner.project.matching import NAME_SHAPE_RULES  # noqa: E402
from projner.project.pipeline import (  # noqa: E402
    BASE_PROJECTOR_PARAMS,
    DEFAULT_PROJECTOR,
    DEFAULT_PROJECTOR_PARAMS,
    NAME_PROJECTOR_PARAMS,
)
from projner.project.set_completion import complete_examples  # noqa: E402
from projner.utils.cache import StageCache, fingerprint  # noqa: E402
from projner.utils.paths import data_root  # noqa: E402

EUROPARL = ["europarl-ner:de", "europarl-ner:es", "europarl-ner:it"]
UNER = ["uner-pud:de", "uner-pud:pt", "uner-pud:zh"]
ALIGNERS = ["e5-itermax", "e5-inter", "eflomal"]

# Paper figures (method.md §7.3, [CSV-E], mBERT aligners): F1 of A-s2t (heuristic) and C-ng (greedy n-grams).
PAPER = {
    "heuristic/sim": {"de": 80.1, "es": 90.7, "it": 87.0},
    "heuristic/aw": {"de": 81.9, "es": 90.3, "it": 87.3},
    "greedy/sim": {"de": 89.8, "es": 89.2, "it": 87.8},
    "greedy/aw": {"de": 92.0, "es": 88.6, "it": 87.2},
}


@dataclass
class Corpus:
    name: str  # e.g. europarl-ner:de
    sources: list[Sentence]
    targets: list[Sentence]


def load_corpus(spec: str) -> Corpus:
    name, lang = spec.split(":")
    src = list(io.read(f"{name}:en"))
    tgt = list(io.read(f"{name}:{lang}"))
    if name == "uner-pud" and lang == "zh":
        from projner.data.registry import uner_zh_to_en

        src = [src[i] for i in uner_zh_to_en()]
    if len(src) != len(tgt):
        raise SystemExit(f"{spec}: {len(src)} source vs {len(tgt)} target sentences")
    return Corpus(spec, src, tgt)


ALIGNER_ARGS: dict[str, Any] = {}  # --aligner-arg KEY=VALUE; "{lang}" in a value is the target language


def aligner_kwargs(aligner: str, lang: str) -> dict[str, Any]:
    """The --aligner-arg values for this target language, for the aligners that take them (lexicon fills)."""
    if not (aligner == "lexicon" or aligner.endswith("-lex") or aligner == "fill"):
        return {}
    return {k: v.replace("{lang}", lang) if isinstance(v, str) else v for k, v in ALIGNER_ARGS.items()}


def alignments_for(corpus: Corpus, aligner: str) -> list[Alignment]:
    """Alignments of the corpus with ``aligner``, cached (a trained aligner like eflomal is fit on the corpus)."""
    from projner.align import get_aligner

    cache = StageCache("bench-projection")
    pairs = [(s.tokens, t.tokens) for s, t in zip(corpus.sources, corpus.targets, strict=True)]
    kwargs = aligner_kwargs(aligner, corpus.name.split(":")[1])
    al = get_aligner(aligner, cache=False, **kwargs)
    # the key holds the aligner's parameters: a changed default (or a lexicon's source_id) is a new entry
    key = fingerprint("align", aligner, corpus.name, pairs, kwargs, al.params())
    stored = cache.get(key)
    if stored is None:
        t0 = time.perf_counter()
        result = list(al.align(pairs))
        dt = time.perf_counter() - t0
        print(f"  aligned {corpus.name} with {aligner}: {len(pairs)} pairs in {dt:.0f}s", file=sys.stderr)
        cache.put(key, {"pairs": [a.pairs.copy() for a in result], "seconds": dt})
        stored = cache.get(key)
    return [Alignment(np.asarray(p, dtype=np.int64).reshape(-1, 2)) for p in stored["pairs"]]


def examples(
    corpus: Corpus, alis: list[Alignment], extra: list[list[Alignment]] | None = None
) -> list[ParallelExample]:
    out = []
    for i, (s, t, a) in enumerate(zip(corpus.sources, corpus.targets, alis, strict=True)):
        meta: dict[str, object] = {}
        if extra:
            meta["alignments"] = [e[i] for e in extra]
        out.append(ParallelExample(source=s, target=t, source_spans=s.spans, alignment=a, meta=meta))
    return out


def scorer_of(exs: list[ParallelExample], min_conf: float | None = None) -> Scorer:
    """The per-sentence scorer of the projected examples, optionally only those with confidence ≥ min_conf."""
    sc = Scorer()
    for ex in exs:
        if min_conf is not None and (ex.confidence is None or ex.confidence < min_conf):
            continue
        assert ex.target.tags is not None
        sc.add(ex.target.tags, spans_to_tags(ex.target_spans or [], len(ex.target.tokens)))
    return sc


def percent(sc: Scorer) -> tuple[float, float, float, int]:
    """seqeval-default micro P/R/F1 (percent) of a scorer and its number of sentences."""
    r = sc.result()
    return 100 * r.precision, 100 * r.recall, 100 * r.f1, len(sc.tp)


def score(exs: list[ParallelExample], min_conf: float | None = None) -> tuple[float, float, float, int]:
    """seqeval-default micro P/R/F1 (percent) over examples, optionally only those with confidence ≥ min_conf."""
    return percent(scorer_of(exs, min_conf))


def run_projector(
    proj: Projector, exs: list[ParallelExample], set_completion: bool = False
) -> tuple[list[ParallelExample], float, int]:
    """Project every example (fresh copies), returning them, sentences per CPU-second and the failure count.

    ``set_completion``: then run the set-level pass of ``projner project``'s default over all of them (timed
    with the projector)."""
    copies = [
        ParallelExample(e.source, e.target, e.source_spans, e.alignment, meta=dict(e.meta)) for e in exs
    ]
    w0, t0 = time.perf_counter(), time.process_time()  # CPU time: robust on a shared machine
    batch = proj.project_batch(copies, on_error="report")
    done = list(batch)
    if set_completion:
        complete_examples(done)
    dt = time.process_time() - t0
    WALL[id(proj)] = len(done) / (time.perf_counter() - w0)
    return done, len(done) / dt, batch.stats.failed


WALL: dict[int, float] = {}  # projector id → wall-clock sentences/second of its last run

# the session-12 name-shape rules switched off (greedy-nerext as it was up to session 11)
NO_RULES = {k: [] if isinstance(v, list) else False for k, v in NAME_SHAPE_RULES.items()}

# name → (factory, then the set-level completion pass over the corpus)
PROJECTORS: dict[str, tuple[Callable[[], Projector], bool]] = {
    "minmax": (lambda: get_projector("minmax"), False),
    # what `projner project` does without --projector (session 12): the default projector (with the lower-case
    # filter) + set completion
    "default": (lambda: get_projector(DEFAULT_PROJECTOR, **DEFAULT_PROJECTOR_PARAMS), True),
    # the default of sessions 10-11: no lower-case filter, no set completion
    "default-s10": (lambda: get_projector(DEFAULT_PROJECTOR, **NAME_PROJECTOR_PARAMS), False),
    # session 12 steps one at a time
    "default-s10+set": (lambda: get_projector(DEFAULT_PROJECTOR, **NAME_PROJECTOR_PARAMS), True),
    "default-noset": (lambda: get_projector(DEFAULT_PROJECTOR, **DEFAULT_PROJECTOR_PARAMS), False),
    # the default up to session 8 (without name completion)
    "default-s8": (lambda: get_projector(DEFAULT_PROJECTOR, **BASE_PROJECTOR_PARAMS), False),
    # the default of session 9 (name completion, candidates up to 10 words)
    "default-s9": (
        lambda: get_projector(DEFAULT_PROJECTOR, **{**NAME_PROJECTOR_PARAMS, "max_len": 10}),
        False,
    ),
    "heuristic": (lambda: get_projector("heuristic"), False),
    "greedy-inf": (lambda: get_projector("greedy"), False),
    "greedy-10": (lambda: get_projector("greedy", max_len=10), False),
    "exact-10": (lambda: get_projector("exact", max_len=10), False),
    "exact-10-ilp": (lambda: get_projector("exact", max_len=10, shortcut=False), False),
    "fusion-10": (lambda: get_projector("fusion", matching={"max_len": 10}), False),
    # fusion over the default matching settings (M=20, name completion): bonus for heuristic agreement / agreement only
    "fusion": (lambda: get_projector("fusion", matching=dict(NAME_PROJECTOR_PARAMS)), False),
    "fusion-agree": (
        lambda: get_projector("fusion", mode="agree", matching=dict(NAME_PROJECTOR_PARAMS)),
        False,
    ),
    # needs target NER spans (--target-tagger, default news): the default + the target-NER boundary bonus, with
    # set completion as `projner project --projector greedy-nerext --set-completion`
    "greedy-nerext": (lambda: get_projector("greedy-nerext"), True),
    # greedy-nerext up to session 11: without the session-12 rules and set completion
    "greedy-nerext-s10": (lambda: get_projector("greedy-nerext", **NO_RULES), False),
}


def target_spans_for(corpus: Corpus, tagger: str) -> list[list[Any]]:
    """Spans of ``tagger`` on the target sentences, cached like the alignments (keyed by the model card)."""
    from projner.tag import get_tagger

    stamp = ""
    if tagger == "news" or tagger.startswith("en-ner"):
        from projner.tag.en_ner import en_ner_dir

        card = en_ner_dir(tagger.split(":")[-1] if ":" in tagger else "news") / "projner_model.json"
        stamp = card.read_text() if card.is_file() else ""
    cache = StageCache("bench-projection")
    key = fingerprint("target-ner", tagger, stamp, corpus.name, [t.tokens for t in corpus.targets])
    stored = cache.get(key)
    if stored is None:
        t0 = time.perf_counter()
        spans = get_tagger(tagger).tag([t.tokens for t in corpus.targets])
        dt = time.perf_counter() - t0
        print(
            f"  tagged {corpus.name} targets with {tagger}: {len(spans)} sentences in {dt:.0f}s",
            file=sys.stderr,
        )
        cache.put(key, {"spans": spans, "seconds": dt})
        stored = cache.get(key)
    return stored["spans"]  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=",".join(EUROPARL + UNER))
    ap.add_argument("--aligners", default=",".join(ALIGNERS))
    ap.add_argument("--projectors", default=",".join(PROJECTORS))
    ap.add_argument(
        "--combine", default="", help="aligner list combined by mean links, e.g. e5-itermax+eflomal"
    )
    ap.add_argument("--align-only", action="store_true")
    ap.add_argument(
        "--confidence", default="default,fusion-10", help="projectors whose confidence filter is reported"
    )
    ap.add_argument("--write", default=None, help="append the markdown tables to this file")
    ap.add_argument(
        "--target-tagger",
        default="news",
        help="tagger run on the targets for projectors that need target spans",
    )
    ap.add_argument(
        "--compare-to",
        default="",
        help="ALIGNER/PROJECTOR (e.g. e5-inter/default): also print every other setting's F1 difference to it on "
        "the same dataset, with a paired sentence-bootstrap 95%% CI (1000 resamples)",
    )
    ap.add_argument(
        "--aligner-arg",
        action="append",
        default=[],
        help="KEY=VALUE for the lexicon aligners (lexicon, fill, *-lex); {lang} is replaced by the target "
        "language, e.g. lexicon=freedict:{lang}",
    )
    args = ap.parse_args(argv)
    ALIGNER_ARGS.update(parse_key_values(args.aligner_arg, "--aligner-arg"))

    if data_root() is None:
        print("data folder not found (set PROJNER_DATA); nothing to benchmark", file=sys.stderr)
        return 0
    datasets = [d for d in args.datasets.split(",") if d]
    aligners = [a for a in args.aligners.split(",") if a]
    projectors = [p for p in args.projectors.split(",") if p]
    combos = [c.split("+") for c in args.combine.split(",") if c]

    rows: list[dict[str, Any]] = []
    conf_rows: list[str] = []
    cmp_rows: list[str] = []
    for spec in datasets:
        corpus = load_corpus(spec)
        ali_sets = {
            a: alignments_for(corpus, a) for a in sorted({*aligners, *(x for c in combos for x in c)})
        }
        if args.align_only:
            continue
        settings: list[tuple[str, list[Alignment], list[list[Alignment]] | None]] = [
            (a, ali_sets[a], None) for a in aligners
        ]
        for combo in combos:
            settings.append(("+".join(combo), ali_sets[combo[0]], [ali_sets[a] for a in combo]))
        target_ner = None
        if any(getattr(PROJECTORS[p][0](), "needs_target_spans", False) for p in projectors):
            target_ner = target_spans_for(corpus, args.target_tagger)
        scorers: dict[str, Scorer] = {}
        for ali_name, alis, extra in settings:
            exs = examples(corpus, alis, extra)
            if target_ner is not None:
                for ex, spans in zip(exs, target_ner, strict=True):
                    ex.meta["candidates"] = spans
            for pname in projectors:
                factory, completes = PROJECTORS[pname]
                proj = factory()
                if extra is not None and hasattr(proj, "links"):
                    proj.links = "mean"
                if extra is not None and hasattr(proj, "matching"):
                    proj.matching.links = "mean"
                done, sps, failed = run_projector(proj, exs, completes)
                sc = scorers[f"{ali_name}/{pname}"] = scorer_of(done)
                p, r, f, _ = percent(sc)
                rows.append(
                    {"data": spec, "aligner": ali_name, "projector": pname, "P": p, "R": r, "F1": f,
                     "sps": sps, "failed": failed}
                )  # fmt: skip
                print(f"{spec:16s} {ali_name:22s} {pname:22s} P {p:5.1f} R {r:5.1f} F1 {f:5.1f}  {sps:8.0f} sent/s"
                      + (f"  FAILED {failed}" if failed else ""))  # fmt: skip
                if pname in args.confidence.split(","):
                    for thr in (0.5, 0.7, 0.9):
                        cp, cr, cf, n = score(done, thr)
                        conf_rows.append(
                            f"| {spec} | {ali_name} | {pname} | {thr} | {n}/{len(done)} | {cp:.1f} | {cr:.1f} | "
                            f"{cf:.1f} | {f:.1f} |"
                        )
        cmp_rows += paired_rows(spec, scorers, args.compare_to)
    if args.align_only:
        return 0
    md = render(rows, conf_rows, cmp_rows, args.compare_to)
    print(md)
    if args.write:
        with open(args.write, "a", encoding="utf-8") as fh:
            fh.write(md + "\n")
    return 0


def paired_rows(spec: str, scorers: dict[str, Scorer], ref: str) -> list[str]:
    """Markdown rows: each setting's F1 minus the reference setting's, paired bootstrap CI over sentences."""
    if not ref:
        return []
    if ref not in scorers:
        raise SystemExit(f"--compare-to {ref}: not among the settings run ({', '.join(scorers)})")
    out = []
    for name, sc in scorers.items():
        if name != ref:
            c = paired_bootstrap(sc, scorers[ref], n_resamples=1000)
            out.append(
                f"| {spec} | {name} | {100 * c.delta:+.2f} | [{100 * c.ci[0]:+.2f}, {100 * c.ci[1]:+.2f}] | "
                f"{100 * c.share_better:.0f} % |"
            )
    return out


def render(
    rows: list[dict[str, Any]], conf_rows: list[str], cmp_rows: Sequence[str] = (), compare_to: str = ""
) -> str:
    out = [
        "| data | aligner | projector | P | R | F1 | sent/s | failed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['data']} | {r['aligner']} | {r['projector']} | {r['P']:.1f} | {r['R']:.1f} | {r['F1']:.1f} | "
            f"{r['sps']:.0f} | {r['failed']} |"
        )
    # Europarl averages per aligner × projector
    avg: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        if r["data"].startswith("europarl"):
            avg.setdefault((r["aligner"], r["projector"]), []).append(r["F1"])
    if avg:
        out += ["", "Europarl-NER average F1 (de, es, it):", "", "| aligner | projector | avg F1 | per language |",
                "|---|---|---|---|"]  # fmt: skip
        for (a, p), fs in avg.items():
            out.append(f"| {a} | {p} | {np.mean(fs):.1f} | {' / '.join(f'{x:.1f}' for x in fs)} |")
    # The paper's figures beside ours (Europarl-NER F1; paper: mBERT SimAlign-itermax / awesome-align)
    f1 = {(r["data"], r["aligner"], r["projector"]): r["F1"] for r in rows}
    langs = ["de", "es", "it"]
    ours = sorted(
        {
            (a, p)
            for (d, a, p) in f1
            if d.startswith("europarl") and p in ("heuristic", "greedy-inf", "greedy-10")
        }
    )
    if ours:
        out += ["", "Paper (method.md §7.3, [CSV-E]) vs ours, Europarl-NER F1:", "",
                "| method | aligner | de | es | it | avg |", "|---|---|---|---|---|---|"]  # fmt: skip
        for key, vals in PAPER.items():
            meth, al = key.split("/")
            al_name = {"sim": "paper: mBERT SimAlign itermax", "aw": "paper: mBERT awesome-align"}[al]
            v = [vals[x] for x in langs]
            out.append(
                f"| {meth} | {al_name} | " + " | ".join(f"{x:.1f}" for x in v) + f" | {np.mean(v):.1f} |"
            )
        for a, p in ours:
            v = [f1.get((f"europarl-ner:{x}", a, p)) for x in langs]
            if all(x is not None for x in v):
                out.append(
                    f"| {p} | ours: {a} | " + " | ".join(f"{x:.1f}" for x in v) + f" | {np.mean(v):.1f} |"
                )
    # UNER-PUD: gain over the plain min-max projection with SimAlign-itermax alignments
    base = {d: f1.get((d, "e5-itermax", "minmax")) for d in UNER}
    if any(base.values()):
        out += ["", "UNER-PUD: F1 and gain over min-max projection with e5-itermax alignments:", "",
                "| data | baseline (e5-itermax, minmax) | aligner | projector | F1 | gain |", "|---|---|---|---|---|---|"]  # fmt: skip
        for (d, a, p), v in f1.items():
            if d in base and base[d] is not None and p != "minmax":
                out.append(f"| {d} | {base[d]:.1f} | {a} | {p} | {v:.1f} | {v - base[d]:+.1f} |")
    if cmp_rows:
        out += ["", f"F1 difference to {compare_to} on the same sentences (paired sentence bootstrap, 1000 resamples):",
                "", "| data | setting | ΔF1 | 95 % CI | resamples where better |", "|---|---|---|---|---|",
                *cmp_rows]  # fmt: skip
    if conf_rows:
        out += ["", "Confidence filter (keep sentences with confidence ≥ threshold):", "",
                "| data | aligner | projector | threshold | kept | P | R | F1 kept | F1 all |",
                "|---|---|---|---|---|---|---|---|---|", *conf_rows]  # fmt: skip
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
