"""Type a month of ledgers into the ledger sheets ``xlpy template --ledgers`` wrote (openpyxl,
as Excel saves what staff type): the demo's sample month and the ledger tests' data. Dates and
money get their number formats, as Excel gives a typed date or amount."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlpy.ledgers.catalog import LEDGERS, Col
from xlpy.ledgers.sheets import ledger_form
from xlpy.shared import number_formats
from xlpy.shared.text_cells import put_value

_FORMATS = {
    Col.DATE: number_formats.DATE,
    Col.MONEY: number_formats.MONEY,
    Col.QTY: number_formats.WHOLE,
    Col.BALANCE: number_formats.WHOLE,
}


def _put(cell: Any, value: Any) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    put_value(cell, value)


def fill_ledger_sheet(
    sheet: Worksheet,
    key: str,
    rows: pd.DataFrame | None = None,
    header: Mapping[str, Any] | None = None,
) -> None:
    """Type a ledger's rows (columns = column keys, in order) and header fields into its sheet,
    as staff would: dates and money get their number formats."""
    ledger, form = LEDGERS[key], ledger_form(key)
    table = form.table
    assert table is not None
    for cell in form.entries:
        value = (header or {}).get(cell.entry.column)
        _put(sheet[cell.address], value)
        fmt = _FORMATS.get(ledger.column(cell.entry.column).kind)
        if fmt and value is not None:
            sheet[cell.address].number_format = fmt
    if rows is None:
        return
    kinds = [c.kind for c in ledger.columns]
    for offset, record in enumerate(rows[[c.key for c in ledger.columns]].itertuples(index=False)):
        for spec, kind, value in zip(table.columns, kinds, record):
            if isinstance(value, (date, datetime)) or not pd.isna(value):
                target = sheet[f"{spec.letter}{table.first_row + offset}"]
                _put(target, value)
                if kind in _FORMATS:
                    target.number_format = _FORMATS[kind]


def fill_ledgers(
    workbook: Workbook,
    data: Mapping[str, pd.DataFrame],
    headers: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[str]:
    """Fill the ledger sheets a workbook already has (e.g. from ``xlpy template --ledgers``)."""
    filled = []
    for key, rows in data.items():
        ledger = LEDGERS[key]
        if ledger.sheet in workbook.sheetnames:
            fill_ledger_sheet(workbook[ledger.sheet], key, rows, (headers or {}).get(key))
            filled.append(ledger.sheet)
    return filled
