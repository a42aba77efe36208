"""Run the study: enumerate cells, compute the missing ones, store each as ``DIR/cells/<key>.json``.

A *cell* is (arm, pair, volume, seed). Work is grouped so that expensive steps are shared and never repeated:

* ``zero-shot`` — one aligner for all pairs (seed 0 only: it has no randomness);
* ``eflomal`` — one eflomal run per (pool, V, seed), trained on the V pool pairs plus the evaluation bitext of
  every pair that uses the pool, clean and noisy copies alike; the cells of those pairs read their links from it;
* ``ft-align`` / ``mlm`` — one adapted encoder per (arm, pool, V, seed) (saved under
  ``cache_dir("study", "encoders")``), then the embedding aligner on it for every pair of the pool.

A cell's key is a fingerprint of everything that changes its numbers (the pair, the evaluation size, the pool
after deduplication, V, the seed, the aligner/projector/noise/training settings), so a rerun — or a run with an
edited config — only computes the cells it does not find.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from projner.core.tags import spans_to_tags
from projner.core.types import Alignment, ParallelExample
from projner.evaluate.metrics import Scorer, bootstrap_ci
from projner.study.adapt import ADAPT_VERSION
from projner.study.config import NEURAL_ARMS, STATISTICAL_ARMS, PairSpec, StudyConfig
from projner.study.data import EvalSet, load_eval_set
from projner.study.pools import Pool, build_pool, resolve_volume
from projner.utils.atomic import atomic_write_text
from projner.utils.cache import fingerprint
from projner.utils.paths import cache_dir

log = logging.getLogger(__name__)

CELL_VERSION = 2
"""2: the key fingerprints the *whole* evaluation set (both sides' tokens and the source spans) and the pool's pairs.
Version 1 hashed the tokens of the first 50 sentences only, so a change of the English tagger (e.g. the spaCy
trimming rules) kept the keys of the MasakhaNER2 cells while changing their numbers."""


@dataclass(frozen=True)
class Cell:
    arm: str
    pair: str
    pool: str
    volume: int
    """Effective number of pool pairs (the grid value ``-1`` resolved to the pool size)."""
    grid: int
    """The grid value as configured (``-1`` = all)."""
    seed: int


def default_projector() -> tuple[str, dict[str, Any]]:
    """The study's fixed projector: the toolkit's default up to session 8 (``BASE_PROJECTOR_PARAMS``), so that
    re-runs stay comparable when the toolkit's default gains options."""
    try:
        from projner.project.pipeline import BASE_PROJECTOR_PARAMS, DEFAULT_PROJECTOR
    except ImportError:  # pragma: no cover - older checkouts
        return "greedy", {}
    return DEFAULT_PROJECTOR, dict(BASE_PROJECTOR_PARAMS)


def default_aligner() -> str:
    """The toolkit's default embedding aligner (streaming, no training): the study's fixed reference."""
    try:
        from projner.align import DEFAULT_EMBEDDING_ALIGNER
    except ImportError:  # pragma: no cover
        return "e5-itermax"
    return DEFAULT_EMBEDDING_ALIGNER


class Study:
    """Holds the loaded data for one config and computes cells into ``out/cells``."""

    def __init__(self, cfg: StudyConfig, out: Path, echo: Callable[[str], None] = print) -> None:
        self.cfg = cfg
        self.out = out
        self.cells_dir = out / "cells"
        self.cells_dir.mkdir(parents=True, exist_ok=True)
        self.echo = echo
        name, params = default_projector()
        self.projector_name = cfg.projector or name
        self.projector_params = params if cfg.projector is None else dict(cfg.projector_params)
        self.aligner_name = cfg.aligner or default_aligner()
        self.evals: dict[str, EvalSet] = {}
        self.pools: dict[str, Pool] = {}
        self._eval_fps: dict[str, str] = {}
        self._pool_fps: dict[str, str] = {}

    # ------------------------------------------------------------------------------------------------ data
    def load(self) -> None:
        for p in self.cfg.pairs:
            if p.name not in self.evals:
                t = time.perf_counter()
                self.evals[p.name] = load_eval_set(p, self.cfg.noise)
                self.echo(
                    f"eval {p.name}: {len(self.evals[p.name].examples)} sentences ({time.perf_counter() - t:.0f}s)"
                )
        for pool in dict.fromkeys(p.pool for p in self.cfg.pairs):
            if pool in self.pools:
                continue
            users = [self.evals[p.name] for p in self.cfg.pairs if p.pool == pool]
            srcs = [s for e in users for s in e.source_texts()]
            tgts = [t for e in users for t in e.target_texts()]
            built = build_pool(pool, srcs, tgts)
            if self.cfg.pool_limit is not None and len(built) > self.cfg.pool_limit:
                # Cap with a fixed permutation (seed 10_000) so the nested subsets of every seed stay valid.
                keep = np.sort(np.random.default_rng(10_000).permutation(len(built))[: self.cfg.pool_limit])
                built = Pool(
                    built.name,
                    [built.pairs[i] for i in keep],
                    {**built.stats, "capped_to": self.cfg.pool_limit},
                )
            self.pools[pool] = built
            self.echo(f"pool {pool}: {len(built)} pairs after dedupe; removed {built.stats}")

    # ------------------------------------------------------------------------------------------- cells
    def cells(self) -> list[Cell]:
        out: list[Cell] = []
        for arm in self.cfg.arms:
            for p in self.cfg.arm_pairs(arm):
                size = len(self.pools[p.pool])
                for grid in self.cfg.arm_volumes(arm):
                    v = resolve_volume(grid, size)
                    if v is None:
                        continue
                    seeds = (self.cfg.seeds[0],) if arm == "zero-shot" else self.cfg.seeds
                    out.extend(Cell(arm, p.name, p.pool, v, grid, s) for s in seeds)
        # the same effective volume may come from two grid points (e.g. 16000 and all); keep the first
        seen: set[tuple[str, str, int, int]] = set()
        unique = []
        for c in out:
            k = (c.arm, c.pair, c.volume, c.seed)
            if k not in seen:
                seen.add(k)
                unique.append(c)
        return unique

    def n_eval(self, cell: Cell) -> int:
        return self.cfg.eval_size(cell.arm, len(self.evals[cell.pair].examples))

    def cell_key(self, cell: Cell) -> str:
        cfg = self.cfg
        pool = self.pools[cell.pool]
        parts: dict[str, Any] = {
            "v": CELL_VERSION,
            "arm": cell.arm,
            "pair": asdict(cfg.pair(cell.pair)),
            "n_eval": self.n_eval(cell),
            "eval_fp": self._eval_fingerprint(cell.pair),
            "pool": [pool.name, len(pool), pool.stats, self._pool_fingerprint(cell.pool)],
            "volume": cell.volume,
            "seed": cell.seed,
            "projector": self.projector_name,
            "projector_params": self.projector_params,
            "noise": asdict(cfg.noise),
            "bootstrap": cfg.bootstrap,
        }
        if cell.arm in STATISTICAL_ARMS:
            # the statistical run also contains the evaluation bitext of every pair sharing the pool
            parts["co_pairs"] = sorted(
                (p.name, len(self.evals[p.name].examples)) for p in cfg.pairs if p.pool == cell.pool
            )
            parts["eval_limit"] = cfg.eval_limit
            if cell.arm == "fill":
                fill = self.fill_aligner()
                parts["aligner"] = [fill.name, fill.params()]
        else:
            parts["encoder"] = cfg.encoder
            parts["aligner"] = self.aligner_name
        if cell.arm in NEURAL_ARMS:
            parts["train"] = asdict(cfg.train)
            parts["adapt_version"] = ADAPT_VERSION[cell.arm]
        return f"{cell.arm}-{cell.pair}-{cell.volume}-s{cell.seed}-{fingerprint(parts)[:12]}"

    def _eval_fingerprint(self, pair: str) -> str:
        """Everything of the evaluation set that reaches a cell's numbers: both sides' tokens, the source spans."""
        if pair not in self._eval_fps:
            self._eval_fps[pair] = fingerprint(
                [
                    [e.source.tokens, e.target.tokens, [(s.start, s.end, s.label) for s in e.source_spans]]
                    for e in self.evals[pair].examples
                ]
            )
        return self._eval_fps[pair]

    def _pool_fingerprint(self, pool: str) -> str:
        if pool not in self._pool_fps:
            self._pool_fps[pool] = fingerprint(self.pools[pool].pairs)
        return self._pool_fps[pool]

    def cell_path(self, cell: Cell) -> Path:
        return self.cells_dir / f"{self.cell_key(cell)}.json"

    def done(self, cell: Cell) -> bool:
        return self.cell_path(cell).is_file()

    # ----------------------------------------------------------------------------------------- scoring
    def _score(
        self, pair: PairSpec, examples: Sequence[ParallelExample], alignments: Sequence[Alignment]
    ) -> dict[str, Any]:
        from projner.project import get_projector

        projector = get_projector(self.projector_name, **self.projector_params)
        work = [
            ParallelExample(
                source=e.source, target=e.target, source_spans=list(e.source_spans), alignment=a, meta=e.meta
            )
            for e, a in zip(examples, alignments, strict=True)
        ]
        batch = projector.project_batch(work, on_error="report")
        scorer = Scorer(ignore=pair.ignore)
        for ex in batch:
            tags = spans_to_tags(ex.target_spans or [], len(ex.target.tokens))
            assert ex.target.tags is not None
            scorer.add(ex.target.tags, tags)
        res = scorer.result()
        tp, npred, ngold = np.array(scorer.tp), np.array(scorer.n_pred), np.array(scorer.n_true)
        ci = bootstrap_ci(tp, npred, ngold, self.cfg.bootstrap, seed=0) if self.cfg.bootstrap else {}
        return {
            "precision": res.precision,
            "recall": res.recall,
            "f1": res.f1,
            "ci": {k: list(v) for k, v in ci.items()},
            "projection_failures": batch.stats.failed,
            "counts": [tp.tolist(), npred.tolist(), ngold.tolist()],
        }

    def _write(
        self, cell: Cell, clean: dict[str, Any], noisy: dict[str, Any], seconds: float, extra: dict[str, Any]
    ) -> None:
        f1_ci = clean["ci"].get("f1", [float("nan"), float("nan")])
        rec = {
            "key": self.cell_key(cell),
            **asdict(cell),
            "african": self.cfg.pair(cell.pair).african,
            "n_eval": self.n_eval(cell),
            "pool_size": len(self.pools[cell.pool]),
            "precision": clean["precision"],
            "recall": clean["recall"],
            "f1": clean["f1"],
            "f1_ci_low": f1_ci[0],
            "f1_ci_high": f1_ci[1],
            "noisy_precision": noisy["precision"],
            "noisy_recall": noisy["recall"],
            "noisy_f1": noisy["f1"],
            "noise_drop": clean["f1"] - noisy["f1"],
            "seconds": seconds,
            "projection_failures": clean["projection_failures"] + noisy["projection_failures"],
            "projector": self.projector_name,
            "counts": clean["counts"],
            "noisy_counts": noisy["counts"],
            **extra,
        }
        atomic_write_text(self.cell_path(cell), json.dumps(rec))

    def _eval_pairs(self, cell: Cell) -> tuple[list[ParallelExample], list[ParallelExample]]:
        e, n = self.evals[cell.pair], self.n_eval(cell)
        return e.examples[:n], e.noisy[:n]

    # ------------------------------------------------------------------------------------------- groups
    def _run_embedding(self, cells: list[Cell], model: str, seconds0: float, extra: dict[str, Any]) -> None:
        from projner.align import get_aligner

        # the untouched encoder's links go to the result cache, where the fill arm's primary finds them
        untouched = model == self.cfg.encoder
        aligner = get_aligner(
            self.aligner_name, model=model, cache=untouched, num_threads=self.cfg.train.threads
        )
        for cell in cells:
            t = time.perf_counter()
            clean, noisy = self._eval_pairs(cell)
            pair = self.cfg.pair(cell.pair)
            links = list(aligner.align([(e.source.tokens, e.target.tokens) for e in clean + noisy]))
            s_clean = self._score(pair, clean, links[: len(clean)])
            s_noisy = self._score(pair, noisy, links[len(clean) :])
            align_s = time.perf_counter() - t
            self._write(
                cell, s_clean, s_noisy, seconds0 / len(cells) + align_s, {**extra, "align_seconds": align_s}
            )

    def run_zero_shot(self, cells: list[Cell]) -> None:
        self._run_embedding(cells, self.cfg.encoder, 0.0, {})

    def fill_aligner(self) -> Any:
        """The ``fill`` arm's aligner: the toolkit default ``e5-inter-thot``'s fill (secondary, target rule,
        reassignment) over the study's encoder aligner, whose links are cached (they do not depend on V); the
        seeded eflomal is fitted on the cell's pairs by :meth:`run_statistical`."""
        from projner.align import aligner_defaults, get_aligner

        spec = aligner_defaults("e5-inter-thot")
        return get_aligner(
            "fill",
            primary=self.aligner_name,
            primary_args={"model": self.cfg.encoder, "num_threads": self.cfg.train.threads},
            **{k: spec[k] for k in ("secondary", "fill_target", "reassign")},
        )

    def run_statistical(self, cells: list[Cell]) -> None:
        """One statistical aligner (``eflomal``, or the ``fill``'s Thot) trained on the V pairs of the cells'
        pool plus the evaluation bitext (clean and noisy) of every pair sharing it; each cell is scored on its
        part of the links."""
        from projner.align import get_aligner

        c0 = cells[0]
        pool = self.pools[c0.pool]
        t = time.perf_counter()
        co = [p for p in self.cfg.pairs if p.pool == c0.pool]
        blocks: list[tuple[str, int, int]] = []  # (pair, start, n) in the aligned list
        pairs: list[tuple[list[str], list[str]]] = []
        for p in co:
            e = self.evals[p.name]
            n = self.cfg.eval_size(c0.arm, len(e.examples))
            blocks.append((p.name, len(pairs), n))
            pairs.extend((x.source.tokens, x.target.tokens) for x in e.examples[:n] + e.noisy[:n])
        aligner: Any = self.fill_aligner() if c0.arm == "fill" else get_aligner("eflomal", cache=False)
        aligner.fit(pool.subset(c0.volume, c0.seed))
        links = list(aligner.align(pairs))
        train_s = time.perf_counter() - t
        for name, start, n in blocks:
            cell = next((c for c in cells if c.pair == name), None)
            if cell is None:
                continue
            pair = self.cfg.pair(name)
            e = self.evals[name]
            s_clean = self._score(pair, e.examples[:n], links[start : start + n])
            s_noisy = self._score(pair, e.noisy[:n], links[start + n : start + 2 * n])
            self._write(
                cell, s_clean, s_noisy, train_s / len(blocks), {"train_seconds": train_s / len(blocks)}
            )

    def run_neural(self, cells: list[Cell]) -> None:
        from projner.align.encoders import resolve_encoder
        from projner.study.adapt import adapt_encoder

        c0 = cells[0]
        key = fingerprint(
            c0.arm,
            c0.pool,
            self.pools[c0.pool].stats,
            len(self.pools[c0.pool]),
            c0.volume,
            c0.seed,
            asdict(self.cfg.train),
            self.cfg.encoder,
            ADAPT_VERSION[c0.arm],
        )
        out = (
            cache_dir("study", "encoders")
            / f"{c0.arm}-{c0.pool.replace(':', '-')}-{c0.volume}-s{c0.seed}-{key[:12]}"
        )
        t = time.perf_counter()
        stats: dict[str, Any] = {}
        if (out / "projner-study.json").is_file():
            stats = json.loads((out / "projner-study.json").read_text(encoding="utf-8"))
            train_s = float(stats.get("train_seconds", 0.0))
        else:
            _, stats = adapt_encoder(
                c0.arm,
                self.pools[c0.pool].subset(c0.volume, c0.seed),
                resolve_encoder(self.cfg.encoder),
                out,
                self.cfg.train,
                c0.seed,
            )
            train_s = time.perf_counter() - t
        extra = {
            "train_seconds": train_s,
            "loss_first": stats.get("loss_first"),
            "loss_last": stats.get("loss_last"),
            "encoder_dir": str(out),
        }
        self._run_embedding(cells, str(out), train_s, extra)

    # ---------------------------------------------------------------------------------------------- run
    def groups(self, todo: list[Cell]) -> list[tuple[str, list[Cell]]]:
        """Missing cells grouped by shared work, in the order they are computed."""
        by: dict[tuple[Any, ...], list[Cell]] = {}
        for c in todo:
            k: tuple[Any, ...] = (c.arm,) if c.arm == "zero-shot" else (c.arm, c.pool, c.volume, c.seed)
            by.setdefault(k, []).append(c)
        order = {"eflomal": 0, "zero-shot": 1, "fill": 2, "ft-align": 3, "mlm": 4}
        # seed by seed (every arm and volume of seed 0 before seed 1; the cheap statistical arm first), so an
        # interrupted run already holds complete curves for the first seeds
        keys = sorted(
            by,
            key=lambda k: (
                k[3] if len(k) > 3 else 0,
                order[k[0]],
                k[2] if len(k) > 2 else 0,
                k[1] if len(k) > 1 else "",
            ),
        )
        return [(k[0], by[k]) for k in keys]

    def run(self) -> list[Cell]:
        """Compute every missing cell; return all cells of the config."""
        from projner.utils.progress import track

        self.load()
        all_cells = self.cells()
        todo = [c for c in all_cells if not self.done(c)]
        self.echo(f"{len(all_cells)} cells, {len(all_cells) - len(todo)} cached, {len(todo)} to compute")
        runners = {
            "zero-shot": self.run_zero_shot,
            "eflomal": self.run_statistical,
            "fill": self.run_statistical,
            "ft-align": self.run_neural,
            "mlm": self.run_neural,
        }
        groups = self.groups(todo)
        for arm, cells in track(groups, "study cells", total=len(groups)):
            t = time.perf_counter()
            runners[arm](cells)
            c = cells[0]
            self.echo(
                f"{arm} {c.pool} V={c.volume} seed={c.seed}: {len(cells)} cell(s) in {time.perf_counter() - t:.0f}s"
            )
        return all_cells

    def load_results(self) -> list[dict[str, Any]]:
        """The stored records of this config's cells that exist (a partial run gives a partial list)."""
        out = []
        for c in self.cells():
            p = self.cell_path(c)
            if p.is_file():
                out.append(json.loads(p.read_text(encoding="utf-8")))
        return out
