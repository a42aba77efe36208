"""translate-test on real data with the offline defaults (issue "pipeline", item 5).

* MasakhaNER2 test, lug/luo/pcm/tsn/twi, with the **human** English translations of MAFAND-MT
  (sentences without one are scored as all-O and counted), DATE ignored as in the paper;
* Europarl-NER es with **real MT**: Apertium es→en, English tagger, align, project back onto the Spanish tokens,
  PER/ORG/LOC against the Spanish gold (MISC ignored: the tagger's MISC is dropped before projection).

Prints a Markdown table; the paper's MT-based figures (method.md §7.1, A-s2t-aw / C-ng-aw, best of them) beside.

    .venv/bin/python benchmarks/translate_test.py [--langs lug luo ...] [--no-europarl] [--bootstrap 1000]
    .venv/bin/python benchmarks/translate_test.py --tagger news              # the English news tagger (best)
    .venv/bin/python benchmarks/translate_test.py --tagger spacy-news --projector greedy
    .venv/bin/python benchmarks/translate_test.py --no-europarl --langs lug twi luo tsn \
        --tagger-for lug=news:news-multi-no-lug-twi twi=news:news-multi-no-lug-twi \
        luo=news:news-multi-no-luo-tsn tsn=news:news-multi-no-luo-tsn   # held-out multi-language news models
    .venv/bin/python benchmarks/translate_test.py --split dev --no-target-consistency ...   # selection runs
    .venv/bin/python benchmarks/translate_test.py --tc-no-initial ...   # no propagation onto sentence-initial words
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from projner.data.registry import masakhaner2_mafand_translations, masakhaner2_to_mafand
from projner.evaluate import evaluate_sentences
from projner.io import read
from projner.pipeline.translate_test import TranslateTestOptions, translate_test
from projner.utils.paths import data_root

PAPER_BEST = {
    "lug": 82.7,
    "luo": 75.1,
    "tsn": 82.2,
    "twi": 74.6,
}  # best MT-based projection F1 (method.md §7.1)

IN_LANGUAGE = {"news": {"pcm"}, "consistent:en-ner:news": {"pcm"}}
"""Taggers whose training data comes from a MasakhaNER2 train split: their row of that language is not zero-shot."""


def in_language(tagger: str, lang: str) -> bool:
    """Whether ``tagger`` was trained on data built from ``lang``'s MasakhaNER2 train split."""
    from projner.tag.en_ner_data import ENGLISH_PAIRED, parse_multi_name

    recipe = tagger.split(":")[-1]
    exclude = parse_multi_name(recipe)
    if exclude is not None:
        return lang in ENGLISH_PAIRED and lang not in exclude
    return lang in IN_LANGUAGE.get(tagger, set())


