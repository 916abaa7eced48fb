"""``xlpy validate``'s entry points: a batch of files, or one workbook open through a port."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from xlpy.engines.port import WorkbookPort
from xlpy.forms import all_forms
from xlpy.rules import Rules
from xlpy.shared.findings import Finding
from xlpy.shared.slices import Slice
from xlpy.validate.batch import Batch, analyse
from xlpy.validate.pool import Reader, Reading, start_reading
from xlpy.validate.reading import open_book, read_forms
from xlpy.validate.settle import resolve_rules


def validate_files(
    files: Iterable[Path],
    month: str | None = None,
    rules: Rules | None = None,
    progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None,
    slices: Sequence[Slice] = (),
    layouts: Mapping[Path, Reader] | None = None,
) -> Batch:
    """Read and check every file (bad files become findings, never exceptions), settle the rules
    from the 参数 sheets (all must agree), then run the batch-wide and scoring checks.
    ``layouts``: readers for workbooks laid out by the department (``xlpy.adopt``), by path."""
    reading = start_reading(list(files), rules, layouts)
    return validate_reading(reading, month, rules, progress, slices)


def validate_reading(
    reading: Reading,
    month: str | None = None,
    rules: Rules | None = None,
    progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None,
    slices: Sequence[Slice] = (),
) -> Batch:
    """:func:`validate_files` on files whose reading was started already (:func:`start_reading`,
    with these ``rules``): the command line forks the readers before it loads the scoring."""
    with reading as started:
        workbooks = started.results(progress)
    param_findings: list[Finding] = []
    if rules is None:
        rules, param_findings = resolve_rules(workbooks)
    return analyse(workbooks, month, rules, param_findings, slices)


def validate_book(book: WorkbookPort, slices: Sequence[Slice] = ()) -> Batch:
    """One workbook open through a port (the ribbon's live workbook): settle its rules from its
    参数 sheet, read and check its forms, score them. Never raises for what the book holds."""
    read = open_book(book, book.path or Path(book.name))
    rules, problems = resolve_rules([read])
    read_forms(read, all_forms(rules))
    return analyse([read], None, rules, problems, slices)


def book_parameters(book: WorkbookPort) -> tuple[Rules, list[Finding], str | None]:
    """The rules a workbook's 参数 table sets (defaults where it has none), its problems, and
    the sheet the table was found on by its content, whatever it is called (None: none)."""
    read = open_book(book, book.path or Path(book.name))
    rules, problems = resolve_rules([read])
    sheet = read.param_sheet if read.params is not None else None
    return rules, read.findings + problems, sheet
