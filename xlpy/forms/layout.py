"""A small builder the form descriptions use to place cells; it produces a frozen :class:`Form`."""

from __future__ import annotations

from collections.abc import Sequence

from xlpy.core.entries import Entry
from xlpy.forms.model import (
    CODE_CELL,
    CODE_PREFIX,
    TITLE_CELL,
    ComputedCell,
    EntryCell,
    Form,
    IdentityCell,
    Style,
    Table,
    TextCell,
)
from xlpy.shared import number_formats
from xlpy.shared.addresses import column_index, column_letters

PERSON = (("employee_id", "工号"), ("name", "姓名"), ("team", "班组"), ("supervisor", "主管"))
MONTH = ("month", "月份")


class Sheet:
    def __init__(self, last_column: str) -> None:
        self.last_column = last_column
        self.texts: list[TextCell] = []
        self.entry_cells: list[EntryCell] = []
        self.computed_cells: list[ComputedCell] = []
        self.identity: list[IdentityCell] = []
        self.signatures: list[TextCell] = []
        self.merges: list[str] = []
        self.table: Table | None = None

    def text(self, address: str, text: str, style: Style = "text") -> None:
        self.texts.append(TextCell(address, text, style))

    def merge(self, cell_range: str) -> None:
        self.merges.append(cell_range)

    def section(self, row: int, title: str) -> None:
        """A section title across the sheet's width."""
        self.text(f"A{row}", title, "section")
        self.merge(f"A{row}:{self.last_column}{row}")

    def headers(self, row: int, columns: str, texts: Sequence[str]) -> None:
        """A table's header row: ``texts`` under the column letters ``columns``, left to right."""
        for column, text in zip(columns, texts, strict=True):
            self.text(f"{column}{row}", text, "header")

    def entry(self, address: str, entry: Entry, hint: str) -> None:
        self.entry_cells.append(EntryCell(address, entry, hint))

    def computed(
        self,
        address: str,
        label: str,
        addin: str,
        native: str,
        result: str | None = None,
        number_format: str = number_formats.SCORE,
        array: str = "",
    ) -> None:
        self.computed_cells.append(
            ComputedCell(address, label, addin, native, result, number_format, array)
        )

    def computed_column(
        self,
        column: str,
        rows: list[int],
        addin: str,
        cells: list[tuple[str, str, str | None]],
        number_format: str = number_formats.SCORE,
    ) -> None:
        """Cells ``column``+row of consecutive ``rows`` (label, native formula, result each) that
        the add-in variant fills with one array formula ``addin`` (one udf call for them all)."""
        assert rows == list(range(rows[0], rows[0] + len(rows))), rows
        array = f"{column}{rows[0]}:{column}{rows[-1]}" if len(rows) > 1 else ""
        for row, (label, native, result) in zip(rows, cells, strict=True):
            self.computed(f"{column}{row}", label, addin, native, result, number_format, array)

    def note(self, row: int, text: str) -> None:
        self.text(f"A{row}", text, "note")
        self.merge(f"A{row}:{self.last_column}{row}")

    def form(
        self,
        scheme: str,
        form_code: str,
        title: str,
        sheet_prefix: str,
        widths: dict[str, float],
        per_person: bool = True,
        landscape: bool = False,
    ) -> Form:
        return Form(
            scheme,
            form_code,
            title,
            sheet_prefix,
            per_person,
            tuple(self.identity),
            tuple(self.entry_cells),
            tuple(self.computed_cells),
            tuple(self.texts),
            tuple(self.signatures),
            tuple(self.merges),
            dict(widths),
            self.last_column,
            self.table,
            landscape,
        )


class ResultRows:
    """Consecutive result rows under a form (小计, 总分, 等级 …): the label merged across
    ``label_span``, the computed value in ``value_column``; ``row`` is the next free row."""

    def __init__(
        self, sheet: Sheet, row: int, label_span: tuple[str, str], value_column: str
    ) -> None:
        self.sheet, self.row, self.label_span, self.value_column = (
            sheet,
            row,
            label_span,
            value_column,
        )

    def add(
        self, label: str, result: str, addin: str, native: str, fmt: str = number_formats.SCORE
    ) -> str:
        """Place one result row; returns its value cell's address."""
        first, last = self.label_span
        self.sheet.text(f"{first}{self.row}", label, "label")
        self.sheet.merge(f"{first}{self.row}:{last}{self.row}")
        address = f"{self.value_column}{self.row}"
        self.sheet.computed(
            address, label, "=" + addin, "=" + native, result=result, number_format=fmt
        )
        self.row += 1
        return address


def title_rows(sheet: Sheet, title: str, form_code: str) -> None:
    """Row 1: the title across the sheet. Row 2: 表号 (how ``identify`` recognises the form), and
    月份 with its value in the last two columns."""
    last = column_index(sheet.last_column) + 1
    sheet.text(TITLE_CELL, title, "title")
    sheet.merge(f"{TITLE_CELL}:{sheet.last_column}1")
    sheet.text(CODE_CELL, CODE_PREFIX + form_code, "code")
    sheet.merge(f"{CODE_CELL}:{column_letters(last - 3)}2")
    field, label = MONTH
    sheet.text(f"{column_letters(last - 2)}2", label, "label")
    sheet.identity.append(IdentityCell(field, label, f"{sheet.last_column}2"))


def person_header(
    sheet: Sheet, title: str, form_code: str, label_columns: list[str], row: int = 3
) -> None:
    """Title rows, then 工号 / 姓名 / 班组 (/ 主管) on ``row``: each label in its column of
    ``label_columns``, its value in the next column, merged up to the next label."""
    title_rows(sheet, title, form_code)
    ends = [column_letters(column_index(c) - 1) for c in label_columns[1:]]
    ends.append(sheet.last_column)
    for (field, label), column, end in zip(PERSON, label_columns, ends):
        value_col = column_letters(column_index(column) + 1)
        sheet.text(f"{column}{row}", label, "label")
        sheet.identity.append(IdentityCell(field, label, f"{value_col}{row}"))
        if end != value_col:
            sheet.merge(f"{value_col}{row}:{end}{row}")


def signatures(sheet: Sheet, row: int, cells: list[tuple[str, str]]) -> None:
    for column, text in cells:
        sheet.signatures.append(TextCell(f"{column}{row}", text, "sign"))