def run(
    target: str,
    lang: str,
    translations: list[str | None] | None,
    translator: str | None,
    ignore: list[str],
    bootstrap: int,
    tagger: str | None = None,
    projector: str | None = None,
    target_consistency: bool = True,
    runs: list[tuple[int, int]] | None = None,
    tc_kwargs: dict[str, object] | None = None,
    aligner: str | None = None,
    extra_parallel: tuple[str, ...] = (),
    predictions: Path | None = None,
    set_completion: bool = True,
) -> tuple[str, ...]:
    from projner.pipeline.translate_test import TRANSLATE_TEST_PROJECTOR

    targets = list(read(target))
    start = time.perf_counter()
    opts = TranslateTestOptions(
        from_lang=lang,
        translator=translator,
        projector=projector,
        target_consistency=target_consistency,
        target_consistency_kwargs=dict(tc_kwargs or {}),
        aligner=aligner,
        extra_parallel=extra_parallel,
        set_completion=set_completion,
    )
    if tagger:
        opts.tagger = tagger
    out = translate_test(targets, opts, translations=translations, runs=runs or ())
    seconds = time.perf_counter() - start
    if predictions is not None:
        from projner import io

        predictions.mkdir(parents=True, exist_ok=True)
        io.write(out.sentences, predictions / f"{target.replace(':', '-')}.conll", format="conll")
    res = evaluate_sentences(targets, out.sentences, ignore=ignore, bootstrap=bootstrap)
    covered = [i for i in range(len(targets)) if i not in set(out.missing)]
    res_cov = evaluate_sentences(
        [targets[i] for i in covered], [out.sentences[i] for i in covered], ignore=ignore
    )
    ci = res.ci.get("f1")
    ci_s = f"[{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]" if ci else ""
    paper = PAPER_BEST.get(lang)
    return (
        target,
        translator or "human (MAFAND)",
        opts.tagger + (" ¹" if in_language(opts.tagger, lang) else ""),
        (opts.projector or TRANSLATE_TEST_PROJECTOR)
        + (" + tc" if target_consistency else "")
        + (" (no initial)" if target_consistency and tc_kwargs else "")
        + (" + sc" if set_completion else ""),
        f"{len(targets) - len(out.missing)}/{len(targets)}",
        f"{100 * res.precision:.1f}",
        f"{100 * res.recall:.1f}",
        f"{100 * res.f1:.1f}",
        ci_s,
        f"{100 * res_cov.f1:.1f}",
        f"{paper:.1f}" if paper else "–",
        f"{seconds:.0f}",
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", nargs="*", default=["lug", "luo", "pcm", "tsn", "twi"])
    ap.add_argument("--no-europarl", action="store_true")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument(
        "--tagger", default=None, help="English tagger (default: the pipeline default, spacy-news)"
    )
    ap.add_argument(
        "--tagger-for",
        nargs="*",
        default=[],
        metavar="LANG=TAGGER",
        help="per-language tagger overriding --tagger (e.g. a news-multi model that left LANG out)",
    )
    ap.add_argument(
        "--projector", default=None, help="projector (default: the translate-test default, heuristic-words)"
    )
    ap.add_argument("--split", default="test", help="MasakhaNER2 split (dev for selection runs)")
    ap.add_argument(
        "--no-runs",
        action="store_true",
        help="one-to-one MAFAND mapping only: no translation for sentences that MasakhaNER2 split off a MAFAND line",
    )
    ap.add_argument(
        "--no-target-consistency",
        action="store_true",
        help="switch off the target-side consistency pass ('+ tc' in the projector column)",
    )
    ap.add_argument(
        "--no-set-completion",
        action="store_true",
        help="switch off set completion after the consistency pass ('+ sc' in the projector column)",
    )
    ap.add_argument(
        "--tc-no-initial",
        action="store_true",
        help="target consistency never propagates onto a sentence-initial word (propagate_initial=False)",
    )
    ap.add_argument(
        "--aligner",
        default=None,
        help="aligner (default: the pipeline default, projner.align.DEFAULT_ALIGNER)",
    )
    ap.add_argument(
        "--extra-parallel",
        choices=["mafand"],
        default=None,
        help="train a trainable aligner (e5-inter-eflomal, eflomal) also on every MAFAND split of the pair",
    )
    ap.add_argument(
        "--write-predictions",
        type=Path,
        default=None,
        metavar="DIR",
        help="write each target's projected CoNLL here (for `projner evaluate GOLD PRED --compare BASE`)",
    )
    args = ap.parse_args()
    tc_kwargs: dict[str, object] = {"propagate_initial": False} if args.tc_no_initial else {}
    tagger_for = dict(a.split("=", 1) for a in args.tagger_for)
    tc = not args.no_target_consistency
    if data_root() is None:
        print("skipped: dataset folder not found (set PROJNER_DATA)")
        return 0
    rows = []
    for lang in args.langs:
        if args.no_runs:
            translations, runs = masakhaner2_to_mafand(lang, args.split), []
        else:
            translations, runs = masakhaner2_mafand_translations(lang, args.split)
        rows.append(
            run(
                f"masakhaner2:{lang}:{args.split}",
                lang,
                translations,
                None,
                ["DATE"],
                args.bootstrap,
                tagger_for.get(lang, args.tagger),
                args.projector,
                tc,
                runs,
                tc_kwargs,
                args.aligner,
                (f"mafand-mt:en-{lang}",) if args.extra_parallel == "mafand" else (),  # every split
                args.write_predictions,
                not args.no_set_completion,
            )
        )
        print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    if not args.no_europarl:
        if shutil.which("apertium") is None:
            print(
                "Europarl es with Apertium skipped: apertium not installed (scripts/setup-system.sh)",
                file=sys.stderr,
            )
        else:
            rows.append(
                run(
                    "europarl-ner:es",
                    "es",
                    None,
                    "apertium",
                    ["MISC"],
                    args.bootstrap,
                    args.tagger,
                    args.projector,
                    tc,
                    None,
                    tc_kwargs,
                    set_completion=not args.no_set_completion,
                )
            )
    header = (
        "target",
        "translation",
        "tagger",
        "projector",
        "translated",
        "P",
        "R",
        "F1",
        "F1 95% CI",
        "F1 translated only",
        "paper (MT) F1",
        "seconds",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if any("¹" in r[2] for r in rows):
        print(
            "\n¹ the tagger was trained on data built from this language's MasakhaNER2 *train* split (in-language)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
