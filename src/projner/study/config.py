"""Typed configuration of the aligner-data-volume study (docs/study.md §1), loaded from TOML.

Everything that changes a number in the report is a field here, and the fields that change a *cell* are part of
that cell's cache key (:meth:`StudyConfig.cell_params`), so editing the config recomputes exactly the affected
cells and nothing else.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from projner.core.types import InputError
from projner.utils.paths import repo_root

PREREGISTERED_ARMS = ("zero-shot", "eflomal", "ft-align", "mlm")
"""The design's arms (docs/study.md §1.2): the untouched encoder, eflomal on V pairs + eval bitext, alignment
fine-tuning, target-side MLM. The default of :attr:`StudyConfig.arms`."""

ARMS = (*PREREGISTERED_ARMS, "fill")
"""Every arm name. ``fill`` (added in session 10, not pre-registered) is the toolkit's default aligner since
session 9: the zero-shot encoder's links, gaps filled by a seeded eflomal (SIL Thot) trained on the V pairs + the
evaluation bitext (docs/aligners.md, ``e5-inter-thot``)."""

NEURAL_ARMS = ("ft-align", "mlm")
STATISTICAL_ARMS = ("eflomal", "fill")
"""Arms that train on the V pairs together with the evaluation bitext of every pair sharing the pool."""


@dataclass(frozen=True)
class PairSpec:
    """One language pair: its evaluation set, the unlabeled pool and the labels ignored in scoring.

    ``eval`` is ``"europarl-ner:de"``/``"uner-pud:de"`` (gold parallel) or ``"masakhaner2:<lang>"`` (translate-test
    with the MAFAND human English). ``pool`` is ``"multi30k:de"`` or ``"mafand:<lang>"``; pairs sharing a pool share
    the adapted encoders.
    """

    name: str
    eval: str
    pool: str
    ignore: tuple[str, ...] = ()
    african: bool = False


DEFAULT_PAIRS: tuple[PairSpec, ...] = (
    PairSpec("europarl-de", "europarl-ner:de", "multi30k:de"),
    PairSpec("pud-de", "uner-pud:de", "multi30k:de"),
    *(
        PairSpec(lang, f"masakhaner2:{lang}", f"mafand:{lang}", ("DATE",), True)
        for lang in ("lug", "luo", "pcm", "tsn", "twi")
    ),
)


@dataclass(frozen=True)
class NoiseConfig:
    """Local word-order noise on the source side (entity spans move as units)."""

    window: int = 3
    prob: float = 0.3
    seed: int = 1234


@dataclass(frozen=True)
class TrainConfig:
    """CPU-sized adaptation of the encoder: the same fixed number of steps for every V > 0."""

    steps: int = 120
    batch_size: int = 8
    lr: float = 5e-5
    max_len: int = 48
    layer: int = 8
    threshold: float = 1e-3
    mask_prob: float = 0.15
    threads: int = 2


@dataclass(frozen=True)
class StudyConfig:
    name: str = "study"
    pairs: tuple[PairSpec, ...] = DEFAULT_PAIRS
    arms: tuple[str, ...] = PREREGISTERED_ARMS
    volumes: tuple[int, ...] = (0, 250, 500, 1000, 2000, 4000, 8000, 16000, -1)
    """Log grid; ``-1`` means the whole deduplicated pool. Values above the pool size are skipped."""
    neural_volumes: tuple[int, ...] | None = None
    """Subset of ``volumes`` for the neural arms (compute budget); ``None`` = all of ``volumes``."""
    seeds: tuple[int, ...] = (0, 1, 2)
    eval_limit: int | None = None
    """Use only the first N evaluation sentences of every pair (quick runs); ``None`` = all."""
    neural_pairs: tuple[str, ...] | None = None
    """Pairs on which the neural arms run (compute budget); ``None`` = all pairs."""
    neural_eval_limit: int | None = None
    """The neural arms score only the first N evaluation sentences of a pair (compute budget); the V = 0
    reference is then re-scored on the same sentences from its per-sentence counts."""
    pool_limit: int | None = None
    """Cap the pool size after deduplication and shuffling (quick runs); ``None`` = all."""
    encoder: str = "e5-small"
    aligner: str | None = None
    """Embedding aligner of the zero-shot/neural arms; ``None`` = the toolkit's projection default."""
    projector: str | None = None
    """Projector name; ``None`` = the toolkit default at run time (``projner.project.pipeline.DEFAULT_PROJECTOR``).
    Pin it (with ``projector_params``) in a study config: the toolkit default may change between runs."""
    projector_params: dict[str, Any] = field(default_factory=dict)
    bootstrap: int = 1000
    noise: NoiseConfig = field(default_factory=NoiseConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def pair(self, name: str) -> PairSpec:
        for p in self.pairs:
            if p.name == name:
                return p
        raise KeyError(name)

    def arm_volumes(self, arm: str) -> tuple[int, ...]:
        if arm == "zero-shot":
            return (0,)
        if arm in NEURAL_ARMS:
            vols = self.neural_volumes if self.neural_volumes is not None else self.volumes
            return tuple(v for v in vols if v != 0)
        return self.volumes

    def arm_pairs(self, arm: str) -> tuple[PairSpec, ...]:
        if arm in NEURAL_ARMS and self.neural_pairs is not None:
            return tuple(p for p in self.pairs if p.name in self.neural_pairs)
        return self.pairs

    def eval_size(self, arm: str, n: int) -> int:
        """How many evaluation sentences (of ``n``) the cells of ``arm`` score."""
        limits = [x for x in (self.eval_limit, self.neural_eval_limit if arm in NEURAL_ARMS else None) if x]
        return min([n, *limits])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        place = "at the top level" if where == "study" else f"in [{where}]"
        hint = (
            " (the study keys sit at the top level, not under a [study] table)" if "study" in unknown else ""
        )
        raise InputError(
            f"unknown key(s) {place}: {', '.join(unknown)}; known: {', '.join(sorted(known))}{hint}"
        )
    return cls(**data)


def config_from_dict(data: dict[str, Any], path: str = "<config>") -> StudyConfig:
    """Validate and convert a parsed TOML document into a :class:`StudyConfig`."""
    data = dict(data)
    try:
        if "pairs" in data:
            data["pairs"] = tuple(
                _build(PairSpec, {**p, "ignore": tuple(p.get("ignore", ()))}, "pairs") for p in data["pairs"]
            )
        for key in ("arms", "volumes", "seeds", "neural_volumes", "neural_pairs"):
            if key in data and data[key] is not None:
                data[key] = tuple(data[key])
        if "noise" in data:
            data["noise"] = _build(NoiseConfig, data["noise"], "noise")
        if "train" in data:
            data["train"] = _build(TrainConfig, data["train"], "train")
        cfg: StudyConfig = _build(StudyConfig, data, "study")
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    except TypeError as exc:
        raise InputError(f"{path}: {exc}") from None
    bad = [a for a in cfg.arms if a not in ARMS]
    if bad:
        raise InputError(f"{path}: unknown arm(s) {bad}; choose from {', '.join(ARMS)}")
    if not cfg.seeds or not cfg.pairs:
        raise InputError(f"{path}: at least one seed and one pair are needed")
    if any(v < -1 for v in cfg.volumes):
        raise InputError(f"{path}: volumes must be >= 0 (or -1 for the whole pool)")
    return cfg


def load_config(path: str | Path) -> StudyConfig:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"study config not found: {p}")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{p}: invalid TOML: {exc}") from None
    return config_from_dict(data, str(p))


def bundled_config(name: str) -> Path:
    """``configs/study-<name>.toml`` of the source checkout."""
    root = repo_root()
    if root is None:
        raise InputError("bundled study configs live in the source checkout (configs/); pass --config FILE")
    path = root / "configs" / f"study-{name}.toml"
    if not path.is_file():
        raise InputError(f"study config not found: {path}")
    return path
