"""translate-test defaults: the package-only tagger and the heuristic projector (tiny data, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.core.types import Sentence, Span
from projner.pipeline import translate_test as tt
from projner.tag.base import register_tagger


@register_tagger("caps-tt-test")
class _Caps:
    """Every capitalised word is a LOC entity: deterministic, no model."""

    def __init__(self, **_: object) -> None:
        pass

    def params(self) -> dict[str, object]:
        return {}

    def tag(self, sentences: list[list[str]]) -> list[list[Span]]:
        return [[Span(i, i + 1, "LOC") for i, w in enumerate(ws) if w[:1].isupper()] for ws in sentences]


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
    assert used == [tt.TRANSLATE_TEST_PROJECTOR] == ["heuristic"]
    assert out.sentences[0].tags == ["B-LOC", "O", "O"] and out.sentences[1].tags == ["O", "O"]
    assert out.missing == [1]
    used.clear()
    tt.translate_test(targets, tt.TranslateTestOptions(from_lang="lug", tagger="caps-tt-test",
                                                       aligner="exact-match", projector="greedy"),
                      translations=["Kampala is a city", None])  # fmt: skip
    assert used == ["greedy"]
