"""translate-test defaults: the package-only tagger and the heuristic projector (tiny data, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.core.types import Sentence, Span
from projner.pipeline import translate_test as tt
from projner.tag.base import register_tagger
from projner.tag.testing import CapitalisedTagger, FunctionTagger

register_tagger("caps-tt-test")(lambda **_: CapitalisedTagger("LOC"))
"""Every capitalised word is a LOC entity: deterministic, no model."""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PROJNER_NO_PROGRESS", "1")


def test_default_tagger_is_package_only() -> None:
    assert tt.TranslateTestOptions(from_lang="lug").tagger == tt.DEFAULT_TAGGER == "spacy-news"


def test_default_projector_is_the_heuristic(monkeypatch: pytest.MonkeyPatch) -> None:
    from projner import project

    used: list[str] = []
    real = project.get_projector

    def spy(name: str, **kw: object) -> object:
        used.append(name)
        return real(name, **kw)

    monkeypatch.setattr(project, "get_projector", spy)
    targets = [Sentence(["Kampala", "ye", "kibuga"]), Sentence(["Tewali", "kintu"])]
    opts = tt.TranslateTestOptions(from_lang="lug", tagger="caps-tt-test", aligner="exact-match")
    out = tt.translate_test(targets, opts, translations=["Kampala is a city", None])
    assert used == [tt.TRANSLATE_TEST_PROJECTOR] == ["heuristic-words"]
    assert out.sentences[0].tags == ["B-LOC", "O", "O"] and out.sentences[1].tags == ["O", "O"]
    assert out.missing == [1]
    used.clear()
    tt.translate_test(targets, tt.TranslateTestOptions(from_lang="lug", tagger="caps-tt-test",
                                                       aligner="exact-match", projector="greedy"),
                      translations=["Kampala is a city", None])  # fmt: skip
    assert used == ["greedy"]


def test_target_consistency_tags_names_the_translation_lost() -> None:
    """The name Kampala is projected in two sentences; the third translation paraphrases it ("the city") and the fourth
    sentence has no translation: the target-side pass tags both, and can be switched off."""
    targets = [
        Sentence(["Kampala", "nnene"]),
        Sentence(["Nagenda", "e", "Kampala"]),
        Sentence(["Kampala", "eyonjo"]),
        Sentence(["Kampala", "kirungi"]),
    ]
    english = ["Kampala is big", "I went to Kampala", "the city is clean", None]
    opts = tt.TranslateTestOptions(from_lang="lug", tagger="caps-tt-test", aligner="exact-match")
    out = tt.translate_test(targets, opts, translations=english)
    assert [s.tags for s in out.sentences] == [
        ["B-LOC", "O"],
        ["O", "O", "B-LOC"],  # "Nagenda" ("I went") has no English capitalised counterpart
        ["B-LOC", "O"],
        ["B-LOC", "O"],
    ]
    assert out.consistency_changes == 2
    assert "2 spans added or re-typed by target-side consistency" in out.summary()
    opts.target_consistency = False
    off = tt.translate_test(targets, opts, translations=english)
    assert [s.tags for s in off.sentences][2:] == [["O", "O"], ["O", "O"]]
    assert off.consistency_changes == 0


def test_target_consistency_ignores_unobserved_sentences_as_evidence() -> None:
    """Tagged in 2 of 5 observed occurrences (40 %): propagated. Counting the two untranslated sentences as
    untagged occurrences would make it 2 of 7 (29 %) and block it."""
    w = [["Gulu", "x"]] * 7
    spans = [[Span(0, 1, "LOC")]] * 2 + [[]] * 5
    observed = [True] * 5 + [False] * 2
    out = tt.target_consistency(w, spans, observed)
    assert all(s == [Span(0, 1, "LOC")] for s in out)
    blocked = tt.target_consistency(w, spans, None)
    assert blocked[2:] == [[]] * 5
    assert tt.target_consistency(w, spans, observed, min_tagged_ratio=0.5)[2:] == [[]] * 5
    with pytest.raises(ValueError, match="7 observed flags for 6 sentences"):
        tt.target_consistency(w[:6], spans[:6], observed)


def test_trim_lowercase_prefix_keeps_the_name() -> None:
    toks = "mu disitulikiti y'e Gulu ne bugwanjuba bwa".split()
    spans = [Span(1, 4, "LOC"), Span(5, 7, "LOC"), Span(0, 1, "PER")]
    assert tt.trim_lowercase_prefix(toks, spans) == [Span(3, 4, "LOC"), Span(5, 7, "LOC"), Span(0, 1, "PER")]


def test_trim_lowercase_runs_before_consistency_and_can_be_switched_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The English "Gulu District" (one LOC) aligns to "disitulikiti Gulu"; the trim keeps "Gulu" only."""
    targets = [Sentence(["disitulikiti", "Gulu", "nnene"])]
    english = ["Gulu District is big"]

    def phrase(ws: list[str]) -> list[Span]:
        return [Span(0, 2, "LOC")] if ws[:2] == ["Gulu", "District"] else []

    register_tagger("gulu-district-test")(lambda **_: FunctionTagger(phrase))

    from projner.core.types import Alignment

    class _Fixed:
        def align(self, pairs: list[tuple[list[str], list[str]]]) -> list[Alignment]:
            return [Alignment([(0, 1), (1, 0)]) for _ in pairs]

    import projner.align as align_mod

    monkeypatch.setattr(align_mod, "get_aligner", lambda name, **kw: _Fixed())
    opts = tt.TranslateTestOptions(from_lang="lug", tagger="gulu-district-test", aligner="fixed")
    assert tt.translate_test(targets, opts, translations=english).sentences[0].tags == ["O", "B-LOC", "O"]
    opts.trim_lowercase = False
    assert tt.translate_test(targets, opts, translations=english).sentences[0].tags == ["B-LOC", "I-LOC", "O"]


