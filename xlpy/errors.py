"""Errors meant for staff: every message names the file, sheet and cell it can, the problem and
what is expected, in Chinese, formatted by :func:`message_line` (CLI lines, JSON, cell marks and
ribbon messages all use it). The CLI and the ribbon show ``str(error)``, never a traceback.

The tree (each class lives beside the code that raises it)::

    XlpyError                          a problem the user can fix
    ├── RuleError        xlpy.rules         a rule parameter is unknown or invalid (key by key)
    ├── InvalidEntries   xlpy.core.entries  typed entries the core refuses to score (row by row)
    ├── UnreadableWorkbook xlpy.engines   a file that is not a workbook xlpy can open
    ├── SheetTooLarge    xlpy.engines       a sheet whose extent no reader should load
    ├── AddinSourceError xlpy.addin         a broken add-in source
    ├── UdfError         udfs               a bad argument to an Excel function
    └── OutputError      xlpy.shared.files  an output that cannot be written

This module imports nothing from xlpy: every layer may raise and catch these.
"""

from __future__ import annotations

SEPARATOR = " · "
WHOLE_FILE = "(整个文件)"
EXPECTED = "应为"


def place(sheet: str = "", cell: str = "") -> str:
    """``工作表!单元格``, the sheet alone, or "" when the problem is not on a sheet."""
    if sheet and cell:
        return f"{sheet}!{cell}"
    return sheet


def message_line(
    problem: str, file: str = "", sheet: str = "", cell: str = "", expected: str = ""
) -> str:
    """``文件 · 工作表!单元格 · 问题 · 应为 …``, leaving out the parts that are not known."""
    parts = [part for part in (file, place(sheet, cell), problem) if part]
    if expected:
        parts.append(f"{EXPECTED} {expected}")
    return SEPARATOR.join(parts)


class XlpyError(Exception):
    """A problem the user can fix. ``problem`` may already be a whole message line, for errors
    that are not about one cell; the other fields are then left blank."""

    def __init__(
        self, problem: str, *, file: str = "", sheet: str = "", cell: str = "", expected: str = ""
    ) -> None:
        self.problem, self.file, self.sheet, self.cell = problem, file, sheet, cell
        self.expected = expected
        super().__init__(message_line(problem, file, sheet, cell, expected))
