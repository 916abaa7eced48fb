#!/usr/bin/env bash
# The whole test suite: set up (LibreOffice headless, poppler, test extras), ruff, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# One pytest worker per core; whole files go to one worker, so a module's fixtures (LibreOffice
# runs, generated workbooks) are made once. `-n 0` (or a plain `pytest FILE`) runs serially.
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
