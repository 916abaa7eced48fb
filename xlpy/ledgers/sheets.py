"""Each ledger as a sheet, described with the forms vocabulary (:mod:`xlpy.forms.model`).

Layout of every ledger sheet: row 1 the title, row 2 ``表号 SH/BD-xx`` (blank when the seed gives
the form no code), row 3 月份, then one row per header field (label in A, value in B:D), a note
row, the table's header row, and its data rows (one per slip line, day or event). The writer
(:mod:`xlpy.ledgers.template_sheets`), the reader below and the slip printer all take addresses
from :func:`ledger_form`; nothing else knows where a ledger's cells are.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Any

import pandas as pd

from xlpy.core.entries import Entry, Kind
from xlpy.forms.cells import Cells
from xlpy.forms.model import (
    CODE_CELL,
    CODE_PREFIX,
    TITLE_CELL,
    EntryCell,
    Form,
    IdentityCell,
    Table,
    TableColumn,
    TextCell,
)
from xlpy.ledgers.catalog import LEDGERS, Col, Column, Ledger
from xlpy.ledgers.clean import LATE_MONTHS, LedgerProblem
from xlpy.memo import memo
from xlpy.shared.addresses import column_letters

SCHEME = "L"  # ledgers: not a scoring scheme; the forms' scheme field names the family
ROSTER_NAMES = "staff_names"  # the month workbook's defined name for the 人员 sheet's names
ROWS = 200  # data rows prepared (rows typed below them are read too)
MONTH_ROW = 3

_KINDS = {Col.MONEY: Kind.AMOUNT, Col.QTY: Kind.COUNT, Col.FLAG: Kind.FLAG, Col.CHOICE: Kind.RATING}


def entry_of(column: Column) -> Entry:
    """The core entry a ledger column is shown as (dates, slip numbers, names: text)."""
    return Entry(column.key, column.label, _KINDS.get(column.kind, Kind.TEXT), column.choices)


def hint_of(column: Column) -> str:
    return column.hint or f"{column.label}:{column.expected}"


def ledger_form(key: str, rows: int = ROWS) -> Form:
    """The form description of ledger ``key`` with ``rows`` data rows (built once per ledger)."""
    ledger = LEDGERS[key]
    return memo(ledger, ("form", rows), lambda: _built_form(ledger, rows))


def _built_form(ledger: Ledger, rows: int) -> Form:
    last = column_letters(max(len(ledger.columns), 4) - 1)
    texts = [
        TextCell(TITLE_CELL, ledger.title, "title"),
        TextCell(CODE_CELL, CODE_PREFIX + ledger.code if ledger.code else "", "code"),
        TextCell(f"A{MONTH_ROW}", "月份", "label"),
    ]
    merges = [f"A1:{last}1", f"A2:{last}2"]
    entries = []
    for offset, field in enumerate(ledger.header, start=1):
        row = MONTH_ROW + offset
        texts.append(TextCell(f"A{row}", field.label, "label"))
        entries.append(EntryCell(f"B{row}", entry_of(field), hint_of(field)))
        merges.append(f"B{row}:D{row}")
    note_row = MONTH_ROW + len(ledger.header) + 1
    note = (
        "每行一条记录;同一张单据的多行编号相同。"
        if ledger.slip and ledger.copies
        else "每行一条记录。"
    )
    notes = (note, *ledger.notes)
    texts.append(TextCell(f"A{note_row}", " ".join(notes), "note"))
    merges.append(f"A{note_row}:{last}{note_row}")
    header_row = note_row + 1
    columns = tuple(
        TableColumn(
            column_letters(i - 1),
            c.label,
            c.width,
            entry_of(c),
            hint_of(c),
            choices_from=ROSTER_NAMES if c.kind is Col.PERSON else "",
            dates_until=(LATE_MONTHS if c.late_ok else 0) if c.kind is Col.DATE else None,
        )
        for i, c in enumerate(ledger.columns, start=1)
    )
    table = Table(header_row, header_row + 1, header_row + rows, columns)
    return Form(
        scheme=SCHEME,
        form_code=ledger.code,
        title=ledger.title,
        sheet_prefix=ledger.sheet,
        per_person=False,
        identity=(IdentityCell("month", "月份", f"B{MONTH_ROW}"),),
        entries=tuple(entries),
        computed=(),
        texts=tuple(texts),
        signatures=(),
        merges=tuple(merges),
        widths={c.letter: c.width for c in columns},
        last_column=last,
        table=table,
        landscape=len(columns) > 8,
        notes=notes,
    )


def identify_ledger(cells: Cells, sheet: str = "") -> Ledger | None:
    """The ledger a sheet holds: by its title in A1 (then by sheet name)."""
    title = cells.get(TITLE_CELL)
    for ledger in LEDGERS.values():
        if isinstance(title, str) and title.strip() == ledger.title:
            return ledger
    return next((lg for lg in LEDGERS.values() if sheet and sheet == lg.sheet), None)


@dataclass(frozen=True)
class LedgerReading:
    """One ledger sheet as typed: rows (index = sheet row), header fields, the month cell."""

    ledger: Ledger
    sheet: str
    rows: pd.DataFrame
    header: dict[str, Any]
    month: Any


def read_ledger(cells: Cells, ledger: Ledger, sheet: str = "") -> LedgerReading:
    """Every non-blank data row from the first data row to the sheet's last row."""
    form = ledger_form(ledger.key)
    table = form.table
    assert table is not None
    records, index = [], []
    for row in range(table.first_row, max(table.last_row, cells.max_row) + 1):
        values = [cells.get(f"{c.letter}{row}") for c in table.columns]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        records.append(values)
        index.append(row)
    frame = pd.DataFrame(
        records,
        columns=[c.key for c in ledger.columns],
        index=pd.Index(index, name="row"),
        dtype=object,
    )
    header = {cell.entry.column: cells.get(cell.address) for cell in form.entries}
    return LedgerReading(
        ledger, sheet or ledger.sheet, frame, header, cells.get(form.identity[0].address)
    )


def cell_of(problem: LedgerProblem) -> str:
    """The A1 address a problem points at ("" when it concerns no single cell)."""
    ledger = next((lg for lg in LEDGERS.values() if lg.sheet == problem.sheet), None)
    if ledger is None or not isinstance(problem.row, Integral):
        return ""
    form = ledger_form(ledger.key)
    for cell in form.entries:
        if cell.entry.column == problem.column:
            return cell.address
    assert form.table is not None
    letters = {c.entry.column: c.letter for c in form.table.columns if c.entry is not None}
    return f"{letters.get(problem.column, 'A')}{problem.row}"
