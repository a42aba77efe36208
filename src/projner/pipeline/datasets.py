"""Ready-made projection problems built from the local datasets.

* :func:`gold_parallel` — *isolated projection* (method.md §2.4): gold English entities and a human translation
  (Europarl-NER de/es/it, UNER-PUD de/pt/zh). Only alignment and projection are tested.
* :func:`masakhaner_translate_test` — translate-test on MasakhaNER2 with the **human** English translation that
  MAFAND-MT holds for lug/luo/pcm/tsn/twi (offline-resources.md §0): English words from the Moses tokenizer,
  English entities from a source tagger, target = the gold-tagged African sentence.

Both return :class:`~projner.core.types.ParallelExample` lists whose ``target.tags`` hold the *gold* target
labels (the projector never reads them), so the same objects feed projection and evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from projner.core.tags import map_spans
from projner.core.types import InputError, ParallelExample, Sentence
from projner.utils.paths import data_root

CONLL_TYPES = ("PER", "ORG", "LOC")
MAFAND_ENGLISH = ("lug", "luo", "pcm", "tsn", "twi")
MAFAND_FRENCH = ("bam", "ewe", "mos", "wol", "bbj")

GOLD_PARALLEL = {
    "europarl-ner": (
        "europarl-ner/en-europarl.test.conll02",
        "europarl-ner/{lang}-europarl.test.conll02",
        ("de", "es", "it"),
    ),
    "uner-pud": ("uner-pud/en_pud-ud-test.iob2", "uner-pud/{lang}_pud-ud-test.iob2", ("de", "pt", "zh")),
}


def _root() -> Path:
    root = data_root(required=True)
    assert root is not None
    return root


def _read(path: Path) -> list[Sentence]:
    from projner.io import read

    if not path.exists():
        raise FileNotFoundError(f"dataset file not found: {path}")
    return list(read(path))


def gold_parallel(name: str, labels: Sequence[str] | None = None) -> list[ParallelExample]:
    """``"europarl-ner:de"``, ``"uner-pud:pt"``, ``"uner-pud:zh"`` → examples with gold source spans.

    ``labels`` restricts the source spans (and nothing else: evaluation decides what to ignore). Europarl keeps
    MISC, as the paper does.
    """
    dataset, _, lang = name.partition(":")
    if dataset not in GOLD_PARALLEL or not lang:
        known = ", ".join(f"{d}:{x}" for d, (_, _, langs) in GOLD_PARALLEL.items() for x in langs)
        raise ValueError(f"unknown gold-parallel set {name!r}; known: {known}")
    src_rel, tgt_rel, _ = GOLD_PARALLEL[dataset]
    root = _root()
    sources = _read(root / src_rel)
    targets = _read(root / tgt_rel.format(lang=lang))
    if dataset == "uner-pud" and lang == "zh":
        from projner.data.registry import uner_zh_to_en

        by_en = {en: zh for zh, en in enumerate(uner_zh_to_en())}
        targets = [targets[by_en[i]] for i in range(len(sources))]
    if len(sources) != len(targets):
        raise InputError(f"{name}: {len(sources)} English sentences but {len(targets)} target sentences")
    examples = []
    for i, (s, t) in enumerate(zip(sources, targets, strict=True)):
        spans = s.spans if labels is None else map_spans(s.spans, keep=labels)
        examples.append(
            ParallelExample(source=s, target=t, source_spans=spans, meta={"index": i, "dataset": name})
        )
    return examples


@dataclass
class TranslateTestSet:
    """A translate-test problem: examples for sentences with a translation, and the indices without one."""

    lang: str
    split: str
    examples: list[ParallelExample]
    targets: list[Sentence]
    missing: list[int] = field(default_factory=list)

    @property
    def coverage(self) -> str:
        n = len(self.targets)
        return f"{n - len(self.missing)}/{n}"


def masakhaner_translate_test(
    lang: str,
    split: str = "test",
    tagger: str = "spacy",
    labels: Sequence[str] = CONLL_TYPES,
) -> TranslateTestSet:
    """MasakhaNER2 ``lang``/``split`` with MAFAND human translations, tokenized and tagged (cached)."""
    from projner.data.registry import masakhaner2_to_mafand
    from projner.tag import get_tagger
    from projner.translate.text import tokenize
    from projner.utils.cache import cached_map

    root = _root()
    targets = _read(root / "masakhaner2" / lang / f"{split}.txt")
    translations = masakhaner2_to_mafand(lang, split)
    if not any(translations):
        raise InputError(f"no MAFAND translations for masakhaner2 {lang}/{split}")
    src_lang = "fr" if lang in MAFAND_FRENCH else "en"
    covered = [i for i, text in enumerate(translations) if text]
    words = [tokenize(translations[i] or "", src_lang) for i in covered]
    tag = get_tagger(tagger)
    spans = cached_map(
        lambda chunk: tag.tag(chunk),
        words,
        stage="tag",
        params={"tagger": tagger, "params": getattr(tag, "params", dict)()},
        chunk_size=256,
        description=f"tag {lang} ({tagger})",
    )
    examples = []
    for i, w, sp in zip(covered, words, spans, strict=True):
        source = Sentence(w, id=f"{lang}-{split}-{i}-src", lang=src_lang)
        examples.append(
            ParallelExample(
                source=source,
                target=targets[i],
                source_spans=map_spans(sp, keep=labels),
                meta={"index": i, "dataset": f"masakhaner2:{lang}:{split}"},
            )
        )
    missing = [i for i, text in enumerate(translations) if not text]
    return TranslateTestSet(lang=lang, split=split, examples=examples, targets=targets, missing=missing)
