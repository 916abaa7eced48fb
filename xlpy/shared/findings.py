"""One problem found in a workbook, and the ways it is shown: a Chinese line, JSON, a cell mark."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from xlpy.errors import WHOLE_FILE, message_line, place
from xlpy.words import one_line

ERROR = "error"  # the month cannot be closed until it is corrected
WARNING = "warning"  # worth a look; scores are computed regardless
SEVERITY_WORD = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class CellMark:
    """A cell to highlight for the user, with the note explaining why."""

    sheet: str
    cell: str
    note: str
    severity: str = ERROR  # ERROR (red) or WARNING (yellow)


@dataclass(frozen=True, order=True)
class Finding:
    """``文件 · 工作表!单元格 · 问题 · 应为``. ``cell`` is "" when the problem is the whole file or
    sheet; ``person`` is the 工号 concerned, when known."""

    file: str
    sheet: str
    cell: str
    problem: str
    expected: str
    severity: str = ERROR
    person: str = ""

    @property
    def place(self) -> str:
        return place(self.sheet, self.cell) or WHOLE_FILE

    def line(self, with_file: bool = True) -> str:
        """The one-line message (a line break quoted from a cell shows as ⏎);
        ``with_file=False`` where the reader knows the file already."""
        return one_line(
            message_line(
                self.problem, self.file if with_file else "", self.place, "", self.expected
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def mark(self) -> CellMark | None:
        if not (self.sheet and self.cell):
            return None
        note = self.problem + (f";应为 {self.expected}" if self.expected else "")
        return CellMark(self.sheet, self.cell, note, self.severity)


def count(findings: Iterable[Finding], severity: str) -> int:
    return sum(1 for f in findings if f.severity == severity)
