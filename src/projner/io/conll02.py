"""CoNLL-2002 style two-column files, ``TOKEN<TAB>TAG`` (the Europarl-NER test sets).

Exactly two columns are required; a line with one or three columns is an error naming the line. Tabs are
the separator (tokens may contain spaces); a file without any tab is split on whitespace instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from projner.core.types import Sentence
from projner.io._base import (
    ColumnSpec,
    PathLike,
    check_token,
    docstart_lines,
    read_columns,
    require_tags,
    write_columns,
)

NAME = "conll02"
EXTENSIONS = (".conll02", ".conll2002")


def read(path: PathLike, *, lang: str | None = None, repair: bool = False) -> Iterator[Sentence]:
    def make(
        tokens: list[str],
        tags: list[str],
        middle: list[list[str]] | None,
        meta: dict[str, object],
        first: int,
        s: str,
    ) -> Sentence:
        return Sentence(tokens, tags, lang=lang, meta=meta)

    return read_columns(path, ColumnSpec(sep=None, ncols=2, docstart=True), make, repair)


def write(sentences: Iterable[Sentence], fh: IO[str], **_: object) -> int:
    def rows(sent: Sentence) -> Iterator[str]:
        for tok, tag in zip(sent.tokens, require_tags(sent, NAME), strict=True):
            check_token(tok, "\t\n\r", NAME, sent)
            yield f"{tok}\t{tag}"

    return write_columns(fh, sentences, rows, docstart_lines)
