"""The data model every stage shares: sentences, spans, alignments and parallel examples.

Naming follows the projection *roles*, never languages: the **source** side carries entity annotations, the
**target** side receives them by projection. Every stage (reader, translator, tagger, aligner, projector,
evaluator) takes and returns these types, so stages can be swapped without glue code.

The types are deliberately small, immutable where cheap, and free of heavy dependencies (numpy only), so the
pure cores (projection, evaluation) can be tested with tiny hand-written data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np


class ProjnerError(Exception):
    """Base class for every error projner raises on purpose (bad input, bad configuration)."""


class ConfigError(ProjnerError, ValueError):
    """A bad configuration: an unknown stage name, or parameters its factory does not take. A ``ValueError`` too,
    so code that caught the plain ``ValueError`` of earlier versions still does; the CLI prints it without a
    traceback."""


class InputError(ProjnerError, ValueError):
    """Bad input data. The message names the file and line when they are known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A half-open token span ``[start, end)`` with a label and an optional confidence score.

    Ordering is (start, end, label, score): sorting spans gives document order, which matters for the
    deterministic tie-breaking of the projection solvers.
    """

    start: int
    end: int
    label: str = ""
    score: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end}): need 0 <= start < end")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """Interval test: two half-open spans overlap iff each starts before the other ends."""
        return self.start < other.end and other.start < self.end

    def with_label(self, label: str) -> Span:
        return replace(self, label=label)

    def with_score(self, score: float | None) -> Span:
        return replace(self, score=score)


@dataclass(slots=True)
class Sentence:
    """A tokenized sentence with optional IOB tags, identifier and language.

    ``tags`` are kept as strings in the file's own scheme; use :func:`projner.core.tags.tags_to_spans`
    to get :class:`Span` objects. ``meta`` carries format-specific extras (comment lines, extra columns) so
    that a read→write round trip is lossless.
    """

    tokens: list[str]
    tags: list[str] | None = None
    id: str | None = None
    lang: str | None = None
    meta: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.tags is not None and len(self.tags) != len(self.tokens):
            raise ValueError(
                f"sentence {self.id or ''} has {len(self.tokens)} tokens but {len(self.tags)} tags"
            )

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def spans(self) -> list[Span]:
        """Entity spans decoded from ``tags`` with seqeval's default (conlleval) semantics."""
        from projner.core.tags import tags_to_spans

        return tags_to_spans(self.tags or ["O"] * len(self.tokens))

    def with_spans(self, spans: Iterable[Span], scheme: str = "IOB2") -> Sentence:
        """A copy whose tags encode ``spans`` (IOB2 by default)."""
        from projner.core.tags import spans_to_tags

        return replace(
            self, tags=spans_to_tags(list(spans), len(self.tokens), scheme=scheme), meta=dict(self.meta)
        )


