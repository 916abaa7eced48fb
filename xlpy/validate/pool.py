"""Reading a batch: every file on its own, in forked worker processes for large batches
(Linux/macOS), in order. Workers keep no state: what they need travels with each job."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from xlpy.rules import Rules
from xlpy.validate.discovery import display_names
from xlpy.validate.reading import LazyBook, WorkbookRead, read_file

PARALLEL_FROM = 64  # files; below this a worker pool costs more than it saves


def read_files(paths: list[Path],
               progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None,
               rules: Rules | None = None) -> list[WorkbookRead]:
    """Every file read and checked, in order; forked workers for large batches (Linux/macOS).
    ``progress(results, total)`` may wrap the results as they arrive (a progress bar)."""
    track = progress or (lambda items, total: iter(items))
    paths = [Path(path) for path in paths]
    jobs = list(zip(paths, display_names(paths)))
    workers = min(os.cpu_count() or 1, 4)
    if len(paths) >= PARALLEL_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            chunk = max(8, len(paths) // (workers * 8))
            read = partial(_read_job, rules=rules)  # the worker's state travels with its jobs
            results = list(track(pool.imap(read, jobs, chunksize=chunk), len(jobs)))
    else:
        results = list(track((read_file(path, name, rules) for path, name in jobs), len(jobs)))
    for result in results:
        if result.readable:
            result.book = LazyBook(result.path, result.sheet_names)
    return results


def _read_job(job: tuple[Path, str], rules: Rules | None) -> WorkbookRead:
    return read_file(*job, rules)
