"""Evaluation sets of the study and their noisy copies.

Evaluation examples come from :mod:`projner.pipeline.datasets` (gold-parallel Europarl-NER/PUD, MasakhaNER2
translate-test with the human MAFAND English). The noisy copy perturbs only the *source* side (word order, entity
spans moved as units; :mod:`projner.study.noise`), deterministically per sentence, so every cell sees the same noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projner.core.types import ParallelExample, Sentence
from projner.study.config import NoiseConfig, PairSpec
from projner.study.noise import local_shuffle


@dataclass
class EvalSet:
    pair: PairSpec
    examples: list[ParallelExample]
    noisy: list[ParallelExample]

    def source_texts(self) -> list[str]:
        return [" ".join(e.source.tokens) for e in self.examples]

    def target_texts(self) -> list[str]:
        return [" ".join(e.target.tokens) for e in self.examples]


def load_examples(spec: str) -> list[ParallelExample]:
    """``europarl-ner:de`` / ``uner-pud:de`` (gold parallel) or ``masakhaner2:<lang>`` (translate-test, covered sentences)."""
    from projner.pipeline.datasets import gold_parallel, masakhaner_translate_test

    kind, _, lang = spec.partition(":")
    if kind == "masakhaner2":
        return masakhaner_translate_test(lang, "test").examples
    return gold_parallel(spec)


def noisy_copy(examples: list[ParallelExample], noise: NoiseConfig) -> list[ParallelExample]:
    """Source-side local word-order noise; sentence ``i`` uses the seed ``(noise.seed, i)``."""
    out = []
    for i, ex in enumerate(examples):
        rng = np.random.default_rng([noise.seed, i])
        toks, spans, _ = local_shuffle(ex.source.tokens, ex.source_spans, rng, noise.window, noise.prob)
        src = Sentence(toks, id=ex.source.id, lang=ex.source.lang)
        out.append(ParallelExample(source=src, target=ex.target, source_spans=spans, meta=dict(ex.meta)))
    return out


def load_eval_set(pair: PairSpec, noise: NoiseConfig) -> EvalSet:
    examples = load_examples(pair.eval)
    return EvalSet(pair, examples, noisy_copy(examples, noise))
