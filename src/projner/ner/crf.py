"""Feature CRF baseline (sklearn-crfsuite): fast to train on CPU, no encoder needed.

Word features are the classic CoNLL set — lowercase form, word shape, prefixes/suffixes, capitalisation and digit
flags — plus the same for the neighbouring words. The CRF is the quick baseline (a few seconds per thousand
sentences) and the fallback when no encoder is available.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from projner.core.tags import tags_to_spans
from projner.core.types import ProjnerError, Span
from projner.ner.model import NerModel, span_score

MODEL_FILE = "crf.pkl"


def word_shape(word: str) -> str:
    """Compressed shape: ``"Obama" → "Xx"``, ``"U.S." → "X.X."``, ``"1990" → "d"`` (runs collapsed)."""
    out: list[str] = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "a"  # caseless scripts
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def _word_feats(word: str, prefix: str, full: bool) -> dict[str, Any]:
    lw = word.lower()
    f: dict[str, Any] = {
        f"{prefix}w": lw,
        f"{prefix}shape": word_shape(word),
        f"{prefix}title": word.istitle(),
    }
    if full:
        f.update(
            {
                f"{prefix}p1": lw[:1],
                f"{prefix}p2": lw[:2],
                f"{prefix}p3": lw[:3],
                f"{prefix}s1": lw[-1:],
                f"{prefix}s2": lw[-2:],
                f"{prefix}s3": lw[-3:],
                f"{prefix}s4": lw[-4:],
                f"{prefix}upper": word.isupper(),
                f"{prefix}digit": any(c.isdigit() for c in word),
                f"{prefix}hyphen": "-" in word,
                f"{prefix}len": min(len(word), 8),
            }
        )
    return f


def sentence_features(tokens: Sequence[str]) -> list[dict[str, Any]]:
    """crfsuite feature dicts for every token: its own features plus those of up to two neighbours each side."""
    n = len(tokens)
    feats: list[dict[str, Any]] = []
    for i, word in enumerate(tokens):
        f: dict[str, Any] = {"bias": 1.0}
        f.update(_word_feats(word, "", True))
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                f.update(_word_feats(tokens[j], f"{off:+d}:", abs(off) == 1))
                if abs(off) == 1:
                    f[f"{off:+d}:s3"] = tokens[j].lower()[-3:]
            elif abs(off) == 1:
                f["BOS" if off < 0 else "EOS"] = True
        feats.append(f)
    return feats


class CrfModel(NerModel):
    """A trained sklearn-crfsuite CRF with its card."""

    kind = "crf"

    def __init__(self, crf: Any, card: dict[str, Any]) -> None:
        super().__init__(card)
        self.crf = crf

    @classmethod
    def from_dir(cls, model_dir: str | Path, card: dict[str, Any]) -> CrfModel:
        path = Path(model_dir) / MODEL_FILE
        if not path.is_file():
            raise ProjnerError(f"CRF model file missing: {path}")
        with open(path, "rb") as fh:
            crf = pickle.load(fh)
        return cls(crf, card)

    def save(self, model_dir: Path) -> None:
        with open(model_dir / MODEL_FILE, "wb") as fh:
            pickle.dump(self.crf, fh, protocol=pickle.HIGHEST_PROTOCOL)

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
        tagger = self.crf.tagger_
        out: list[list[Span]] = []
        for toks in sentences:
            if not toks:
                out.append([])
                continue
            tagger.set(sentence_features(toks))
            tags = tagger.tag()
            probs = [tagger.marginal(t, i) for i, t in enumerate(tags)]
            out.append([sp.with_score(span_score(probs, sp)) for sp in tags_to_spans(tags)])
        return out


def train_crf(
    tokens: Sequence[Sequence[str]],
    tags: Sequence[Sequence[str]],
    c1: float = 0.1,
    c2: float = 0.05,
    max_iterations: int = 100,
    log: Callable[[str], None] | None = None,
) -> Any:
    """Fit an L-BFGS CRF (elastic-net c1/c2) on IOB2-tagged token lists; deterministic given the data."""
    import sklearn_crfsuite

    if log:
        log(f"CRF: extracting features for {len(tokens)} sentences")
    x = [sentence_features(t) for t in tokens]
    crf = sklearn_crfsuite.CRF(
        algorithm="lbfgs",
        c1=c1,
        c2=c2,
        max_iterations=max_iterations,
        all_possible_transitions=True,
    )
    if log:
        log(f"CRF: L-BFGS, at most {max_iterations} iterations")
    crf.fit(x, [list(t) for t in tags])
    return crf
