"""The run directory: finished shards on disk, a manifest, and the in-order merge into the outputs.

Layout (``<root>/<job name>-<fingerprint>/``)::

    manifest.json          job name, config (inputs' fingerprints + stage parameters), shard size, status
    shards/000017.out      text of stream "out" from shard 17 (one file per stream)
    shards/000017.done     JSON counters of shard 17 — written last: its presence means "shard finished"

Every file is written atomically (temp file + rename), so SIGKILL at any instant leaves either a finished shard
or no trace of it; a rerun with the same inputs and configuration finds the same directory (the name is a
fingerprint) and skips finished shards. After a successful merge the shard files are deleted and the manifest
is marked complete.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from projner.engine.base import OutputSpec, Shard, ShardResult
from projner.utils.atomic import atomic_open, atomic_write_text
from projner.utils.cache import fingerprint


class RunDir:
    def __init__(self, root: Path, name: str, config: dict[str, Any], shard_size: int) -> None:
        self.key = fingerprint(name, config, shard_size)
        self.path = Path(root) / f"{name}-{self.key}"
        self.shard_dir = self.path / "shards"
        self.manifest_path = self.path / "manifest.json"
        self.name = name
        self.config = config
        self.shard_size = shard_size

    def open(self) -> None:
        """Create the directory and manifest (or keep the existing one: that is what makes resuming work)."""
        self.shard_dir.mkdir(parents=True, exist_ok=True)
        for orphan in self.shard_dir.glob(".*.tmp"):  # temp files of a write that SIGKILL interrupted
            orphan.unlink(missing_ok=True)
        if not self.manifest_path.exists():
            self._write_manifest(status="running")

    def _write_manifest(self, **extra: Any) -> None:
        manifest = {
            "job": self.name,
            "fingerprint": self.key,
            "shard_size": self.shard_size,
            "config": self.config,
            "updated": time.strftime("%Y-%m-%dT%H:%M:%S"),
            **extra,
        }
        atomic_write_text(self.manifest_path, json.dumps(manifest, indent=2, default=str) + "\n")

    def _file(self, index: int, suffix: str) -> Path:
        return self.shard_dir / f"{index:06d}.{suffix}"

    def is_done(self, index: int) -> bool:
        return self._file(index, "done").exists()

    def save(self, shard: Shard, result: ShardResult) -> None:
        for stream, text in result.streams.items():
            with atomic_open(self._file(shard.index, stream), "w") as fh:
                fh.write(text)
        done = {"start": shard.start, "records": len(shard.records), "stats": result.stats}
        atomic_write_text(self._file(shard.index, "done"), json.dumps(done, default=str) + "\n")

    def load_done(self, index: int) -> dict[str, Any]:
        with open(self._file(index, "done"), encoding="utf-8") as fh:
            out: dict[str, Any] = json.load(fh)
        return out

    def merge(self, n_shards: int, outputs: list[OutputSpec]) -> None:
        """Concatenate each stream's shard files in shard order into its output (atomically)."""
        for spec in outputs:
            line_no = 0
            with atomic_open(spec.path, "w") as out:
                out.write(spec.header)
                for index in range(n_shards):
                    part = self._file(index, spec.stream)
                    if not part.exists():
                        continue
                    with open(part, encoding="utf-8", newline="") as fh:
                        if spec.numbered:
                            for line in fh:
                                line_no += 1
                                out.write(f"{line_no}\t{line}")
                        else:
                            shutil.copyfileobj(fh, out, 1 << 20)

    def finish(self, n_shards: int, n_records: int, keep_shards: bool = False) -> None:
        self._write_manifest(status="complete", shards=n_shards, records=n_records)
        if not keep_shards:
            shutil.rmtree(self.shard_dir, ignore_errors=True)
