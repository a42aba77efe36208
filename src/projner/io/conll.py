"""CoNLL column files: token first, tag last, optional columns in between, blank line between sentences.

Covers CoNLL-2003 (``EU NNP B-NP B-ORG``), CoNLL-2002 and most "BIO" files. The separator is decided per file:
tab when the first token line contains one (tokens may then contain spaces), otherwise any whitespace.

Round trip: the separator (``meta["sep"]``), the middle columns (``meta["columns"]``, one list per token) and
``-DOCSTART-`` lines (``meta["docstart"]``, kept on the first sentence of each document) are stored so that
writing the sentences back reproduces the file byte for byte (when it uses one blank line between sentences
and ``\\n`` line ends).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from projner.core.types import InputError, Sentence
from projner.io._base import (
    ColumnSpec,
    PathLike,
    check_token,
    check_ws_token,
    docstart_lines,
    read_columns,
    require_tags,
    write_columns,
)

NAME = "conll"
EXTENSIONS = (".conll", ".conllx", ".bio", ".iob", ".tsv", ".ner")


def read(
    path: PathLike, *, lang: str | None = None, repair: bool = False, sep: str | None = None
) -> Iterator[Sentence]:
    """Stream :class:`Sentence` objects; ``sep`` forces ``"\\t"`` or whitespace (``"ws"``) splitting."""
    spec = ColumnSpec(sep=sep, ncols=None, docstart=True)

    def make(
        tokens: list[str],
        tags: list[str],
        middle: list[list[str]] | None,
        meta: dict[str, object],
        first: int,
        s: str,
    ) -> Sentence:
        meta["sep"] = "\t" if s == "\t" else " "
        if middle is not None:
            meta["columns"] = middle
        return Sentence(tokens, tags, lang=lang, meta=meta)

    return read_columns(path, spec, make, repair)


def write(sentences: Iterable[Sentence], fh: IO[str], *, sep: str | None = None, **_: object) -> int:
    """Write CoNLL lines; ``sep`` overrides the separator stored in each sentence (default tab)."""

    def rows(sent: Sentence) -> Iterator[str]:
        tags = require_tags(sent, NAME)
        s = sep or str(sent.meta.get("sep", "\t"))
        cols = sent.meta.get("columns")
        if cols is not None and (not isinstance(cols, list) or len(cols) != len(sent.tokens)):
            raise InputError(f"meta['columns'] of sentence {sent.id!r} does not have one entry per token")
        for i, (tok, tag) in enumerate(zip(sent.tokens, tags, strict=True)):
            if s == "\t":
                check_token(tok, "\t\n\r", NAME, sent)
            else:
                check_ws_token(tok, NAME, sent)
            if cols is not None:
                yield s.join([tok, *cols[i], tag])
            else:
                yield f"{tok}{s}{tag}"

    return write_columns(fh, sentences, rows, docstart_lines)
