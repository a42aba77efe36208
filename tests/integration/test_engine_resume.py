"""SIGKILL a sharded `projner project` run part-way; the rerun resumes and writes the same bytes as an unkilled run.

Synthetic data written in the test (no shared data needed). The killed run slows each shard down (a wrapper stage
defined in the child script) so the kill reliably lands mid-run; the resumed run is the plain CLI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from typer.testing import CliRunner

from projner.cli.main import app
from projner.engine.testing import write_corpus

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from projner.engine import LocalEngine, StageSpec
    from projner.engine.jobs import project_job
    from projner.project.pipeline import DEFAULT_PROJECTOR_PARAMS
    from projner.project.set_completion import SET_COMPLETION

    class Slow:
        def __init__(self, inner):
            self.inner = inner.build()
        def __call__(self, shard):
            time.sleep(0.3)
            return self.inner(shard)

    src, tgt, ali, out, runs = map(Path, sys.argv[1:6])
    # the job `projner project --engine local` builds without --projector (the resume below must find it)
    job = project_job(src, tgt, out, projector="greedy", params=dict(DEFAULT_PROJECTOR_PARAMS), labels=None,
                      alignments=ali, out_format="conll", set_completion=dict(SET_COMPLETION))
    job.stage = StageSpec("__main__:Slow", {"inner": job.stage})
    LocalEngine(50, runs).run(job)
    """
)


def _done(runs: Path) -> int:
    return sum(1 for _ in runs.glob("*/shards/*.done"))


def test_sigkill_then_resume_is_byte_identical(tmp_path: Path) -> None:
    src, tgt, ali = write_corpus(tmp_path, 1000, seed=7)  # 20 shards of 50
    runs, out = tmp_path / "runs", tmp_path / "out.conll"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(src), str(tgt), str(ali), str(out), str(runs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 40
    while _done(runs) < 3 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = _done(runs)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode() if proc.stderr else ""
    assert 3 <= finished < 20, finished
    assert not out.exists()  # nothing merged, nothing half-written
    for done in runs.glob("*/shards/*.done"):  # a shard marked done has its output (written before the mark)
        assert done.with_suffix(".out").exists()

    base = ["project", "--source", str(src), "--target", str(tgt), "--alignments", str(ali)]
    res = CliRunner().invoke(
        app, [*base, "-o", str(out), "--engine", "local", "--shard-size", "50", "--run-dir", str(runs)]
    )
    assert res.exit_code == 0, res.output
    assert f"{finished} resumed" in res.output
    # the reference: the same sharded run, uninterrupted (set completion takes its evidence per shard, so an
    # in-memory run differs; in-memory equality without it is tested in tests/unit/test_engine_local.py)
    ref = tmp_path / "ref.conll"
    res = CliRunner().invoke(
        app,
        [*base, "-o", str(ref), "--engine", "local", "--shard-size", "50", "--run-dir", str(tmp_path / "r2")],
    )
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == ref.read_bytes()
