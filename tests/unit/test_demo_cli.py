"""``projner demo`` (the README's main job) on its built-in example: it must use the *projection* default."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from projner.cli.main import app


def test_demo_uses_the_projection_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from projner import project
    from projner.project.pipeline import DEFAULT_PROJECTOR, DEFAULT_PROJECTOR_PARAMS

    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PROJNER_NO_PROGRESS", "1")
    used: list[tuple[str, dict[str, object]]] = []
    real = project.get_projector

    def spy(name: str, **kw: object) -> object:
        used.append((name, kw))
        return real(name, **kw)

    monkeypatch.setattr(project, "get_projector", spy)
    res = CliRunner().invoke(app, ["demo", "--embedded", "--aligner", "exact-match"])
    assert res.exit_code == 0, res.output
    # not translate-test's heuristic: gold English entities are projected with greedy matching (M=10, λ=0.5)
    assert used == [(DEFAULT_PROJECTOR, DEFAULT_PROJECTOR_PARAMS)]
    assert "built-in en→de example: P " in res.output
    used.clear()
    res = CliRunner().invoke(
        app, ["demo", "--embedded", "--aligner", "exact-match", "--projector", "heuristic"]
    )
    assert res.exit_code == 0, res.output
    assert used == [("heuristic", {})]
