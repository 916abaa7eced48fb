"""The 人员 sheet and the roster files staff hand in: who gets forms, described once.

The template writes the sheet from these columns (and names the 工号/姓名 ranges for the forms'
lists), the validator finds it again by its header row, and a roster file (CSV or xlsx) or the
ribbon's open workbook are read into the same :class:`Person` records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

ROSTER_SHEET = "人员"
STAFF_IDS = "staff_ids"  # defined names the template gives the sheet's 工号 and 姓名 columns
STAFF_NAMES = "staff_names"
# Header word → Person field, in the sheet's column order, with the width each column gets.
COLUMNS = {
    "工号": "employee_id",
    "姓名": "name",
    "班组": "team",
    "主管": "supervisor",
    "岗位": "position",
}
WORDS = {field: word for word, field in COLUMNS.items()}  # employee_id -> 工号 …
WIDTHS = {"工号": 10, "姓名": 12, "班组": 10, "主管": 12, "岗位": 20}
REQUIRED = ("工号", "姓名")
HEADER_SEARCH_ROWS = 10  # the header row may sit below a title on a sheet staff made


@dataclass(frozen=True)
class Person:
    employee_id: str
    name: str
    team: str = ""
    supervisor: str = ""
    position: str = ""

    def values(self) -> tuple[str, ...]:
        """The person's cells in the sheet's column order."""
        return tuple(getattr(self, field) for field in COLUMNS.values())


def header_columns(row: Sequence[Any]) -> dict[str, int] | None:
    """Person field → column index of a header row that names every required column (a word
    named twice: its first column; see :func:`repeated_columns`)."""
    labels = [str(v).strip() if v is not None else "" for v in row]
    if not all(word in labels for word in REQUIRED):
        return None
    return {field: labels.index(word) for word, field in COLUMNS.items() if word in labels}


def repeated_columns(row: Sequence[Any]) -> dict[str, list[int]]:
    """Header words a header row names more than once (which column holds them is unclear) →
    the columns (0-based) naming them."""
    labels = [str(v).strip() if v is not None else "" for v in row]
    found = {word: [i for i, label in enumerate(labels) if label == word] for word in COLUMNS}
    return {word: columns for word, columns in found.items() if len(columns) > 1}


def find_header(grid: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
    """(row index, columns) of the roster's header row within the first rows of a grid."""
    for top, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = header_columns(row)
        if columns is not None:
            return top, columns
    return None
