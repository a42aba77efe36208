"""Tag sequences ⇄ spans, tagging schemes, label maps.

Decoding follows **seqeval's default (conlleval) mode exactly**, whatever the scheme: an ``I-X`` after ``O``
or after an entity of another type *starts* an entity, ``B``/``S`` always start one, ``E``/``S`` end one.
Because of that one decoder serves IOB1, IOB2 and BIOES, and our evaluation matches seqeval's numbers
(tests compare against ``seqeval.metrics.sequence_labeling.get_entities``).

Encoding is scheme specific (:func:`spans_to_tags`); spans must not overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from projner.core.types import Span

SCHEMES = ("IOB1", "IOB2", "BIOES")
PREFIXES = frozenset("BIESO")

# OntoNotes (spaCy en_core_web_sm) → CoNLL types. NORP, FAC-like and numeric types are not CoNLL PER/ORG/LOC.
ONTONOTES_TO_CONLL: dict[str, str] = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
    "DATE": "DATE",
    "TIME": "O",
    "PERCENT": "O",
    "MONEY": "O",
    "QUANTITY": "O",
    "ORDINAL": "O",
    "CARDINAL": "O",
}


def _split(tag: str) -> tuple[str, str]:
    """Split a tag into (prefix, type) the way seqeval does (prefix = first char, type after first '-')."""
    prefix = tag[0] if tag else "O"
    type_ = tag[1:].split("-", maxsplit=1)[-1] or "_"
    return prefix, type_


def _end_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", "O"):
        return True
    return prev_tag not in ("O", ".") and prev_type != type_


def _start_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if tag in ("B", "S"):
        return True
    if prev_tag in ("E", "S", "O") and tag in ("E", "I"):
        return True
    return tag not in ("O", ".") and prev_type != type_


def tags_to_spans(tags: Sequence[str]) -> list[Span]:
    """Decode a tag sequence (IOB1, IOB2 or BIOES) into spans with seqeval's default semantics."""
    spans: list[Span] = []
    prev_tag, prev_type, begin = "O", "", 0
    for i, chunk in enumerate([*tags, "O"]):
        tag, type_ = _split(chunk)
        if _end_of_chunk(prev_tag, tag, prev_type, type_):
            spans.append(Span(begin, i, prev_type))
        if _start_of_chunk(prev_tag, tag, prev_type, type_):
            begin = i
        prev_tag, prev_type = tag, type_
    return spans


def tags_to_spans_strict(tags: Sequence[str]) -> list[Span]:
    """Decode IOB2 tags with seqeval's *strict* semantics (``mode="strict", scheme=IOB2``): an entity is a ``B-X``
    followed by its ``I-X`` tags; an ``I-X`` that does not continue one (after ``O``, or after another type) starts
    nothing, where the default decoder would open an entity. Other prefixes raise :class:`ValueError`, as in
    seqeval. Papers report either mode, so ``projner evaluate --mode strict`` gives the second figure."""
    spans: list[Span] = []
    begin, open_type = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, type_ = _split(tag)
        if prefix not in ("B", "I", "O"):
            raise ValueError(f"tag {tag!r} is not IOB2; strict mode accepts B-, I- and O tags only")
        if begin >= 0 and not (prefix == "I" and type_ == open_type):
            spans.append(Span(begin, i, open_type))
            begin = -1
        if prefix == "B":
            begin, open_type = i, type_
    return spans


