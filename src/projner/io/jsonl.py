"""JSON Lines: one object per line, ``{"tokens": [...], "ner_tags": [...]}`` plus optional ``id`` and ``lang``.

``ner_tags`` may be strings, or integers together with a label list (``labels=["O", "B-PER", ...]``, the order
of a Hugging Face ClassLabel). ``tags`` is accepted as an alias of ``ner_tags``; an object without tags gives a
sentence with ``tags=None``. Any other keys are kept in ``meta["extra"]`` and written back. Blank lines are
skipped. The writer emits ``id``, ``lang``, ``tokens``, ``ner_tags`` (strings, or integers when ``labels`` is
given) and the extra keys, UTF-8 without ASCII escaping.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from projner.core.types import InputError, Sentence
from projner.io._base import PathLike, check_tag, empty_error, finish, iter_lines

NAME = "jsonl"
EXTENSIONS = (".jsonl", ".json", ".ndjson")
KNOWN = ("id", "lang", "tokens", "ner_tags", "tags")


def read(
    path: PathLike,
    *,
    lang: str | None = None,
    repair: bool = False,
    labels: Sequence[str] | None = None,
) -> Iterator[Sentence]:
    name = str(path)
    n = 0
    for lineno, line in iter_lines(path):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})", name, lineno) from None
        if not isinstance(obj, dict):
            raise InputError(f"expected a JSON object, found {type(obj).__name__}", name, lineno)
        tokens = obj.get("tokens")
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise InputError('missing or invalid "tokens" (a list of strings is required)', name, lineno)
        raw = obj.get("ner_tags", obj.get("tags"))
        tags: list[str] | None = None
        if raw is not None:
            if not isinstance(raw, list):
                raise InputError('"ner_tags" must be a list', name, lineno)
            if len(raw) != len(tokens):
                raise InputError(f"{len(tokens)} tokens but {len(raw)} ner_tags", name, lineno)
            tags = []
            for t in raw:
                if isinstance(t, bool) or not isinstance(t, str | int):
                    raise InputError(f"tag {t!r} is neither a string nor an integer", name, lineno)
                if isinstance(t, int):
                    if labels is None:
                        raise InputError(
                            "integer ner_tags need a label list (labels=[...], or --labels O,B-PER,...)",
                            name,
                            lineno,
                        )
                    if not 0 <= t < len(labels):
                        raise InputError(f"tag index {t} is outside the {len(labels)} labels", name, lineno)
                    t = labels[t]
                check_tag(t, name, lineno)
                tags.append(t)
        sid = obj.get("id")
        meta: dict[str, object] = {}
        extra = {k: v for k, v in obj.items() if k not in KNOWN}
        if extra:
            meta["extra"] = extra
        if "tags" in obj and "ner_tags" not in obj:
            meta["tags_key"] = "tags"
        if isinstance(sid, int):
            meta["id_type"] = "int"
        n += 1
        yield finish(
            Sentence(
                tokens, tags, id=None if sid is None else str(sid), lang=obj.get("lang", lang), meta=meta
            ),
            repair,
        )
    if n == 0:
        raise empty_error(name)


def write(
    sentences: Iterable[Sentence], fh: IO[str], *, labels: Sequence[str] | None = None, **_: object
) -> int:
    index = {lab: i for i, lab in enumerate(labels)} if labels is not None else None
    n = 0
    for sent in sentences:
        obj: dict[str, object] = {}
        if sent.id is not None:
            obj["id"] = int(sent.id) if sent.meta.get("id_type") == "int" else sent.id
        if sent.lang is not None:
            obj["lang"] = sent.lang
        obj["tokens"] = sent.tokens
        if sent.tags is not None:
            key = str(sent.meta.get("tags_key", "ner_tags"))
            if index is not None:
                try:
                    obj[key] = [index[t] for t in sent.tags]
                except KeyError as exc:
                    raise InputError(f"tag {exc.args[0]!r} is not in the label list {list(index)}") from None
            else:
                obj[key] = sent.tags
        extra = sent.meta.get("extra")
        if isinstance(extra, dict):
            for k, v in extra.items():
                obj.setdefault(k, v)
        fh.write(json.dumps(obj, ensure_ascii=False))
        fh.write("\n")
        n += 1
    return n
