"""Reading a batch: every file on its own, in forked worker processes (Linux/macOS), in order.
What a worker needs travels with each job; what it remembers between files (a sheet read the
same in two files, :mod:`xlpy.validate.reading`) only saves time.

Every batch, of any size, is read outside the calling process on Linux: a worker
that dies (a reader aborting the process, a segfault, the OOM killer) or stops answering (a file
that takes longer than :data:`FILE_TIMEOUT`) costs only the file it was reading: that file gets
an error finding naming it, the worker is replaced, and the rest of its chunk is read by the
next one. The batch always finishes. Below :data:`PARALLEL_FROM` files one worker reads the
whole batch (a fork costs a few milliseconds; a pool of workers would cost more than it
saves). Without ``fork`` (Windows), and for small batches on macOS (:func:`_may_fork`), files
are read in the calling process.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from xlpy.rules import Rules
from xlpy.shared.findings import Finding
from xlpy.validate.discovery import display_names
from xlpy.validate.reading import LazyBook, WorkbookRead, internal_error, read_file

Reader = Callable[[Path, str, Rules | None], WorkbookRead]  # read_file's shape
PARALLEL_FROM = 64  # files; below this one worker reads them all (a pool costs more than it saves)
SMALLEST_CHUNK = 4  # files sent to a worker at once, at the end of a batch
AHEAD = 2  # chunks a worker holds: the one it reads and the next, so it never waits for one
GATHER = 0.004  # seconds results gather before the parent takes them (a wake-up per file costs
# the parent ~0.1 ms of a core the workers need)
FILE_TIMEOUT = 60.0  # seconds one file may take; a form workbook reads in milliseconds
CRASHED = "读取此文件时读取进程意外终止(文件可能已损坏或被恶意构造)"
TIMED_OUT = "读取此文件超过 {seconds:g} 秒仍未完成,已放弃(文件可能已损坏或过大)"
RETRY = "由 Excel/WPS/LibreOffice 正常保存的 .xlsx;如反复出现请联系维护人员"

Job = tuple[int, Path, str]  # position in the batch, path, display name


def read_files(
    paths: list[Path],
    progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None,
    rules: Rules | None = None,
    readers: Mapping[Path, Reader] | None = None,
    timeout: float = FILE_TIMEOUT,
) -> list[WorkbookRead]:
    """Every file read and checked, in order, in forked workers (Linux/macOS; see the module
    docstring). ``progress(results, total)`` may wrap the results as they arrive (a progress
    bar). ``readers``: the reader for a file (by resolved path) that is not laid out as our
    template (a department's own workbook, read through its layout); the others use
    :func:`read_file`. ``timeout``: seconds one file may take before it is given up."""
    track = progress or (lambda items, total: iter(items))
    readers = dict(readers or {})
    paths = [Path(path) for path in paths]
    names = display_names(paths)
    jobs = [(i, path, name) for i, (path, name) in enumerate(zip(paths, names, strict=True))]
    workers = min(os.cpu_count() or 1, 4) if len(paths) >= PARALLEL_FROM else 1
    if jobs and _may_fork(len(jobs)):
        results: list[WorkbookRead | None] = [None] * len(jobs)
        read = functools.partial(_read_job, rules=rules, readers=readers)
        for index, result in track(_forked(jobs, read, workers, timeout), len(jobs)):
            results[index] = result
        done = [r for r in results if r is not None]
    else:
        done = list(
            track((_read_job(path, name, rules, readers) for _, path, name in jobs), len(jobs))
        )
    for result in done:
        if result.readable:
            result.book = LazyBook(result.path, result.sheet_names)
    return done


def _may_fork(files: int) -> bool:
    """Linux always; macOS for large batches only, as before (a fork of a process that has
    used Apple's frameworks — Excel's Python under the ribbon — may crash the child; a large
    batch is worth that, a small one is read in process); Windows never (no fork)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return sys.platform.startswith("linux") or files >= PARALLEL_FROM


def _forked(
    jobs: list[Job], read: Callable[[Path, str], WorkbookRead], workers: int, timeout: float
) -> Iterator[tuple[int, WorkbookRead]]:
    """(position, result) of every job, in the order they finish. Chunks (ranges of positions:
    a worker is forked with the jobs, so a chunk sent is a few bytes) go to forked worker
    processes that live for the whole batch (what they learn of one file — a repeated 参数
    sheet — serves the next), each holding the next chunk before it finishes the one it reads.
    Workers send each result as soon as it is read; the parent takes them every
    :data:`GATHER` seconds and watches each busy worker's silence."""
    pending = deque(_chunks(len(jobs), workers))
    context = multiprocessing.get_context("fork")
    running: dict[Connection, _Worker] = {}
    gc.freeze()  # children share the parent's objects: their collections must not copy them
    try:
        yield from _schedule(pending, running, _Start(context, read, jobs), workers, timeout)
    finally:
        gc.unfreeze()
        for worker in running.values():
            worker.stop()


def _chunks(jobs: int, workers: int) -> list[range]:
    """Each a quarter of what is left per worker, down to :data:`SMALLEST_CHUNK` files: few
    round trips at first, and the workers finish together (no one idles through a last large
    chunk)."""
    if workers == 1:
        return [range(jobs)]
    chunks, start = [], 0
    while start < jobs:
        size = max(SMALLEST_CHUNK, (jobs - start) // (workers * 4))
        chunks.append(range(start, min(start + size, jobs)))
        start += size
    return chunks


def _schedule(
    pending: deque[range],
    running: dict[Connection, _Worker],
    start: _Start,
    workers: int,
    timeout: float,
) -> Iterator[tuple[int, WorkbookRead]]:
    while pending or any(not worker.finished for worker in running.values()):
        for worker in [w for w in running.values() if w.finished and not w.process.is_alive()]:
            worker.stop()  # it died between chunks (the OOM killer): no file's fault
            del running[worker.connection]
        while pending and len(running) < workers:
            worker = _Worker(start)
            running[worker.connection] = worker
        for worker in sorted(running.values(), key=lambda w: len(w.chunks)):  # idle ones first
            if pending and len(worker.chunks) < AHEAD and not worker.give(pending.popleft()):
                yield from worker.fail(CRASHED, pending)  # it died before reading them
                del running[worker.connection]
        busy = [c for c, w in running.items() if not w.finished]
        ready = wait(busy, timeout=min(1.0, timeout)) if busy else []
        if ready:
            time.sleep(GATHER)
        for connection in ready:
            yield from _take(running, connection, pending)
        now = time.monotonic()
        for connection, worker in list(running.items()):
            if connection in busy and connection not in ready and now - worker.heard > timeout:
                yield from worker.fail(TIMED_OUT.format(seconds=timeout), pending)
                del running[connection]


def _take(
    running: dict[Connection, _Worker], connection: Connection, pending: deque[range]
) -> Iterator[tuple[int, WorkbookRead]]:
    """Every result waiting on ``connection``."""
    worker = running[connection]
    while not worker.finished:
        try:
            result = connection.recv()
        except (EOFError, OSError):  # the process died mid-file
            yield from worker.fail(CRASHED, pending)
            del running[connection]
            return
        yield worker.received(result)
        if not connection.poll():
            return


@dataclass(frozen=True)
class _Start:
    """What every worker of a batch is forked with."""

    context: Any
    read: Callable[[Path, str], WorkbookRead]
    jobs: list[Job]


class _Worker:
    """One forked process reading the chunks it is given, and what the parent knows of its
    progress through them: ``chunks`` given and not finished, the first being read, at its
    ``next`` position."""

    def __init__(self, start: _Start) -> None:
        self.jobs = start.jobs
        self.chunks: deque[range] = deque()
        self.next = 0
        self.connection, child = start.context.Pipe(duplex=True)
        self.process = start.context.Process(
            target=_serve, args=(child, start.read, start.jobs), daemon=True
        )
        self.process.start()
        child.close()
        self.heard = time.monotonic()

    @property
    def finished(self) -> bool:
        """Done with every chunk it was given (or never given one)."""
        return not self.chunks

    def give(self, chunk: range) -> bool:
        """Send the worker ``chunk``, read after those it holds; False if it can no longer be
        reached (the chunk is then its own, for :meth:`fail`)."""
        if self.finished:
            self.heard = time.monotonic()  # silent since now, not since it went idle
        self.chunks.append(chunk)
        try:
            self.connection.send(chunk)
        except OSError:
            return False
        return True

    def received(self, result: WorkbookRead) -> tuple[int, WorkbookRead]:
        index = self.chunks[0][self.next]
        self.next += 1
        if self.next == len(self.chunks[0]):
            self.chunks.popleft()
            self.next = 0
        self.heard = time.monotonic()
        return index, result

    def fail(self, problem: str, pending: deque[range]) -> Iterator[tuple[int, WorkbookRead]]:
        """The file being read gets ``problem``; the rest of what it holds goes back in the
        queue, to be read first."""
        self.stop()
        current = self.chunks.popleft()
        index, path, name = self.jobs[current[self.next]]
        failed = WorkbookRead(path, name)
        failed.findings.append(Finding(name, "", "", problem, RETRY))
        for rest in reversed([current[self.next + 1 :], *self.chunks]):
            if rest:
                pending.appendleft(rest)
        self.chunks.clear()
        yield index, failed

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _read_job(
    path: Path, name: str, rules: Rules | None, readers: dict[Path, Reader]
) -> WorkbookRead:
    try:
        return readers.get(path.resolve(), read_file)(path, name, rules)
    except Exception as exc:  # noqa: BLE001 - a reader's own fault costs only its file
        return internal_error(path, name, exc)


def _serve(
    connection: Connection, read: Callable[[Path, str], WorkbookRead], jobs: list[Job]
) -> None:
    """A worker: read each chunk it is sent, sending every result as soon as it is read."""
    try:
        while True:
            for index in connection.recv():
                _, path, name = jobs[index]
                connection.send(read(path, name))
    except (EOFError, KeyboardInterrupt):
        pass  # the parent closed the pipe, or reports the interruption
    finally:
        connection.close()
