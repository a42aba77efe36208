"""Bilingual word lexicons as a source of alignment links.

Why: an embedding aligner links names well (they are copied or transliterated), but it often leaves the common
noun that heads a multi-word name unaligned ("Committee on Agriculture" → "Ausschuß für Landwirtschaft": the
mutual argmax gives "Ausschuß" to no English word), and the projection then loses the head. A bilingual
dictionary knows "committee ↔ Ausschuss". Used as the *secondary* aligner of
:class:`projner.align.combine.FillAligner`, a lexicon adds a link only between two words that the encoder left
unaligned, so it never overrides a link the encoder made.

Sources (a *lexicon spec*, see :func:`load_lexicon`):

* ``freedict:LANG`` or ``freedict:SRC-TGT`` — the FreeDict dictionaries in dictd format that Debian packages
  (``apt-get install dict-freedict-eng-deu dict-freedict-deu-eng``), read from ``/usr/share/dictd`` (or
  ``$PROJNER_DICTD``). ``LANG`` alone means English → LANG; both directions are read when installed.
* a path to a word-pair file: one ``source word<TAB>target word`` pair per line, ``#`` comments allowed.

Words are compared after :func:`normalize` (lower case, ``ß`` → ``ss``, accents dropped) and with a small
inflection tolerance (:func:`word_match`: a shared prefix of all but the last two letters), so "Ausschusses"
matches "Ausschuss" without a morphological analyser.
"""

from __future__ import annotations

import gzip
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from projner.align.base import DEFAULT_BATCH_SIZE, Pair
from projner.core.types import Alignment, InputError
from projner.utils.cache import StageCache, file_fingerprint, fingerprint

DICTD_DIR = Path("/usr/share/dictd")
"""Where Debian's ``dict-freedict-*`` packages install their dictionaries (overridden by ``$PROJNER_DICTD``)."""

ISO639_3 = {
    "af": "afr", "ar": "ara", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "el": "ell", "en": "eng",
    "eo": "epo", "es": "spa", "fi": "fin", "fr": "fra", "ga": "gle", "hi": "hin", "hr": "hrv", "hu": "hun",
    "it": "ita", "ja": "jpn", "la": "lat", "lt": "lit", "nl": "nld", "no": "nor", "pl": "pol", "pt": "por",
    "ru": "rus", "sv": "swe", "sw": "swh", "tr": "tur",
}  # fmt: skip
"""ISO 639-1 → the 639-3 codes FreeDict names its dictionaries with."""

_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_BRACKETS = re.compile(r"<[^>]*>|\[[^\]]*\]|\([^)]*\)|\{[^}]*\}")
_LABEL_LINE = re.compile(r'^\s*("|\w+:\s|\w+:$)')
_NUMBERED = re.compile(r"^\s*\d+\.\s*")
_WORD = re.compile(r"\w+")


def normalize(word: str) -> str:
    """Lower case, ``ß`` → ``ss``, combining accents removed: "Ausschuß" and "ausschuss" compare equal."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def word_match(a: str, b: str, min_prefix: int = 4) -> bool:
    """Whether two normalised words are the same word up to inflection.

    Equal words match; otherwise they must share a prefix of at least ``min_prefix`` letters and of all but the
    last two letters of the shorter word ("ausschuss" ~ "ausschusses", "comissao" ~ "comissoes", but not
    "commission" ~ "committee").
    """
    if a == b:
        return True
    n = min(len(a), len(b))
    if n < min_prefix:
        return False
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return k >= max(min_prefix, n - 2)


@dataclass(frozen=True)
class Lexicon:
    """Normalised source word → normalised target words it translates to.

    ``source_id`` identifies where the entries came from (spec and file hashes); it stands in for the entries in
    cache keys, so that a 100k-entry dictionary is not hashed on every call.
    """

    entries: Mapping[str, frozenset[str]]
    source_id: str

    def __len__(self) -> int:
        return len(self.entries)

    def translations(self, word: str) -> frozenset[str]:
        """Target words for ``word``; an English plural falls back to its singular ("committees" → "committee")."""
        return self.lookup(normalize(word))

    def lookup(self, key: str) -> frozenset[str]:
        """:meth:`translations` of an already normalised word."""
        found = self.entries.get(key)
        if found is not None:
            return found
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
            if key.endswith(suffix) and len(key) > len(suffix) + 2:
                found = self.entries.get(key[: -len(suffix)] + repl)
                if found is not None:
                    return found
        return frozenset()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], source_id: str = "pairs") -> Lexicon:
        """Build from (source, target) strings; multi-word sides follow :func:`_add_pair`'s rule."""
        table: defaultdict[str, set[str]] = defaultdict(set)
        for src, tgt in pairs:
            _add_pair(table, src, tgt)
        return cls({k: frozenset(v) for k, v in table.items()}, source_id)


