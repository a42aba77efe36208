"""The projector interface: source entities + alignment → target spans, with scores and a confidence.

Every projector implements one method, :meth:`Projector.project_links`, returning :class:`Projection` records
(which source entity produced which target span, and how strongly). The base class turns those into the
public results and enforces the invariants every stage downstream relies on:

* target spans are inside the target sentence, carry a label, do not overlap, and are sorted — so they
  always encode to valid IOB2 (:func:`projner.core.tags.spans_to_tags`);
* an exception is **never** turned into an all-``O`` sentence silently (the original code did that). It is
  raised, or — in :meth:`Projector.project_batch` with ``on_error="report"`` — the example is yielded with
  ``meta["projection_error"]`` set, and counted in :class:`ProjectionStats`, which callers print.

The per-sentence ``confidence`` is the mean projected-span score (clipped to 1) times the share of source
entities that were projected; it lets users keep only the most trustworthy projected training sentences.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np

from projner.core.types import Alignment, ConfigError, ParallelExample, ProjnerError, Span

OnError = Literal["raise", "report"]


class ProjectionError(ProjnerError):
    """A projector failed on one example (bad alignment, out-of-range span, solver failure...)."""


@dataclass(frozen=True, slots=True)
class Projection:
    """One projected span and the index (into ``example.source_spans``) of the entity it comes from."""

    source: int
    span: Span


@dataclass(slots=True)
class ProjectionStats:
    """Counters of a batch run; ``failed`` examples were yielded without target spans (never silently)."""

    examples: int = 0
    failed: int = 0
    source_entities: int = 0
    projected_entities: int = 0
    target_spans: int = 0
    failures: list[tuple[int, str | None, str]] = field(default_factory=list)

    max_failures_kept: ClassVar[int] = 100

    def add_failure(self, index: int, example_id: str | None, message: str) -> None:
        self.failed += 1
        if len(self.failures) < self.max_failures_kept:
            self.failures.append((index, example_id, message))

    def summary(self) -> str:
        share = self.projected_entities / self.source_entities if self.source_entities else 1.0
        return (
            f"{self.examples} sentences, {self.source_entities} source entities, "
            f"{self.projected_entities} projected ({share:.1%}), {self.target_spans} target spans, "
            f"{self.failed} failed"
        )


class ProjectionBatch(Iterator[ParallelExample]):
    """Lazy iterator over projected examples that also exposes the running :class:`ProjectionStats`."""

    def __init__(self, inner: Iterator[ParallelExample], stats: ProjectionStats) -> None:
        self._inner = inner
        self.stats = stats

    def __iter__(self) -> ProjectionBatch:
        return self

    def __next__(self) -> ParallelExample:
        return next(self._inner)


def sentence_confidence(projections: list[Projection], n_source: int) -> float:
    """Mean projected-span score (each clipped to [0, 1]) × share of source entities projected.

    A sentence without source entities is trivially right when left empty, so its confidence is 1.
    """
    if n_source == 0:
        return 1.0
    if not projections:
        return 0.0
    scores = [min(max(p.span.score if p.span.score is not None else 1.0, 0.0), 1.0) for p in projections]
    covered = len({p.source for p in projections})
    return sum(scores) / len(scores) * covered / n_source


def validate_spans(spans: list[Span], n_tokens: int) -> list[Span]:
    """Sort ``spans`` and raise :class:`ProjectionError` unless they are labelled, in bounds and disjoint."""
    ordered = sorted(spans)
    prev: Span | None = None
    for s in ordered:
        if s.end > n_tokens:
            raise ProjectionError(f"projected span [{s.start}, {s.end}) exceeds target length {n_tokens}")
        if not s.label or s.label == "O":
            raise ProjectionError(f"projected span [{s.start}, {s.end}) has no entity label")
        if prev is not None and s.start < prev.end:
            raise ProjectionError(f"projected spans {prev} and {s} overlap")
        prev = s
    return ordered


def check_example(example: ParallelExample) -> None:
    """Raise :class:`ProjectionError` on inconsistent input (missing alignment, out-of-range indices)."""
    n_src, n_tgt = len(example.source.tokens), len(example.target.tokens)
    if example.alignment is None:
        raise ProjectionError("example has no alignment; run an aligner first")
    pairs = example.alignment.pairs
    if len(pairs):
        mx = pairs.max(axis=0)
        if mx[0] >= n_src or mx[1] >= n_tgt:
            raise ProjectionError(
                f"alignment {example.alignment.to_pharaoh()!r} is out of bounds for {n_src} source and "
                f"{n_tgt} target tokens"
            )
    for s in example.source_spans:
        if s.end > n_src:
            raise ProjectionError(f"source span [{s.start}, {s.end}) exceeds source length {n_src}")


def link_matrix(
    alignment: Alignment, n_src: int, n_tgt: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Dense ``(n_src, n_tgt)`` float link matrix (1 per link, or the given per-pair weights)."""
    m = np.zeros((n_src, n_tgt), dtype=np.float64)
    pairs = alignment.pairs
    if len(pairs):
        m[pairs[:, 0], pairs[:, 1]] = 1.0 if weights is None else weights
    return m


LINK_MODES = ("single", "mean", "union", "intersection", "weighted")


