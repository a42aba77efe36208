"""Training data for target NER models: reading, label filtering, fingerprints, licence notes.

Files are read through :func:`projner.io.read` (every format the toolkit supports, errors naming file and line).

Labels are normalised once, here: tags are decoded with seqeval semantics, entity types outside the chosen label
set become ``O`` (e.g. MasakhaNER's ``DATE``), and the result is re-encoded as IOB2 — the only scheme the models
learn and emit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from projner.core.tags import map_spans, spans_to_tags, tags_to_spans
from projner.core.types import InputError, Sentence
from projner.utils.cache import file_fingerprint


def read_sentences(path: str | Path, format: str | None = None, require_tags: bool = False) -> list[Sentence]:
    """Read a labelled or unlabelled file as sentences with ``projner.io.read`` (any supported format).

    ``require_tags`` turns a file without tags into an :class:`InputError` (training data must be labelled).
    """
    from projner.io import read as io_read

    path = Path(path)
    # projner.io also accepts registry names such as "masakhaner2:lug:test"
    sentences = list(io_read(path, format=format))
    if not sentences:
        raise InputError("no sentences found", str(path))
    if require_tags:
        for k, s in enumerate(sentences):
            if s.tags is None:
                raise InputError(
                    f"sentence {k + 1} has no NER tags; training data must be labelled", str(path)
                )
    return sentences


def normalise_tags(tags: Sequence[str], labels: Iterable[str] | None) -> list[str]:
    """Decode (seqeval semantics), keep only ``labels`` (others → ``O``), re-encode as IOB2."""
    spans = map_spans(tags_to_spans(tags), keep=list(labels) if labels is not None else None)
    return spans_to_tags(spans, len(tags), "IOB2")


def entity_types(sentences: Iterable[Sentence]) -> list[str]:
    """Entity types present in the data, most frequent first (ties by name) — the default label set."""
    counts: Counter[str] = Counter()
    for s in sentences:
        counts.update(sp.label for sp in tags_to_spans(s.tags or []))
    return [lab for lab, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def bio_labels(types: Sequence[str]) -> list[str]:
    """The IOB2 label inventory ``O, B-T1, I-T1, ...`` — its order fixes the model's ``id2label``."""
    out = ["O"]
    for t in types:
        out += [f"B-{t}", f"I-{t}"]
    return out


@dataclass(frozen=True)
class LabelledData:
    """Sentences with IOB2 tags restricted to ``types``, plus what the model card records about their origin."""

    tokens: list[list[str]]
    tags: list[list[str]]
    types: list[str]
    source: dict[str, object]

    def __len__(self) -> int:
        return len(self.tokens)


def prepare(
    sentences: Sequence[Sentence], types: Sequence[str] | None, source: dict[str, object] | None = None
) -> LabelledData:
    """Normalise tags to ``types`` (all types in the data when ``None``) and drop empty sentences."""
    chosen = list(types) if types is not None else entity_types(sentences)
    toks: list[list[str]] = []
    tags: list[list[str]] = []
    for s in sentences:
        if not s.tokens:
            continue
        toks.append(list(s.tokens))
        tags.append(normalise_tags(s.tags or ["O"] * len(s.tokens), chosen))
    return LabelledData(toks, tags, chosen, dict(source or {}))


def describe_file(path: str | Path, n_sentences: int | None = None) -> dict[str, object]:
    """What a model or provenance card records about a data file: path, size, content fingerprint, sentence count
    (when given), licence."""
    p = Path(path)
    counted: dict[str, object] = {} if n_sentences is None else {"sentences": n_sentences}
    if not p.is_file():  # a registry name or a dataset directory
        return {"path": str(path), **counted, "licence": licence_note(p) if p.exists() else None}
    return {
        "path": str(p),
        "fingerprint": file_fingerprint(p),
        "bytes": p.stat().st_size,
        **counted,
        "licence": licence_note(p),
    }


def licence_note(path: str | Path) -> str | None:
    """The ``License`` line of the nearest ``PROVENANCE.md`` above ``path`` (shared-data convention), if any.

    Models trained on a dataset inherit its terms, so the card repeats them (data/README.md, rule 1).
    """
    p = Path(path).resolve()
    for parent in list(p.parents)[:4]:
        prov = parent / "PROVENANCE.md"
        if prov.is_file():
            try:
                text = prov.read_text(encoding="utf-8")
            except OSError:
                return None
            for line in text.splitlines():
                m = re.match(r"^\W*licen[cs]e\W*:?\s*(.*)$", line.strip(), flags=re.IGNORECASE)
                if m and m.group(1):
                    return m.group(1).strip().rstrip("*").strip()
            return f"see {prov}"
    return None


def write_conll(path: str | Path, tokens: Sequence[Sequence[str]], tags: Sequence[Sequence[str]]) -> None:
    """``TOKEN<TAB>TAG`` lines, blank line between sentences, written atomically (no ``projner.io`` needed)."""
    from projner.utils.atomic import atomic_open

    with atomic_open(path, "w") as fh:
        for toks, tgs in zip(tokens, tags, strict=True):
            for tok, tag in zip(toks, tgs, strict=True):
                fh.write(f"{tok}\t{tag}\n")
            fh.write("\n")
