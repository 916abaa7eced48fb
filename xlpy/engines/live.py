"""The live engine: the workbook port over a workbook open in Excel (``xlwings.Book``).

Used by the ribbon buttons. It reads the sheets the calling workbook shows (values as Excel last
calculated them), marks problem cells in place (fill and a note prefixed ``xlpy 校验:`` so a later
run can clear exactly its own marks) and opens the files the buttons write. Thin on purpose:
every rule lives in the jobs, which see only :class:`xlpy.engines.port.WorkbookPort`. Checked
with ``mypy --strict`` against xlwings' own annotations; it needs Excel, so only its pure helpers
run in the tests here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import xlwings as xw

from xlpy.core.values import is_error_value
from xlpy.engines.port import CellValue, Grid
from xlpy.errors import XlpyError
from xlpy.shared.addresses import a1, unquoted_sheet
from xlpy.shared.findings import CellMark

NOTE_PREFIX = "xlpy 校验:"
# What a protected sheet allows (Excel's Protection object), restored after marking.
_ALLOW = (
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables",
)
FILL = {"error": (255, 153, 153), "warning": (255, 230, 153)}  # as the file engine's copies


# A cell showing an error reaches pywin32 as an int: 0x800A0000 + Excel's XlCVError number.
# xlwings names the seven classic errors only and passes the newer ones (#SPILL! …) on as ints.
_COM_ERROR_BASE = -2146828288
_COM_ERRORS = {
    _COM_ERROR_BASE + number: text
    for number, text in (
        (2000, "#NULL!"),
        (2007, "#DIV/0!"),
        (2015, "#VALUE!"),
        (2023, "#REF!"),
        (2029, "#NAME?"),
        (2036, "#NUM!"),
        (2042, "#N/A"),
        (2043, "#GETTING_DATA"),
        (2045, "#SPILL!"),
        (2046, "#CONNECT!"),
        (2047, "#BLOCKED!"),
        (2048, "#UNKNOWN!"),
        (2049, "#FIELD!"),
        (2050, "#CALC!"),
    )
}


def clean(value: object) -> CellValue:
    """A value as xlwings returns it, in the port's conventions (blank text is blank; an error
    xlwings left as its COM number is its text)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | float | str | datetime | date):
        return value
    if isinstance(value, int):
        return _COM_ERRORS.get(value, float(value))
    return str(value)


def grid(raw: object) -> Grid:
    """``Range.options(ndim=2).value`` as a grid (a lone cell comes back as a 1x1 list)."""
    rows = raw if isinstance(raw, list) else [[raw]]
    return [[clean(v) for v in (row if isinstance(row, list) else [row])] for row in rows]


def errors_in(raw: object) -> dict[str, str]:
    """Address → text of the error values in ``Range.options(err_to_str=True).value``."""
    return {
        a1(r, c): value
        for r, row in enumerate(grid(raw))
        for c, value in enumerate(row)
        if isinstance(value, str) and is_error_value(value)
    }


def note_text(existing: str | None, notes: Sequence[str]) -> str:
    """The note to leave on a cell: the user's own text kept, any earlier xlpy note replaced."""
    ours = NOTE_PREFIX + "\n".join(notes)
    if not existing or existing.startswith(NOTE_PREFIX):
        return ours
    kept = existing.split("\n" + NOTE_PREFIX, 1)[0]
    return f"{kept}\n{ours}"


def merged_in(area: xw.Range) -> set[str]:
    """Merged areas overlapping ``area``: one question per range that has none (Excel answers
    False), row by row then cell by cell only where it answers True or mixed (None)."""
    if area.merge_cells is False:
        return set()
    if area.shape == (1, 1):
        return {area.merge_area.address.replace("$", "")} if area.merge_cells else set()
    parts = list(area.rows) if area.shape[0] > 1 else list(area)
    return set().union(*(merged_in(part) for part in parts))


