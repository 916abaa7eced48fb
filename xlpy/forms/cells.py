"""Values of one sheet by A1 address, from whichever reader the caller uses.

``Cells.from_grid(sheet.to_python(), sheet.start)`` wraps a python-calamine sheet (fast: the way
to read many workbooks); ``Cells.from_openpyxl(ws)`` wraps an openpyxl worksheet. Blank cells and
empty strings both read as None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from xlpy.shared.addresses import parse_a1


class Cells:
    def __init__(self, value_at: Callable[[int, int], Any], max_row: int, max_column: int) -> None:
        self._value_at = value_at  # 1-based (row, column)
        self.max_row = max_row
        self.max_column = max_column

    def get(self, address: str) -> Any:
        row, column = parse_a1(address)
        return self.at(row + 1, column + 1)

    def at(self, row: int, column: int) -> Any:
        """The value at 1-based (row, column): what a scan over rows and columns reads."""
        value = self._value_at(row, column)
        return None if value == "" else value

    def column(self, column: int, first_row: int) -> list[Any]:
        """The values of 1-based ``column`` from ``first_row`` down to :attr:`max_row`."""
        return [self.at(row, column) for row in range(first_row, self.max_row + 1)]

    def block(self, rows: int, columns: int) -> list[list[Any]]:
        """The top-left ``rows`` × ``columns`` values (fewer where the sheet ends sooner)."""
        return [
            [self.at(row, column) for column in range(1, min(columns, self.max_column) + 1)]
            for row in range(1, min(rows, self.max_row) + 1)
        ]

    def rows(self) -> list[list[Any]]:
        """Every row from A1 to the last cell, as lists of values (blank: None or "")."""
        return self.block(self.max_row, self.max_column)

    @classmethod
    def from_grid(cls, rows: Sequence[Sequence[Any]], start: tuple[int, int] = (0, 0)) -> Cells:
        """``rows``: a list of rows of values; ``start``: 0-based (row, column) of ``rows[0][0]``
        (python-calamine's ``sheet.start``; (0, 0) when the grid begins at A1)."""
        top, left = start

        def value_at(row: int, column: int) -> Any:
            r, c = row - 1 - top, column - 1 - left
            if 0 <= r < len(rows) and 0 <= c < len(rows[r]):
                return rows[r][c]
            return None

        width = max((len(r) for r in rows), default=0)
        return cls(value_at, top + len(rows), left + width)

    @classmethod
    def from_openpyxl(cls, worksheet: Any) -> Cells:
        def value_at(row: int, column: int) -> Any:
            return worksheet.cell(row=row, column=column).value

        return cls(value_at, worksheet.max_row, worksheet.max_column)