def example_links(
    example: ParallelExample, mode: str = "single", weights: Sequence[float] | None = None
) -> np.ndarray:
    """The example's float link matrix.

    ``"single"`` uses ``example.alignment``. The other modes combine the alignments listed in
    ``example.meta["alignments"]`` (e.g. an embedding aligner and eflomal): ``"mean"`` averages their 0/1
    matrices (a link both aligners agree on weighs 1, a link only one proposes 0.5), ``"union"`` and
    ``"intersection"`` are the usual set operations, ``"weighted"`` sums them with ``weights`` (e.g.
    ``[1, 0.01]``: the second alignment only matters for words the first leaves unlinked). Without
    ``meta["alignments"]`` every mode is ``"single"``.
    """
    n_src, n_tgt = len(example.source.tokens), len(example.target.tokens)
    assert example.alignment is not None
    extra = example.meta.get("alignments") if mode != "single" else None
    if not extra:
        if mode not in LINK_MODES:
            raise ValueError(f"unknown link mode {mode!r}; choose one of {', '.join(LINK_MODES)}")
        return link_matrix(example.alignment, n_src, n_tgt)
    mats = []
    for a in extra:  # type: ignore[attr-defined]
        try:
            a.check_bounds(n_src, n_tgt)
        except ValueError as exc:
            raise ProjectionError(str(exc)) from exc
        mats.append(link_matrix(a, n_src, n_tgt))
    stack = np.stack(mats)
    if mode == "mean":
        return stack.mean(axis=0)
    if mode == "union":
        return stack.max(axis=0)
    if mode == "intersection":
        return stack.min(axis=0)
    if mode == "weighted":
        if weights is None or len(weights) != len(mats):
            raise ValueError(f"link mode 'weighted' needs one weight per alignment ({len(mats)})")
        return np.tensordot(np.asarray(weights, dtype=np.float64), stack, axes=1)
    raise ValueError(f"unknown link mode {mode!r}; choose one of {', '.join(LINK_MODES)}")


class Projector(ABC):
    """Base class of all projectors. Subclasses implement :meth:`project_links` only."""

    name: ClassVar[str] = "projector"

    @abstractmethod
    def project_links(self, example: ParallelExample) -> list[Projection]:
        """Project ``example.source_spans`` onto the target; return one record per target span."""

    def project_checked(self, example: ParallelExample) -> list[Projection]:
        """:meth:`project_links` plus input checks and the output invariants (sorted, disjoint, in bounds)."""
        check_example(example)
        if not example.source_spans or len(example.target.tokens) == 0:
            return []
        links = self.project_links(example)
        validate_spans([p.span for p in links], len(example.target.tokens))
        return sorted(links, key=lambda p: p.span)

    def project(self, example: ParallelExample) -> list[Span]:
        """Target spans (sorted, non-overlapping, each with a ``score``) for one example; raises on failure."""
        return [p.span for p in self.project_checked(example)]

    def project_batch(
        self,
        examples: Iterable[ParallelExample],
        on_error: OnError = "raise",
        stats: ProjectionStats | None = None,
    ) -> ProjectionBatch:
        """Fill ``target_spans`` and ``confidence`` of each example (in place) and yield it.

        ``on_error="raise"`` propagates the first exception. ``on_error="report"`` yields the failing example
        with ``target_spans=[]``, ``confidence=None`` and ``meta["projection_error"]``, and counts it in the
        returned batch's ``stats`` — the caller must report ``stats.failed``.
        """
        if on_error not in ("raise", "report"):
            raise ValueError(f"on_error must be 'raise' or 'report', got {on_error!r}")
        st = stats if stats is not None else ProjectionStats()

        def run() -> Iterator[ParallelExample]:
            for index, ex in enumerate(examples):
                st.examples += 1
                st.source_entities += len(ex.source_spans)
                try:
                    links = self.project_checked(ex)
                except Exception as exc:
                    if on_error == "raise":
                        raise
                    st.add_failure(index, ex.target.id or ex.source.id, f"{type(exc).__name__}: {exc}")
                    ex.target_spans = []
                    ex.confidence = None
                    ex.meta["projection_error"] = f"{type(exc).__name__}: {exc}"
                    yield ex
                    continue
                ex.target_spans = [p.span for p in links]
                ex.confidence = sentence_confidence(links, len(ex.source_spans))
                st.projected_entities += len({p.source for p in links})
                st.target_spans += len(links)
                yield ex

        return ProjectionBatch(run(), st)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in sorted(getattr(self, "params", {}).items()))
        return f"{type(self).__name__}({params})"


PROJECTORS: dict[str, Callable[..., Projector]] = {}
"""Registry: name → factory taking keyword parameters. Filled by the projector modules on import."""


def register_projector(name: str, factory: Callable[..., Projector]) -> None:
    PROJECTORS[name] = factory


def get_projector(name: str, **params: Any) -> Projector:
    """Build a registered projector, e.g. ``get_projector("greedy", max_len=10)``."""
    import projner.project  # noqa: F401  (fills the registry)

    try:
        factory = PROJECTORS[name]
    except KeyError:
        raise ConfigError(
            f"unknown projector {name!r}; choose one of {', '.join(sorted(PROJECTORS))}"
        ) from None
    try:
        return factory(**params)
    except ProjnerError:
        raise
    # an unknown keyword or a bad value (--param, a config file)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad parameters for projector {name!r}: {exc}") from exc
