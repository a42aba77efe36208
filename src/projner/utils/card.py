"""Provenance cards: what a derived file was made from, how, and under which terms.

Why: projected, translated and tagged files inherit the terms of the data they were made from (MasakhaNER 2.0 and
MAFAND-MT are non-commercial, UNER is share-alike, WikiANN has no explicit licence), and users who publish
projected datasets are asked where they come from. CoNLL has no place for metadata, so every command that writes
derived data (``projner project``, ``translate-test``, ``translate-train``, ``convert``, ``align``, ``predict``) also
writes ``<output>.card.json``: the
projner version, the command, each input (registered dataset name with its licence and URL, or a file with its
content fingerprint and the licence line of the nearest ``PROVENANCE.md``), the options and the counts. Models
carry the same information in ``projner_model.json`` (:mod:`projner.ner.train`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CARD_SUFFIX = ".card.json"
LICENCE_NOTE = (
    "A derived file inherits the terms of every input it was made from; see 'inputs' for the licence recorded "
    "for each."
)


def card_path(output: str | Path) -> Path:
    """Where the card of ``output`` goes: next to it, ``<output>.card.json``."""
    return Path(f"{output}{CARD_SUFFIX}")


def describe_input(spec: str | Path) -> dict[str, Any]:
    """A registered dataset name → name, licence, URL and file; a model directory → its kind and the licences of its
    training data (from ``projner_model.json``); a file → path, fingerprint, size, licence note."""
    from projner.data import registry

    text = str(spec)
    if not Path(text).exists() and registry.is_dataset_name(text):
        ref = registry.parse(text, require_split=False)
        out: dict[str, Any] = {"dataset": text, "licence": ref.info.license, "url": ref.info.url}
        if ref.info.kind == "ner" and ref.split and ref.info.present():
            out["path"] = str(registry.resolve(ref))
        return out
    p = Path(text)
    model_card = p / "projner_model.json"
    if model_card.is_file():  # a trained model: it inherits the terms of its training data
        card = json.loads(model_card.read_text(encoding="utf-8"))
        found = sorted(set(_licences(card.get("data"))))
        return {
            "path": str(p),
            "model": card.get("kind"),
            "model_card": str(model_card),
            "licence": "; ".join(found) if found else None,
        }
    from projner.ner.data import describe_file

    return describe_file(p)


def _licences(node: Any) -> list[str]:
    """Every ``licence`` value in a nested model-card ``data`` record."""
    if isinstance(node, dict):
        own = [str(node["licence"])] if node.get("licence") else []
        return own + [x for k, v in node.items() if k != "licence" for x in _licences(v)]
    if isinstance(node, list):
        return [x for v in node for x in _licences(v)]
    return []


def write_card(
    output: str | Path,
    command: str,
    inputs: Mapping[str, str | Path | None],
    options: Mapping[str, Any],
    counts: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``<output>.card.json`` atomically and return its path. ``inputs`` maps a role (``source``,
    ``target``, ``translation``…) to a dataset name or file; None entries are left out."""
    from projner import __version__
    from projner.utils.atomic import atomic_write_text

    described = {role: describe_input(spec) for role, spec in inputs.items() if spec is not None}
    licences = sorted({str(d["licence"]) for d in described.values() if d.get("licence")})
    card = {
        "kind": "projner-card",
        "card_version": 1,
        "projner": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "output": str(output),
        "inputs": described,
        "licences": licences,
        "licence_note": LICENCE_NOTE,
        "options": dict(options),
        "counts": dict(counts or {}),
    }
    path = card_path(output)
    atomic_write_text(path, json.dumps(card, indent=2, default=str, ensure_ascii=False) + "\n")
    return path
