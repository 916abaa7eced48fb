"""Start-up cost of the command line and of the ribbon module: wall time and peak memory of
``xlpy --help`` and of importing ``xlpy.ribbon`` (what one button press loads before its work),
each the best of 5 runs in a fresh interpreter. Usage: python benchmarks/bench_startup.py"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

RUNS = 5
CASES = {
    "xlpy --help": [
        sys.executable,
        "-c",
        "import sys; sys.argv = ['xlpy', '--help']\n"
        "from xlpy.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass",
    ],
    "import xlpy.ribbon": [sys.executable, "-c", "import xlpy.ribbon"],
    "python alone": [sys.executable, "-c", "pass"],
}


def measure(command: list[str]) -> tuple[float, float]:
    best_wall, peak = float("inf"), 0.0
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best_wall = min(best_wall, time.perf_counter() - start)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return best_wall, peak / 1024


if __name__ == "__main__":
    for name, command in CASES.items():
        wall, rss = measure(command)
        print(f"{name:20s} {wall * 1000:7.0f} ms wall (best of {RUNS})   peak RSS ≤ {rss:6.1f} MiB")
