"""The en-ner "news" training data: pcm gold projected onto MAFAND English, with the evaluation leak guard.

A fake data root is written here (PROJNER_DATA): pcm sentences whose English translation is word-for-word, so the
``exact-match`` aligner projects every entity, and a twi test sentence that reuses one pcm sentence's English (as
56 real twi test sentences do) — that pcm sentence must not become training data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.core.tags import tags_to_spans
from projner.core.types import ProjnerError, Span
from projner.tag import en_ner_data

HEADER = "lang\tner_split\tner_sentence_index\tmafand_source_lang\tmafand_target_file\tmafand_line_index\n"

PCM = [  # (pcm words + tags, English translation)
    ("Buhari visit Lagos", "B-PER O B-LOC", "Buhari visited Lagos ."),
    ("Di Senate don talk", "O B-ORG O O", "The Senate has spoken ."),
    ("Obi waka go Abuja", "B-PER O O B-LOC", "Obi went to Abuja ."),
    ("Tinubu dey Kano", "B-PER O B-LOC", "Tinubu is in Kano ."),  # no MAFAND row: no translation
]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _conll(rows: list[tuple[str, str]]) -> str:
    return "".join(
        "".join(f"{w} {t}\n" for w, t in zip(words.split(), tags.split(), strict=True)) + "\n"
        for words, tags in rows
    )


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data"
    m = root / "masakhaner2"
    _write(m / "pcm" / "train.txt", _conll([(w, t) for w, t, _ in PCM]))
    _write(m / "pcm" / "dev.txt", _conll([("Buhari talk", "B-PER O"), ("Di Senate meet", "O B-ORG O")]))
    _write(m / "twi" / "test.txt", _conll([("Obi kɔɔ Abuja", "B-PER O B-LOC")]))
    f = root / "mafand-mt"
    _write(f / "en-pcm" / "train.en", "".join(e + "\n" for _, _, e in PCM[:3]))
    _write(f / "en-pcm" / "train.pcm", "".join(w + "\n" for w, _, _ in PCM[:3]))
    _write(f / "en-pcm" / "dev.en", "Buhari spoke .\nThe Senate met .\n")
    _write(f / "en-pcm" / "dev.pcm", "Buhari talk\nDi Senate meet\n")
    _write(f / "en-twi" / "test.en", "Obi went to Abuja .\n")
    _write(f / "en-twi" / "test.twi", "Obi kɔɔ Abuja\n")
    _write(
        m / "masakhaner2_to_mafand.tsv",
        HEADER
        + "pcm\ttrain\t0\ten\ten-pcm/train.pcm\t0\n"
        + "pcm\ttrain\t1\ten\ten-pcm/train.pcm\t1\n"
        + "pcm\ttrain\t2\ten\ten-pcm/train.pcm\t2\n"
        + "pcm\tdev\t0\ten\ten-pcm/dev.pcm\t0\n"
        + "pcm\tdev\t1\ten\ten-pcm/dev.pcm\t1\n"
        + "twi\ttest\t0\ten\ten-twi/test.twi\t0\n",
    )
    monkeypatch.setenv("PROJNER_DATA", str(root))
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    return root


def test_held_out_english_is_every_dev_test_translation(data_root: Path) -> None:
    from projner.translate.parallel import text_key

    expected = {"Obi went to Abuja .", "Buhari spoke .", "The Senate met ."}  # twi test + pcm dev
    assert en_ner_data.held_out_english() == {text_key(t) for t in expected}


def test_projected_news_drops_untranslated_and_evaluation_english(data_root: Path) -> None:
    data = en_ner_data.projected_news_en("train", aligner="exact-match")
    english = [s.tokens for s in data.sentences]
    # sentence 2 is the twi test English (leak guard), sentence 3 has no translation
    assert english == [["Buhari", "visited", "Lagos", "."], ["The", "Senate", "has", "spoken", "."]]
    assert [tags_to_spans(s.tags or []) for s in data.sentences] == [
        [Span(0, 1, "PER"), Span(2, 3, "LOC")],
        [Span(1, 2, "ORG")],
    ]
    assert all(s.lang == "en" for s in data.sentences)
    built = str(data.description["built"])
    assert "2 kept, 1 without translation, 1 dropped as dev/test English" in built


def test_recipe_projection_is_pinned_not_the_library_default(
    data_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recipe names a dataset: changing the library's default projector must not change what it builds."""
    from projner.pipeline import translate_train as tt
    from projner.project import pipeline

    seen = []
    real = tt.translate_train

    def spy(sources, opts, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(opts.projector_spec())
        return real(sources, opts, **kwargs)

    monkeypatch.setattr(tt, "translate_train", spy)
    before = en_ner_data.projected_news_en("train", aligner="exact-match")
    monkeypatch.setattr(pipeline, "DEFAULT_PROJECTOR_PARAMS", {"max_len": 3, "drop_lowercase": True})
    after = en_ner_data.projected_news_en("train", aligner="exact-match")
    expected = (en_ner_data.RECIPE_PROJECTOR, en_ner_data.RECIPE_PROJECTOR_PARAMS)
    assert seen == [expected, expected]
    assert [s.tags for s in after.sentences] == [s.tags for s in before.sentences]
    assert "projector greedy {'max_len': 10, 'unaligned_weight': 0.5}" in str(before.description["built"])


def test_dev_split_is_not_guarded(data_root: Path) -> None:
    dev = en_ner_data.projected_news_en("dev", aligner="exact-match")
    assert len(dev.sentences) == 2
    guarded = en_ner_data.projected_news_en("dev", aligner="exact-match", guard=True)
    assert guarded.sentences == []  # its own lines are evaluation English


def test_unknown_data_and_missing_split_are_clear(data_root: Path) -> None:
    with pytest.raises(ProjnerError, match="unknown en-ner training data"):
        en_ner_data.load("nope", "train")
    with pytest.raises(ProjnerError, match="MasakhaNER2 pcm test split not found"):
        en_ner_data.projected_news_en("test")


def test_news_tagger_trains_news_recipe_once(data_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``get_tagger("news")`` = consistency over ``en-ner:news``, trained on the projected data on first use (a
    small CRF stands in for e5 here, the data chain is the real one with the exact-match aligner)."""
    from projner.tag import en_ner, get_tagger

    monkeypatch.setitem(
        en_ner_data.DATASETS,
        "news-pcm-en",
        lambda split: en_ner_data.projected_news_en(split, aligner="exact-match"),
    )
    monkeypatch.setitem(
        en_ner.RECIPES,
        "news",
        en_ner.EnNerRecipe("news", "crf", data="news-pcm-en", settings={"max_steps": 30, "seed": 1}),
    )
    assert not en_ner.is_prepared("news")
    tagger = get_tagger("news")
    assert en_ner.is_prepared("news")
    card = (en_ner.en_ner_dir("news") / "projner_model.json").read_text()
    assert "dropped as dev/test English" in card  # the model card says how the data was built
    spans = tagger.tag([["Buhari", "visited", "Lagos", "."]])
    assert {s.label for s in spans[0]} <= {"PER", "ORG", "LOC"}


def _add_lug(root: Path) -> None:
    """A lug train split: one sentence fully projected, one whose English drops the name "Kampala"."""
    m, f = root / "masakhaner2", root / "mafand-mt"
    _write(
        m / "lug" / "train.txt",
        _conll([("Museveni agenda Gulu", "B-PER O B-LOC"), ("Bobi ali Kampala", "B-PER O B-LOC")]),
    )
    _write(m / "lug" / "dev.txt", _conll([("Museveni ayogedde", "B-PER O")]))
    _write(f / "en-lug" / "train.en", "Museveni went to Gulu .\nBobi is in the city .\n")
    _write(f / "en-lug" / "train.lug", "Museveni agenda Gulu\nBobi ali Kampala\n")
    _write(f / "en-lug" / "dev.en", "Museveni spoke .\n")
    _write(f / "en-lug" / "dev.lug", "Museveni ayogedde\n")
    with (m / "masakhaner2_to_mafand.tsv").open("a", encoding="utf-8") as out:
        out.write("lug\ttrain\t0\ten\ten-lug/train.lug\t0\nlug\ttrain\t1\ten\ten-lug/train.lug\t1\n")
        out.write("lug\tdev\t0\ten\ten-lug/dev.lug\t0\n")


def test_complete_only_drops_sentences_with_unprojected_entities(data_root: Path) -> None:
    _add_lug(data_root)
    every = en_ner_data.projected_news_en("train", "lug", aligner="exact-match")
    assert len(every.sentences) == 2  # "Kampala" is lost in translation, the sentence is kept with Bobi only
    complete = en_ner_data.projected_news_en("train", "lug", aligner="exact-match", complete_only=True)
    assert [s.tokens for s in complete.sentences] == [["Museveni", "went", "to", "Gulu", "."]]
    assert "1 dropped as incompletely projected" in str(complete.description["built"])


def test_news_multi_leaves_out_excluded_languages(data_root: Path) -> None:
    _add_lug(data_root)
    absent = ("luo", "tsn", "twi")  # not in the fake data root: excluded, or the build fails (below)
    train = en_ner_data.news_multi("train", exclude=absent, aligner="exact-match")
    # pcm: 2 projected (guard + no translation drop the others), lug: 1 complete, then the 4 pcm gold sentences
    assert len(train.sentences) == 2 + 1 + 4
    assert list(train.description) == ["projected:pcm", "projected:lug", "gold:pcm"]
    without_lug = en_ner_data.news_multi("train", exclude=("lug", *absent), aligner="exact-match")
    assert list(without_lug.description) == ["projected:pcm", "gold:pcm"]
    without_pcm = en_ner_data.news_multi("train", exclude=("pcm", *absent), aligner="exact-match")
    assert list(without_pcm.description) == ["projected:lug"]  # no Pidgin gold without pcm
    dev = en_ner_data.news_multi("dev", exclude=("pcm", *absent), aligner="exact-match")
    assert [s.tokens for s in dev.sentences] == [["Museveni", "spoke", "."]]
    with pytest.raises(ProjnerError, match="MasakhaNER2 luo train split not found"):
        en_ner_data.news_multi("train", aligner="exact-match")
    with pytest.raises(ProjnerError, match="cannot exclude hau"):
        en_ner_data.news_multi("train", exclude=("hau",))


@pytest.mark.parametrize(
    ("exclude", "name"),
    [((), "news-multi"), (("lug",), "news-multi-no-lug"), (("twi", "lug"), "news-multi-no-lug-twi")],
)
def test_multi_names_round_trip(exclude: tuple[str, ...], name: str) -> None:
    assert en_ner_data.multi_name(exclude) == name
    assert en_ner_data.parse_multi_name(name) == tuple(sorted(exclude))
    assert en_ner_data.parse_multi_name("news") is None
    assert en_ner_data.parse_multi_name("news-multi-no-") is None


def test_held_out_multi_recipes_resolve_to_one_model_per_language_set() -> None:
    from projner.tag import en_ner

    a, b = en_ner._recipe("news-multi-no-twi-lug"), en_ner._recipe("news-multi-no-lug-twi")
    assert a == b and a.dir_name == "en-ner-news-multi-no-lug-twi" and a.data == "news-multi-no-lug-twi"
    assert en_ner._recipe("news-multi").settings["epochs"] == 2
    for bad in ("news-multi-no-hau", "news-multi-no-lug-lug", "news-multi-no-lug-luo-pcm-tsn-twi"):
        with pytest.raises(ProjnerError, match="bad en-ner recipe"):
            en_ner._recipe(bad)
    with pytest.raises(ProjnerError, match="unknown en-ner recipe"):
        en_ner._recipe("newsy")
