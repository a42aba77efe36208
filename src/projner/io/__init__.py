"""Reading and writing NER data: one module per format, all streaming, all writes atomic.

>>> from projner import io
>>> for sent in io.read("europarl-ner:de"):           # a registry name, or any path
...     ...
>>> io.write(sentences, "out.jsonl", format="jsonl")   # returns the number of sentences written

Formats (see docs/formats.md): ``conll``, ``conll02``, ``masakhaner``, ``wikiann``, ``uner``, ``text``, ``jsonl``,
``hf``. :func:`detect_format` decides from the extension, then from the first non-empty lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from projner.core.tags import is_valid_tag
from projner.core.types import InputError, Sentence
from projner.io import conll, conll02, hf, jsonl, masakhaner, parquet, text, uner, wikiann
from projner.io._base import DOCSTART, PathLike, empty_error, iter_lines
from projner.utils.atomic import atomic_open

MODULES: dict[str, ModuleType] = {
    m.NAME: m for m in (conll, conll02, masakhaner, wikiann, uner, text, jsonl, hf, parquet)
}
FORMATS: tuple[str, ...] = tuple(MODULES)
SNIFF_LINES = 50

__all__ = [
    "FORMATS",
    "InputError",
    "detect_format",
    "format_for_output",
    "read",
    "read_all",
    "sniff",
    "write",
]


def _module(fmt: str) -> ModuleType:
    try:
        return MODULES[fmt.lower()]
    except KeyError:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


def _by_extension(path: Path) -> str | None:
    suffix = path.suffix.lower()
    for name, mod in MODULES.items():
        if suffix and suffix in mod.EXTENSIONS:
            return name
    return None


def detect_format(path: PathLike | Any) -> str:
    """Name of the format of ``path``: a ``Dataset`` object or save_to_disk directory is ``hf``; else the
    extension decides when it is unambiguous (``.jsonl``, ``.iob2``, ``.conll02``, ``.conll``…), else the
    content of the first non-empty lines (``.txt`` is used both by MasakhaNER and by plain text)."""
    if not isinstance(path, str | os.PathLike):
        return "hf"
    p = Path(path)
    if p.is_dir():
        if hf.is_dataset_dir(p):
            return "hf"
        raise InputError("is a directory but not a Hugging Face save_to_disk dataset", str(p))
    if not p.exists():
        raise InputError("file not found", str(p))
    return _by_extension(p) or sniff(p)


def sniff(path: PathLike) -> str:
    """Guess the format from the first non-empty lines (see docs/formats.md for the rules)."""
    lines: list[str] = []
    for _, line in iter_lines(path):
        if line.strip():
            lines.append(line)
            if len(lines) >= SNIFF_LINES:
                break
    if not lines:
        raise empty_error(str(path))
    if lines[0].lstrip().startswith("{"):
        return "jsonl"
    data = [ln for ln in lines if not ln.startswith(DOCSTART)]
    has_comments = any(ln.startswith("#") for ln in data)
    rows = [ln for ln in data if not ln.startswith("#")]
    if not rows:
        return "uner" if has_comments else "conll"
    if all("\t" in ln for ln in rows):
        cols = [ln.split("\t") for ln in rows]
        if all(len(c) >= 3 and c[0].isdigit() and is_valid_tag(c[2]) for c in cols):
            return "uner"
        if all(is_valid_tag(c[-1].strip()) for c in cols):
            if all(len(c) == 2 for c in cols):
                return "wikiann" if all(_has_lang_prefix(c[0]) for c in cols) else "conll02"
            return "conll"
        return "text"
    if not any("\t" in ln for ln in rows) and all(
        " " in ln and is_valid_tag(ln.rstrip().rpartition(" ")[2]) for ln in rows
    ):
        return "masakhaner" if all(len(ln.split()) <= 2 for ln in rows) else "conll"
    return "text"


def _has_lang_prefix(token: str) -> bool:
    prefix, colon, rest = token.partition(":")
    return bool(colon) and 2 <= len(prefix) <= 3 and prefix.isalpha() and prefix.islower()


def format_for_output(path: PathLike, default: str = "conll") -> str:
    """Format implied by an output path: a known extension, a directory-like path (``.hf``, trailing ``/`` or an
    existing directory) means ``hf``; otherwise ``default``."""
    p = Path(path)
    if str(path).endswith(("/", os.sep)) or p.is_dir():
        return "hf"
    return _by_extension(p) or default


def read(
    path: PathLike | Any,
    format: str | None = None,
    *,
    lang: str | None = None,
    repair: bool = False,
    **opts: Any,
) -> Iterator[Sentence]:
    """Stream :class:`Sentence` objects from a file, a ``save_to_disk`` directory, a ``datasets.Dataset`` or a
    registry name such as ``"europarl-ner:de"`` / ``"masakhaner2:lug:test"`` (used when no such path exists).

    ``repair=True`` re-encodes each sentence as valid IOB2 (seqeval's reading of it); without it tags are kept
    as they are (IOB1, IOB2 and BIOES are all accepted, anything else is an error). Extra options go to the
    format's reader (``labels=`` for integer jsonl tags, ``split=`` for a DatasetDict, ``sep=`` for conll).
    """
    if not isinstance(path, str | os.PathLike):
        return hf.read(path, lang=lang, repair=repair, **opts)
    if not Path(path).exists() and format is None:
        from projner.data import registry

        if registry.is_dataset_name(str(path)):
            return registry.read_dataset(str(path), repair=repair)
    fmt = format or detect_format(path)
    return _module(fmt).read(path, lang=lang, repair=repair, **opts)


def write(sentences: Iterable[Sentence], path: PathLike, format: str = "conll", **opts: Any) -> int:
    """Write ``sentences`` to ``path`` atomically (temp file + rename) and return how many were written.

    Options: ``sep=`` (conll), ``lang=`` (wikiann, for sentences without a language), ``labels=`` (jsonl: write
    integer tags; hf: ClassLabel names and order).
    """
    mod = _module(format)
    if hasattr(mod, "write_path"):  # directory (hf) and binary (parquet) formats
        n_written: int = mod.write_path(sentences, path, **opts)
        return n_written
    with atomic_open(path, "w") as fh:
        n: int = mod.write(sentences, fh, **opts)
    return n


def read_all(path: PathLike | Any, format: str | None = None, **kwargs: Any) -> list[Sentence]:
    """Convenience for small files and tests: ``list(read(...))``."""
    return list(read(path, format, **kwargs))
