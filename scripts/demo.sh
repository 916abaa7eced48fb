#!/usr/bin/env bash
# The main job: set up, then build, validate and consolidate the sample department (xlpy demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/xlpy demo "$@"
