#!/usr/bin/env bash
# The project's checks: lint and formatting (ruff), types of the whole package (mypy), then the test suite (pytest).
# pytest exits 5 when it collects no tests; that is a failure here, never a silent pass.
set -euo pipefail
cd "$(dirname "$0")/.."
export PROJNER_NO_PROGRESS=1
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check --quiet src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
