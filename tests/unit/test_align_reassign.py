"""``reassign_links``: a doubly linked target word moves to the secondary aligner's unaligned source word."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from projner.align import get_aligner
from projner.align.combine import FillAligner, reassign_links
from projner.core.types import Alignment

# Europarl-NER it, sentence 370 (shortened): e5 links "Commissioner" to "Commissario" and, through the shared
# sub-word "▁commission", to "commissione"; "Committee" has no link. Thot links Committee ↔ commissione.
SRC = ["Mr", "President", ",", "Commissioner", ",", "in", "the", "Committee", "on", "Employment"]
TGT = ["Signor", "Presidente", ",", "signor", "Commissario", ",", "in", "commissione", "per", "l'occupazione"]
PRIMARY = Alignment([(0, 0), (1, 1), (2, 2), (3, 4), (3, 7), (9, 9)])
THOT = Alignment([(0, 0), (1, 1), (3, 4), (7, 7), (8, 8), (9, 9)])


def test_worked_example_moves_commissione_to_committee() -> None:
    out = reassign_links(PRIMARY, THOT)
    assert out.as_set() == {(0, 0), (1, 1), (2, 2), (3, 4), (7, 7), (9, 9)}
    # "on" ↔ "per" is not a move (both words are unaligned): that is the fill's job, not this rule's
    assert (8, 8) not in out.as_set()


def test_no_move_when_the_source_word_would_lose_its_last_link() -> None:
    primary = Alignment([(0, 0), (1, 1)])
    assert reassign_links(primary, Alignment([(2, 1)])) is primary  # source 1 has only that link
    assert reassign_links(primary, Alignment()) is primary
    assert reassign_links(Alignment(), Alignment([(0, 0)])).as_set() == set()


def test_a_target_word_linked_to_two_source_words_moves_only_if_both_keep_a_link() -> None:
    primary = Alignment([(0, 0), (0, 2), (1, 2), (1, 3)])
    assert reassign_links(primary, Alignment([(4, 2)])).as_set() == {(0, 0), (1, 3), (4, 2)}
    thin = Alignment([(0, 2), (1, 2), (1, 3)])
    assert reassign_links(thin, Alignment([(4, 2)])) is thin  # source 0 would lose its only link


links_st = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20, unique=True)


@settings(max_examples=200, deadline=None)
@given(links_st, links_st)
def test_reassign_keeps_every_word_aligned_and_adds_no_second_link(p: list, s: list) -> None:
    primary, secondary = Alignment(p), Alignment(s)
    out = reassign_links(primary, secondary).as_set()
    before_src = Counter(i for i, _ in primary.as_set())
    before_tgt = {j for _, j in primary.as_set()}
    after_src = Counter(i for i, _ in out)
    assert {j for _, j in out} == before_tgt  # target words keep exactly the same aligned set
    assert set(before_src) <= set(after_src)  # no source word loses its last link
    # a newly aligned source word gets one link, from the secondary
    for i in set(after_src) - set(before_src):
        assert after_src[i] == 1 and any((i, j) in secondary.as_set() for j in before_tgt)
    assert out - primary.as_set() <= secondary.as_set()


class Fixed:
    def __init__(self, name: str, links: Alignment) -> None:
        self.name, self.links, self.streaming = name, links, True

    def params(self) -> dict[str, str]:
        return {"name": self.name}

    def align(self, pairs, batch_size=256):  # type: ignore[no-untyped-def]
        return iter([self.links for _ in pairs])


def test_fill_aligner_reassigns_before_filling_and_keys_the_rule() -> None:
    fill = FillAligner(Fixed("e5", PRIMARY), Fixed("thot", THOT), fill_target="capitalised", reassign=True)
    (out,) = fill.align([(SRC, TGT)])
    # the move reaches the lower-case "commissione"; the capitalised-only fill does not add "on" ↔ "per"
    assert out.as_set() == {(0, 0), (1, 1), (2, 2), (3, 4), (7, 7), (9, 9)}
    assert fill.params()["reassign"] is True
    assert "reassign" not in FillAligner(Fixed("e5", PRIMARY), Fixed("thot", THOT)).params()  # old cache keys
    assert get_aligner("e5-inter-thot", cache=False).params()["reassign"] is True
