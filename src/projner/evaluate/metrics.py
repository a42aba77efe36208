"""Entity-level precision / recall / F1 exactly as seqeval's default (conlleval) mode, or its strict IOB2 mode.

seqeval flattens all sentences (with an ``O`` between them), decodes entities with its chunking rules and
compares ``(type, start, end)`` triples. We decode per sentence with the same rules
(:func:`projner.core.tags.tags_to_spans`), which yields the same triples, and keep per-sentence counts so that
bootstrap resampling over sentences is a vectorised numpy operation rather than a re-evaluation.

Ignored classes (``--ignore MISC,DATE``) are mapped to ``O`` on *both* sides, as in the paper.

``mode="strict"`` decodes entities as seqeval's ``mode="strict", scheme=IOB2`` does
(:func:`projner.core.tags.tags_to_spans_strict`): an ``I-`` tag that continues no ``B-`` of its type is not an
entity. The two modes agree on valid IOB2 (every projner output); they differ on other tools' invalid sequences.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from projner.core.tags import tags_to_spans, tags_to_spans_strict
from projner.core.types import InputError, Sentence, Span

MODES = ("default", "strict")


def _prf(tp: float, n_pred: float, n_true: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class TypeScore:
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int
    correct: int


@dataclass
class EvalResult:
    """Micro-averaged and per-type scores (fractions in [0, 1]), plus counts and optional bootstrap CIs."""

    precision: float
    recall: float
    f1: float
    per_type: dict[str, TypeScore]
    n_sentences: int
    n_tokens: int
    n_gold: int
    n_pred: int
    n_correct: int
    accuracy: float
    proj_ratio: float
    ci: dict[str, tuple[float, float]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    mode: str = "default"

    def to_dict(self) -> dict[str, object]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "accuracy": self.accuracy,
            "proj_ratio": self.proj_ratio,
            "n_sentences": self.n_sentences,
            "n_tokens": self.n_tokens,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "n_correct": self.n_correct,
            "ignored": self.ignored,
            "mode": self.mode,
            "per_type": {k: vars(v) for k, v in sorted(self.per_type.items())},
            "ci95": {k: list(v) for k, v in self.ci.items()},
        }


class Scorer:
    """Accumulates per-sentence entity counts; call :meth:`add` per sentence, then :meth:`result`."""

    def __init__(self, ignore: Iterable[str] = (), mode: str = "default") -> None:
        if mode not in MODES:
            raise ValueError(f"unknown evaluation mode {mode!r}; choose one of {', '.join(MODES)}")
        self.mode = mode
        self._decode = tags_to_spans_strict if mode == "strict" else tags_to_spans
        self.ignore = frozenset(ignore)
        self.tp: list[int] = []
        self.n_pred: list[int] = []
        self.n_true: list[int] = []
        self.type_counts: dict[str, list[int]] = {}  # type -> [correct, predicted, gold]
        self.tokens = 0
        self.tokens_correct = 0
        self.ratio_sum = 0.0
        self.token_mismatches = 0
        """Sentences whose token texts differ between the two sides (same counts; see :func:`score_sentences`)."""
        self.first_token_mismatch = ""

    def _spans(self, tags: Sequence[str]) -> set[Span]:
        return {s for s in self._decode(tags) if s.label not in self.ignore}

    def _token_tags(self, tags: Sequence[str]) -> list[str]:
        return ["O" if (t != "O" and t[2:] in self.ignore) else t for t in tags]

    def add(self, gold_tags: Sequence[str], pred_tags: Sequence[str]) -> None:
        gold, pred = self._spans(gold_tags), self._spans(pred_tags)
        correct = gold & pred
        self.tp.append(len(correct))
        self.n_pred.append(len(pred))
        self.n_true.append(len(gold))
        for spans, slot in ((correct, 0), (pred, 1), (gold, 2)):
            for s in spans:
                self.type_counts.setdefault(s.label, [0, 0, 0])[slot] += 1
        g, p = self._token_tags(gold_tags), self._token_tags(pred_tags)
        self.tokens += len(g)
        self.tokens_correct += sum(a == b for a, b in zip(g, p, strict=True))
        # proj_ratio (method.md §3.11): #pred B / #gold B per sentence; 0/0 counts as 1, x/0 as 0.
        if gold:
            self.ratio_sum += len(pred) / len(gold)
        elif not pred:
            self.ratio_sum += 1.0

    def result(self, bootstrap: int = 0, seed: int = 0) -> EvalResult:
        tp, npred, ntrue = sum(self.tp), sum(self.n_pred), sum(self.n_true)
        p, r, f = _prf(tp, npred, ntrue)
        per_type = {}
        for label, (c, pr, g) in self.type_counts.items():
            tp_, tr_, tf_ = _prf(c, pr, g)
            per_type[label] = TypeScore(tp_, tr_, tf_, g, pr, c)
        n = len(self.tp)
        res = EvalResult(
            precision=p,
            recall=r,
            f1=f,
            per_type=per_type,
            n_sentences=n,
            n_tokens=self.tokens,
            n_gold=ntrue,
            n_pred=npred,
            n_correct=tp,
            accuracy=self.tokens_correct / self.tokens if self.tokens else 0.0,
            proj_ratio=self.ratio_sum / n if n else 0.0,
            ignored=sorted(self.ignore),
            mode=self.mode,
        )
        if bootstrap and n:
            res.ci = bootstrap_ci(
                np.array(self.tp), np.array(self.n_pred), np.array(self.n_true), bootstrap, seed
            )
        return res

    def counts(self) -> np.ndarray:
        """Per-sentence ``(tp, predicted, gold)`` entity counts, ``n × 3`` float64 (the bootstrap's unit)."""
        return np.stack([self.tp, self.n_pred, self.n_true], axis=1).astype(np.float64)


def _weight_chunks(n: int, n_resamples: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Sentence multiplicities of ``n_resamples`` bootstrap resamples, in chunks that keep memory bounded.

    A resample is a multinomial draw of how often each of the ``n`` sentences occurs; summing per-sentence counts by
    these weights is exactly scoring the resampled corpus.
    """
    chunk = max(1, min(n_resamples, 2_000_000 // max(n, 1)))
    for start in range(0, n_resamples, chunk):
        k = min(chunk, n_resamples - start)
        yield rng.multinomial(n, np.full(n, 1.0 / n), size=k).astype(np.float64)


def resampled_prf(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Micro P/R/F1 (``k × 3``) of ``k`` weighted corpora; ``counts`` is ``n × 3`` per-sentence (tp, pred, gold)."""
    sums = weights @ counts
    t, pr, tr = sums[:, 0], sums[:, 1], sums[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(pr > 0, t / pr, 0.0)
        rec = np.where(tr > 0, t / tr, 0.0)
        f1 = np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)
    return np.stack([prec, rec, f1], axis=1)


def bootstrap_ci(
    tp: np.ndarray,
    n_pred: np.ndarray,
    n_true: np.ndarray,
    n_resamples: int,
    seed: int = 0,
    alpha: float = 0.05,
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap CI of micro P/R/F1, resampling *sentences* with replacement (vectorised).

    Sentences are the resampling unit because entities within one sentence are not independent.
    Resamples are drawn in chunks so memory stays bounded for large test sets.
    """
    rng = np.random.default_rng(seed)
    counts = np.stack([tp, n_pred, n_true], axis=1).astype(np.float64)
    stats = np.concatenate([resampled_prf(counts, w) for w in _weight_chunks(len(tp), n_resamples, rng)])
    lo, hi = 100 * alpha / 2, 100 * (1 - alpha / 2)
    return {
        name: (float(np.percentile(stats[:, i], lo)), float(np.percentile(stats[:, i], hi)))
        for i, name in enumerate(("precision", "recall", "f1"))
    }


@dataclass
class Comparison:
    """Paired comparison of two systems scored on the same gold sentences; ``delta = f1 - base_f1``."""

    f1: float
    base_f1: float
    delta: float
    ci: tuple[float, float]
    """Percentile CI of ``delta`` over paired resamples (both systems see the same resampled sentences)."""
    share_better: float
    """Share of resamples in which the system beats the base (``delta > 0``); ties count as not better."""
    n_resamples: int
    n_sentences: int

    def to_dict(self) -> dict[str, object]:
        return {**vars(self), "ci": list(self.ci)}


def paired_bootstrap(
    system: Scorer, base: Scorer, n_resamples: int = 1000, seed: int = 0, alpha: float = 0.05
) -> Comparison:
    """Paired sentence bootstrap of the F1 difference between ``system`` and ``base`` (Koehn 2004, Berg-Kirkpatrick
    et al. 2012).

    Why paired: two projectors evaluated on the same sentences share most of their errors, so the CI of the
    *difference* is much narrower than the overlap of two separate CIs suggests; it is the right test for choosing
    a default on development data.
    """
    n = len(system.tp)
    if n != len(base.tp):
        raise InputError(f"paired bootstrap needs the same sentences: {n} vs {len(base.tp)}")
    if n == 0 or n_resamples < 1:
        raise ValueError("paired bootstrap needs at least one sentence and one resample")
    f1 = system.result().f1
    base_f1 = base.result().f1
    rng = np.random.default_rng(seed)
    counts, base_counts = system.counts(), base.counts()
    deltas = np.concatenate(
        [
            resampled_prf(counts, w)[:, 2] - resampled_prf(base_counts, w)[:, 2]
            for w in _weight_chunks(n, n_resamples, rng)
        ]
    )
    lo, hi = np.percentile(deltas, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return Comparison(
        f1=f1,
        base_f1=base_f1,
        delta=f1 - base_f1,
        ci=(float(lo), float(hi)),
        share_better=float(np.mean(deltas > 0)),
        n_resamples=n_resamples,
        n_sentences=n,
    )


def _describe(s: Sentence, index: int) -> str:
    head = " ".join(s.tokens[:8]) + (" …" if len(s.tokens) > 8 else "")
    ident = f" (id {s.id})" if s.id else ""
    return f"sentence {index + 1}{ident} «{head}»"


def evaluate_sentences(
    gold: Iterable[Sentence],
    pred: Iterable[Sentence],
    ignore: Iterable[str] = (),
    bootstrap: int = 0,
    seed: int = 0,
    gold_name: str = "gold",
    pred_name: str = "prediction",
    check_tokens: bool = False,
    mode: str = "default",
) -> EvalResult:
    """Score ``pred`` against ``gold`` sentence by sentence (streaming); ``mode``: seqeval default or strict.

    Sentence-count and token-count mismatches raise :class:`InputError` naming the first offending sentence:
    a silent number computed on misaligned data would be worse than no number.
    """
    scorer = score_sentences(gold, pred, ignore, gold_name, pred_name, check_tokens, mode)
    return scorer.result(bootstrap=bootstrap, seed=seed)


def score_sentences(
    gold: Iterable[Sentence],
    pred: Iterable[Sentence],
    ignore: Iterable[str] = (),
    gold_name: str = "gold",
    pred_name: str = "prediction",
    check_tokens: bool = False,
    mode: str = "default",
) -> Scorer:
    """The :class:`Scorer` of :func:`evaluate_sentences` (same checks), for paired comparisons.

    Sentences whose tokens differ in text but not in number are counted in ``scorer.token_mismatches``
    (``check_tokens=True`` makes the first one an :class:`InputError`)."""
    scorer = Scorer(ignore, mode)
    gold_it, pred_it = iter(gold), iter(pred)
    index = 0
    while True:
        g = next(gold_it, None)
        p = next(pred_it, None)
        if g is None and p is None:
            break
        if g is None or p is None:
            longer, shorter = (pred_name, gold_name) if g is None else (gold_name, pred_name)
            extra = p if g is None else g
            assert extra is not None
            raise InputError(
                f"sentence count mismatch: {shorter} ends after {index} sentences but {longer} continues with "
                f"{_describe(extra, index)}"
            )
        if len(g.tokens) != len(p.tokens):
            raise InputError(
                f"token count mismatch at {_describe(g, index)}: {gold_name} has {len(g.tokens)} tokens, "
                f"{pred_name} has {len(p.tokens)}"
            )
        if g.tokens != p.tokens:
            # Same counts, other words: often harmless (a tool that normalises brackets or quotes), sometimes two
            # files that are not the same sentences. Counted for the caller to report, or an error on request.
            k = next(i for i, (a, b) in enumerate(zip(g.tokens, p.tokens, strict=True)) if a != b)
            where = f"{_describe(g, index)}, token {k + 1}: {g.tokens[k]!r} vs {p.tokens[k]!r}"
            if check_tokens:
                raise InputError(f"token mismatch at {where}")
            scorer.token_mismatches += 1
            scorer.first_token_mismatch = scorer.first_token_mismatch or where
        if g.tags is None:
            raise InputError(f"{gold_name} has no tags at {_describe(g, index)}")
        try:
            scorer.add(g.tags, p.tags if p.tags is not None else ["O"] * len(p.tokens))
        except ValueError as exc:  # strict mode on a tag that is not IOB2
            raise InputError(f"{exc} ({gold_name} / {pred_name}, {_describe(g, index)})") from None
        index += 1
    if index == 0:
        raise InputError(f"{gold_name} and {pred_name} contain no sentences")
    return scorer


def evaluate_tags(
    gold: Sequence[Sequence[str]],
    pred: Sequence[Sequence[str]],
    ignore: Iterable[str] = (),
    bootstrap: int = 0,
    seed: int = 0,
    mode: str = "default",
) -> EvalResult:
    """Convenience wrapper over tag lists (same semantics as :func:`evaluate_sentences`)."""
    return evaluate_sentences(
        (Sentence(list(map(str, range(len(g)))), list(g)) for g in gold),
        (Sentence(list(map(str, range(len(p)))), list(p)) for p in pred),
        ignore=ignore,
        mode=mode,
        bootstrap=bootstrap,
        seed=seed,
    )


def score_files(
    gold_path: str,
    pred_path: str,
    ignore: Iterable[str] = (),
    gold_format: str | None = None,
    pred_format: str | None = None,
    check_tokens: bool = False,
    mode: str = "default",
) -> Scorer:
    """The :class:`Scorer` of two files (any supported format, auto-detected unless given), checked like
    :func:`evaluate_sentences`; errors name both files."""
    from projner.io import read

    return score_sentences(
        read(gold_path, format=gold_format),
        read(pred_path, format=pred_format),
        ignore,
        gold_name=str(gold_path),
        pred_name=str(pred_path),
        check_tokens=check_tokens,
        mode=mode,
    )


def evaluate_files(
    gold_path: str,
    pred_path: str,
    ignore: Iterable[str] = (),
    bootstrap: int = 0,
    seed: int = 0,
    gold_format: str | None = None,
    pred_format: str | None = None,
) -> EvalResult:
    """Evaluate two files (any supported format, auto-detected unless given)."""
    return score_files(gold_path, pred_path, ignore, gold_format, pred_format).result(
        bootstrap=bootstrap, seed=seed
    )
