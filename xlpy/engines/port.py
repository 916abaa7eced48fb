"""The workbook port: the little every job needs from a workbook, whoever holds it.

Two engines implement it: :mod:`xlpy.engines.file` reads files on disk (headless work, tests) and
the live engine wraps an open ``xlwings.Book`` (ribbon buttons). Jobs depend on this Protocol only.

Conventions shared by both engines:
- a sheet's grid starts at A1: ``grid[0][0]`` is A1; blank cells are ``None``; numbers are
  ``float``; booleans ``bool``; dates ``datetime``/``date``; text ``str``. The grid may stop
  short of trailing blank cells (and of formula cells never calculated): read cells through
  :func:`cell_value`, which treats anything beyond the grid as blank.
- cell addresses are A1 strings without ``$`` (``"C5"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from xlpy.shared.addresses import parse_a1
from xlpy.shared.findings import CellMark

CellValue = Any  # None | float | bool | str | datetime.date | datetime.datetime
Grid = list[list[CellValue]]


def cell_value(grid: Grid, row: int, col: int) -> CellValue:
    """The value at zero-based (row, col), None beyond the grid."""
    if 0 <= row < len(grid):
        line = grid[row]
        if 0 <= col < len(line):
            return line[col]
    return None


@runtime_checkable
class WorkbookPort(Protocol):
    @property
    def name(self) -> str:
        """How messages name the workbook (its file name)."""
        ...

    @property
    def path(self) -> Path | None:
        """Where the workbook is saved; None for a live workbook never saved."""
        ...

    def sheet_names(self) -> list[str]:
        """Worksheet names in tab order."""
        ...

    def values(self, sheet: str) -> Grid:
        """The sheet's values as a grid from A1 (cached results for formula cells; a formula
        never calculated reads as ``None``, and so does a cached error value: see
        :meth:`error_cells`). Raises KeyError for an unknown sheet."""
        ...

    def error_cells(self, sheet: str) -> dict[str, str]:
        """Address → text (``#DIV/0!``, ``#N/A`` …) of every cell whose value is an error: such
        a cell must never read as blank (a count of #DIV/0! is not full marks)."""
        ...

    def formula_cells(self, sheet: str) -> frozenset[str]:
        """Addresses of the cells that hold a formula (including shared/array formulas)."""
        ...

    def merged_ranges(self, sheet: str) -> list[str]:
        """Merged areas as A1 ranges (``"B2:D2"``)."""
        ...

    def defined_names(self) -> dict[str, str]:
        """Workbook-level defined names → what each refers to, as Excel writes it without the
        leading ``=`` (``参数!$C$45``, ``'参数'!$C$45``, ``99``). Names local to a sheet are
        left out (:meth:`local_names`)."""
        ...

    def local_names(self) -> dict[str, dict[str, str]]:
        """Names defined for one sheet only (which its formulas read instead of a workbook-level
        name of the same name): sheet → name → reference, as :meth:`defined_names`."""
        ...

    def mark(self, marks: Sequence[CellMark], out: Path | None = None) -> Path | None:
        """Highlight cells and attach notes. The file engine writes a marked copy to ``out``
        (required; the source is never written); the live engine marks the open book in place
        and returns None."""
        ...

    def clear_marks(self, sheets: Sequence[str]) -> int:
        """Remove marks an earlier run left on ``sheets`` (live: in place; a file on disk is
        never written, its marks live in the marked copy); the number removed."""
        ...

    def show(self, path: Path) -> None:
        """Put a file a job wrote in front of the user (live: open it in the same Excel; a file
        engine has no one to show it to, so it does nothing)."""
        ...


def values_with_errors(book: WorkbookPort, sheet: str) -> Grid:
    """:meth:`WorkbookPort.values` with each cached error value (``#DIV/0!`` …) in its cell
    instead of ``None``: what every reader of entries uses, so an error never reads as blank."""
    grid = book.values(sheet)
    for address, error in book.error_cells(sheet).items():
        row, column = parse_a1(address)
        if row < len(grid):
            line = grid[row]
            if column >= len(line):
                line.extend([None] * (column + 1 - len(line)))
            line[column] = error
    return grid
