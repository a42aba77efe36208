"""Options shared by several commands: ``key=value`` parameters for a stage (``--param``, ``--aligner-arg``)."""

from __future__ import annotations

import json
from typing import Any

import typer

from projner.core.types import InputError

ALIGNER_ARG = typer.Option(
    [],
    "--aligner-arg",
    help="Aligner parameter key=value (repeatable), e.g. lexicon=freedict:de for e5-inter-lex, layer=6.",
)

PROJECTOR_PARAM = typer.Option(
    [],
    "--param",
    "-p",
    help="Projector parameter key=value (repeatable), e.g. max_len=10 (greedy/exact), merge_distance=2 or "
    "length_ratio=0.5 (heuristic).",
)


def parse_key_values(items: list[str], option: str = "--param") -> dict[str, Any]:
    """``key=value`` pairs; values are parsed as JSON when possible (``10``, ``null``, ``true``, ``0.5``)."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"{option} expects key=value, got {item!r}")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def check_stages(
    aligner: str | None, aligner_kwargs: dict[str, Any], projector: str, params: dict[str, Any]
) -> None:
    """Build the aligner and projector once so that a bad name or parameter fails before any slow stage runs.

    Building is cheap: models load on first use, not in the constructors."""
    from projner.align import DEFAULT_ALIGNER, get_aligner
    from projner.project import get_projector

    get_aligner(aligner or DEFAULT_ALIGNER, cache=False, **aligner_kwargs)
    get_projector(projector, **params)
