"""Ensemble source tagger: span combination, type vote, lexicon tagger, en-ner recipe (tiny data, no real models)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from projner.core.types import ProjnerError, Sentence, Span
from projner.tag import Tagger, get_tagger, tagger_names
from projner.tag.ensemble import EnsembleTagger, combine, vote_type
from projner.tag.lexicon import LexiconTagger, build_lexicon


class Fixed(Tagger):
    """A tagger that returns given spans (per sentence index)."""

    def __init__(self, spans: list[list[Span]], name: str = "fixed") -> None:
        self.spans = spans
        self.name = name

    def params(self) -> dict[str, object]:
        return {"name": self.name}

    def tag(self, sentences: Sequence[object]) -> list[list[Span]]:
        return [list(self.spans[i]) for i in range(len(sentences))]


def test_vote_weighted_by_overlap() -> None:
    span = Span(0, 2, "ORG")
    # member 0 says ORG on both words, member 1 says PER on both, member 2 PER on one word only: full votes
    members = [[Span(0, 2, "ORG")], [Span(0, 2, "PER")], [Span(1, 2, "PER")]]
    assert vote_type(span, members, [1.0, 1.0, 1.0], "ORG") == ("PER", pytest.approx(2 / 3))
    # a member split over two types splits its weight by word counts
    split = [[Span(0, 1, "LOC"), Span(1, 2, "PER")]]
    assert vote_type(span, [[Span(0, 2, "ORG")], *split], [1.0, 1.0], "ORG")[0] == "ORG"
    # a heavier first member wins
    assert vote_type(span, members, [2.5, 1.0, 1.0], "ORG")[0] == "ORG"
    # ties keep the default (the boundary member's type)
    assert vote_type(span, members[:2], [1.0, 1.0], "ORG")[0] == "ORG"
    # nobody tagged the words: default, share 0
    assert vote_type(Span(5, 6, "LOC"), members, [1.0] * 3, "LOC") == ("LOC", 0.0)


def test_combine_keeps_boundaries_and_adds_non_overlapping() -> None:
    spacy = [Span(0, 2, "ORG"), Span(5, 6, "LOC")]
    model = [Span(1, 3, "PER"), Span(8, 9, "LOC")]
    out = combine([spacy, model], [1.0, 1.01])
    assert out == [Span(0, 2, "PER"), Span(5, 6, "LOC")]  # boundary from member 0, type from the heavier vote
    out = combine([spacy, model], [1.0, 1.01], add_from=[1])
    assert out == [Span(0, 2, "PER"), Span(5, 6, "LOC"), Span(8, 9, "LOC")]
    assert combine([spacy, model], [1.0, 1.0], vote=False) == spacy
    # min_support: spans tagged by only one of two equal members are dropped at 0.75
    assert combine([spacy, model], [1.0, 1.0], min_support=0.75) == [Span(0, 2, "ORG")]
    with pytest.raises(ProjnerError):
        combine([spacy], [1.0, 1.0])


def test_keep_types_are_not_revoted() -> None:
    spacy = [Span(0, 1, "MISC"), Span(2, 3, "ORG")]  # "Nigerians" MISC, "Chelsea" ORG
    model = [Span(0, 1, "LOC"), Span(2, 3, "PER")]
    assert combine([spacy, model], [1.0, 1.01]) == [Span(0, 1, "LOC"), Span(2, 3, "PER")]
    assert combine([spacy, model], [1.0, 1.01], keep_types=["MISC"]) == [
        Span(0, 1, "MISC"),
        Span(2, 3, "PER"),
    ]
    a, b = Fixed([spacy], "a"), Fixed([model], "b")
    t = EnsembleTagger(members=[a, b], weights=[1.0, 1.01], keep_types=["MISC"])
    assert t.tag([["Nigerians", "love", "Chelsea"]]) == [[Span(0, 1, "MISC"), Span(2, 3, "PER")]]
    assert t.params()["keep_types"] == ["MISC"]


def test_ensemble_tagger_members_and_params() -> None:
    a = Fixed([[Span(0, 1, "ORG")], []], "a")
    b = Fixed([[Span(0, 1, "PER")], [Span(1, 2, "LOC")]], "b")
    t = EnsembleTagger(members=[a, b], weights=[1.0, 2.0], add_from=[1])
    assert t.tag([["Museveni", "spoke"], Sentence(["in", "Kampala"])]) == [
        [Span(0, 1, "PER")],
        [Span(1, 2, "LOC")],
    ]
    p = t.params()
    assert p["weights"] == [1.0, 2.0] and [m["name"] for m in p["members"]] == ["a", "b"]  # type: ignore[index]
    with pytest.raises(ProjnerError):
        EnsembleTagger(members=[a, b], weights=[1.0])
    with pytest.raises(ProjnerError):
        EnsembleTagger(members=[a], boundary=3)


def test_registered_names() -> None:
    names = tagger_names()
    assert {"ensemble", "en-ner", "en-lex", "spacy-news", "spacy-news-e5"} <= set(names)


def _lex_sentences() -> list[Sentence]:
    return [
        Sentence(["Okello", "visited", "Gulu", "."], ["B-PER", "O", "B-LOC", "O"]),
        Sentence(["Okello", "Mwesigwa", "spoke", "."], ["B-PER", "I-PER", "O", "O"]),
        Sentence(["The", "Gulu", "Council", "met"], ["O", "B-ORG", "I-ORG", "O"]),
        Sentence(["Gulu", "is", "north"], ["B-LOC", "O", "O"]),
        Sentence(["The", "visit", "ended"], ["O", "O", "O"]),
    ]


def test_lexicon_tagger() -> None:
    lex = build_lexicon(_lex_sentences())
    assert lex["Gulu"] == {"LOC": 2, "ORG": 1}
    assert lex["The"] == {"O": 2}
    t = LexiconTagger(lex, min_count=2, min_ratio=0.6)
    # Okello: PER twice; Gulu: LOC (2 of 3); Mwesigwa seen once (< min_count); lowercase words never tagged
    out = t.tag([["Okello", "Mwesigwa", "left", "Gulu"], ["okello", "The"]])
    assert out == [[Span(0, 1, "PER"), Span(3, 4, "LOC")], []]
    t1 = LexiconTagger(lex, min_count=1)
    assert t1.tag([["Okello", "Mwesigwa"]]) == [[Span(0, 2, "PER")]]  # same-type neighbours merge


def _write_wikiann(path: Path, sentences: list[Sentence]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for s in sentences:
        lines += [f"en:{w}\t{t}" for w, t in zip(s.tokens, s.tags or [], strict=True)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_en_ner_crf_recipe_trains_once_into_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    sents = _lex_sentences() * 4
    _write_wikiann(data / "wikiann-panx" / "en" / "train", sents)
    _write_wikiann(data / "wikiann-panx" / "en" / "dev", sents[:5])
    monkeypatch.setenv("PROJNER_DATA", str(data))
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    from projner.tag import en_ner

    monkeypatch.setitem(
        en_ner.RECIPES, "crf", en_ner.EnNerRecipe("crf", "crf", settings={"max_steps": 20, "seed": 1})
    )
    assert not en_ner.is_prepared("crf")
    tagger = get_tagger("en-ner:crf")
    assert en_ner.is_prepared("crf")
    assert str(en_ner.en_ner_dir("crf")).startswith(str(tmp_path / "cache"))
    spans = tagger.tag([["Okello", "visited", "Gulu", "."]])
    assert spans[0] and {s.label for s in spans[0]} <= {"PER", "ORG", "LOC"}
    stamp = (en_ner.en_ner_dir("crf") / "projner_model.json").stat().st_mtime_ns
    get_tagger("en-ner", recipe="crf")  # second use: no retraining
    assert (en_ner.en_ner_dir("crf") / "projner_model.json").stat().st_mtime_ns == stamp
    lex = get_tagger("en-lex")
    assert lex.tag([["Okello", "left"]]) == [[Span(0, 1, "PER")]]


def test_en_ner_missing_data_is_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("PROJNER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ProjnerError, match="WikiANN en train"):
        get_tagger("en-ner:crf")
    with pytest.raises(ProjnerError, match="unknown en-ner recipe"):
        get_tagger("en-ner:nope")