def test_set_completion_grows_a_name_the_set_projects_whole() -> None:
    """ "National Resistance Movement" is projected whole three times; the fourth English says only "National
    ... Movement" apart, so only "National" is projected: set completion grows it, and can be switched off."""
    name = ["National", "Resistance", "Movement"]
    targets = [Sentence([*name, "kibiina"]) for _ in range(4)]
    english = ["National Resistance Movement won"] * 3 + ["National party won"]

    def names(ws: list[str]) -> list[Span]:
        return [Span(0, 3, "ORG")] if ws[:3] == name else [Span(0, 1, "ORG")]

    register_tagger("nrm-test")(lambda **_: FunctionTagger(names))
    opts = tt.TranslateTestOptions(from_lang="lug", tagger="nrm-test", aligner="exact-match")
    out = tt.translate_test(targets, opts, translations=english)
    assert [s.tags for s in out.sentences] == [["B-ORG", "I-ORG", "I-ORG", "O"]] * 4
    assert out.completed == 1 and "1 grown by set completion" in out.summary()
    opts.set_completion = False
    off = tt.translate_test(targets, opts, translations=english)
    assert off.sentences[3].tags == ["B-ORG", "O", "O", "O"] and off.completed == 0


def test_extra_parallel_text_reaches_a_trainable_aligner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from projner.align.eflomal import EflomalAligner
    from projner.core.types import InputError

    en, lug = tmp_path / "x.en", tmp_path / "x.lug"
    en.write_text("Kampala is big.\n\nThe city, Kampala.\n", encoding="utf-8")
    lug.write_text("Kampala kinene.\nekibuga\nEkibuga, Kampala.\n", encoding="utf-8")
    pairs = tt.read_extra_parallel([f"{en},{lug}"], "lug")
    assert pairs == [(["Kampala", "is", "big", "."], ["Kampala", "kinene", "."]),
                     (["The", "city", ",", "Kampala", "."], ["Ekibuga", ",", "Kampala", "."])]  # fmt: skip
    lug.write_text("Kampala kinene.\n", encoding="utf-8")
    with pytest.raises(InputError, match="differ in length"):
        tt.read_extra_parallel([f"{en},{lug}"], "lug")
    lug.write_text("Kampala kinene.\nekibuga\nEkibuga, Kampala.\n", encoding="utf-8")

    seen: list[int] = []
    real_fit = EflomalAligner.fit
    monkeypatch.setattr(EflomalAligner, "fit", lambda self, p: seen.append(len(p)) or real_fit(self, p))
    targets = [Sentence(["Kampala", "kinene"])]
    opts = tt.TranslateTestOptions(from_lang="lug", tagger="caps-tt-test", aligner="e5-inter-eflomal",
                                   aligner_kwargs={"primary": "exact-match"}, extra_parallel=(f"{en},{lug}",))  # fmt: skip
    out = tt.translate_test(targets, opts, translations=["Kampala is big"])
    assert seen == [2] and out.sentences[0].tags == ["B-LOC", "O"]
    bad = tt.TranslateTestOptions(from_lang="lug", tagger="caps-tt-test", aligner="exact-match",
                                  extra_parallel=(f"{en},{lug}",))  # fmt: skip
    with pytest.raises(InputError, match="does not train on extra parallel text"):
        tt.translate_test(targets, bad, translations=["Kampala is big"])


