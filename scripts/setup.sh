#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine (idempotent): system tools the tests use, a virtual
# environment in .venv, and xlpy installed into it (editable). Usage: scripts/setup.sh [extras]
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

if [ "$extras" = "test" ]; then
    need=()
    command -v soffice >/dev/null || need+=(libreoffice-calc-nogui)
    command -v pdftoppm >/dev/null || need+=(poppler-utils)
    command -v npm >/dev/null || need+=(nodejs npm)
    # grep reads all of fc-list's output: with -q it would stop early, and the SIGPIPE fc-list
    # then gets fails the pipeline under pipefail, reinstalling the fonts on every run.
    fc-list 2>/dev/null | grep -i "cjk" >/dev/null || need+=(fonts-noto-cjk fontconfig)
    python3 -c "import ensurepip" 2>/dev/null || need+=(python3-venv)
    # LibreOffice's own python bridge: tests fill workbooks inside LibreOffice (tests/lo_fill.py)
    /usr/bin/python3 -c "import uno" 2>/dev/null || need+=(python3-uno)
    if [ ${#need[@]} -gt 0 ]; then
        echo "Installing system packages: ${need[*]}"
        apt_install "${need[@]}"
    fi
elif ! python3 -c "import ensurepip" 2>/dev/null; then
    apt_install python3-venv
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
spec="."
[ -n "$extras" ] && spec=".[$extras]"
.venv/bin/python -m pip install -q -e "$spec"
# An editable install compiles nothing, and where PYTHONDONTWRITEBYTECODE is set (this machine)
# every run would compile xlpy's ~90 modules again (~0.1 s of each command's start-up).
.venv/bin/python -m compileall -q xlpy udfs >/dev/null
# SheetJS ssf: Excel's number format codes, independently implemented (tests/test_number_formats.py)
[ "$extras" != "test" ] || npm ci --prefix tests/js --silent --no-audit --no-fund
