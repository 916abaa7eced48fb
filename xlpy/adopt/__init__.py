"""``xlpy adopt BOOK``: recognise a department's own workbook (never modified), write its layout
file beside it, and read it through that layout in validate and consolidate.

    layout = adopt(book)            # recognise; the layout file is written by write_layout
    readers = layouts_for(files)    # validate_files(files, layouts=readers)
    layout = find_layout(path)      # the ribbon: the layout beside the open workbook, or None
    batch = validate_adopted_book(book, layout)   # ... then validate the open workbook by it
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlpy.adopt.kpi import kpi_sheet
from xlpy.adopt.kpi_grid import kpi_grid_sheet
from xlpy.adopt.layout import Layout, read_layout, write_layout
from xlpy.adopt.read import (
    AdoptedReader,
    find_layout,
    layouts_for,
    read_adopted,
    read_adopted_book,
)
from xlpy.adopt.recognise import Grid, grid_sheet, person_sheet
from xlpy.engines import FileWorkbook, WorkbookPort
from xlpy.rules import Rules, default_rules
from xlpy.shared.slices import Slice
from xlpy.validate.batch import Batch, analyse
from xlpy.validate.discovery import layout_path

__all__ = [
    "AdoptedReader",
    "Layout",
    "adopt",
    "find_layout",
    "layout_path",
    "layouts_for",
    "read_adopted",
    "read_layout",
    "validate_adopted_book",
    "write_layout",
]


def recognise(workbook: str, sheets: dict[str, list[list[Any]]], rules: Rules) -> Layout:
    """The layout of every sheet that holds scheme M or scheme K forms (a sheet per person, or a
    grid); the others are named as skipped."""
    layout = Layout(workbook)
    for name, rows in sheets.items():
        grid = Grid(rows)
        found = (
            grid_sheet(name, grid, rules)
            or person_sheet(name, grid, rules)
            or kpi_grid_sheet(name, grid, rules)
            or kpi_sheet(name, grid, rules)
        )
        if found is None:
            layout.skipped.append(name)
        else:
            layout.sheets.append(found)
    return layout


def adopt(book: Path, rules: Rules | None = None) -> Layout:
    """The layout of ``book`` as recognised (raises UnreadableWorkbook for a file that is none)."""
    workbook = FileWorkbook(book)
    sheets = {name: workbook.values(name) for name in workbook.sheet_names()}
    return recognise(Path(book).name, sheets, rules or default_rules())


def validate_adopted_book(
    book: WorkbookPort, layout: Layout, slices: Sequence[Slice] = ()
) -> Batch:
    """What :func:`xlpy.validate.job.validate_book` does for our template, for a department's own
    workbook open through a port (the ribbon's live workbook), read through its layout."""
    return analyse([read_adopted_book(book, layout)], None, None, None, slices)
