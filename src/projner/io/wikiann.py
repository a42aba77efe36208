"""WikiANN / PAN-X files (Rahimi et al. splits): ``<lang>:TOKEN<TAB>TAG``.

The language prefix is stripped from every token and stored once in :attr:`Sentence.lang`; the writer puts it
back (from ``Sentence.lang`` or the ``lang=`` option). All tokens of a sentence must share one prefix.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from projner.core.types import InputError, Sentence
from projner.io._base import (
    ColumnSpec,
    PathLike,
    check_token,
    docstart_lines,
    read_columns,
    require_tags,
    write_columns,
)

NAME = "wikiann"
EXTENSIONS: tuple[str, ...] = ()


def read(path: PathLike, *, lang: str | None = None, repair: bool = False) -> Iterator[Sentence]:
    name = str(path)

    def make(
        tokens: list[str],
        tags: list[str],
        middle: list[list[str]] | None,
        meta: dict[str, object],
        first: int,
        s: str,
    ) -> Sentence:
        prefix, colon, _ = tokens[0].partition(":")
        if not colon or not prefix:
            raise InputError(f"token {tokens[0]!r} lacks the '<lang>:' prefix of WikiANN files", name, first)
        cut = len(prefix) + 1
        head = prefix + ":"
        out = []
        for i, tok in enumerate(tokens):
            if not tok.startswith(head):
                raise InputError(
                    f"token {tok!r} does not start with {head!r} like the rest of its sentence",
                    name,
                    first + i,
                )
            out.append(tok[cut:])
        return Sentence(out, tags, lang=prefix, meta=meta)

    return read_columns(path, ColumnSpec(sep="\t", ncols=2, docstart=True), make, repair)


def write(sentences: Iterable[Sentence], fh: IO[str], *, lang: str | None = None, **_: object) -> int:
    """``lang`` is used for sentences without :attr:`Sentence.lang`."""

    def rows(sent: Sentence) -> Iterator[str]:
        code = sent.lang or lang
        if not code:
            raise InputError(
                f"sentence {sent.id or ' '.join(sent.tokens[:5])!r} has no language; "
                "WikiANN needs one (pass lang=..., or --lang on the command line)"
            )
        for tok, tag in zip(sent.tokens, require_tags(sent, NAME), strict=True):
            check_token(tok, "\t\n\r", NAME, sent)
            yield f"{code}:{tok}\t{tag}"

    return write_columns(fh, sentences, rows, docstart_lines)
