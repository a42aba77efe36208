"""Where things live: the user cache, the data root, the repository root.

* cache: ``$PROJNER_CACHE`` else ``$XDG_CACHE_HOME/projner`` else ``~/.cache/projner`` — converted models,
  stage caches and experiment outputs go here, never into the source tree.
* data root: ``$PROJNER_DATA`` else ``../shared/data`` relative to the repository root when it exists.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(*parts: str) -> Path:
    base = os.environ.get("PROJNER_CACHE")
    if base:
        root = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = Path(xdg) / "projner" if xdg else Path.home() / ".cache" / "projner"
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def repo_root() -> Path | None:
    """The source checkout containing this package (``src`` layout), if running from one."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "projner").is_dir():
            return parent
    return None


def data_root(required: bool = False) -> Path | None:
    """The dataset folder: ``$PROJNER_DATA``, else ``<repo>/../shared/data``, else ``./../shared/data``."""
    env = os.environ.get("PROJNER_DATA")
    candidates: list[Path] = []
    if env:
        candidates.append(Path(env))
    else:
        root = repo_root()
        if root is not None:
            candidates.append(root.parent / "shared" / "data")
        candidates.append(Path.cwd().parent / "shared" / "data")
    for c in candidates:
        if c.is_dir():
            return c
    if required:
        where = ", ".join(str(c) for c in candidates)
        raise FileNotFoundError(
            f"dataset folder not found (looked at {where}); set PROJNER_DATA to the folder holding the datasets"
        )
    return None
