"""Reading filled-in forms back: where a form sits on its sheet, which form it is, who it is
about, what was typed where.

A form is found by its text, not by fixed cells: :func:`locate` looks for the 表号 (or title)
in the first :data:`SEARCH_ROWS` × :data:`SEARCH_COLUMNS` cells, then for the form's anchors
(its fixed headers, labels and item codes, ``Form.layout_texts``; a table form's column
headers) so that rows or columns inserted above or left of the form, or extra title lines, are
read where they now are. The result is the form description *shifted* to the real cells
(:func:`placed`): every reader, check and message then names the real cell. The common case,
a sheet laid out as the template, costs one check of the anchors at their own cells.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from xlpy.forms.cells import Cells
from xlpy.forms.model import CODE_CELL, CODE_PREFIX, TITLE_CELL, Form, Table, TextCell
from xlpy.memo import memo
from xlpy.shared.addresses import a1, parse_a1

SEARCH_ROWS = 10  # the 表号/title is looked for in the first rows …
SEARCH_COLUMNS = 10  # … and columns of a sheet
SEARCH_DEPTH = 30  # how far below the 表号 the form's body is looked for
HEAD_ROWS = 2  # title and 表号 rows: they move with the 表号, the rest with the body's anchors


@dataclass(frozen=True)
class Shift:
    """Rows/columns inserted above/left of a form: ``head`` moves its title rows (1-2),
    ``rows`` the rest of the form, ``columns`` every column."""

    head: int = 0
    rows: int = 0
    columns: int = 0

    def cell(self, address: str) -> str:
        if not (self.head or self.rows or self.columns):
            return address  # the template's own place: most sheets of a batch
        row, column = parse_a1(address)
        row += self.head if row < HEAD_ROWS else self.rows
        return a1(row, column + self.columns)

    def cells(self, cell_range: str) -> str:
        return ":".join(self.cell(part) for part in cell_range.split(":"))


NO_SHIFT = Shift()


@dataclass(frozen=True)
class Placement:
    """A form found on a sheet: the description at its real cells, and the anchors (at the
    cells where they were expected) that are not there — when any is missing, the layout was
    changed inside the form and no entry can be trusted."""

    form: Form
    shift: Shift
    missing: tuple[TextCell, ...] = ()


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


def anchors(form: Form) -> tuple[TextCell, ...]:
    """The texts a form is recognised by: its fixed layout texts and a table's column headers."""
    texts = form.layout_texts
    if form.table is not None:
        texts += tuple(
            TextCell(f"{c.letter}{form.table.header_row}", c.header, "header")
            for c in form.table.columns
        )
    return texts