def names_by_scope(
    names: Iterable[tuple[str, str]],
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Excel's names (``name``, or ``Sheet1!name`` for a sheet's own) with what they refer to
    (``=…``): the workbook's names, and each sheet's own names by sheet."""
    book: dict[str, str] = {}
    local: dict[str, dict[str, str]] = {}
    for name, refers_to in names:
        reference = refers_to.removeprefix("=")
        sheet, bang, own = name.rpartition("!")
        if bang:
            local.setdefault(unquoted_sheet(sheet), {})[own] = reference
        else:
            book[name] = reference
    return book, local


class LiveWorkbook:
    """A workbook open in Excel; ``book`` is usually ``xw.Book.caller()``."""

    def __init__(self, book: xw.Book) -> None:
        self.book = book

    @property
    def name(self) -> str:
        return self.book.name

    @property
    def path(self) -> Path | None:
        """Where the workbook is saved; None for a new, never saved workbook."""
        full = self.book.fullname
        return Path(full) if Path(full).is_absolute() else None

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def _sheet(self, sheet: str) -> xw.Sheet:
        if sheet not in self.sheet_names():
            raise KeyError(sheet)
        return self.book.sheets[sheet]

    def _used(self, sheet: str) -> xw.Range:
        last = self._sheet(sheet).used_range.last_cell
        return self._sheet(sheet).range((1, 1), (last.row, last.column))

    def values(self, sheet: str) -> Grid:
        return grid(self._used(sheet).options(ndim=2).value)

    def error_cells(self, sheet: str) -> dict[str, str]:
        """xlwings reads an error as None unless asked for its text (``err_to_str``)."""
        return errors_in(self._used(sheet).options(ndim=2, err_to_str=True).value)

    def formula_cells(self, sheet: str) -> frozenset[str]:
        formulas = self._used(sheet).options(ndim=2).formula
        rows = formulas if isinstance(formulas, list) else [[formulas]]
        return frozenset(
            a1(r, c)
            for r, row in enumerate(rows)
            for c, text in enumerate(row if isinstance(row, list) else [row])
            if isinstance(text, str) and text.startswith("=")
        )

    def merged_ranges(self, sheet: str) -> list[str]:
        return sorted(merged_in(self._used(sheet)))

    def defined_names(self) -> dict[str, str]:
        return self._names[0]

    def local_names(self) -> dict[str, dict[str, str]]:
        return self._names[1]

    @cached_property
    def _names(self) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """The workbook's names, read once (two COM calls a name, ~200 names in a month
        workbook): the ribbon opens the workbook anew for each action, and xlpy changes no
        names."""
        return names_by_scope((name.name, name.refers_to or "") for name in self.book.names)

    def mark(self, marks: Sequence[CellMark], out: Path | None = None) -> Path | None:
        """Mark cells in the open workbook (``out`` is ignored: Excel shows the marks)."""
        by_sheet: dict[str, dict[str, list[CellMark]]] = {}
        for mark in marks:
            by_sheet.setdefault(mark.sheet, {}).setdefault(mark.cell, []).append(mark)
        for sheet, cells in by_sheet.items():
            with self._editable(sheet):
                for address, cell_marks in cells.items():
                    cell = self._sheet(sheet)[address]
                    worst = "error" if any(m.severity == "error" for m in cell_marks) else "warning"
                    cell.color = FILL[worst]
                    note = cell.note
                    text = note_text(note.text if note else None, [m.note for m in cell_marks])
                    if note is None:
                        cell.add_note(text)
                    else:
                        note.text = text
        return None

    def clear_marks(self, sheets: Sequence[str]) -> int:
        """Remove the fills and notes an earlier run left on ``sheets``; the count removed."""
        cleared = 0
        for sheet in sheets:
            ours = [note for note in self._sheet(sheet).notes if NOTE_PREFIX in note.text]
            if not ours:
                continue
            with self._editable(sheet):
                for note in ours:
                    cell = self._note_cell(sheet, note)
                    kept = note.text.split(NOTE_PREFIX, 1)[0].rstrip("\n")
                    if kept:
                        note.text = kept
                    else:
                        note.delete()
                    if cell is not None and cell.color in FILL.values():
                        cell.color = None
                    cleared += 1
        return cleared

    @contextmanager
    def _editable(self, sheet: str) -> Iterator[None]:
        """Lift the sheet protection the template sets (no password) while marking, then protect
        the sheet again with the same options. Windows only: Excel's COM names below."""
        api = self._sheet(sheet).api
        if sys.platform != "win32" or not api.ProtectContents:
            yield
            return
        allowed = api.Protection
        options = {name: getattr(allowed, name) for name in _ALLOW}
        try:
            api.Unprotect("")
        except Exception as error:  # a password the user set: ask, never guess
            raise XlpyError(
                f"{self.name} · {sheet} · 工作表设有保护密码,无法标出问题单元格 · "
                "请先撤销工作表保护"
            ) from error
        try:
            yield
        finally:
            api.Protect("", api.ProtectDrawingObjects, True, api.ProtectScenarios, **options)

    def _note_cell(self, sheet: str, note: xw.main.Note) -> xw.Range | None:
        try:
            address = str(note.api.Parent.Address).replace("$", "")
        except Exception:  # noqa: BLE001 - macOS' object model differs: keep the fill
            return None
        return self._sheet(sheet)[address]

    def show(self, path: Path) -> None:
        """Open a file the button wrote (a summary, next month's workbook) in the same Excel."""
        self.book.app.books.open(str(path))
