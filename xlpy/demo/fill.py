"""Type the sample department's entries into blank month workbooks, as staff would in Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from xlpy.demo.data import DemoMonth
from xlpy.forms import Form
from xlpy.ledgers.fill import fill_ledgers
from xlpy.ledgers.sample import sample_headers, sample_ledgers
from xlpy.shared.files import atomic_write


def fill_month(
    blank: Path,
    target: Path,
    demo: DemoMonth,
    forms: dict[str, Form],
    people: list[tuple[str, str]],
) -> Path:
    """Copy ``blank`` to ``target`` with ``demo``'s entries typed in. ``people``: (工号, 姓名)."""
    book = openpyxl.load_workbook(blank)
    for scheme, entries in (("M", demo.monthly), ("K", demo.kpi)):
        form = forms[scheme]
        for pid, name in people:
            sheet = form.sheet_name(pid, name)
            if sheet in book.sheetnames and pid in entries:
                _type(book[sheet], form, entries[pid])
    survey = forms["S"]
    if survey.sheet_name() in book.sheetnames and survey.table is not None:
        sheet = book[survey.sheet_name()]
        letters = {c.entry.column: c.letter for c in survey.table.columns if c.entry is not None}
        for offset, response in enumerate(demo.survey):
            for column, value in response.items():
                if value is not None and column in letters:
                    sheet[f"{letters[column]}{survey.table.first_row + offset}"] = value
    department = forms["D"]
    if department.sheet_name() in book.sheetnames:
        _type(book[department.sheet_name()], department, demo.department)
    # The sample ledgers (where the workbook has ledger sheets): roster positions 1 and 11 are the
    # engineers whose unreturned part and late fee the ledgers record (see data.EVENTS).
    engineers = [people[i][1] for i in (0, 1, 11) if i < len(people)] or ["—"]
    fill_ledgers(book, sample_ledgers(demo.month, engineers), sample_headers())
    atomic_write(target, book.save)
    return target


def _type(sheet: Any, form: Form, entries: dict[str, Any]) -> None:
    for column, value in entries.items():
        if value is not None:
            sheet[form.entry_cell(column).address] = value


def retype(path: Path, form: Form, sheet_name: str, column: str, value: Any) -> None:
    """Staff correcting one entry in their own workbook (the demo's correction step)."""
    book = openpyxl.load_workbook(path)
    book[sheet_name][form.entry_cell(column).address] = value
    atomic_write(path, book.save)
