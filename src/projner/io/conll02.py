"""CoNLL-2002 style two-column files, ``TOKEN<TAB>TAG`` (the Europarl-NER test sets).

Exactly two columns are required; a line with one or three columns is an error naming the line. Tabs are
the separator (tokens may contain spaces); a file without any tab is split on whitespace instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from projner.core.types import Sentence
from projner.io._base import PathLike, read_token_tag, write_token_tag

NAME = "conll02"
EXTENSIONS = (".conll02", ".conll2002")


def read(path: PathLike, *, lang: str | None = None, repair: bool = False) -> Iterator[Sentence]:
    return read_token_tag(path, None, lang, repair)


def write(sentences: Iterable[Sentence], fh: IO[str], **_: object) -> int:
    return write_token_tag(sentences, fh, NAME, "\t", "\t\n\r")
