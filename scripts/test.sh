#!/usr/bin/env bash
# The whole test suite: set up (LibreOffice headless, poppler, test extras), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
