"""How validation results reach people: Chinese lines, JSON for machines, marked copies, and a
progress bar for multi-file runs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xlpy.engines.file import NOT_COPIED, FileWorkbook, not_copied
from xlpy.shared.findings import ERROR, SEVERITY_WORD, WARNING, CellMark, count
from xlpy.validate.batch import Batch
from xlpy.validate.discovery import marked_name

T = TypeVar("T")
STYLE = {ERROR: "bold red", WARNING: "yellow"}


Tracker = Callable[[Iterable[T], int], Iterator[T]]


def progress_bar(console: Console, label: str, minimum: int = 2) -> Tracker:
    """A progress bar over ``total`` files as their results arrive (shown on a terminal, for
    ``minimum`` files or more; a silent pass-through otherwise)."""

    def track(items: Iterable[T], total: int) -> Iterator[T]:
        if total < minimum or not console.is_terminal:
            yield from items
            return
        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            yield from bar.track(items, total=total)

    return track


def print_findings(console: Console, batch: Batch, files: int) -> None:
    for finding in batch.findings:
        word = SEVERITY_WORD[finding.severity]
        console.print(
            f"[{STYLE[finding.severity]}]{word}[/] {escape(finding.line())}",
            highlight=False,
            soft_wrap=True,
        )
    errors, warnings = count(batch.findings, ERROR), count(batch.findings, WARNING)
    tone = "bold red" if errors else ("yellow" if warnings else "green")
    month = f"({batch.month})" if batch.month else ""
    console.print(
        f"[{tone}]检查了 {files} 个文件{month}:{errors} 个错误,{warnings} 个警告[/]",
        highlight=False,
    )


def as_json(batch: Batch, files: int, **extra: object) -> str:
    return json.dumps(
        {
            "month": batch.month,
            "files": files,
            "errors": count(batch.findings, ERROR),
            "warnings": count(batch.findings, WARNING),
            "problems": [f.as_dict() for f in batch.findings],
            **extra,
        },
        ensure_ascii=False,
        indent=2,
        default=str,
    )


def write_marked(batch: Batch, out: Path) -> list[Path]:
    """A copy of each workbook with problems, problem cells filled and noted. ``out`` is a folder,
    or a file name when exactly one workbook is marked. A workbook that cannot be copied (too
    large, content openpyxl cannot load) gets a warning saying so; the others are marked."""
    targets = []
    by_file: dict[str, list[CellMark]] = {}
    for finding in batch.findings:
        mark = finding.mark()
        if mark is not None:
            by_file.setdefault(finding.file, []).append(mark)
    books = [wb for wb in batch.workbooks if wb.readable and wb.name in by_file]
    single = len(books) == 1 and out.suffix.lower() in (".xlsx", ".xlsm")
    for wb in books:
        target = out if single else out / marked_name(wb.name, wb.path.suffix)
        try:
            FileWorkbook(wb.path).mark(by_file[wb.name], target)
        except NOT_COPIED as exc:
            batch.findings.append(not_copied(wb.name, exc))
            continue
        targets.append(target)
    return targets
