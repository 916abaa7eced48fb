"""Reading a batch: every file on its own, in forked worker processes (Linux/macOS), in order.
What a worker needs travels with each job; what it remembers between files (a sheet read the
same in two files, :mod:`xlpy.validate.sheets`) only saves time.

Every batch, of any size, is read outside the calling process on Linux: a worker
that dies (a reader aborting the process, a segfault, the OOM killer) or stops answering (a file
that takes longer than :data:`FILE_TIMEOUT`) costs only the file it was reading: that file gets
an error finding naming it, the worker is replaced, and the rest of its chunk is read by the
next one. The batch always finishes. Below :data:`PARALLEL_FROM` files one worker reads the
whole batch (a fork costs a few milliseconds; a pool of workers would cost more than it
saves). Without ``fork`` (Windows), and for small batches on macOS (:func:`_may_fork`), files
are read in the calling process.

:func:`start_reading` forks the workers and returns at once, so a caller can load what it needs
for the results meanwhile (the command line loads the scoring and the summary writer: reading
itself loads neither numpy nor pandas); :func:`read_files` is both steps in one.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
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
    with start_reading(paths, rules, readers, timeout) as reading:
        return reading.results(progress)


def start_reading(
    paths: list[Path],
    rules: Rules | None = None,
    readers: Mapping[Path, Reader] | None = None,
    timeout: float = FILE_TIMEOUT,
) -> Reading:
    """The batch's workers forked and reading now (arguments as :func:`read_files`), while the
    caller goes on, e.g. to load what it needs for the results (the command line loads the
    scoring and the summary writer meanwhile); :meth:`Reading.results` collects them."""
    readers = dict(readers or {})
    paths = [Path(path) for path in paths]
    names = display_names(paths)
    jobs = [(i, path, name) for i, (path, name) in enumerate(zip(paths, names, strict=True))]
    read = functools.partial(_read_job, rules=rules, readers=readers)
    workers = min(os.cpu_count() or 1, 4) if len(paths) >= PARALLEL_FROM else 1
    pool = _Pool(jobs, read, workers, timeout) if jobs and _may_fork(len(jobs)) else None
    return Reading(jobs, read, pool)


class Reading:
    """A batch being read (:func:`start_reading`). A context manager: leaving it stops every
    worker still running (the caller gave up: an error, Ctrl-C)."""

    def __init__(
        self, jobs: list[Job], read: Callable[[Path, str], WorkbookRead], pool: _Pool | None
    ) -> None:
        self._jobs, self._read, self._pool = jobs, read, pool

    def results(
        self, progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None
    ) -> list[WorkbookRead]:
        """Every file's result, in order, once all are read; ``progress(results, total)`` may
        wrap them as they arrive. Without workers (see the module docstring) the files are read
        here, in the calling process."""
        track = progress or (lambda items, total: iter(items))
        if self._pool is not None:
            results: list[WorkbookRead | None] = [None] * len(self._jobs)
            for index, result in track(self._pool.results(), len(self._jobs)):
                results[index] = result
            done = [r for r in results if r is not None]
        else:
            done = list(
                track((self._read(path, name) for _, path, name in self._jobs), len(self._jobs))
            )
        for result in done:
            if result.readable:
                result.book = LazyBook(result.path, result.sheet_names)
        return done

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.stop()


def _may_fork(files: int) -> bool:
    """Linux always; macOS for large batches only, as before (a fork of a process that has
    used Apple's frameworks — Excel's Python under the ribbon — may crash the child; a large
    batch is worth that, a small one is read in process); Windows never (no fork)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return sys.platform.startswith("linux") or files >= PARALLEL_FROM