def test_extra_parallel_dataset_without_split_reads_every_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from projner.core.types import InputError

    pair = tmp_path / "data" / "mafand-mt" / "en-lug"
    pair.mkdir(parents=True)
    for split, en, lug in (("train", "Hello Kampala", "Gyebale Kampala"), ("dev", "Bye", "Weeraba")):
        (pair / f"{split}.en").write_text(en + "\n", encoding="utf-8")
        (pair / f"{split}.lug").write_text(lug + "\n", encoding="utf-8")
    monkeypatch.setenv("PROJNER_DATA", str(tmp_path / "data"))
    assert tt.parallel_splits("mafand-mt:en-lug") == ["mafand-mt:en-lug:train", "mafand-mt:en-lug:dev"]
    assert tt.read_extra_parallel(["mafand-mt:en-lug"], "lug") == [
        (["Hello", "Kampala"], ["Gyebale", "Kampala"]),
        (["Bye"], ["Weeraba"]),
    ]
    with pytest.raises(InputError, match="no pair 'en-xyz'"):
        tt.parallel_splits("mafand-mt:en-xyz")
    with pytest.raises(InputError, match="none of the splits"):
        tt.parallel_splits("mafand-mt:en-luo")


def test_extra_parallel_text_is_tokenized_once_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every shard of an --engine run trains on the extra text; it is read and tokenized once, and again only when
    a file changes."""
    import projner.translate.text as text

    en, lug = tmp_path / "y.en", tmp_path / "y.lug"
    en.write_text("Kampala is big.\n", encoding="utf-8")
    lug.write_text("Kampala kinene.\n", encoding="utf-8")
    calls: list[str] = []
    real = text.tokenize
    monkeypatch.setattr(text, "tokenize", lambda s, lang="en": calls.append(s) or real(s, lang))
    first = tt.read_extra_parallel([f"{en},{lug}"], "lug")
    first.append((["x"], ["y"]))  # a caller's change does not reach the remembered copy
    assert tt.read_extra_parallel([f"{en},{lug}"], "lug") == [
        (["Kampala", "is", "big", "."], ["Kampala", "kinene", "."])
    ]
    assert len(calls) == 2
    lug.write_text("Kampala kinene nnyo.\n", encoding="utf-8")
    assert tt.read_extra_parallel([f"{en},{lug}"], "lug")[0][1] == ["Kampala", "kinene", "nnyo", "."]
    assert len(calls) == 4
