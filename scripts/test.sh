#!/usr/bin/env bash
# The whole test suite: set up (LibreOffice headless, poppler, test extras), ruff, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
