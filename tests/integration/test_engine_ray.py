"""RayEngine on a local 2-CPU Ray cluster writes byte-identical output to LocalEngine (tasks and actors).

Synthetic data and a tiny random encoder built in the test; skipped when Ray is not installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="ray is not installed (pip install projner[ray])")

from projner.engine import LocalEngine, RayEngine  # noqa: E402
from projner.engine.jobs import project_job  # noqa: E402
from projner.engine.testing import write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("ray")
    old = os.environ.get("PROJNER_CACHE")
    os.environ["PROJNER_CACHE"] = str(root / "cache")  # workers inherit it: no writes to the user cache
    os.environ.setdefault("RAY_ACCEL_ENV_VAR_OVERRIDE_ON_ZERO", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield root
    finally:
        ray.shutdown()
        if old is None:
            os.environ.pop("PROJNER_CACHE", None)
        else:
            os.environ["PROJNER_CACHE"] = old


def test_project_tasks_identical(cluster: Path, tmp_path: Path) -> None:
    src, tgt, ali = write_corpus(tmp_path, 200, seed=11)

    def job(out: Path):  # type: ignore[no-untyped-def]
        return project_job(
            src,
            tgt,
            out,
            projector="greedy",
            params={"max_len": 10},
            labels=["PER", "LOC"],
            alignments=ali,
            confidence_out=out.with_suffix(".tsv"),
        )

    local = LocalEngine(37, tmp_path / "runs-local").run(job(tmp_path / "local.conll"))
    remote = RayEngine(37, tmp_path / "runs-ray", workers=2).run(job(tmp_path / "ray.conll"))
    assert (tmp_path / "local.conll").read_bytes() == (tmp_path / "ray.conll").read_bytes()
    assert (tmp_path / "local.tsv").read_bytes() == (tmp_path / "ray.tsv").read_bytes()
    assert local.stats == remote.stats and remote.shards == 6


def test_encoder_actors_identical(cluster: Path, tmp_path: Path) -> None:
    from projner.align.testing import tiny_encoder

    enc = str(tiny_encoder(cluster / "enc"))
    src, tgt, _ = write_corpus(tmp_path, 60, seed=12)
    kwargs = {"model": enc, "layer": 2}
    for name in ("local", "ray"):
        engine = (
            LocalEngine(16, tmp_path / f"runs-{name}")
            if name == "local"
            else RayEngine(16, tmp_path / f"runs-{name}", workers=2)
        )
        job = project_job(
            src,
            tgt,
            tmp_path / f"{name}.conll",
            projector="greedy",
            params={},
            labels=None,
            aligner="embedding",
            aligner_kwargs=kwargs,
        )
        assert job.stage.heavy  # encoder stages run in actors (model loaded once per worker) on Ray
        engine.run(job)
    assert (tmp_path / "local.conll").read_bytes() == (tmp_path / "ray.conll").read_bytes()
    assert (tmp_path / "local.conll").read_text().count("\n\n") == 60
