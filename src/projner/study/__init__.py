"""The aligner-data-volume study (docs/study.md): does more unlabeled target data make alignment more robust?

``projner study --config FILE -o DIR`` runs :func:`run_study`: data pools (deduplicated), arms (eflomal,
alignment fine-tuning, target-side MLM, zero-shot), cached cells, analysis, report and figures.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from projner.study.config import ARMS, StudyConfig, bundled_config, config_from_dict, load_config
from projner.study.noise import local_shuffle


def run_study(cfg: StudyConfig, out: Path, echo: Callable[[str], None] = print, compute: bool = True) -> Path:
    """Compute the missing cells of ``cfg`` (unless ``compute=False``) and (re)write the report; return report.md."""
    from projner.study.report import write_report
    from projner.study.runner import Study

    out.mkdir(parents=True, exist_ok=True)
    study = Study(cfg, out, echo)
    t = time.perf_counter()
    if compute:
        study.run()
    else:
        study.load()
    records = study.load_results()
    meta = {
        "name": cfg.name,
        "projector": f"{study.projector_name} {study.projector_params}",
        "aligner": study.aligner_name,
        "encoder": cfg.encoder,
        "n_expected": len(study.cells()),
        "slope_boot": cfg.bootstrap or 200,
    }
    pools = {name: {**p.stats, "kept": len(p)} for name, p in study.pools.items()}
    (out / "config.json").write_text(json.dumps(cfg.to_dict(), indent=2), encoding="utf-8")
    write_report(records, out, pools, meta)
    echo(f"{len(records)} cells reported in {out} ({time.perf_counter() - t:.0f}s)")
    return out / "report.md"


__all__ = [
    "ARMS",
    "StudyConfig",
    "bundled_config",
    "config_from_dict",
    "load_config",
    "local_shuffle",
    "run_study",
]