class Alignment:
    """Word-alignment links between a source sentence and a target sentence.

    Stored as an ``(n, 2)`` int array of unique ``(src, tgt)`` pairs, sorted. The orientation is fixed here
    once: column 0 indexes the source side (the one with entities), column 1 the target side. Pharaoh
    ``i-j`` text puts the *first* input sentence first; :meth:`from_pharaoh` takes ``reverse=True`` when
    the file was produced with the target side first.
    """

    __slots__ = ("_pairs",)

    def __init__(self, pairs: Iterable[tuple[int, int]] | np.ndarray = ()) -> None:
        arr = np.asarray(list(pairs) if not isinstance(pairs, np.ndarray) else pairs, dtype=np.int64)
        if arr.size == 0:
            arr = np.zeros((0, 2), dtype=np.int64)
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise ValueError(f"alignment pairs must have shape (n, 2), got {arr.shape}")
        if (arr < 0).any():
            raise ValueError("alignment indices must be non-negative")
        self._pairs = np.unique(arr, axis=0) if len(arr) else arr

    @property
    def pairs(self) -> np.ndarray:
        """Read-only ``(n, 2)`` array of ``(src, tgt)`` pairs."""
        view = self._pairs.view()
        view.flags.writeable = False
        return view

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return ((int(s), int(t)) for s, t in self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __contains__(self, pair: object) -> bool:
        if not isinstance(pair, tuple) or len(pair) != 2:
            return False
        return bool(((self._pairs[:, 0] == pair[0]) & (self._pairs[:, 1] == pair[1])).any())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Alignment) and np.array_equal(self._pairs, other._pairs)

    def __hash__(self) -> int:
        return hash(self._pairs.tobytes())

    def __repr__(self) -> str:
        return f"Alignment({self.to_pharaoh()!r})"

    def as_set(self) -> set[tuple[int, int]]:
        return set(self)

    def reversed(self) -> Alignment:
        """Swap the two sides: ``(src, tgt)`` becomes ``(tgt, src)``."""
        return Alignment(self._pairs[:, ::-1].copy())

    def targets_of(self, src: int) -> list[int]:
        return sorted(int(t) for t in self._pairs[self._pairs[:, 0] == src, 1])

    def sources_of(self, tgt: int) -> list[int]:
        return sorted(int(s) for s in self._pairs[self._pairs[:, 1] == tgt, 0])

    def matrix(self, n_src: int, n_tgt: int) -> np.ndarray:
        """Dense boolean ``(n_src, n_tgt)`` link matrix."""
        m = np.zeros((n_src, n_tgt), dtype=bool)
        if len(self._pairs):
            m[self._pairs[:, 0], self._pairs[:, 1]] = True
        return m

    @classmethod
    def from_matrix(cls, matrix: np.ndarray) -> Alignment:
        return cls(np.argwhere(matrix))

    def check_bounds(self, n_src: int, n_tgt: int) -> None:
        if len(self._pairs) and (self._pairs[:, 0].max() >= n_src or self._pairs[:, 1].max() >= n_tgt):
            raise ValueError(
                f"alignment {self.to_pharaoh()!r} is out of bounds for {n_src} source and {n_tgt} target tokens"
            )

    def to_pharaoh(self) -> str:
        """``"i-j i-j ..."`` with ``i`` on the source side."""
        return " ".join(f"{s}-{t}" for s, t in self._pairs)

    @classmethod
    def from_pharaoh(cls, text: str, reverse: bool = False) -> Alignment:
        """Parse ``"i-j ..."``; also accepts the ``i-j-p`` and ``i?j`` (possible link) variants of some aligners."""
        pairs: list[tuple[int, int]] = []
        for item in text.split():
            sep = "?" if "?" in item and "-" not in item else "-"
            parts = item.split(sep)
            if len(parts) < 2 or not parts[0].isdigit() or not parts[1].isdigit():
                raise ValueError(f"not a Pharaoh link: {item!r}")
            i, j = int(parts[0]), int(parts[1])
            pairs.append((j, i) if reverse else (i, j))
        return cls(pairs)


@dataclass(slots=True)
class ParallelExample:
    """One projection problem: a source sentence with entities, a target sentence and their alignment.

    ``source_spans`` are the entities on the source side (gold or predicted); ``target_spans`` is filled by a
    projector. ``alignment`` links are ``(source index, target index)``.
    """

    source: Sentence
    target: Sentence
    source_spans: list[Span] = field(default_factory=list)
    alignment: Alignment | None = None
    target_spans: list[Span] | None = None
    confidence: float | None = None
    meta: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_sentences(
        cls, source: Sentence, target: Sentence, alignment: Alignment | None = None
    ) -> ParallelExample:
        """Build an example taking the source entities from the source sentence's tags."""
        return cls(source=source, target=target, source_spans=source.spans, alignment=alignment)


def check_spans(spans: Sequence[Span], n_tokens: int) -> None:
    """Raise if a span lies outside a sentence of ``n_tokens`` tokens."""
    for s in spans:
        if s.end > n_tokens:
            raise ValueError(f"span [{s.start}, {s.end}) {s.label} exceeds sentence length {n_tokens}")
