"""Shared plumbing for the format modules: safe line iteration, tag checks, the column-file engine.

Every text reader goes through :func:`iter_lines`, which opens the file in *binary* mode and decodes line by
line. That is what lets a non-UTF-8 byte be reported with its exact line number (a text-mode wrapper decodes in
8 KB chunks and loses the position), and it keeps memory flat whatever the file size. The documented repairs
happen here too: a UTF-8 byte-order mark is dropped, and ``\\r\\n`` line ends are read as ``\\n``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from projner.core.tags import repair_iob2
from projner.core.types import InputError, Sentence

PathLike = str | os.PathLike[str]

BOM = "\ufeff"
DOCSTART = "-DOCSTART-"
_PREFIXES = frozenset("BIES")
_WHITESPACE = re.compile(r"\s")


def iter_lines(path: PathLike) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for each line of ``path`` without its line end (1-based numbers).

    Repairs (documented in docs/formats.md): a leading UTF-8 BOM is removed; ``\\r\\n`` is read as ``\\n``.
    Raises :class:`InputError` naming the line on bytes that are not UTF-8.
    """
    name = str(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed in finally; a generator cannot use `with` across yields cleanly
    except FileNotFoundError:
        raise InputError("file not found", name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a text file", name) from None
    try:
        for lineno, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1].hex()
                raise InputError(
                    f"byte 0x{bad} at column {exc.start + 1} is not valid UTF-8; "
                    "convert the file first (e.g. `iconv -f latin1 -t utf-8`)",
                    name,
                    lineno,
                ) from None
            if text.endswith("\n"):
                text = text[:-2] if text.endswith("\r\n") else text[:-1]
            elif text.endswith("\r"):
                text = text[:-1]
            if lineno == 1 and text.startswith(BOM):
                text = text[1:]
            yield lineno, text
    finally:
        fh.close()


def check_tag(tag: str, path: str, lineno: int) -> None:
    """Reject anything that is not ``O`` or ``<B|I|E|S>-TYPE`` (IOB1, IOB2 and BIOES all pass)."""
    if tag == "O":
        return
    spaced = _WHITESPACE.search(tag) is not None  # a regex: this runs for every entity token read
    if len(tag) > 2 and tag[1] == "-" and tag[0] in _PREFIXES and not spaced:
        return
    hint = ""
    if not tag:
        raise InputError("empty tag column (a trailing separator?)", path, lineno)
    if spaced:
        # a tab-separated line whose tag column holds a space ("I-PER visited"): the type would reach the output
        # and break every whitespace-separated writer, so it is an error, not an entity type
        hint = " (the tag holds whitespace: is a column missing a tab?)"
    elif tag[:1] in _PREFIXES and tag[1:2] == "-" and len(tag) == 2:
        hint = " (the entity type is missing)"
    elif tag in ("0", "o"):
        hint = " (did you mean 'O'?)"
    raise InputError(f"invalid tag {tag!r}{hint}: expected 'O' or B-/I-/E-/S-<TYPE>", path, lineno)


def empty_error(path: str) -> InputError:
    return InputError("no sentences found (the file is empty or holds only blank/comment lines)", path)


def finish(sentence: Sentence, repair: bool) -> Sentence:
    """Apply the optional IOB2 repair (re-encode exactly the entities seqeval would read)."""
    if repair and sentence.tags is not None:
        sentence.tags = repair_iob2(sentence.tags)
    return sentence


# ---------------------------------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class ColumnSpec:
    """How one member of the CoNLL family splits a line.

    ``sep``: ``"\\t"`` split on tabs, ``" "`` split on the last single space (MasakhaNER), ``None`` decide per
    file (tab when the first token line has one, else any whitespace). ``ncols``: required column count
    (``None`` = at least 2, and the same on every line). ``docstart``: treat ``-DOCSTART-`` lines as
    document boundaries. ``comments``: keep ``#`` lines preceding a sentence (UNER).
    """

    sep: str | None = None
    ncols: int | None = None
    docstart: bool = True
    comments: bool = False


Maker = Callable[[list[str], list[str], list[list[str]] | None, dict[str, object], int, str], Sentence]


def read_columns(
    path: PathLike,
    spec: ColumnSpec,
    make: Maker,
    repair: bool = False,
) -> Iterator[Sentence]:
    """Stream sentences from a column file; ``make`` builds each Sentence from tokens, tags, middle columns.

    ``make(tokens, tags, middle, meta, first_line, sep)`` receives the first column, the last column, the
    columns in between (``None`` when there are none), the meta collected so far (docstart / comment lines),
    the line number of the first token (token lines are consecutive, so token ``i`` is on ``first_line + i``)
    and the separator in use (``"\t"``, ``" "`` or ``"ws"``).
    """
    name = str(path)
    sep = spec.sep
    ncols = spec.ncols
    tokens: list[str] = []
    tags: list[str] = []
    middle: list[list[str]] = []
    first = 0
    pending: dict[str, object] = {}
    docstarts: list[str] = []
    comments: list[str] = []
    first_cols_line = 0
    n = 0

    def flush() -> Sentence:
        meta: dict[str, object] = {}
        if docstarts:
            meta["docstart"] = list(docstarts)
            docstarts.clear()
        if comments:
            meta["comments"] = list(comments)
            comments.clear()
        meta.update(pending)
        pending.clear()
        sent = make(list(tokens), list(tags), list(middle) if middle else None, meta, first, sep or "ws")
        tokens.clear()
        tags.clear()
        middle.clear()
        return finish(sent, repair)

    for lineno, line in iter_lines(path):
        if not line or line.isspace():
            if tokens:
                n += 1
                yield flush()
            continue
        if not tokens:
            if spec.comments and line.startswith("#"):
                comments.append(line)
                continue
            if spec.docstart and line.startswith(DOCSTART):
                if comments:
                    raise InputError("comment lines before -DOCSTART- are not supported", name, lineno)
                docstarts.append(line)
                continue
        if sep is None:
            sep = "\t" if "\t" in line else "ws"
        if sep == "\t":
            cols = line.split("\t")
        elif sep == " ":
            tok, space, tag = line.rstrip().rpartition(" ")
            cols = [tok, tag] if space else [line]
        else:
            cols = line.split()
        k = len(cols)
        if k < 2:
            raise InputError(
                f"missing tag column: expected TOKEN{_sep_name(sep)}TAG, found {line[:60]!r}", name, lineno
            )
        if ncols is None:
            ncols = k
            first_cols_line = lineno
        elif k != ncols:
            where = f" like line {first_cols_line}" if first_cols_line else ""
            raise InputError(f"expected {ncols} columns{where}, found {k}: {line[:60]!r}", name, lineno)
        tag = cols[-1]
        if tag != "O":
            tag = tag.strip()
            check_tag(tag, name, lineno)
        if not tokens:
            first = lineno
        tokens.append(cols[0])
        tags.append(tag)
        if k > 2:
            middle.append(cols[1:-1])
    if tokens:
        n += 1
        yield flush()
    if n == 0:
        raise empty_error(name)


def _sep_name(sep: str | None) -> str:
    return "<TAB>" if sep == "\t" else "<SPACE>"


def write_columns(
    fh: IO[str],
    sentences: Iterable[Sentence],
    row: Callable[[Sentence], Iterator[str]],
    header: Callable[[Sentence], Sequence[str]] | None = None,
) -> int:
    """Write sentences as blocks of lines separated by one blank line; returns the sentence count."""
    n = 0
    for sent in sentences:
        if not sent.tokens:
            raise no_tokens_error(sent, n)
        if header is not None:
            for h in header(sent):
                fh.write(h)
                fh.write("\n")
        for r in row(sent):
            fh.write(r)
            fh.write("\n")
        fh.write("\n")
        n += 1
    return n


def no_tokens_error(sent: Sentence, index: int) -> InputError:
    return InputError(
        f"sentence {index + 1}{f' ({sent.id})' if sent.id else ''} has no tokens; column formats separate "
        "sentences by blank lines and cannot hold an empty one (use jsonl, text or hf)"
    )


def docstart_lines(sent: Sentence) -> list[str]:
    """``-DOCSTART-`` lines kept on a sentence, each followed by the blank line that ends it."""
    ds = sent.meta.get("docstart")
    if not ds:
        return []
    out: list[str] = []
    for line in ds if isinstance(ds, list) else [str(ds)]:
        out.extend([str(line), ""])
    return out


def require_tags(sent: Sentence, fmt: str) -> list[str]:
    if sent.tags is None:
        raise InputError(
            f"sentence {sent.id or ' '.join(sent.tokens[:5])!r} has no tags; the {fmt} format needs a tag per token"
        )
    return sent.tags


def check_token(token: str, forbidden: str, fmt: str, sent: Sentence) -> None:
    """Refuse to write a token that would corrupt the file (e.g. a tab in a tab-separated column)."""
    for ch in forbidden:
        if ch in token:
            raise InputError(
                f"token {token!r} of sentence {sent.id or ' '.join(sent.tokens[:5])!r} contains "
                f"{ch!r}, which the {fmt} format cannot represent"
            )


def check_ws_token(token: str, fmt: str, sent: Sentence) -> None:
    """A token in a whitespace-separated format must be non-empty and free of any (Unicode) whitespace."""
    if token.split() != [token]:
        raise InputError(
            f"token {token!r} of sentence {sent.id or ' '.join(sent.tokens[:5])!r} is empty or contains "
            f"whitespace, which the {fmt} format cannot represent"
        )


def as_path(path: PathLike) -> Path:
    return Path(path)


def read_token_tag(path: PathLike, sep: str | None, lang: str | None, repair: bool) -> Iterator[Sentence]:
    """Stream a two-column ``TOKEN<sep>TAG`` file (``sep=None``: tab, else whitespace) with ``-DOCSTART-`` lines."""

    def make(
        tokens: list[str],
        tags: list[str],
        middle: list[list[str]] | None,
        meta: dict[str, object],
        first: int,
        s: str,
    ) -> Sentence:
        return Sentence(tokens, tags, lang=lang, meta=meta)

    return read_columns(path, ColumnSpec(sep=sep, ncols=2, docstart=True), make, repair)


def write_token_tag(sentences: Iterable[Sentence], fh: IO[str], fmt: str, sep: str, forbidden: str) -> int:
    """Write ``TOKEN<sep>TAG`` lines, refusing tokens that contain a character of ``forbidden``."""

    def rows(sent: Sentence) -> Iterator[str]:
        for tok, tag in zip(sent.tokens, require_tags(sent, fmt), strict=True):
            check_token(tok, forbidden, fmt, sent)
            yield f"{tok}{sep}{tag}"

    return write_columns(fh, sentences, rows, docstart_lines)