def spans_to_tags(spans: Sequence[Span], length: int, scheme: str = "IOB2") -> list[str]:
    """Encode non-overlapping spans as a tag sequence of ``length`` in ``scheme`` (IOB1, IOB2 or BIOES)."""
    scheme = scheme.upper()
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tagging scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    tags = ["O"] * length
    ordered = sorted(spans)
    prev: Span | None = None
    for s in ordered:
        if s.end > length:
            raise ValueError(f"span [{s.start}, {s.end}) exceeds sentence length {length}")
        if prev is not None and s.start < prev.end:
            raise ValueError(f"overlapping spans {prev} and {s} cannot be encoded as tags")
        if not s.label or s.label == "O":
            raise ValueError(f"span {s} has no entity label")
        if scheme == "IOB2":
            tags[s.start] = f"B-{s.label}"
            for k in range(s.start + 1, s.end):
                tags[k] = f"I-{s.label}"
        elif scheme == "IOB1":
            adjacent_same = prev is not None and prev.end == s.start and prev.label == s.label
            tags[s.start] = f"B-{s.label}" if adjacent_same else f"I-{s.label}"
            for k in range(s.start + 1, s.end):
                tags[k] = f"I-{s.label}"
        else:  # BIOES
            if len(s) == 1:
                tags[s.start] = f"S-{s.label}"
            else:
                tags[s.start] = f"B-{s.label}"
                for k in range(s.start + 1, s.end - 1):
                    tags[k] = f"I-{s.label}"
                tags[s.end - 1] = f"E-{s.label}"
        prev = s
    return tags


def is_valid_tag(tag: str) -> bool:
    """A tag is ``O`` or ``<B|I|E|S>-<TYPE>`` with a non-empty type."""
    if tag == "O":
        return True
    return len(tag) > 2 and tag[0] in "BIES" and tag[1] == "-"


def iob2_errors(tags: Sequence[str]) -> list[int]:
    """Positions where ``tags`` is not valid IOB2 (bad tag, or ``I-X`` not continuing an ``X`` entity)."""
    bad: list[int] = []
    prev_type = None
    for i, t in enumerate(tags):
        if t == "O":
            prev_type = None
            continue
        if not is_valid_tag(t) or t[0] not in "BI":
            bad.append(i)
            prev_type = None
            continue
        if t[0] == "I" and prev_type != t[2:]:
            bad.append(i)
        prev_type = t[2:]
    return bad


def repair_iob2(tags: Sequence[str]) -> list[str]:
    """Re-encode any tag sequence as valid IOB2, keeping exactly the entities seqeval would read."""
    return spans_to_tags(tags_to_spans(tags), len(tags), "IOB2")


def detect_scheme(tags: Iterable[str]) -> str:
    """Guess the scheme: BIOES if E-/S- occur, IOB2 if every entity starts with B-, else IOB1."""
    seen_e_s = False
    iob1_evidence = False
    prev = "O"
    for t in tags:
        p = t[0] if t else "O"
        if p in "ES":
            seen_e_s = True
        if p == "I" and (prev == "O" or prev[2:] != t[2:]):
            iob1_evidence = True
        prev = t
    if seen_e_s:
        return "BIOES"
    return "IOB1" if iob1_evidence else "IOB2"


def convert_scheme(tags: Sequence[str], scheme: str) -> list[str]:
    """Convert tags to another scheme through spans (seqeval semantics)."""
    return spans_to_tags(tags_to_spans(tags), len(tags), scheme)


def map_spans(
    spans: Iterable[Span],
    mapping: Mapping[str, str] | None = None,
    keep: Iterable[str] | None = None,
    drop: Iterable[str] | None = None,
) -> list[Span]:
    """Rename span labels through ``mapping``, then drop spans mapped to ``O``, listed in ``drop``, or not in ``keep``."""
    keep_set = set(keep) if keep is not None else None
    drop_set = set(drop or ())
    out: list[Span] = []
    for s in spans:
        label = mapping.get(s.label, s.label) if mapping else s.label
        if label == "O" or label in drop_set or (keep_set is not None and label not in keep_set):
            continue
        out.append(s.with_label(label))
    return out


def map_tags(
    tags: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    keep: Iterable[str] | None = None,
    drop: Iterable[str] | None = None,
    scheme: str = "IOB2",
) -> list[str]:
    """Apply :func:`map_spans` at tag level and re-encode in ``scheme`` (``MISC``/``DATE`` → ``O`` etc.)."""
    return spans_to_tags(map_spans(tags_to_spans(tags), mapping, keep, drop), len(tags), scheme)


def parse_label_list(text: str | None) -> list[str] | None:
    """``"PER,ORG, LOC"`` → ``["PER", "ORG", "LOC"]``; ``None``/empty → ``None``."""
    if not text:
        return None
    return [x.strip() for x in text.split(",") if x.strip()]
