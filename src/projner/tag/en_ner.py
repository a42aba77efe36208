"""A reproducible English source NER model trained on WikiANN/PAN-X en (the ``en-ner`` recipes).

The spaCy mirror (OntoNotes news) makes many *type* errors on African names in MAFAND English (Museveni → ORG,
Ugandan → ORG) and the paper's CoNLL-03 XLM-R tagger is not available offline. WikiANN en is silver Wikipedia NER
(PER/ORG/LOC) with many non-European names, and it is available offline, so we train our own model on it, once,
into the user cache. ``prepare_en_ner(name)`` returns the model directory, training it first when absent; a fresh
machine gets it with ``python -m projner.tag.en_ner [e5|crf]`` (or implicitly on the first use of the tagger).

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
    train_sentences: int | None = None  # None: the whole WikiANN en train split (20k)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def dir_name(self) -> str:
        return f"en-ner-{self.name}"


RECIPES: dict[str, EnNerRecipe] = {
    # Two epochs over 20k WikiANN sentences at batch 16 (2 x 1252 steps): about 0.5 s per step on one idle core,
    # ~25 minutes in all (docs/benchmarks/source_taggers.md). Under heavy load (15-19) a step took ~50 s.
    "e5": EnNerRecipe(
        "e5",
        "e5-small",
        settings={"epochs": 2, "batch_size": 16, "lr": 1e-4, "seed": 42, "patience": 0, "threads": 1},
    ),
    "crf": EnNerRecipe("crf", "crf", settings={"max_steps": 100, "seed": 42}),
}


def en_ner_dir(name: str = "e5") -> Path:
    """Where the model of recipe ``name`` lives (``<cache>/models/en-ner-<name>``); it may not exist yet."""
    from projner.utils.paths import cache_dir

    return Path(cache_dir("models")) / _recipe(name).dir_name


def _recipe(name: str) -> EnNerRecipe:
    if name not in RECIPES:
        raise ProjnerError(f"unknown en-ner recipe {name!r}; choose one of {', '.join(sorted(RECIPES))}")
    return RECIPES[name]


def is_prepared(name: str = "e5") -> bool:
    from projner.ner.model import CARD_NAME

    return (en_ner_dir(name) / CARD_NAME).is_file()


def prepare_en_ner(name: str = "e5", force: bool = False, log: Callable[[str], None] | None = None) -> Path:
    """Train recipe ``name`` on WikiANN en into the cache unless it is already there; return the model dir.

    Needs the WikiANN en files under the data root (``$PROJNER_DATA`` or ``../shared/data``); a missing file is a
    clear error, never a download.
    """
    from projner.ner import TrainConfig, train_model
    from projner.ner.data import describe_file, read_sentences
    from projner.utils.paths import data_root

    recipe = _recipe(name)
    out = en_ner_dir(name)
    if is_prepared(name) and not force:
        return out
    say = log or (lambda m: print(m, file=sys.stderr))
    data = data_root(required=True)
    assert data is not None  # required=True raises instead
    root = data / "wikiann-panx" / "en"
    paths = {split: root / split for split in ("train", "dev")}
    for split, p in paths.items():
        if not p.is_file():
            raise ProjnerError(f"WikiANN en {split} split not found: {p} (needed to train the en-ner model)")
    train = read_sentences(paths["train"], require_tags=True)
    if recipe.train_sentences is not None:
        train = train[: recipe.train_sentences]
    dev = read_sentences(paths["dev"], require_tags=True)[: recipe.dev_sentences]
    config = TrainConfig(model=recipe.model, labels=list(EN_NER_LABELS), **recipe.settings)
    config.extra["en_ner_recipe"] = recipe.name
    cost = "a few minutes" if config.is_crf else "about 40 minutes on 2 CPU cores"
    say(
        f"training en-ner recipe {recipe.name!r} ({recipe.model}) on {len(train)} WikiANN en sentences → {out} "
        f"(once, then cached; {cost})"
    )
    train_model(
        train,
        out,
        config,
        dev=dev,
        train_source=describe_file(paths["train"], len(train)),
        dev_source=describe_file(paths["dev"], len(dev)),
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
