"""Reading filled-in forms back: which form a sheet is, who it is about, what was typed where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlpy.forms.cells import Cells
from xlpy.forms.model import CODE_CELL, CODE_PREFIX, TITLE_CELL, Form


@dataclass(frozen=True)
class FormReading:
    """One filled-in form (or one row of a table form), values raw as the reader gave them.

    ``identity``: field → value (employee_id, name, team, month …). ``entries``: core entry
    column → value (None when blank). ``addresses``: core entry column → cell (e.g. ``G7``).
    ``row``: the sheet row of a table form's response (None for per-person forms)."""

    form: Form
    sheet: str
    identity: dict[str, Any]
    entries: dict[str, Any]
    addresses: dict[str, str]
    row: int | None = None

    def where(self, column: str) -> str:
        """``工作表!单元格`` of an entry, as messages to staff name it."""
        return f"{self.sheet}!{self.addresses[column]}"


def identify(cells: Cells, forms: dict[str, Form]) -> Form | None:
    """The form a sheet holds, by its 表号 cell (A2), else by its title (A1); None if neither."""
    code = cells.get(CODE_CELL)
    if isinstance(code, str):
        code = code.strip().removeprefix(CODE_PREFIX.strip()).lstrip(" :\uff1a")
        for form in forms.values():
            if form.form_code == code:
                return form
    title = cells.get(TITLE_CELL)
    if isinstance(title, str):
        for form in forms.values():
            if form.title == title.strip():
                return form
    return None


def read_form(cells: Cells, form: Form, sheet: str = "") -> FormReading:
    """Identity and entries of a one-per-sheet form (M, K, T, P, D)."""
    identity = {c.field: cells.get(c.address) for c in form.identity}
    entries = {c.entry.column: cells.get(c.address) for c in form.entries}
    addresses = {c.entry.column: c.address for c in form.entries}
    return FormReading(form, sheet or form.sheet_prefix, identity, entries, addresses)


def read_table(cells: Cells, form: Form, sheet: str = "") -> list[FormReading]:
    """One reading per non-blank row of a table form (S), from its first data row down to the
    sheet's last row (rows typed below the prepared area count too)."""
    if form.table is None:
        raise ValueError(f"{form.title} is not a table form")
    table = form.table
    identity = {c.field: cells.get(c.address) for c in form.identity}
    columns = [c for c in table.columns if c.entry is not None]
    readings = []
    for row in range(table.first_row, max(table.last_row, cells.max_row) + 1):
        addresses = {c.entry.column: f"{c.letter}{row}" for c in columns}  # type: ignore[union-attr]
        entries = {column: cells.get(address) for column, address in addresses.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in entries.values()):
            continue
        readings.append(FormReading(form, sheet or form.sheet_prefix, identity, entries,
                                    addresses, row))
    return readings
