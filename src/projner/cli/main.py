"""Entry point of the ``projner`` command.

Each subcommand lives in its own module ``projner.cli.<name>`` exposing ``register(app)``; heavy libraries
(torch, transformers) are imported inside the commands so that ``projner --help`` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer

from projner import __version__
from projner.core.types import ProjnerError

# Order = order in ``projner --help``.
COMMAND_MODULES = (
    "demo",
    "data",
    "convert",
    "evaluate",
    "models",
    "align",
    "project",
    "translate_test",
    "translate_train",
    "train",
    "study",
)

app = typer.Typer(
    name="projner",
    help="Projection-based cross-lingual NER: translate, tag, align, project and evaluate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"projner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Projection-based cross-lingual NER toolkit."""


for _name in COMMAND_MODULES:
    _full = f"projner.cli.{_name}"
    if importlib.util.find_spec(_full) is not None:
        importlib.import_module(_full).register(app)


def main() -> None:
    """Run the CLI; turn expected errors (bad input, missing files) into one clear line and exit code 2."""
    try:
        app()
    except (ProjnerError, FileNotFoundError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
