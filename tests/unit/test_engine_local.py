"""LocalEngine: sharded output equals the in-memory command, resume skips finished shards, errors are clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from projner.cli.main import app
from projner.core.types import InputError, ProjnerError
from projner.engine import LocalEngine, RunDir, Shard, ShardResult, StageSpec, get_engine, merge_stats, shards
from projner.engine.base import Job, OutputSpec
from projner.engine.jobs import align_job, project_job, zip_inputs
from projner.engine.testing import write_corpus

runner = CliRunner()


def _cli(*args: str) -> None:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output + repr(res.exception)


def test_shards_are_consecutive_and_lazy() -> None:
    got = list(shards(iter(range(7)), 3))
    assert [(s.index, s.start, s.records) for s in got] == [(0, 0, [0, 1, 2]), (1, 3, [3, 4, 5]), (2, 6, [6])]
    with pytest.raises(ValueError):
        list(shards([1], 0))


def test_merge_stats_sums_and_caps() -> None:
    total: dict = {}
    merge_stats(total, {"n": 2, "d": {"a": 1}, "l": [1]})
    merge_stats(total, {"n": 3, "d": {"a": 2, "b": 1}, "l": [2, 3]})
    assert total == {"n": 5, "d": {"a": 3, "b": 1}, "l": [1, 2, 3], "l_total": 3}


@pytest.mark.parametrize("shard_size", [1, 7, 1000])
def test_project_engine_equals_in_memory(tmp_path: Path, shard_size: int) -> None:
    src, tgt, ali = write_corpus(tmp_path, 60, seed=1)
    base = ["project", "--source", str(src), "--target", str(tgt), "--alignments", str(ali)]
    if shard_size < 60:  # set completion takes its evidence from one shard: equal only without it
        base.append("--no-set-completion")
    _cli(*base, "-o", str(tmp_path / "a.conll"), "--confidence-out", str(tmp_path / "a.tsv"))
    _cli(
        *base,
        "-o",
        str(tmp_path / "b.conll"),
        "--confidence-out",
        str(tmp_path / "b.tsv"),
        "--engine",
        "local",
        "--shard-size",
        str(shard_size),
        "--run-dir",
        str(tmp_path / "runs"),
    )
    assert (tmp_path / "a.conll").read_bytes() == (tmp_path / "b.conll").read_bytes()
    assert (tmp_path / "a.tsv").read_bytes() == (tmp_path / "b.tsv").read_bytes()


@pytest.mark.parametrize(("shard_size", "completed"), [(4, True), (2, False)])
def test_project_engine_set_completion_per_shard(tmp_path: Path, shard_size: int, completed: bool) -> None:
    from tests.unit.test_project_cli import SET_ALI, SET_SRC, SET_TGT

    for name, text in (("s.conll", SET_SRC), ("t.conll", SET_TGT), ("a.txt", SET_ALI)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "o.conll"
    _cli("project", "--source", str(tmp_path / "s.conll"), "--target", str(tmp_path / "t.conll"), "--alignments",
         str(tmp_path / "a.txt"), "-o", str(out), "--engine", "local", "--shard-size", str(shard_size),
         "--run-dir", str(tmp_path / "runs"))  # fmt: skip
    last = [
        line.split("\t")[1] for line in out.read_text(encoding="utf-8").strip().split("\n\n")[-1].splitlines()
    ]
    assert last == (["B-ORG", "I-ORG", "O"] if completed else ["B-ORG", "O", "O"])


def test_project_engine_jsonl_output(tmp_path: Path) -> None:
    src, tgt, ali = write_corpus(tmp_path, 30, seed=2)
    base = ["project", "--source", str(src), "--target", str(tgt), "--alignments", str(ali)]
    _cli(*base, "-o", str(tmp_path / "a.jsonl"))
    _cli(
        *base,
        "-o",
        str(tmp_path / "b.jsonl"),
        "--engine",
        "local",
        "--shard-size",
        "4",
        "--run-dir",
        str(tmp_path / "runs"),
    )
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_align_engine_equals_in_memory(tmp_path: Path) -> None:
    src, tgt, _ = write_corpus(tmp_path, 40, seed=3)
    base = ["align", "--source", str(src), "--target", str(tgt), "--aligner", "exact-match", "--no-cache"]
    _cli(*base, "-o", str(tmp_path / "a.txt"))
    _cli(
        *base,
        "-o",
        str(tmp_path / "b.txt"),
        "--engine",
        "local",
        "--shard-size",
        "6",
        "--run-dir",
        str(tmp_path / "runs"),
    )
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()


def test_align_engine_refuses_eflomal(tmp_path: Path) -> None:
    src, tgt, _ = write_corpus(tmp_path, 5)
    with pytest.raises(InputError, match="cannot be sharded"):
        align_job(src, tgt, tmp_path / "o.txt", "eflomal", {})


def test_align_engine_shards_a_fill_with_a_streaming_primary(tmp_path: Path) -> None:
    """A fill whose primary streams (the default e5-inter-thot is one) is sharded; its filler trains per shard."""
    pytest.importorskip("thot.alignment")
    src, tgt, _ = write_corpus(tmp_path, 12, seed=5)
    kwargs = {"primary": "exact-match", "secondary": "thot-eflomal-inter"}
    out = tmp_path / "o.txt"
    job = align_job(src, tgt, out, "fill", kwargs, cache=False)
    LocalEngine(5, tmp_path / "runs").run(job)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12 and any(lines)


def test_mismatched_counts_name_the_shorter_file(tmp_path: Path) -> None:
    src, tgt, ali = write_corpus(tmp_path, 10)
    short = tmp_path / "short.txt"
    short.write_text("".join(ali.read_text().splitlines(keepends=True)[:7]))
    out = tmp_path / "o.conll"
    job = project_job(src, tgt, out, projector="greedy", params={}, labels=None, alignments=short)
    with pytest.raises(InputError, match=r"short\.txt.*ends after 7"):
        LocalEngine(3, tmp_path / "runs").run(job)
    assert not out.exists()  # never a partial merge
    with pytest.raises(InputError, match="ends after 2"):
        list(zip_inputs([[1, 2], [1, 2, 3]], ["a", "b"]))


class _Counting:
    """A processor that records which shards it saw (module-level, so StageSpec can build it)."""

    seen: list[int] = []

    def __init__(self, fail_at: int = -1) -> None:
        self.fail_at = fail_at

    def __call__(self, shard: Shard) -> ShardResult:
        if shard.index == self.fail_at:
            raise RuntimeError("boom")
        _Counting.seen.append(shard.index)
        return ShardResult({"out": "".join(f"{r}\n" for r in shard.records)}, {"n": len(shard.records)})


def _job(tmp_path: Path, fail_at: int = -1) -> Job:
    stage = StageSpec(f"{__name__}:_Counting", {"fail_at": fail_at})
    return Job("count", {"x": 1}, iter(range(10)), stage, [OutputSpec("out", tmp_path / "out.txt")])


def test_resume_skips_finished_shards(tmp_path: Path) -> None:
    _Counting.seen = []
    eng = LocalEngine(3, tmp_path / "runs", keep_shards=True)
    with pytest.raises(RuntimeError, match="boom"):
        eng.run(_job(tmp_path, fail_at=2))
    assert _Counting.seen == [0, 1]
    assert not (tmp_path / "out.txt").exists()
    _Counting.seen = []
    report = eng.run(_job(tmp_path))
    assert _Counting.seen == [2, 3]
    assert report.resumed == 2 and report.shards == 4 and report.records == 10
    assert report.stats == {"n": 10}
    assert (tmp_path / "out.txt").read_text() == "".join(f"{i}\n" for i in range(10))
    manifest = json.loads((report.run_dir / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["shards"] == 4


def test_run_dir_key_changes_with_config(tmp_path: Path) -> None:
    a = RunDir(tmp_path, "j", {"x": 1}, 10)
    assert a.path == RunDir(tmp_path, "j", {"x": 1}, 10).path
    assert a.path != RunDir(tmp_path, "j", {"x": 2}, 10).path
    assert a.path != RunDir(tmp_path, "j", {"x": 1}, 11).path


def test_numbered_sidecar_counts_across_shards(tmp_path: Path) -> None:
    rd = RunDir(tmp_path, "j", {}, 2)
    rd.open()
    rd.save(Shard(0, 0, [0, 1]), ShardResult({"s": "a\nb\n"}))
    rd.save(Shard(1, 2, [2]), ShardResult({"s": ""}))
    rd.save(Shard(2, 3, [3]), ShardResult({"s": "c\n"}))
    rd.merge(3, [OutputSpec("s", tmp_path / "side.tsv", header="n\tv\n", numbered=True)])
    assert (tmp_path / "side.tsv").read_text() == "n\tv\n1\ta\n2\tb\n3\tc\n"


def test_engine_errors() -> None:
    with pytest.raises(ProjnerError, match="unknown engine"):
        get_engine("spark")
    with pytest.raises(ProjnerError, match="shard-size"):
        get_engine("local", shard_size=0)


def test_ray_missing_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` raise ImportError
    with pytest.raises(ProjnerError, match=r"pip install projner\[ray\]"):
        get_engine("ray")
    res = runner.invoke(app, ["project", "--source", "x", "--target", "y", "-o", "z", "--engine", "ray"])
    assert res.exit_code != 0 and "projner[ray]" in str(res.exception)


def test_errors_name_the_global_sentence_number(tmp_path: Path) -> None:
    src = tmp_path / "s.conll"
    src.write_text("".join(f"w{i}\tO\n\n" for i in range(5)))
    tgt = tmp_path / "t.tok"
    tgt.write_text("a\nb\nc\n\nd\n")  # sentence 4 is empty: a CoNLL output cannot hold it
    ali = tmp_path / "a.txt"
    ali.write_text("0-0\n0-0\n0-0\n\n0-0\n")
    job = project_job(
        src, tgt, tmp_path / "o.conll", projector="greedy", params={}, labels=None, alignments=ali
    )
    with pytest.raises(InputError, match="sentence 4 has no tokens"):
        LocalEngine(2, tmp_path / "runs").run(job)


def test_parquet_input_streams_into_the_engine(tmp_path: Path) -> None:
    """HF-style Parquet (integer ClassLabel tags named in the schema metadata) = the same CoNLL corpus."""
    import datasets

    from projner import io

    src, tgt, ali = write_corpus(tmp_path, 40, seed=5)
    sents = list(io.read(src))
    names = sorted({t for s in sents for t in s.tags or []})
    feats = datasets.Features(
        {
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
        }
    )
    ds = datasets.Dataset.from_dict(
        {
            "tokens": [s.tokens for s in sents],
            "ner_tags": [[names.index(t) for t in s.tags or []] for s in sents],
        },
        features=feats,
    )
    pq = tmp_path / "src.parquet"
    ds.to_parquet(str(pq))
    assert [(s.tokens, s.tags) for s in io.read(pq)] == [(s.tokens, s.tags) for s in sents]
    outs = []
    for i, source in enumerate([src, pq]):
        out = tmp_path / f"o{i}.conll"
        LocalEngine(9, tmp_path / "runs").run(
            project_job(source, tgt, out, projector="greedy", params={}, labels=None, alignments=ali)
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    io.write(sents, tmp_path / "back.parquet", "parquet")  # our writer: string tags, read back equal
    assert [(s.tokens, s.tags) for s in io.read(tmp_path / "back.parquet")] == [
        (s.tokens, s.tags) for s in sents
    ]
