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
