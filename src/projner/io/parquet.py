"""Apache Parquet: one row per sentence with ``tokens`` (list of strings) and ``ner_tags`` (strings or integers).

The layout of ``datasets.Dataset.to_parquet`` and of most exported NER corpora. Integer tags are mapped through
``labels=[...]`` or, when absent, through the ClassLabel names that Hugging Face stores in the file's schema
metadata. ``tags`` is accepted for ``ner_tags``; optional ``id`` and ``lang`` columns are kept. Reading streams
record batches (memory: one batch), so a corpus-sized file can feed a sharded ``--engine`` run. Errors name the
file and the 1-based row (reported as the "line"). Writing goes through a temporary file renamed on success.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from projner.core.types import InputError, Sentence
from projner.io._base import PathLike, check_tag, empty_error, finish
from projner.utils.atomic import atomic_open

NAME = "parquet"
EXTENSIONS = (".parquet", ".pq")
BATCH_ROWS = 1024


def _hf_label_names(schema_metadata: dict[bytes, bytes] | None, column: str) -> list[str] | None:
    """ClassLabel names of ``column`` from Hugging Face's ``huggingface`` schema metadata, if present."""
    if not schema_metadata or b"huggingface" not in schema_metadata:
        return None
    try:
        info = json.loads(schema_metadata[b"huggingface"])
        feat = info["info"]["features"][column]
        inner = feat.get("feature", feat)
        names = inner.get("names")
        return list(names) if names else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def read(
    path: PathLike,
    *,
    lang: str | None = None,
    repair: bool = False,
    labels: Sequence[str] | None = None,
) -> Iterator[Sentence]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = str(path)
    if not Path(path).is_file():
        raise InputError("file not found", name)
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"not a readable Parquet file ({exc})", name) from None
    columns = set(pf.schema_arrow.names)
    if "tokens" not in columns:
        raise InputError(f'no "tokens" column (columns: {", ".join(sorted(columns))})', name)
    tag_col = "ner_tags" if "ner_tags" in columns else ("tags" if "tags" in columns else None)
    wanted = [c for c in ("id", "lang", "tokens", tag_col) if c is not None and c in columns]
    names = (
        list(labels)
        if labels is not None
        else (_hf_label_names(pf.schema_arrow.metadata, tag_col) if tag_col else None)
    )
    row = 0
    for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=wanted):
        for rec in batch.to_pylist():
            row += 1
            tokens = rec.get("tokens")
            if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
                raise InputError('"tokens" must be a list of strings', name, row)
            raw = rec.get(tag_col) if tag_col else None
            tags: list[str] | None = None
            if raw is not None:
                if len(raw) != len(tokens):
                    raise InputError(f"{len(tokens)} tokens but {len(raw)} {tag_col}", name, row)
                tags = []
                for t in raw:
                    if isinstance(t, int) and not isinstance(t, bool):
                        if names is None:
                            raise InputError("integer tags need a label list (labels=[...])", name, row)
                        if not 0 <= t < len(names):
                            raise InputError(f"tag index {t} is outside the {len(names)} labels", name, row)
                        t = names[t]
                    if not isinstance(t, str):
                        raise InputError(f"tag {t!r} is neither a string nor an integer", name, row)
                    check_tag(t, name, row)
                    tags.append(t)
            sid = rec.get("id")
            yield finish(
                Sentence(tokens, tags, id=None if sid is None else str(sid), lang=rec.get("lang") or lang),
                repair,
            )
    if row == 0:
        raise empty_error(name)


def write(sentences: Iterable[Sentence], fh: object, **_: object) -> int:
    raise InputError("parquet is binary: write it with projner.io.write(sentences, path, 'parquet')")


def write_path(sentences: Iterable[Sentence], path: PathLike, **_: object) -> int:
    """Write ``id``, ``lang``, ``tokens``, ``ner_tags`` (strings) in row groups of 1024 sentences, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("lang", pa.string()),
            ("tokens", pa.list_(pa.string())),
            ("ner_tags", pa.list_(pa.string())),
        ]
    )
    n = 0
    with atomic_open(path, "wb") as fh, pq.ParquetWriter(fh, schema) as writer:
        buf: list[Sentence] = []

        def flush() -> None:
            writer.write_table(
                pa.table(
                    {
                        "id": [s.id for s in buf],
                        "lang": [s.lang for s in buf],
                        "tokens": [list(s.tokens) for s in buf],
                        "ner_tags": [s.tags for s in buf],
                    },
                    schema=schema,
                )
            )
            buf.clear()

        for s in sentences:
            buf.append(s)
            n += 1
            if len(buf) >= BATCH_ROWS:
                flush()
        if buf or n == 0:
            flush()
    return n
