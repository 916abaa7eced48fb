"""Marked copies: problem cells filled red (errors) or yellow (warnings), each with a note."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from xlpy.engines.filekind import UnreadableWorkbook
from xlpy.errors import XlpyError
from xlpy.shared.files import atomic_write, refuse_source
from xlpy.shared.findings import CellMark

FILLS = {
    "error": PatternFill("solid", start_color="FFFF9999", end_color="FFFF9999"),
    "warning": PatternFill("solid", start_color="FFFFE699", end_color="FFFFE699"),
}
AUTHOR = "xlpy 校验"
NOT_MARKABLE = "文件中有 Excel 不会写入的内容(由其他程序写入),写标记副本时读不了"
NOT_MARKABLE_FIX = "按上面列出的单元格在原文件中修改;或在 Excel 中另存为 .xlsx 后再校验"


def write_marked_copy(source: Path, marks: Sequence[CellMark], out: Path) -> Path:
    """Copy ``source`` to ``out`` with ``marks`` applied. The source file is only read; one
    openpyxl cannot load is :class:`UnreadableWorkbook` (the findings stand without the copy)."""
    refuse_source(out, [source])
    keep_vba = source.suffix.lower() == ".xlsm"
    try:
        book = openpyxl.load_workbook(source, keep_vba=keep_vba, rich_text=True)
    except XlpyError:
        raise
    except Exception:  # noqa: BLE001 - whatever openpyxl raises for content it cannot read
        raise UnreadableWorkbook(source.name, NOT_MARKABLE, NOT_MARKABLE_FIX) from None
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