def _add_pair(table: defaultdict[str, set[str]], src: str, tgt: str) -> None:
    """Add one dictionary pair. Only single-word source entries are kept (a word aligner links words); a target of
    two or three words contributes its words of four or more letters ("committee" → "comitato direttivo"
    gives "comitato" and "direttivo"), longer target phrases are definitions and are skipped."""
    src_words = _WORD.findall(normalize(src))
    tgt_words = _WORD.findall(normalize(tgt))
    if len(src_words) != 1 or not tgt_words:
        return
    if len(tgt_words) == 1:
        table[src_words[0]].add(tgt_words[0])
    elif len(tgt_words) <= 3:
        table[src_words[0]].update(w for w in tgt_words if len(w) >= 4)


def read_word_pairs(path: str | Path) -> Lexicon:
    """A word-pair file: ``source<TAB>target`` per line; blank lines and ``#`` comments are skipped."""
    p = Path(path)
    if not p.is_file():
        raise InputError("lexicon file not found", str(p))
    pairs: list[tuple[str, str]] = []
    with open(p, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            text = line.rstrip("\n")
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            cols = text.split("\t")
            if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
                raise InputError("expected 'source word<TAB>target word'", str(p), lineno)
            pairs.append((cols[0], cols[1]))
    return Lexicon.from_pairs(pairs, f"file:{file_fingerprint(p)}")


def _b64(text: str) -> int:
    value = 0
    for ch in text:
        value = value * 64 + _B64[ch]
    return value


def dictd_entries(index: Path, data: Path) -> Iterator[tuple[str, str]]:
    """(headword, translation) pairs of one dictd dictionary (FreeDict's layout).

    An entry is the headword line (word, pronunciation, grammar) followed by translation lines, possibly numbered
    ("1. Abissinia"), with examples in quotes and ``see:``/``Synonym:``/``Note:`` lines, which are skipped.
    Bracketed notes (``<masc>``, ``[pol.]``) are removed and a line is split at commas and semicolons.
    """
    opener = gzip.open if data.suffix == ".dz" or data.suffix == ".gz" else open
    with opener(data, "rb") as fh:
        blob = fh.read()
    with open(index, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 3:
                raise InputError(
                    "expected 'headword<TAB>offset<TAB>length' (dictd index)", str(index), lineno
                )
            head, off, length = cols
            if head.startswith("00-database") or head.startswith("00database"):
                continue
            try:
                start, size = _b64(off), _b64(length)
            except KeyError:
                raise InputError("bad base64 offset in dictd index", str(index), lineno) from None
            text = blob[start : start + size].decode("utf-8", "replace")
            for body in text.split("\n")[1:]:
                if not body.strip() or _LABEL_LINE.match(body):
                    continue
                cleaned = _BRACKETS.sub(" ", _NUMBERED.sub("", body))
                for item in re.split(r"[,;]", cleaned):
                    if item.strip():
                        yield head, item.strip()


def _dictd_files(directory: Path, pair: str) -> tuple[Path, Path] | None:
    index = directory / f"freedict-{pair}.index"
    for data in (directory / f"freedict-{pair}.dict.dz", directory / f"freedict-{pair}.dict"):
        if index.is_file() and data.is_file():
            return index, data
    return None


def _freedict(
    src: str, tgt: str, directory: str | Path | None
) -> tuple[str, str, Path, tuple[Path, Path] | None, tuple[Path, Path] | None]:
    """639-3 codes, the dictionary folder and the forward / reverse dictionary files (``None`` when absent)."""
    src, tgt = ISO639_3.get(src, src), ISO639_3.get(tgt, tgt)
    where = Path(directory or os.environ.get("PROJNER_DICTD") or DICTD_DIR)
    return src, tgt, where, _dictd_files(where, f"{src}-{tgt}"), _dictd_files(where, f"{tgt}-{src}")


def read_freedict(src: str, tgt: str, directory: str | Path | None = None) -> Lexicon:
    """The FreeDict lexicon SRC → TGT, from ``freedict-SRC-TGT`` and (reversed) ``freedict-TGT-SRC``."""
    src, tgt, where, forward, reverse = _freedict(src, tgt, directory)
    if forward is None and reverse is None:
        raise InputError(
            f"no FreeDict dictionary for {src}-{tgt} in {where} "
            f"(install one: apt-get install dict-freedict-{src}-{tgt} dict-freedict-{tgt}-{src})",
            str(where),
        )
    table: defaultdict[str, set[str]] = defaultdict(set)
    ids: list[str] = []
    if forward is not None:
        for head, tr in dictd_entries(*forward):
            _add_pair(table, head, tr)
        ids.append(file_fingerprint(forward[0]))
    if reverse is not None:
        for head, tr in dictd_entries(*reverse):
            _add_pair(table, tr, head)
        ids.append(file_fingerprint(reverse[0]))
    return Lexicon({k: frozenset(v) for k, v in table.items()}, f"freedict:{src}-{tgt}:{'+'.join(ids)}")


def load_lexicon(spec: str | Path | Lexicon, cache: bool = True) -> Lexicon:
    """A lexicon from a spec: ``freedict:LANG`` (English → LANG), ``freedict:SRC-TGT``, or a word-pair file.

    Parsed dictionaries are cached (a large FreeDict takes ~15 s to parse, a cache hit well under a second),
    keyed by the dictionary files' hashes, so an upgraded package is re-read.
    """
    if isinstance(spec, Lexicon):
        return spec
    text = str(spec)
    if not text.startswith("freedict:"):
        return read_word_pairs(text)
    langs = text.split(":", 1)[1]
    src, _, tgt = langs.partition("-") if "-" in langs else ("eng", "", langs)
    src, tgt, where, forward, reverse = _freedict(src, tgt, None)
    files = [f for f in (forward, reverse) if f is not None]
    store = StageCache("lexicon", enabled=cache)
    key = fingerprint(
        "freedict", src, tgt, [(str(i), i.stat().st_size, i.stat().st_mtime_ns) for i, _ in files]
    )
    stored = store.get(key)
    if stored is not None:
        return Lexicon(stored["entries"], stored["source_id"])
    lex = read_freedict(src, tgt, where)
    store.put(key, {"entries": dict(lex.entries), "source_id": lex.source_id})
    return lex


class LexiconAligner:
    """Links every source word to every target word that the lexicon gives as its translation.

    The output is many-to-many (a word with two translations in the sentence gets both); meant as the secondary
    of a :class:`~projner.align.combine.FillAligner`, which keeps one link per unaligned word. Words shorter than
    ``min_len`` letters or not alphabetic are never linked: function words ("de", "la") have translations
    everywhere and would glue neighbouring words to entities.
    """

    streaming = True

    def __init__(
        self, lexicon: str | Path | Lexicon, min_len: int = 4, min_prefix: int = 4, name: str = "lexicon"
    ) -> None:
        self.spec = lexicon if isinstance(lexicon, Lexicon) else str(lexicon)
        self.min_len = int(min_len)
        self.min_prefix = int(min_prefix)
        self.name = name
        self._lexicon: Lexicon | None = lexicon if isinstance(lexicon, Lexicon) else None

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = load_lexicon(self.spec)
        return self._lexicon

    def params(self) -> dict[str, Any]:
        return {"lexicon": self.lexicon.source_id, "min_len": self.min_len, "min_prefix": self.min_prefix}

    def _usable(self, word: str) -> bool:
        return len(word) >= self.min_len and word.isalpha()

    def links(self, src: Sequence[str], tgt: Sequence[str]) -> Alignment:
        """The lexicon links of one sentence pair."""
        tgt_norm = [normalize(t) for t in tgt]
        usable = [j for j, t in enumerate(tgt_norm) if self._usable(t)]
        pairs: list[tuple[int, int]] = []
        if usable:
            for i, word in enumerate(src):
                key = normalize(word)
                if not self._usable(key):
                    continue
                options = self.lexicon.lookup(key)
                if not options:
                    continue
                for j in usable:
                    t = tgt_norm[j]
                    if t in options or any(word_match(o, t, self.min_prefix) for o in options):
                        pairs.append((i, j))
        return Alignment(np.asarray(pairs, dtype=np.int64).reshape(-1, 2))

    def align(self, pairs: Iterable[Pair], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Alignment]:
        for src, tgt in pairs:
            yield self.links(src, tgt)
