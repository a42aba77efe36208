"""Study config: TOML loading, validation with clear errors, derived volumes."""

from __future__ import annotations

from pathlib import Path

import pytest

from projner.core.types import InputError
from projner.study.config import config_from_dict, load_config
from projner.utils.paths import repo_root


def test_defaults_and_arm_volumes() -> None:
    cfg = config_from_dict({"volumes": [0, 250, -1], "neural_volumes": [0, 250], "neural_pairs": ["pcm"]})
    assert cfg.arm_volumes("zero-shot") == (0,)
    assert cfg.arm_volumes("eflomal") == (0, 250, -1)
    assert cfg.arm_volumes("ft-align") == (250,)
    assert [p.name for p in cfg.arm_pairs("mlm")] == ["pcm"]
    assert len(cfg.arm_pairs("eflomal")) == 7
    # the pre-registered design; "fill" is opt-in
    assert cfg.arms == ("zero-shot", "eflomal", "ft-align", "mlm")
    assert config_from_dict({"arms": ["fill"], "volumes": [0, 250, -1]}).arm_volumes("fill") == (0, 250, -1)


def test_eval_size() -> None:
    cfg = config_from_dict({"eval_limit": 500, "neural_eval_limit": 100})
    assert cfg.eval_size("eflomal", 1000) == 500
    assert cfg.eval_size("mlm", 1000) == 100
    assert cfg.eval_size("mlm", 50) == 50


def test_bad_keys_name_the_file(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('arms = ["eflomal", "nope"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="c.toml.*unknown arm"):
        load_config(p)
    p.write_text("[train]\nstepz = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="stepz"):
        load_config(p)
    p.write_text("[study]\nseeds = [1]\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"unknown key\(s\) at the top level: study.*not under a \[study\] table"
    ):
        load_config(p)
    p.write_text("volumes = [\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid TOML"):
        load_config(p)


@pytest.mark.parametrize("name", ["quick", "full"])
def test_bundled_configs_load(name: str) -> None:
    root = repo_root()
    assert root is not None
    cfg = load_config(root / "configs" / f"study-{name}.toml")
    assert len(cfg.seeds) >= 3
