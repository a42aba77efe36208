"""Property: for every format, write → read gives back the sentences, and write → read → write is a fixpoint."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projner import io
from projner.core.types import Sentence

TYPES = st.sampled_from(["PER", "LOC", "ORG", "MISC", "B-X"])
TAG = st.one_of(st.just("O"), st.builds(lambda p, t: f"{p}-{t}", st.sampled_from("BIES"), TYPES))
NO_SURROGATES = st.characters(exclude_categories=("Cs",))


def token_strategy(forbidden: str, allow_empty: bool, no_space: bool = False) -> st.SearchStrategy[str]:
    # U+FEFF at the very start of a text file is read as a byte-order mark (documented repair), so a first
    # token starting with it cannot round-trip; keep it out of text-file tokens.
    chars = st.characters(exclude_categories=("Cs",), exclude_characters=forbidden + "\ufeff")
    tok = st.text(chars, min_size=0 if allow_empty else 1, max_size=8)
    if no_space:
        tok = tok.filter(lambda t: t.split() == [t])
    return tok.filter(lambda t: not t.startswith("-DOCSTART-"))


FMT_TOKENS = {
    "conll": token_strategy("\t\n\r", allow_empty=True),
    "conll02": token_strategy("\t\n\r", allow_empty=True),
    "masakhaner": token_strategy("\n\r", allow_empty=True),
    "wikiann": token_strategy("\t\n\r", allow_empty=True),
    "uner": token_strategy("\t\n\r", allow_empty=True),
    "text": token_strategy("", allow_empty=False, no_space=True),
    "jsonl": st.text(NO_SURROGATES, max_size=8),
    "hf": st.text(NO_SURROGATES, max_size=8),
}
IDS = st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9_.-]{1,10}", fullmatch=True))
LANGS = st.one_of(st.none(), st.sampled_from(["en", "de", "lug"]))


@st.composite
def sentences(draw: st.DrawFn, fmt: str) -> list[Sentence]:
    out = []
    for _ in range(draw(st.integers(1, 4))):
        toks = draw(st.lists(FMT_TOKENS[fmt], min_size=1, max_size=6))
        tags = None if fmt == "text" else draw(st.lists(TAG, min_size=len(toks), max_size=len(toks)))
        sid = draw(IDS) if fmt in ("uner", "jsonl", "hf") else None
        lang = draw(LANGS) if fmt in ("jsonl", "hf") else ("en" if fmt == "wikiann" else None)
        out.append(Sentence(toks, tags, id=sid, lang=lang))
    return out


def _roundtrip(fmt: str, sents: list[Sentence]) -> None:
    with tempfile.TemporaryDirectory() as d:
        p1, p2 = Path(d) / "a", Path(d) / "b"
        assert io.write(sents, p1, fmt) == len(sents)
        back = list(io.read(p1, fmt))
        assert [(s.tokens, s.tags, s.id, s.lang) for s in back] == [
            (s.tokens, s.tags, s.id, s.lang) for s in sents
        ]
        io.write(back, p2, fmt)
        again = list(io.read(p2, fmt))
        assert [(s.tokens, s.tags, s.id, s.lang, s.meta) for s in again] == [
            (s.tokens, s.tags, s.id, s.lang, s.meta) for s in back
        ]
        if fmt != "hf":
            assert p1.read_bytes() == p2.read_bytes()


def _make_test(fmt: str, n: int):  # type: ignore[no-untyped-def]
    @settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(sentences(fmt))
    def test(sents: list[Sentence]) -> None:
        _roundtrip(fmt, sents)

    test.__name__ = f"test_roundtrip_{fmt}"
    return test


test_roundtrip_conll = _make_test("conll", 60)
test_roundtrip_conll02 = _make_test("conll02", 60)
test_roundtrip_masakhaner = _make_test("masakhaner", 60)
test_roundtrip_wikiann = _make_test("wikiann", 60)
test_roundtrip_uner = _make_test("uner", 60)
test_roundtrip_text = _make_test("text", 60)
test_roundtrip_jsonl = _make_test("jsonl", 60)
test_roundtrip_hf = _make_test("hf", 8)
