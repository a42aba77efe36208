"""Universal NER (UNER v1) ``.iob2`` files: CoNLL-U-like blocks.

::

    # sent_id = n01001-0001
    # text = While much of ...
    1<TAB>While<TAB>O<TAB>-<TAB>-

Comment lines before a sentence are kept verbatim in ``meta["comments"]`` and ``# sent_id = X`` also sets
:attr:`Sentence.id`. The index column must count 1, 2, 3… in each sentence. Columns after the tag
(annotator fields, usually ``-``) are kept per token in ``meta["misc"]`` so the file is rewritten byte for byte.
When a sentence has no comments (it came from another format), the writer emits ``# sent_id`` (if it has an id)
and ``# text`` (tokens joined by spaces), and ``-`` for the two trailing columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from projner.core.types import InputError, Sentence
from projner.io._base import (
    PathLike,
    check_tag,
    check_token,
    empty_error,
    finish,
    iter_lines,
    no_tokens_error,
    require_tags,
)

NAME = "uner"
EXTENSIONS = (".iob2",)
SENT_ID = "# sent_id = "


def read(path: PathLike, *, lang: str | None = None, repair: bool = False) -> Iterator[Sentence]:
    name = str(path)
    comments: list[str] = []
    tokens: list[str] = []
    tags: list[str] = []
    misc: list[list[str]] = []
    ncols = 0
    ncols_line = 0
    n = 0

    def flush() -> Sentence:
        meta: dict[str, object] = {}
        sid = None
        if comments:
            meta["comments"] = list(comments)
            for c in comments:
                if c.startswith(SENT_ID):
                    sid = c[len(SENT_ID) :].strip()
            comments.clear()
        if misc:
            meta["misc"] = list(misc)
            misc.clear()
        sent = Sentence(list(tokens), list(tags), id=sid, lang=lang, meta=meta)
        tokens.clear()
        tags.clear()
        return finish(sent, repair)

    for lineno, line in iter_lines(path):
        if not line or line.isspace():
            if tokens:
                n += 1
                yield flush()
            elif comments:
                raise InputError("comment lines not followed by a sentence", name, lineno)
            continue
        if line.startswith("#") and not tokens:
            comments.append(line)
            continue
        cols = line.split("\t")
        k = len(cols)
        if k < 3:
            raise InputError(
                f"expected INDEX<TAB>TOKEN<TAB>TAG[<TAB>...], found {k} column(s): {line[:60]!r}",
                name,
                lineno,
            )
        if not ncols:
            ncols, ncols_line = k, lineno
        elif k != ncols:
            raise InputError(
                f"expected {ncols} columns like line {ncols_line}, found {k}: {line[:60]!r}", name, lineno
            )
        if cols[0] != str(len(tokens) + 1):
            raise InputError(f"index column is {cols[0]!r}, expected {len(tokens) + 1}", name, lineno)
        tag = cols[2]
        if tag != "O":
            tag = tag.strip()
            check_tag(tag, name, lineno)
        tokens.append(cols[1])
        tags.append(tag)
        if k > 3:
            misc.append(cols[3:])
    if tokens:
        n += 1
        yield flush()
    elif comments:
        raise InputError("comment lines at the end of the file are not followed by a sentence", name)
    if n == 0:
        raise empty_error(name)


def write(sentences: Iterable[Sentence], fh: IO[str], **_: object) -> int:
    n = 0
    for sent in sentences:
        if not sent.tokens:
            raise no_tokens_error(sent, n)
        tags = require_tags(sent, NAME)
        comments = sent.meta.get("comments")
        if isinstance(comments, list):
            for c in comments:
                fh.write(f"{c}\n")
        else:
            if sent.id is not None:
                fh.write(f"{SENT_ID}{sent.id}\n")
            fh.write(f"# text = {' '.join(sent.tokens)}\n")
        misc = sent.meta.get("misc")
        if misc is not None and (not isinstance(misc, list) or len(misc) != len(sent.tokens)):
            raise InputError(f"meta['misc'] of sentence {sent.id!r} does not have one entry per token")
        for i, (tok, tag) in enumerate(zip(sent.tokens, tags, strict=True)):
            check_token(tok, "\t\n\r", NAME, sent)
            rest = "\t".join(misc[i]) if misc is not None else "-\t-"
            fh.write(f"{i + 1}\t{tok}\t{tag}\t{rest}\n")
        fh.write("\n")
        n += 1
    return n
