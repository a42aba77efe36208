"""Hugging Face ``datasets``: a ``Dataset`` with ``tokens`` and ``ner_tags`` (a sequence of ``ClassLabel``).

Reads ``save_to_disk`` directories (a ``Dataset``, or a ``DatasetDict`` with ``split=``) and in-memory
``Dataset`` objects; rows are fetched in batches from the memory-mapped Arrow files, so memory stays flat.
``ner_tags`` may also be plain strings. Optional ``id`` and ``lang`` columns map to :class:`Sentence` fields.
The ClassLabel names are kept (one shared tuple) in ``meta["labels"]`` so writing back keeps the label ids.

The writer builds the dataset in chunks (Arrow tables, not Python lists), encodes ``ner_tags`` as ClassLabel
(names from ``labels=``, else those read from the input, else ``O`` first then sorted), and saves it with
``save_to_disk`` into a temporary directory renamed into place (atomic).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from projner.core.types import InputError, Sentence
from projner.io._base import PathLike, check_tag, empty_error, finish
from projner.utils.atomic import atomic_dir

NAME = "hf"
EXTENSIONS = (".hf", ".arrow")
MARKERS = ("dataset_info.json", "state.json", "dataset_dict.json")
BATCH = 1000


def is_dataset_dir(path: PathLike) -> bool:
    p = Path(path)
    return p.is_dir() and any((p / m).is_file() for m in MARKERS)


def load(source: Any, split: str | None = None) -> Any:
    """Return a ``datasets.Dataset`` from a directory path, a Dataset or a DatasetDict (choosing ``split``)."""
    import datasets

    name = str(source) if isinstance(source, str | Path) else type(source).__name__
    if isinstance(source, str | Path):
        if not Path(source).exists():
            raise InputError("dataset directory not found", name)
        if not is_dataset_dir(source):
            raise InputError(
                f"not a Hugging Face save_to_disk directory (none of {', '.join(MARKERS)})", name
            )
        source = datasets.load_from_disk(str(source))
    if isinstance(source, datasets.DatasetDict):
        splits = list(source)
        if split is None:
            if len(splits) != 1:
                raise InputError(
                    f"the DatasetDict has splits {', '.join(splits)}; choose one with split=", name
                )
            split = splits[0]
        if split not in source:
            raise InputError(f"no split {split!r}; available: {', '.join(splits)}", name)
        source = source[split]
    if not isinstance(source, datasets.Dataset):
        raise InputError(f"expected a datasets.Dataset, got {type(source).__name__}", name)
    return source


def _label_names(ds: Any, column: str) -> tuple[str, ...] | None:
    feat = ds.features[column]
    inner = getattr(feat, "feature", None)
    if inner is None and isinstance(feat, list) and feat:
        inner = feat[0]
    names = getattr(inner, "names", None)
    return tuple(names) if names is not None else None


def read(
    source: Any, *, lang: str | None = None, repair: bool = False, split: str | None = None
) -> Iterator[Sentence]:
    """Stream sentences from a ``save_to_disk`` directory or a ``Dataset``/``DatasetDict`` object."""
    ds = load(source, split)
    name = str(source) if isinstance(source, str | Path) else "<Dataset>"
    if "tokens" not in ds.column_names:
        raise InputError(f"no 'tokens' column (columns: {', '.join(ds.column_names)})", name)
    tag_col = next((c for c in ("ner_tags", "tags") if c in ds.column_names), None)
    labels = _label_names(ds, tag_col) if tag_col else None
    if len(ds) == 0:
        raise empty_error(name)
    cols = [c for c in ("tokens", tag_col, "id", "lang") if c and c in ds.column_names]
    row = 0
    for batch in ds.select_columns(cols).iter(batch_size=BATCH):
        ids = batch.get("id")
        langs = batch.get("lang")
        raw_tags = batch.get(tag_col) if tag_col else None
        for i, tokens in enumerate(batch["tokens"]):
            row += 1
            tags = None
            if raw_tags is not None:
                r = raw_tags[i]
                if labels is not None:
                    tags = [labels[t] for t in r]
                else:
                    tags = [str(t) for t in r]
                    for t in tags:
                        check_tag(t, f"{name} row", row)
                if len(tags) != len(tokens):
                    raise InputError(f"{len(tokens)} tokens but {len(tags)} tags", f"{name} row", row)
            meta: dict[str, object] = {"labels": labels} if labels is not None else {}
            sid = ids[i] if ids is not None else None
            yield finish(
                Sentence(
                    list(tokens),
                    tags,
                    id=None if sid is None else str(sid),
                    lang=(langs[i] if langs is not None else None) or lang,
                    meta=meta,
                ),
                repair,
            )


def to_dataset(
    sentences: Iterable[Sentence], labels: Sequence[str] | None = None, chunk: int = 10_000
) -> Any:
    """Build an in-memory ``datasets.Dataset`` (chunked Arrow tables) with ClassLabel ``ner_tags``."""
    import datasets

    parts = []
    seen: set[str] = set()
    label_list: list[str] | None = list(labels) if labels is not None else None
    has_tags: bool | None = None
    buf: dict[str, list[Any]] = {"id": [], "lang": [], "tokens": [], "ner_tags": []}

    def flush() -> None:
        if buf["tokens"]:
            cols = {k: v for k, v in buf.items() if k != "ner_tags" or has_tags}
            parts.append(datasets.Dataset.from_dict(cols, features=_features(None, has_tags)))
            for v in buf.values():
                v.clear()

    any_id = any_lang = False
    for n, sent in enumerate(sentences):
        if has_tags is None:
            has_tags = sent.tags is not None
            if label_list is None and isinstance(sent.meta.get("labels"), tuple | list):
                label_list = list(sent.meta["labels"])  # type: ignore[call-overload]
        if (sent.tags is not None) != has_tags:
            raise InputError(
                f"sentence {n + 1} {'lacks' if has_tags else 'has'} tags unlike the first sentence"
            )
        buf["id"].append(sent.id)
        buf["lang"].append(sent.lang)
        any_id = any_id or sent.id is not None
        any_lang = any_lang or sent.lang is not None
        buf["tokens"].append(list(sent.tokens))
        if has_tags:
            buf["ner_tags"].append(list(sent.tags or []))
            seen.update(sent.tags or [])
        if len(buf["tokens"]) >= chunk:
            flush()
    flush()
    if not parts:
        raise InputError("no sentences to write")
    ds = datasets.concatenate_datasets(parts) if len(parts) > 1 else parts[0]
    unused = [col for col, used in (("id", any_id), ("lang", any_lang)) if not used]
    if unused:
        ds = ds.remove_columns(unused)
    if has_tags:
        names = list(label_list) if label_list is not None else []
        extra = sorted(seen - set(names))
        if label_list is None and "O" in extra:
            extra.remove("O")
            names.append("O")
        names.extend(extra)
        ds = ds.cast_column("ner_tags", datasets.Sequence(datasets.ClassLabel(names=names)))
    return ds


def _features(names: Sequence[str] | None, has_tags: bool | None) -> Any:
    import datasets

    feats: dict[str, Any] = {
        "id": datasets.Value("string"),
        "lang": datasets.Value("string"),
        "tokens": datasets.Sequence(datasets.Value("string")),
    }
    if has_tags:
        tag = datasets.ClassLabel(names=list(names)) if names else datasets.Value("string")
        feats["ner_tags"] = datasets.Sequence(tag)
    return datasets.Features(feats)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence datasets' per-operation progress bars (casting/saving a few thousand rows is instant)."""
    from datasets.utils import logging as ds_logging

    was_enabled = ds_logging.is_progress_bar_enabled()
    ds_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            ds_logging.enable_progress_bar()


def write_path(
    sentences: Iterable[Sentence], path: PathLike, *, labels: Sequence[str] | None = None, **_: object
) -> int:
    """Save as a ``save_to_disk`` directory at ``path`` (atomically); returns the number of sentences."""
    with _quiet():
        ds = to_dataset(sentences, labels)
        with atomic_dir(path) as tmp:
            ds.save_to_disk(str(tmp))
    return len(ds)
