"""The real ``xlpy`` command line, run in a child process with this environment's Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

COMMAND = (sys.executable, "-c", "from xlpy.cli import main; main()")


def run_xlpy(
    *args: str, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``xlpy *args``; whatever the outcome, staff never see a Python traceback."""
    run = subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False
    )
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    return run
