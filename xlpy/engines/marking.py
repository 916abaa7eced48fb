"""Marked copies: problem cells filled red (errors) or yellow (warnings), each with a note."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from xlpy.shared.files import atomic_write, refuse_source
from xlpy.shared.findings import CellMark

FILLS = {
    "error": PatternFill("solid", start_color="FFFF9999", end_color="FFFF9999"),
    "warning": PatternFill("solid", start_color="FFFFE699", end_color="FFFFE699"),
}
AUTHOR = "xlpy 校验"


def write_marked_copy(source: Path, marks: Sequence[CellMark], out: Path) -> Path:
    """Copy ``source`` to ``out`` with ``marks`` applied. The source file is only read."""
    refuse_source(out, [source])
    keep_vba = source.suffix.lower() == ".xlsm"
    book = openpyxl.load_workbook(source, keep_vba=keep_vba, rich_text=True)
    by_cell: dict[tuple[str, str], list[CellMark]] = defaultdict(list)
    for mark in marks:
        by_cell[(mark.sheet, mark.cell)].append(mark)
    for (sheet, cell), cell_marks in by_cell.items():
        if sheet not in book.sheetnames:
            continue
        target = book[sheet][cell]
        worst = "error" if any(m.severity == "error" for m in cell_marks) else "warning"
        target.fill = FILLS[worst]
        text = "\n".join(m.note for m in cell_marks)
        if target.comment is not None:
            text = f"{target.comment.text}\n{text}"
        target.comment = Comment(text, AUTHOR, width=320, height=40 + 20 * len(cell_marks))
    atomic_write(out, book.save)
    return out
