"""Tokenized plain text: one sentence per line, tokens separated by whitespace, no tags.

Line *i* is sentence *i*: an empty line gives a sentence with no tokens (so line-aligned parallel files stay
aligned). Sentences have ``tags=None``; the writer ignores tags. A file holding only empty lines is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from projner.core.types import Sentence
from projner.io._base import PathLike, check_ws_token, empty_error, iter_lines

NAME = "text"
EXTENSIONS = (".tok", ".tokens")


def read(path: PathLike, *, lang: str | None = None, repair: bool = False) -> Iterator[Sentence]:
    nonempty = False
    pending_empty = 0
    for _, line in iter_lines(path):
        toks = line.split()
        if not toks:
            pending_empty += 1
            continue
        # Empty lines are only emitted once a real sentence proves the file is not blank.
        for _ in range(pending_empty):
            yield Sentence([], None, lang=lang)
        pending_empty = 0
        nonempty = True
        yield Sentence(toks, None, lang=lang)
    if not nonempty:
        raise empty_error(str(path))
    for _ in range(pending_empty):
        yield Sentence([], None, lang=lang)


def write(sentences: Iterable[Sentence], fh: IO[str], **_: object) -> int:
    n = 0
    for sent in sentences:
        for tok in sent.tokens:
            check_ws_token(tok, NAME, sent)
        fh.write(" ".join(sent.tokens))
        fh.write("\n")
        n += 1
    return n
