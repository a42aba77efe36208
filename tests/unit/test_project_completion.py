"""Name completion (``extend_names``): projected names grow over adjacent capitalised words no link reaches.

The motivating case (Europarl-NER it): "the UK" → "il Regno Unito"; "UK" is aligned to "Unito" only, so Dice
projects "Unito"; "Regno" is capitalised and aligned to nothing, so it belongs to the name.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from projner.core.types import Alignment, ParallelExample, Sentence, Span
from projner.project import get_projector
from projner.project.completion import (
    complete_names,
    drop_lowercase_words,
    split_place_lists,
    strip_leading_articles,
)
from projner.project.pipeline import DEFAULT_PROJECTOR, DEFAULT_PROJECTOR_PARAMS, NAME_PROJECTOR_PARAMS


def linked(n: int, *js: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[list(js)] = True
    return out


def test_grows_left_and_right_over_unlinked_capitalised_words() -> None:
    toks = ["dal", "Regno", "Unito", "e", "da", "Wim", "Duisenberg", "Junior", "oggi"]
    spans = [Span(2, 3, "LOC", 1.0), Span(6, 7, "PER", 0.5)]
    out = complete_names(toks, spans, linked(9, 0, 2, 3, 6, 8))
    assert out == [Span(1, 3, "LOC", 1.0), Span(5, 8, "PER", 0.5)]  # label and score kept


def test_guards_linked_words_sentence_start_lowercase_and_other_spans() -> None:
    toks = ["Signor", "Prodi", "Commissione", "Europa", "europea"]
    # "Signor" is the first word; "Commissione" is linked; "europea" is lower case
    assert complete_names(toks, [Span(1, 2, "PER")], linked(5, 2), min_coverage=0) == [Span(1, 2, "PER")]
    # "Europa" (unlinked) is inside another span: it never moves
    spans = [Span(1, 2, "PER"), Span(3, 4, "LOC")]
    assert complete_names(toks, spans, linked(5), min_coverage=0) == [Span(1, 3, "PER"), Span(3, 4, "LOC")]


def test_max_add_per_side() -> None:
    toks = ["x", "A", "B", "C", "D", "name"]
    spans = [Span(5, 6, "ORG")]
    assert complete_names(toks, spans, linked(6), max_add=2, min_coverage=0) == [Span(3, 6, "ORG")]


def test_sparse_alignments_complete_nothing() -> None:
    """With few links (e.g. exact-match), "unlinked" says nothing: every capitalised noun would join."""
    toks = ["Der", "Bericht", "von", "Herrn", "Koch", "zur", "Lage", "ist", "gut", "."]
    spans = [Span(4, 5, "PER")]
    assert complete_names(toks, spans, linked(10, 4, 9)) == spans  # 20 % of the words linked
    assert complete_names(toks, spans, linked(10, 0, 1, 2, 4, 5, 7, 8, 9)) == [Span(3, 5, "PER")]  # 80 %


@given(st.lists(st.sampled_from(["Aa", "bb", "Cc", "dd"]), min_size=1, max_size=12), st.data())
def test_output_is_sorted_disjoint_and_covers_the_input(tokens: list[str], data: st.DataObject) -> None:
    n = len(tokens)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=6))))
    spans = [Span(a, b, "PER") for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    out = complete_names(tokens, spans, mask, min_coverage=0.0)
    assert len(out) == len(spans)
    for old, new in zip(spans, out, strict=True):
        assert new.start <= old.start and old.end <= new.end
        assert all(
            tokens[j][:1].isupper() and not mask[j]
            for j in [*range(new.start, old.start), *range(old.end, new.end)]
        )
        assert new.start == old.start or new.start >= 1
    assert all(a.end <= b.start for a, b in zip(out, out[1:], strict=False))


def _uk_example() -> ParallelExample:
    src = Sentence(["in", "the", "UK", "today"])
    tgt = Sentence(["oggi", "nel", "Regno", "Unito"])
    ali = Alignment(np.array([[0, 1], [2, 3], [3, 0]]))
    return ParallelExample(src, tgt, [Span(2, 3, "LOC")], ali)


def test_default_projector_completes_the_name_and_plain_greedy_does_not() -> None:
    assert DEFAULT_PROJECTOR_PARAMS["extend_names"] is True
    assert get_projector(DEFAULT_PROJECTOR, **DEFAULT_PROJECTOR_PARAMS).project(_uk_example()) == [
        Span(2, 4, "LOC", 1.0)
    ]
    assert get_projector("greedy", max_len=10).project(_uk_example()) == [Span(3, 4, "LOC", 1.0)]
    assert "extend_names" not in get_projector("greedy-nerext").params  # the bonus already extends names


def test_fusion_honours_the_matching_settings() -> None:
    """Fusion used to drop ``extend_names`` (and ``ner_bonus``) of its matching part silently."""
    plain = get_projector("fusion").project(_uk_example())
    assert [(s.start, s.end) for s in plain] == [(3, 4)]
    grown = get_projector("fusion", matching={"extend_names": True}).project(_uk_example())
    assert [(s.start, s.end, s.label) for s in grown] == [(2, 4, "LOC")]
    ex = _uk_example()
    ex.meta["candidates"] = [(2, 4)]  # a target NER span "Regno Unito"
    weighted = {"unaligned_weight": 0.5}  # as in greedy-nerext
    assert [(s.start, s.end) for s in get_projector("fusion", matching=weighted).project(ex)] == [(3, 4)]
    bonus = get_projector("fusion", matching={**weighted, "ner_bonus": 1.0}).project(ex)
    assert [(s.start, s.end) for s in bonus] == [(2, 4)]


def test_drop_lowercase_words_keeps_misc_longer_spans_and_uncased_scripts() -> None:
    toks = [
        "la",
        "politica",
        "americana",
        "dei",
        "democratici",
        "italiano",
        "Roma",
        "commissione",
        "per",
        "i",
        "北京",
    ]
    spans = [
        Span(2, 3, "LOC"),  # "americana": an adjective where the source had "US"
        Span(4, 5, "ORG"),  # "democratici"
        Span(5, 6, "MISC"),  # "italiano": CoNLL MISC, kept
        Span(6, 7, "LOC"),  # "Roma"
        Span(7, 10, "ORG"),  # a lower-case committee title, kept
        Span(10, 11, "LOC"),  # no case: kept
    ]
    assert drop_lowercase_words(toks, spans) == [spans[2], spans[3], spans[4], spans[5]]
    assert drop_lowercase_words(toks, spans, labels=frozenset({"ORG"})) == [spans[0], *spans[2:]]


def test_default_projector_drops_a_name_projected_onto_a_lowercase_word() -> None:
    src = Sentence(["the", "US", "economy"])
    tgt = Sentence(["la", "economia", "americana"])
    ex = ParallelExample(src, tgt, [Span(1, 2, "LOC")], Alignment(np.array([[0, 0], [1, 2], [2, 1]])))
    assert DEFAULT_PROJECTOR_PARAMS["drop_lowercase"] is True
    assert get_projector(DEFAULT_PROJECTOR, **DEFAULT_PROJECTOR_PARAMS).project(ex) == []
    assert get_projector(DEFAULT_PROJECTOR, **NAME_PROJECTOR_PARAMS).project(ex) == [Span(2, 3, "LOC", 1.0)]
    assert "drop_lowercase" not in get_projector("greedy").params


def test_split_place_lists_cuts_loc_at_commas_only() -> None:
    toks = ["in", "Denver", ",", "Colorado", ",", "Martin", "Luther", "King", ",", "Jr.", "met", "the", "Committee",
            "on", "Industry", ",", "Energy", "in", "Wells", ",", "Somerset", ","]  # fmt: skip
    spans = [Span(1, 4, "LOC", 0.9), Span(5, 10, "PER"), Span(12, 17, "ORG"), Span(18, 22, "LOC")]
    parts, owner = split_place_lists(toks, spans)
    assert parts == [Span(1, 2, "LOC"), Span(3, 4, "LOC"), Span(5, 10, "PER"), Span(12, 17, "ORG"),
                     Span(18, 19, "LOC"), Span(20, 21, "LOC")]  # fmt: skip
    assert parts[0].score == 0.9
    assert owner == [0, 0, 1, 2, 3, 3]
    assert split_place_lists(toks, [Span(2, 3, "LOC")]) == ([], [])  # a bare comma has no part


def test_default_projector_projects_a_place_list_as_its_parts() -> None:
    src = Sentence(["born", "in", "Denver", ",", "Colorado"])
    tgt = Sentence(["nascido", "em", "Denver", ",", "Colorado"])
    ex = ParallelExample(src, tgt, [Span(2, 5, "LOC")], Alignment(np.array([[i, i] for i in range(5)])))
    assert get_projector(DEFAULT_PROJECTOR, **DEFAULT_PROJECTOR_PARAMS).project(ex) == [
        Span(2, 3, "LOC", 1.0),
        Span(4, 5, "LOC", 1.0),
    ]
    assert get_projector(DEFAULT_PROJECTOR, **NAME_PROJECTOR_PARAMS).project(ex) == [Span(2, 5, "LOC", 1.0)]
    batch = get_projector(DEFAULT_PROJECTOR, **DEFAULT_PROJECTOR_PARAMS).project_batch([ex])
    assert [e.confidence for e in batch] == [1.0] and batch.stats.projected_entities == 1


def test_strip_leading_articles_only_lowercase_and_only_longer_spans() -> None:
    toks = ["the", "Netherlands", "and", "The", "Hague", "and", "the", "a", "Rhine"]
    spans = [Span(0, 2, "LOC", 0.5), Span(3, 5, "LOC"), Span(6, 7, "LOC"), Span(7, 9, "LOC")]
    out = strip_leading_articles(toks, spans, ("the", "a"))
    assert out == [Span(1, 2, "LOC"), Span(3, 5, "LOC"), Span(6, 7, "LOC"), Span(8, 9, "LOC")]
    assert out[0].score == 0.5
    assert strip_leading_articles(toks, spans, ()) == spans


def test_default_projector_leaves_the_article_out() -> None:
    src = Sentence(["to", "the", "Netherlands"])
    tgt = Sentence(["para", "a", "Holanda"])
    ex = ParallelExample(src, tgt, [Span(1, 3, "LOC")], Alignment(np.array([[0, 0], [1, 1], [2, 2]])))
    assert get_projector(DEFAULT_PROJECTOR, **DEFAULT_PROJECTOR_PARAMS).project(ex) == [
        Span(2, 3, "LOC", 1.0)
    ]
    assert get_projector(DEFAULT_PROJECTOR, **NAME_PROJECTOR_PARAMS).project(ex) == [Span(1, 3, "LOC", 1.0)]
    # from the command line: a comma-separated list, empty = off
    assert get_projector("greedy", strip_articles="le,la,les").strip_articles == ("le", "la", "les")
    assert get_projector("greedy", strip_articles="").strip_articles == ()


def test_fusion_honours_the_source_side_rules() -> None:
    src = Sentence(["to", "the", "Netherlands", "and", "Denver", ",", "Colorado"])
    tgt = Sentence(["para", "a", "Holanda", "e", "Denver", ",", "Colorado"])
    ex = ParallelExample(
        src, tgt, [Span(1, 3, "LOC"), Span(4, 7, "LOC")], Alignment(np.array([[i, i] for i in range(7)]))
    )
    rules = {"split_places": True, "strip_articles": ["the"]}
    spans = get_projector("fusion", matching=rules).project(ex)
    assert [(s.start, s.end) for s in spans] == [(2, 3), (4, 5), (6, 7)]
    plain = get_projector("fusion").project(ex)
    assert [(s.start, s.end) for s in plain] == [(1, 3), (4, 7)]