class _Pool:
    """Chunks of the batch (ranges of positions: a worker is forked with the jobs, so a chunk
    sent is a few bytes) read by forked worker processes that live for the whole batch (what
    they learn of one file — a repeated 参数 sheet — serves the next), each holding the next
    chunk before it finishes the one it reads. Workers send each result as soon as it is read;
    the parent takes them every :data:`GATHER` seconds and watches each busy worker's silence.
    The first workers start at once, with their first chunks."""

    def __init__(
        self,
        jobs: list[Job],
        read: Callable[[Path, str], WorkbookRead],
        workers: int,
        timeout: float,
    ) -> None:
        self.pending = deque(_chunks(len(jobs), workers))
        self.running: dict[Connection, _Worker] = {}
        self.start = _Start(multiprocessing.get_context("fork"), read, jobs)
        self.workers, self.timeout = workers, timeout
        self.failed: list[tuple[int, WorkbookRead]] = []  # files of workers that died early
        try:
            self._hand_out()
        except BaseException:  # Ctrl-C while the workers start: none may be left behind
            self.stop()
            raise

    def results(self) -> Iterator[tuple[int, WorkbookRead]]:
        """(position, result) of every job, in the order they finish."""
        while self.pending or any(not worker.finished for worker in self.running.values()):
            self._hand_out()
            yield from self.failed
            self.failed.clear()
            busy = [c for c, w in self.running.items() if not w.finished]
            ready = wait(busy, timeout=min(1.0, self.timeout)) if busy else []
            if ready:
                time.sleep(GATHER)
            for connection in ready:
                yield from _take(self.running, connection, self.pending)
            now = time.monotonic()
            for connection, worker in list(self.running.items()):
                silent = now - worker.heard > self.timeout
                if connection in busy and connection not in ready and silent:
                    yield from worker.fail(TIMED_OUT.format(seconds=self.timeout), self.pending)
                    del self.running[connection]

    def _hand_out(self) -> None:
        """Replace workers that died between chunks, start new ones up to :attr:`workers`, and
        give every worker chunks up to :data:`AHEAD` (a worker that died before reading what it
        was given: its file goes to :attr:`failed`)."""
        for worker in [w for w in self.running.values() if w.finished and not w.process.is_alive()]:
            worker.stop()  # it died between chunks (the OOM killer): no file's fault
            del self.running[worker.connection]
        while self.pending and len(self.running) < self.workers:
            worker = _Worker(self.start)
            self.running[worker.connection] = worker
            worker.launch()
        for worker in sorted(self.running.values(), key=lambda w: len(w.chunks)):  # idle first
            if (
                self.pending
                and len(worker.chunks) < AHEAD
                and not worker.give(self.pending.popleft())
            ):
                self.failed += worker.fail(CRASHED, self.pending)  # it died before reading them
                del self.running[worker.connection]

    def stop(self) -> None:
        for worker in self.running.values():
            worker.stop()
        self.running.clear()


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
        self.connection, self._child = start.context.Pipe(duplex=True)
        # the position of the file it is reading, in shared memory: readable after it died
        self.reading = start.context.RawValue("q", -1)
        self.process = start.context.Process(
            target=_serve,
            args=(self._child, self.connection, start.read, start.jobs, self.reading),
            daemon=True,
        )
        self.heard = time.monotonic()

    def launch(self) -> None:
        """Fork the process (the caller has recorded the worker first, so that a Ctrl-C from
        here on finds it to stop). It is born deaf to Ctrl-C, which the terminal sends to every
        process: the parent stops it."""
        gc.freeze()  # the child shares the parent's objects: its collections must not copy them
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            gc.unfreeze()
        self._child.close()
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
        """The file it was reading gets ``problem``; the others it holds go back in the queue,
        to be read first (those it had read and not yet sent too: their results died with it)."""
        self.stop()
        held = [self.chunks[0][self.next :], *list(self.chunks)[1:]]
        self.chunks.clear()
        flat = [i for chunk in held for i in chunk]
        culprit = self.reading.value if self.reading.value in flat else flat[0]
        for chunk in reversed(held):
            at = chunk.index(culprit) if culprit in chunk else len(chunk)
            for part in (chunk[at + 1 :], chunk[:at]):
                if part:
                    pending.appendleft(part)
        _, path, name = self.jobs[culprit]
        failed = WorkbookRead(path, name)
        failed.findings.append(Finding(name, "", "", problem, RETRY))
        yield culprit, failed

    def stop(self) -> None:
        if self.process.pid is not None:  # launched
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
        self.connection.close()
        self._child.close()


def _read_job(
    path: Path, name: str, rules: Rules | None, readers: dict[Path, Reader]
) -> WorkbookRead:
    try:
        return readers.get(path.resolve(), read_file)(path, name, rules)
    except Exception as exc:  # noqa: BLE001 - a reader's own fault costs only its file
        return internal_error(path, name, exc)


def _serve(
    connection: Connection,
    parents_end: Connection,
    read: Callable[[Path, str], WorkbookRead],
    jobs: list[Job],
    reading: Any,
) -> None:
    """A worker: read each chunk it is sent, noting in ``reading`` which file it is on. A thread
    sends every result as soon as it is read, so reading never waits for the parent to take
    them (while it loads the scoring, say). The parent's end of the pipe, inherited by the fork,
    is closed first: a parent that is gone (killed, crashed) is then an end of file here."""
    parents_end.close()
    outbox: queue.SimpleQueue[WorkbookRead | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send, args=(connection, outbox), daemon=True)
    sender.start()
    try:
        while True:
            for index in connection.recv():
                reading.value = index
                _, path, name = jobs[index]
                outbox.put(read(path, name))
    except EOFError:
        pass  # the parent closed the pipe: the batch is done
    finally:
        outbox.put(None)
        sender.join()
        connection.close()


def _send(connection: Connection, outbox: queue.SimpleQueue[WorkbookRead | None]) -> None:
    while (result := outbox.get()) is not None:
        try:
            connection.send(result)
        except OSError:  # the parent is gone
            return
