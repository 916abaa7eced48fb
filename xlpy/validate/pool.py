"""Reading a batch: every file on its own, in forked worker processes for large batches
(Linux/macOS), in order. Workers keep no state: what they need travels with each job."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from xlpy.rules import Rules
from xlpy.validate.discovery import display_names
from xlpy.validate.reading import LazyBook, WorkbookRead, read_file

Reader = Callable[[Path, str, Rules | None], WorkbookRead]  # read_file's shape
PARALLEL_FROM = 64  # files; below this a worker pool costs more than it saves


def read_files(paths: list[Path],
               progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None,
               rules: Rules | None = None,
               readers: Mapping[Path, Reader] | None = None) -> list[WorkbookRead]:
    """Every file read and checked, in order; forked workers for large batches (Linux/macOS).
    ``progress(results, total)`` may wrap the results as they arrive (a progress bar).
    ``readers``: the reader for a file (by resolved path) that is not laid out as our template
    (a department's own workbook, read through its layout); the others use :func:`read_file`."""
    track = progress or (lambda items, total: iter(items))
    paths = [Path(path) for path in paths]
    jobs = list(zip(paths, display_names(paths)))
    readers = dict(readers or {})
    workers = min(os.cpu_count() or 1, 4)
    if len(paths) >= PARALLEL_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            chunk = max(8, len(paths) // (workers * 8))
            read = partial(_read_job, rules=rules, readers=readers)  # the worker's state travels with its jobs
            results = list(track(pool.imap(read, jobs, chunksize=chunk), len(jobs)))
    else:
        results = list(track((_read_job(job, rules, readers) for job in jobs), len(jobs)))
    for result in results:
        if result.readable:
            result.book = LazyBook(result.path, result.sheet_names)
    return results


def _read_job(job: tuple[Path, str], rules: Rules | None,
              readers: dict[Path, Reader]) -> WorkbookRead:
    path, name = job
    return readers.get(path.resolve(), read_file)(path, name, rules)
