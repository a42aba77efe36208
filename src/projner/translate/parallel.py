"""Human translations as a translator: look sentences up in aligned parallel files (MAFAND-MT, Europarl, PUD).

This makes MT-free translate-test possible (method.md §5; MasakhaNER2 + MAFAND English translations) with the
same pipeline code as real MT. Lookups are keyed by the source text with *all whitespace removed* (and NFC
normalization), so a detokenized dataset sentence (``"Kampala , Uganda ."`` → ``"Kampala, Uganda."``) still finds
the untokenized line of the parallel file.

Sentences without a translation are never dropped silently: :meth:`ParallelFileTranslator.lookup` returns
``None`` for them; :meth:`ParallelFileTranslator.translate` returns ``""``, records their indices in
``last_missing`` and logs a warning with the count.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from projner.core.types import InputError
from projner.translate.base import Translator, register_translator
from projner.utils.cache import fingerprint

log = logging.getLogger(__name__)


def text_key(text: str) -> str:
    """Lookup key: NFC text with every whitespace character removed (tokenization-insensitive)."""
    return "".join(unicodedata.normalize("NFC", text).split())


def read_lines(path: str | Path) -> list[str]:
    """Lines of a UTF-8 text file without their line endings (an empty line stays an empty string)."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return [line.rstrip("\r\n") for line in fh]
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", str(path)) from exc


@register_translator("parallel-file")
class ParallelFileTranslator(Translator):
    """Return human translations from a ``source text → translation`` table.

    Build it from two line-aligned files (``from_file``/``to_file``), from aligned sequences
    (:meth:`from_aligned`, e.g. dataset sentences and an English file with one line per sentence, empty where
    none exists) or from a mapping. Direction is fixed by the data; ``from_lang``/``to_lang``, when given to the
    constructor, are checked at :meth:`translate` time.
    """

    name = "parallel-file"

    def __init__(
        self,
        mapping: Mapping[str, str] | None = None,
        from_file: str | Path | None = None,
        to_file: str | Path | None = None,
        from_lang: str | None = None,
        to_lang: str | None = None,
        label: str | None = None,
    ) -> None:
        self.from_lang = from_lang
        self.to_lang = to_lang
        self.table: dict[str, str] = {}
        self.conflicts = 0
        self.last_missing: list[int] = []
        self.label = label
        if from_file is not None or to_file is not None:
            if from_file is None or to_file is None:
                raise InputError("parallel-file translator needs both from_file and to_file")
            src, tgt = read_lines(from_file), read_lines(to_file)
            if len(src) != len(tgt):
                raise InputError(
                    f"has {len(src)} lines but {to_file} has {len(tgt)}; files must be line-aligned",
                    str(from_file),
                )
            self._add(zip(src, tgt, strict=True))
            self.label = self.label or f"{Path(from_file).name}->{Path(to_file).name}"
        if mapping is not None:
            self._add(mapping.items())

    @classmethod
    def from_aligned(
        cls, sources: Sequence[str], translations: Sequence[str | None], **kw: Any
    ) -> ParallelFileTranslator:
        """Pair ``sources[i]`` with ``translations[i]``; ``None``/empty translations mean "none exists"."""
        if len(sources) != len(translations):
            raise InputError(f"{len(sources)} source sentences but {len(translations)} translations")
        obj = cls(**kw)
        obj._add((s, t) for s, t in zip(sources, translations, strict=True) if t)
        return obj

    def _add(self, pairs: Iterable[tuple[str, str]]) -> None:
        for src, tgt in pairs:
            key = text_key(src)
            if not key or not tgt or not tgt.strip():
                continue
            old = self.table.get(key)
            if old is None:
                self.table[key] = tgt.strip()
            elif old != tgt.strip():
                self.conflicts += 1  # keep the first translation of a repeated source sentence
        if self.conflicts:
            log.info(
                "%d repeated source sentences had different translations; the first one is used",
                self.conflicts,
            )

    def __len__(self) -> int:
        return len(self.table)

    def params(self) -> dict[str, Any]:
        return {"label": self.label, "table": fingerprint(sorted(self.table.items()))}

    def _check_direction(self, from_lang: str, to_lang: str) -> None:
        for want, got, what in ((self.from_lang, from_lang, "from"), (self.to_lang, to_lang, "to")):
            if want is not None and got is not None and want != got:
                raise InputError(f"parallel-file translator holds {what}_lang={want!r}, asked for {got!r}")

    def lookup(
        self, texts: Sequence[str], from_lang: str | None = None, to_lang: str | None = None
    ) -> list[str | None]:
        """The human translation of each text, or ``None`` where the files have none."""
        if from_lang is not None and to_lang is not None:
            self._check_direction(from_lang, to_lang)
        return [self.table.get(text_key(t)) for t in texts]

    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        """Like :meth:`lookup`, with ``""`` for missing translations (indices in ``last_missing``, warned)."""
        self._check_direction(from_lang, to_lang)
        found = self.lookup(texts)
        self.last_missing = [
            i for i, (t, f) in enumerate(zip(texts, found, strict=True)) if f is None and t.strip()
        ]
        if self.last_missing:
            log.warning(
                "%d of %d sentences have no translation in %s (returned empty)",
                len(self.last_missing),
                len(texts),
                self.label or "the parallel data",
            )
        return [f or "" for f in found]


def mafand_translations(lang: str, split: str = "test", root: str | Path | None = None) -> dict[int, str]:
    """MasakhaNER2 sentence index → MAFAND-MT human translation (English or French) for ``lang``/``split``.

    Reads ``masakhaner2/masakhaner2_to_mafand.tsv`` under the data root (parsed by
    :func:`projner.data.registry.masakhaner2_mafand_rows`); the translation is the same line of the MAFAND
    source-language file (``en-lug/test.en`` for ``en-lug/test.lug``). Every mapping row of ``lang``/``split`` is
    checked against the MAFAND files (a missing file or out-of-range line names the mapping line); the first row
    of a sentence wins. Sentences absent from the mapping are absent from the result: the caller reports them.
    """
    from projner.data.registry import get, masakhaner2_mafand_path, masakhaner2_mafand_rows
    from projner.utils.paths import data_root

    base = Path(root) if root is not None else data_root(required=True)
    assert base is not None
    tsv = str(masakhaner2_mafand_path(base))
    mafand = base / get("mafand-mt").folder
    files: dict[Path, list[str]] = {}
    out: dict[int, str] = {}
    for row in masakhaner2_mafand_rows(lang, split, root=base):
        src_file = mafand / row.link.source_file
        if src_file not in files:
            if not src_file.is_file():
                raise InputError(f"MAFAND file {src_file} not found", tsv, row.line)
            files[src_file] = read_lines(src_file)
        lines = files[src_file]
        line = row.link.line_index
        if not 0 <= line < len(lines):
            raise InputError(
                f"line index {line} out of range for {src_file} ({len(lines)} lines)", tsv, row.line
            )
        out.setdefault(row.ner_index, lines[line])
    return out
