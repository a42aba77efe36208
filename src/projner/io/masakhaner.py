"""MasakhaNER files: ``TOKEN TAG`` separated by a single space, blank line between sentences.

The tag is what follows the *last* space, so the line ``" O"`` (an empty token, which occurs upstream in
MasakhaNER 2.0 xho/train) reads as token ``""`` and round-trips unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from projner.core.types import Sentence
from projner.io._base import PathLike, read_token_tag, write_token_tag

NAME = "masakhaner"
EXTENSIONS: tuple[str, ...] = ()  # upstream uses .txt, which is ambiguous: decided by content sniffing


def read(path: PathLike, *, lang: str | None = None, repair: bool = False) -> Iterator[Sentence]:
    return read_token_tag(path, " ", lang, repair)


def write(sentences: Iterable[Sentence], fh: IO[str], **_: object) -> int:
    return write_token_tag(sentences, fh, NAME, " ", "\n\r")
