#!/usr/bin/env bash
# Set up projner on a fresh machine: a virtual environment in .venv with the package and its test tools.
# Idempotent: re-running only installs what is missing. System packages (Apertium MT) are optional and
# installed by scripts/setup-system.sh when apt is available.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if [ -f scripts/setup-system.sh ]; then
  bash scripts/setup-system.sh || echo "setup: optional system packages not installed (Apertium tests will skip)" >&2
fi
# torch is pinned in pyproject.toml to the CPU release that lies on the package index of this setup;
# -q keeps the log short, errors still show.
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import projner, torch, transformers, eflomal, thot, seqeval" || { echo "setup failed" >&2; exit 1; }
