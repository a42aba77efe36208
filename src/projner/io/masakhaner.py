"""MasakhaNER files: ``TOKEN TAG`` separated by a single space, blank line between sentences.

The tag is what follows the *last* space, so the line ``" O"`` (an empty token, which occurs upstream in
MasakhaNER 2.0 xho/train) reads as token ``""`` and round-trips unchanged.
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

NAME = "masakhaner"
EXTENSIONS: tuple[str, ...] = ()  # upstream uses .txt, which is ambiguous: decided by content sniffing


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

    return read_columns(path, ColumnSpec(sep=" ", ncols=2, docstart=True), make, repair)


def write(sentences: Iterable[Sentence], fh: IO[str], **_: object) -> int:
    def rows(sent: Sentence) -> Iterator[str]:
        for tok, tag in zip(sent.tokens, require_tags(sent, NAME), strict=True):
            check_token(tok, "\n\r", NAME, sent)
            yield f"{tok} {tag}"

    return write_columns(fh, sentences, rows, docstart_lines)
