"""Hostile readers: a worker that hangs, dies, segfaults or raises on one file of a batch costs
only that file, which is named with the reason; the rest of the batch is read, for any batch
size. Split from test_hostile_files.py (same corpus workbook)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bad_inputs.corpus import BOUND, base_workbook

from xlpy.validate.pool import read_files


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return base_workbook(tmp_path_factory.mktemp("good"))


# ── a worker that hangs or dies costs only its file ────────────────────────────────────────
BATCH_SIZES = {"one-file": 1, "small-batch": 3, "large-batch": 70}  # large: several workers


def _batch(good: Path, folder: Path, size: int) -> tuple[list[Path], int]:
    """``size`` files: copies of the good workbook and, in the middle, a FIFO named like a
    workbook (a read of it blocks until someone writes). Returns the files and its position."""
    folder.mkdir()
    files = []
    for i in range(size - 1):
        files.append(folder / f"f{i:02}.xlsx")
        shutil.copy(good, files[-1])
    fifo = folder / "hang.xlsx"
    os.mkfifo(fifo)
    at = len(files) // 2
    files.insert(at, fifo)
    return files, at


def _kill_reader_of(fifo: Path) -> None:
    """Play the OOM killer: SIGKILL the worker process that has ``fifo`` open."""
    writer = os.open(fifo, os.O_WRONLY)  # returns once a worker has opened it for reading
    try:
        for _ in range(400):
            for pid in filter(str.isdigit, os.listdir("/proc")):
                if int(pid) == os.getpid():
                    continue
                try:
                    fds = os.listdir(f"/proc/{pid}/fd")
                    if any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(fifo) for fd in fds):
                        os.kill(int(pid), signal.SIGKILL)
                        return
                except OSError:
                    continue
            time.sleep(0.05)
    finally:
        os.close(writer)


def _read_within(files: list[Path], fifo: Path, timeout: float, bound: float = 60) -> list:
    """read_files, failing the test (not hanging it) if the batch does not finish in ``bound``
    seconds: a read stuck on the FIFO in this process is released by opening it for writing."""
    done: list = []
    reader = threading.Thread(target=lambda: done.append(read_files(files, timeout=timeout)))
    reader.daemon = True
    reader.start()
    reader.join(bound)
    if reader.is_alive():
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"the batch did not finish within {bound:g} s")
    return done[0]


@pytest.mark.parametrize("size", list(BATCH_SIZES))
@pytest.mark.parametrize("kind", ["worker-hangs", "worker-dies"])
def test_batch_finishes_when_a_worker_hangs_or_dies(kind, size, good, tmp_path):
    """Any batch, one file included: the file is that file's error, the rest is read."""
    files, at = _batch(good, tmp_path / "batch", BATCH_SIZES[size])
    if kind == "worker-dies":
        threading.Thread(target=_kill_reader_of, args=(files[at],), daemon=True).start()
    results = _read_within(files, files[at], timeout=5 if kind == "worker-hangs" else 60)
    assert [r.name for r in results] == [p.name for p in files]
    failed = results[at]
    expected = "超过 5 秒仍未完成" if kind == "worker-hangs" else "读取进程意外终止"
    assert [f for f in failed.findings if expected in f.problem and f.file == "hang.xlsx"], [
        f.line() for f in failed.findings
    ]
    assert all(r.readable for i, r in enumerate(results) if i != at)


_SEGFAULTING_READER = """
import ctypes, sys
from pathlib import Path
from xlpy.validate.pool import read_files

paths = [Path(p) for p in sys.argv[1:]]
crash = lambda path, name, rules: ctypes.string_at(0)  # the reader segfaults on this file
for result in read_files(paths, readers={paths[0].resolve(): crash}):
    print(result.name, result.readable, *(f.line() for f in result.findings), sep=" | ")
"""


def _run_on_copies(script: str, good: Path, folder: Path, copies: int) -> list[str]:
    """The lines ``script`` prints, run in a child process (which must survive what its
    readers do) on ``copies`` copies of the good workbook named f0.xlsx, f1.xlsx …"""
    files = [shutil.copy(good, folder / f"f{i}.xlsx") for i in range(copies)]
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=BOUND,
        check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    return done.stdout.splitlines()


@pytest.mark.parametrize("size", [1, 3])
def test_a_reader_that_segfaults_costs_only_its_file(size, good, tmp_path):
    """A reader given through read_files' own extension point (``readers``: a department's
    layout) that segfaults: run in a child process, which must survive and name the file."""
    lines = _run_on_copies(_SEGFAULTING_READER, good, tmp_path, size)
    assert len(lines) == size
    assert lines[0].startswith(
        "f0.xlsx | False | f0.xlsx · (整个文件) · 读取此文件时读取进程意外终止"
    )
    assert all(" | True" in line for line in lines[1:])


@pytest.mark.parametrize("size", [1, 3, 70])
def test_a_reader_that_raises_costs_only_its_file_and_says_so(size, good, tmp_path):
    """A reader's own fault (an exception it did not foresee) is that file's error, named as an
    internal error, not a dead reading process; the rest of the batch is read."""
    files = [shutil.copy(good, tmp_path / f"f{i}.xlsx") for i in range(size)]

    def broken(path, name, rules):
        raise TypeError("unhashable type: 'dict'")

    results = read_files(files, readers={files[0].resolve(): broken})
    assert [f.line() for f in results[0].findings] == [
        "f0.xlsx · (整个文件) · 无法读取(内部错误 TypeError) · "
        "应为 Excel 工作簿(.xlsx);如反复出现请联系维护人员"
    ]
    assert all(r.readable for r in results[1:])


# ── a worker reads on while the parent is busy; its death still names the right file ─────
_LATE_COLLECTOR = """
import ctypes, sys, time
from pathlib import Path
from xlpy.validate.pool import start_reading
from xlpy.validate.reading import WorkbookRead, read_file

paths = [Path(p) for p in sys.argv[1:]]
crash_at = len(paths) - 1

def bulky(path, name, rules):  # results of 300 KB: the pipe holds none of them
    if path == paths[crash_at]:  # the results before it are read, waiting to be sent
        ctypes.string_at(0)
    read = read_file(path, name, rules)
    read.name = name + " " + "x" * 300_000
    return read

with start_reading(paths, readers={p.resolve(): bulky for p in paths}) as reading:
    time.sleep(1.0)  # the caller loads what it needs (the command line: the scoring)
    for result in reading.results():
        print(result.name.split()[0], result.readable, *(f.problem for f in result.findings))
"""


def test_a_worker_that_dies_with_results_unsent_costs_only_the_file_it_was_reading(good, tmp_path):
    """Workers read on while the caller is busy (their results queue in the worker); one that
    dies then takes unsent results with it. The file it was reading is named; the files it had
    read are read again, not blamed."""
    lines = _run_on_copies(_LATE_COLLECTOR, good, tmp_path, 6)
    assert lines[:5] == [f"f{i}.xlsx True" for i in range(5)], lines
    assert lines[5].startswith("f5.xlsx False 读取此文件时读取进程意外终止"), lines
