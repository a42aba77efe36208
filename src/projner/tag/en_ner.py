"""Reproducible English source NER models trained from the data folder (the ``en-ner`` recipes).

The spaCy mirror (OntoNotes news) makes many *type* errors on African names in MAFAND English (Museveni → ORG,
Ugandan → ORG) and the paper's CoNLL-03 XLM-R tagger is not available offline. WikiANN en is silver Wikipedia NER
(PER/ORG/LOC) with many non-European names, and it is available offline, so we train our own model on it, once,
into the user cache. ``prepare_en_ner(name)`` returns the model directory, training it first when absent; a fresh
machine gets it with ``python -m projner.tag.en_ner [e5|crf|news]`` or ``projner models prepare en-ner-<recipe>``
(or implicitly on the first use of the tagger).

WikiANN sentences are title fragments, so its models over-tag running text. The ``news`` recipe trains on English
*news* labelled by projection from MasakhaNER2 Nigerian Pidgin gold (:mod:`projner.tag.en_ner_data`), which
follows the MasakhaNER guidelines that translate-test on African news is scored against.

The recipes are fixed (data, encoder, steps, seed), so the same command gives the same model; the model card records
the data fingerprints and the WikiANN licence note. The dev set is a fixed 1000-sentence prefix of the WikiANN en dev
split (evaluating all 10k sentences each epoch would cost minutes on 2 CPU cores).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projner.core.types import ProjnerError
from projner.tag.base import Tagger, register_tagger

EN_NER_LABELS = ["PER", "ORG", "LOC"]


@dataclass(frozen=True)
class EnNerRecipe:
    """How one English model is trained: encoder (or ``crf``), WikiANN split sizes and trainer settings."""

    name: str
    model: str
    dev_sentences: int = 1000
    train_sentences: int | None = None  # None: the whole train split (WikiANN en: 20k)
    settings: dict[str, Any] = field(default_factory=dict)
    data: str = "wikiann-en"
    """Training data (:func:`projner.tag.en_ner_data.load`): ``wikiann-en``, ``news-pcm-en``,
    ``news-pcm-en+pcm`` or ``news-multi[-no-<lang>...]``."""

    @property
    def dir_name(self) -> str:
        return f"en-ner-{self.name}"


def _news_recipe(name: str, data: str, epochs: int = 3) -> EnNerRecipe:
    """e5-small on English news projected from MasakhaNER2 gold (projner.tag.en_ner_data); dev: the first 500
    projected dev sentences (pcm's when pcm is in the data). ~0.65 s per step at 2 threads on an idle 2-core
    machine: 12 min for ``news-en`` (1,011 steps), ~25 min for ``news`` (2,073 steps)."""
    settings = {"epochs": epochs, "batch_size": 16, "lr": 1e-4, "seed": 42, "patience": 0, "threads": 2}
    return EnNerRecipe(name, "e5-small", dev_sentences=500, data=data, settings=settings)


def _multi_recipe(name: str) -> EnNerRecipe | None:
    """``news-multi`` and its held-out variants ``news-multi-no-<lang>[-<lang>…]``: news from every English-paired
    MasakhaNER2 language but the named ones (:func:`projner.tag.en_ner_data.news_multi`). Two epochs: the data is
    about 1.7-2.5 times ``news``'s, so the step count stays comparable (the two held-out variants of the benchmark:
    2,344 and 2,420 steps, 48-49 min each at load 2-3 on 2 cores; the full ``news-multi`` ~3,400 steps)."""
    from projner.tag.en_ner_data import ENGLISH_PAIRED, multi_name, parse_multi_name

    exclude = parse_multi_name(name)
    if exclude is None:
        return None
    unknown = sorted(set(exclude) - set(ENGLISH_PAIRED))
    if unknown or len(set(exclude)) != len(exclude) or set(exclude) == set(ENGLISH_PAIRED):
        raise ProjnerError(
            f"bad en-ner recipe {name!r}: news-multi-no-<lang>[-<lang>...] leaves out some of "
            f"{', '.join(ENGLISH_PAIRED)} (not all), each once"
        )
    canonical = multi_name(exclude)  # one model directory per set, whatever the order in the name
    return _news_recipe(canonical, canonical, epochs=2)


RECIPES: dict[str, EnNerRecipe] = {
    # Two epochs over 20k WikiANN sentences at batch 16 (2 x 1252 steps): about 0.5 s per step on one idle core,
    # ~25 minutes in all (docs/benchmarks/source_taggers.md). Under heavy load (15-19) a step took ~50 s.
    "e5": EnNerRecipe(
        "e5",
        "e5-small",
        settings={"epochs": 2, "batch_size": 16, "lr": 1e-4, "seed": 42, "patience": 0, "threads": 1},
    ),
    "crf": EnNerRecipe("crf", "crf", settings={"max_steps": 100, "seed": 42}),
    # English news in MasakhaNER conventions: 5,390 sentences projected from pcm gold (news-en), and those plus the
    # 5,646 pcm gold sentences themselves (news: better on every MasakhaNER2 dev set, docs/benchmarks/source_taggers.md)
    "news": _news_recipe("news", "news-pcm-en+pcm"),
    "news-en": _news_recipe("news-en", "news-pcm-en"),
    # News from all five English-paired languages (pcm, lug, luo, tsn, twi); for a target among them, the benchmark
    # uses the variant that leaves it out, e.g. news-multi-no-lug-twi (any such name is accepted, see _recipe).
    "news-multi": _news_recipe("news-multi", "news-multi", epochs=2),
}


def en_ner_dir(name: str = "e5") -> Path:
    """Where the model of recipe ``name`` lives (``<cache>/models/en-ner-<name>``); it may not exist yet."""
    from projner.utils.paths import cache_dir

    return Path(cache_dir("models")) / _recipe(name).dir_name


def _recipe(name: str) -> EnNerRecipe:
    if name in RECIPES:
        return RECIPES[name]
    multi = _multi_recipe(name)
    if multi is not None:
        return multi
    raise ProjnerError(
        f"unknown en-ner recipe {name!r}; choose one of {', '.join(sorted(RECIPES))} or news-multi-no-<lang>"
    )


def is_prepared(name: str = "e5") -> bool:
    from projner.ner.model import CARD_NAME

    return (en_ner_dir(name) / CARD_NAME).is_file()


def prepare_en_ner(name: str = "e5", force: bool = False, log: Callable[[str], None] | None = None) -> Path:
    """Train recipe ``name`` on its data into the cache unless it is already there; return the model dir.

    Needs the recipe's files under the data root (``$PROJNER_DATA`` or ``../shared/data``): WikiANN en, or for
    ``news`` MasakhaNER2 pcm + MAFAND-MT (:mod:`projner.tag.en_ner_data`); a missing file is a clear error, never
    a download.
    """
    from projner.ner import TrainConfig, train_model
    from projner.tag.en_ner_data import load

    recipe = _recipe(name)
    out = en_ner_dir(name)
    if is_prepared(name) and not force:
        return out
    say = log or (lambda m: print(m, file=sys.stderr))
    train_data = load(recipe.data, "train")
    dev_data = load(recipe.data, "dev")
    train = train_data.sentences
    if recipe.train_sentences is not None:
        train = train[: recipe.train_sentences]
    dev = dev_data.sentences[: recipe.dev_sentences]
    config = TrainConfig(model=recipe.model, labels=list(EN_NER_LABELS), **recipe.settings)
    config.extra["en_ner_recipe"] = recipe.name
    cost = "a few minutes" if config.is_crf else "10-40 minutes on 2 CPU cores"
    say(
        f"training en-ner recipe {recipe.name!r} ({recipe.model}) on {len(train)} {recipe.data} sentences → {out} "
        f"(once, then cached; {cost})"
    )
    train_model(
        train,
        out,
        config,
        dev=dev,
        train_source={**train_data.description, "sentences": len(train)},
        dev_source={**dev_data.description, "sentences": len(dev)},
        log=say,
    )
    return out


@register_tagger("en-ner")
def en_ner_tagger(recipe: str = "crf", model: str | None = None, threads: int | None = None) -> Tagger:
    """The English NER model of ``recipe`` (``en-ner`` = ``en-ner:crf``), trained into the cache on first use."""
    from projner.ner.model import NerModel

    name = model or recipe
    path = prepare_en_ner(name)
    tagger = NerModel.load(path, threads=threads)
    return tagger


def main(argv: list[str] | None = None) -> int:
    """``python -m projner.tag.en_ner [RECIPE ...] [--force]``: build the models (default: all recipes)."""
    args = list(sys.argv[1:] if argv is None else argv)
    force = "--force" in args
    names = [a for a in args if not a.startswith("--")] or sorted(RECIPES)
    for n in names:
        print(prepare_en_ner(n, force=force))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
