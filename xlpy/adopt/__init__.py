"""``xlpy adopt BOOK``: recognise a department's own workbook (never modified), write its layout
file beside it, and read it through that layout in validate and consolidate.

    layout = adopt(book)            # recognise; the layout file is written by write_layout
    readers = layouts_for(files)    # validate_files(files, layouts=readers)
"""

from __future__ import annotations

from pathlib import Path

from xlpy.adopt.layout import Layout, layout_path, read_layout, write_layout
from xlpy.adopt.read import AdoptedReader, layouts_for, read_adopted
from xlpy.adopt.recognise import recognise
from xlpy.engines import FileWorkbook
from xlpy.rules import Rules, default_rules

__all__ = [
    "AdoptedReader",
    "Layout",
    "adopt",
    "layout_path",
    "layouts_for",
    "read_adopted",
    "read_layout",
    "write_layout",
]


def adopt(book: Path, rules: Rules | None = None) -> Layout:
    """The layout of ``book`` as recognised (raises UnreadableWorkbook for a file that is none)."""
    workbook = FileWorkbook(book)
    sheets = {name: workbook.values(name) for name in workbook.sheet_names()}
    return recognise(Path(book).name, sheets, rules or default_rules())
