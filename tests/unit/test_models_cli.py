"""``projner models prepare/list`` for the en-ner recipes, through the Typer app (nothing is trained)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from projner.cli.main import app
from projner.core.types import InputError
from projner.tag import en_ner

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A private, empty cache: the listed paths live under tmp_path and nothing counts as prepared by accident."""
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Replace prepare_en_ner with a fake that records its arguments and returns a path without training."""
    seen: list[tuple[str, dict[str, Any]]] = []

    def fake(name: str = "e5", **kw: Any) -> Path:
        seen.append((name, kw))
        return tmp_path / f"fake-{name}"

    monkeypatch.setattr(en_ner, "prepare_en_ner", fake)
    return seen


@pytest.mark.parametrize("recipe", sorted(en_ner.RECIPES))
def test_prepare_en_ner_recipe(recipe: str, calls: list[tuple[str, dict[str, Any]]], tmp_path: Path) -> None:
    res = runner.invoke(app, ["models", "prepare", f"en-ner-{recipe}"])
    assert res.exit_code == 0, res.output
    assert calls == [(recipe, {"force": False})]
    assert res.output.strip() == str(tmp_path / f"fake-{recipe}")


def test_prepare_en_ner_force(calls: list[tuple[str, dict[str, Any]]]) -> None:
    recipe = sorted(en_ner.RECIPES)[0]
    res = runner.invoke(app, ["models", "prepare", f"en-ner-{recipe}", "--force"])
    assert res.exit_code == 0, res.output
    assert calls == [(recipe, {"force": True})]


def test_recipes_are_read_at_run_time(
    calls: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = en_ner.EnNerRecipe("tiny", "crf")
    monkeypatch.setitem(en_ner.RECIPES, "tiny", extra)
    res = runner.invoke(app, ["models", "prepare", "en-ner-tiny"])
    assert res.exit_code == 0, res.output
    assert calls == [("tiny", {"force": False})]
    res = runner.invoke(app, ["models", "list"])
    assert res.exit_code == 0, res.output
    assert "en-ner-tiny" in res.output


@pytest.mark.parametrize("name", ["nope", "en-ner-nope", "en-ner-", "en-ner", "crf", "e5"])
def test_unknown_model_lists_every_valid_name(name: str, calls: list[tuple[str, dict[str, Any]]]) -> None:
    res = runner.invoke(app, ["models", "prepare", name])
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError)
    message = str(res.exception)
    assert repr(name) in message and "e5-small" in message
    for recipe in en_ner.RECIPES:
        assert f"en-ner-{recipe}" in message
    assert calls == []


def test_list_shows_en_ner_status_description_and_path(monkeypatch: pytest.MonkeyPatch) -> None:
    recipes = sorted(en_ner.RECIPES)
    ready = recipes[0]
    monkeypatch.setattr(en_ner, "is_prepared", lambda name="e5": name == ready)
    res = runner.invoke(app, ["models", "list"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    for recipe in recipes:
        name = f"en-ner-{recipe}"
        (i,) = [k for k, line in enumerate(lines) if line.split()[:1] == [name]]
        if recipe == ready:
            assert lines[i].split()[1:] == ["prepared"]
        else:
            assert f"not prepared (projner models prepare {name})" in lines[i]
        description = lines[i + 1]
        assert "English NER" in description and en_ner.RECIPES[recipe].model in description
        assert getattr(en_ner.RECIPES[recipe], "data", "wikiann-en") in description
        assert lines[i + 2].strip() == str(en_ner.en_ner_dir(recipe))
    # the e5 encoder and the aligners are still listed
    assert any(line.split()[:1] == ["e5-small"] for line in lines)
    assert "aligners:" in res.output


def test_prepare_accepts_held_out_multi_recipes(calls: list[tuple[str, dict[str, Any]]]) -> None:
    """``news-multi-no-<lang>...`` is not listed (there is one per language set) but can be prepared by name."""
    res = runner.invoke(app, ["models", "prepare", "en-ner-news-multi-no-lug-twi"])
    assert res.exit_code == 0, res.output
    assert calls == [("news-multi-no-lug-twi", {"force": False})]
    res = runner.invoke(app, ["models", "prepare", "en-ner-nope"])
    assert "en-ner-news-multi-no-<lang>" in str(res.exception)