def _code_of(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip().startswith(CODE_PREFIX.strip()):
        return None
    return value.strip().removeprefix(CODE_PREFIX.strip()).lstrip(" :\uff1a")


def identify(cells: Cells, forms: dict[str, Form]) -> Form | None:
    """The form a sheet holds, by its 表号 text, else by its title, anywhere in the first rows
    and columns; None if neither is there."""
    found = _head(cells, forms)
    return found[0] if found else None


def _head(cells: Cells, forms: dict[str, Form]) -> tuple[Form, int, int] | None:
    """(form, rows, columns) its 表号 (or title) moved by. The template's own cells first."""
    by_code = {form.form_code: form for form in forms.values()}
    by_title = {form.title: form for form in forms.values()}
    code = _code_of(cells.get(CODE_CELL))
    if code in by_code:
        return by_code[code], 0, 0
    title = cells.get(TITLE_CELL)
    titled = None
    if isinstance(title, str) and title.strip() in by_title:
        titled = (by_title[title.strip()], 0, 0)
    code_row, code_column = parse_a1(CODE_CELL)
    title_row, title_column = parse_a1(TITLE_CELL)
    for row, line in enumerate(cells.block(SEARCH_ROWS, SEARCH_COLUMNS), start=1):
        for column, value in enumerate(line, start=1):
            if not isinstance(value, str):
                continue
            code = _code_of(value)
            if code in by_code:
                return by_code[code], row - 1 - code_row, column - 1 - code_column
            if titled is None and value.strip() in by_title:
                titled = (by_title[value.strip()], row - 1 - title_row, column - 1 - title_column)
    return titled


def _matches(cells: Cells, text: TextCell, shift: Shift) -> bool:
    return _is_text(cells.get(shift.cell(text.address)), text.text.strip())


def _is_text(value: Any, text: str) -> bool:
    return value is not None and str(value).strip() == text


def _anchor_cells(form: Form) -> tuple[tuple[int, int, str], ...]:
    """Each anchor's 1-based (row, column) and its text stripped, built once per form: what a
    sheet laid out as the template (moved as a whole, or not at all) is checked against."""

    def build() -> tuple[tuple[int, int, str], ...]:
        cells = [(parse_a1(text.address), text.text.strip()) for text in anchors(form)]
        return tuple((row + 1, column + 1, text) for (row, column), text in cells)

    return memo(form, "anchor cells", build)


def locate(cells: Cells, forms: dict[str, Form]) -> Placement | None:
    """Where a form sits on this sheet (None: the sheet holds no form)."""
    head = _head(cells, forms)
    if head is None:
        return None
    form, head_rows, columns = head
    texts = anchors(form)
    shift = Shift(head_rows, head_rows, columns)
    if all(
        _is_text(cells.at(row + head_rows, column + columns), text)
        for row, column, text in _anchor_cells(form)
    ):
        return Placement(placed(form, shift), shift)
    body = [t for t in texts if parse_a1(t.address)[0] >= HEAD_ROWS]
    best, best_missing = shift, [t for t in texts if not _matches(cells, t, shift)]
    if body:
        first = body[0]
        top = min(parse_a1(t.address)[0] for t in body)  # no anchor may land above row 1
        probe = Shift(head_rows, 0, columns)
        for rows in range(-top, head_rows + SEARCH_DEPTH):
            candidate = replace(probe, rows=rows)
            if rows == shift.rows or not _matches(cells, first, candidate):
                continue
            missing = [t for t in texts if not _matches(cells, t, candidate)]
            if len(missing) < len(best_missing):
                best, best_missing = candidate, missing
            if not missing:
                break
    moved = placed(form, best)
    return Placement(
        moved, best, tuple(replace(t, address=best.cell(t.address)) for t in best_missing)
    )


def placed(form: Form, shift: Shift) -> Form:
    """The form description at the cells it was found at (built once per form and shift: a batch
    repeats a layout). Only addresses move; formula texts keep the template's (they are written,
    never read)."""
    if shift == NO_SHIFT:
        return form
    return memo(form, ("placed", shift), lambda: _moved(form, shift))


def _moved(form: Form, shift: Shift) -> Form:
    at = shift.cell
    table = form.table
    if table is not None:
        first = parse_a1(shift.cell(f"A{table.first_row}"))[0] + 1
        header = parse_a1(shift.cell(f"A{table.header_row}"))[0] + 1
        table = Table(
            header,
            first,
            first + table.last_row - table.first_row,
            tuple(
                replace(c, letter=shift.cell(f"{c.letter}{table.first_row}").rstrip("0123456789"))
                for c in table.columns
            ),
        )
    return replace(
        form,
        identity=tuple(replace(c, address=at(c.address)) for c in form.identity),
        entries=tuple(replace(c, address=at(c.address)) for c in form.entries),
        computed=tuple(replace(c, address=at(c.address)) for c in form.computed),
        texts=tuple(replace(c, address=at(c.address)) for c in form.texts),
        signatures=tuple(replace(c, address=at(c.address)) for c in form.signatures),
        merges=tuple(shift.cells(m) for m in form.merges),
        table=table,
    )


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
        readings.append(
            FormReading(form, sheet or form.sheet_prefix, identity, entries, addresses, row)
        )
    return readings
