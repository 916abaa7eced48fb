"""``xlpy consolidate``: validate a month's workbooks, score them with the core, and write the
summary safely (temporary file moved into place; the summary it replaces goes to 备份/)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

import xlpy
from xlpy.consolidate.history import SavedSummary, find_summary
from xlpy.consolidate.model import MonthResults, SourceRecord
from xlpy.consolidate.summary import write_summary
from xlpy.errors import XlpyError
from xlpy.forms.summary import file_name
from xlpy.rules import fingerprint
from xlpy.shared.files import backup, check_output_path, refuse_source, temporary_beside
from xlpy.shared.findings import Finding
from xlpy.shared.slices import Slice
from xlpy.validate.batch import Batch
from xlpy.validate.job import validate_reading
from xlpy.validate.pool import Reading, start_reading
from xlpy.words import check_month, previous_month


@dataclass
class Outcome:
    batch: Batch
    path: Path | None = None  # the summary written (or left unchanged)
    backup: Path | None = None  # the summary it replaced
    unchanged: bool = False  # same inputs as the existing summary: file left as it was
    refused: bool = False  # validation errors and no --allow-errors
    table: pd.DataFrame | None = None


def default_output(paths: list[Path], month: str) -> Path:
    first = Path(paths[0]) if paths else Path(".")
    folder = first if first.is_dir() else first.parent
    return folder / file_name(month)


def month_results(batch: Batch) -> MonthResults:
    sources = [
        SourceRecord(
            wb.name,
            wb.sha256 or "—",
            wb.modified or _mtime(wb.path),
            "考核工作簿" if wb.readable else "无法读取",
        )
        for wb in batch.workbooks
    ]
    people = batch.people.copy()
    for scheme_result in batch.results.values():  # everyone scored, even if missing from a roster
        extra = [pid for pid in scheme_result.scores.index if pid not in people.index]
        if extra:
            people = pd.concat([people, pd.DataFrame({"name": "", "team": ""}, index=extra)])
    return MonthResults(
        batch.month,
        people,
        batch.results,
        fingerprint(batch.rules),
        batch.rules,
        sources,
        batch.findings,
        batch.department,
        batch.satisfaction,
        batch.checklist,
        batch.changed_parameters,
        batch.flagged,
        xlpy.__version__,
        batch.slices,
    )


def _mtime(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return datetime(1970, 1, 1)


def consolidate(
    files: list[Path],
    month: str,
    output: Path,
    allow_errors: bool = False,
    progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None,
    extra_findings: list[Finding] | None = None,
    slices: Sequence[Slice] = (),
    reading: Reading | None = None,
) -> Outcome:
    """Validate ``files`` and write the summary at ``output`` (see the module docstring).
    ``reading``: their reading, already started (:func:`xlpy.validate.pool.start_reading`, with
    the department's layouts if any); by default it starts once the output path is checked."""
    month = check_month(month)
    refuse_source(output, files)
    check_output_path(output)  # a folder, a path through a file, a name too long: before work
    batch = validate_reading(
        reading or start_reading(files), month, progress=progress, slices=slices
    )
    batch.findings = list(extra_findings or []) + batch.findings
    outcome = Outcome(batch)
    if batch.errors and not allow_errors:
        outcome.refused = True
        return outcome
    if not batch.results and batch.department is None:
        raise XlpyError(
            f"没有找到可汇总的考核表({len(files)} 个文件) · 应为 由 xlpy 模板生成并填写的考核工作簿"
        )
    results = month_results(batch)
    previous, unused = find_summary(output.parent, previous_month(month), results.people.index)
    if unused is not None:
        batch.findings.append(unused)
    saved = _saved(output, batch)
    with temporary_beside(output) as temp:  # Chinese messages for output faults, no temp left
        problem = unused.line() if unused is not None else ""
        outcome.table = write_summary(temp, results, previous, saved, problem)
        if output.exists() and output.read_bytes() == temp.read_bytes():
            outcome.unchanged = True
        else:
            outcome.backup = backup(output)
            os.replace(temp, output)
    outcome.path = output
    return outcome


def _saved(output: Path, batch: Batch) -> SavedSummary | None:
    if not output.exists():
        return None
    try:
        return SavedSummary(output)
    except XlpyError as exc:
        batch.findings.append(
            Finding(
                output.name,
                "",
                "",
                f"已有的汇总无法读取,将备份后重写({exc})",
                "xlpy 生成的汇总",
                "warning",
            )
        )
        return None
