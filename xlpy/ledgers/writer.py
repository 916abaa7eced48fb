"""Write ledger sheets into an openpyxl workbook, laid out from :func:`ledger_form`.

Each data column gets the input message of its description and a data validation derived from
its kind (dates within the month, money with 2 decimals, whole quantities, choice lists, roster
names); dates and money get their number formats. ``data`` fills rows (the demo's sample month).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlpy.ledgers.catalog import LEDGERS, Col, Column
from xlpy.ledgers.clean import month_bounds
from xlpy.ledgers.sheets import ROSTER_NAMES, ledger_form
from xlpy.shared import number_formats
from xlpy.shared.files import neutralise

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONTS = {
    "title": Font(name="等线", size=16, bold=True),
    "code": Font(name="等线", size=9),
    "label": Font(name="等线", size=10, bold=True),
    "note": Font(name="等线", size=9, color="595959"),
}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FORMATS = {
    Col.DATE: number_formats.DATE,
    Col.MONEY: number_formats.MONEY,
    Col.QTY: number_formats.WHOLE,
    Col.BALANCE: number_formats.WHOLE,
}


def _validation(
    column: Column, month: str | pd.Period, roster_formula: str | None, late_months: int
) -> DataValidation | None:
    first, last = month_bounds(month)
    if column.late_ok:
        last = (pd.Period(month, freq="M") + max(1, late_months)).end_time.normalize()
    kind = column.kind
    if kind is Col.DATE:
        dv = DataValidation(
            "date",
            operator="between",
            formula1=f"DATE({first.year},{first.month},1)",
            formula2=f"DATE({last.year},{last.month},{last.day})",
        )
    elif kind is Col.MONEY:
        dv = DataValidation(
            "custom", formula1="AND(ISNUMBER({cell}),{cell}>=0,ROUND({cell},2)={cell})"
        )
    elif kind is Col.QTY:
        dv = DataValidation("whole", operator="greaterThanOrEqual", formula1="0")
    elif kind is Col.BALANCE:
        dv = DataValidation("whole", operator="between", formula1="-1000000", formula2="1000000")
    elif kind is Col.CHOICE:
        dv = DataValidation("list", formula1='"' + ",".join(column.choices) + '"')
    elif kind is Col.FLAG:
        dv = DataValidation("list", formula1='"是,否"')
    elif kind is Col.PERSON and roster_formula:
        dv = DataValidation("list", formula1=roster_formula)
    else:
        return None
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = column.label
    dv.error = f"应为 {column.expected}"
    return dv


def _roster_formula(workbook: Workbook, roster: Sequence[str]) -> str | None:
    if ROSTER_NAMES in workbook.defined_names:
        return f"={ROSTER_NAMES}"
    inline = ",".join(roster)
    return f'"{inline}"' if roster and len(inline) <= 250 and '"' not in inline else None


def _put(cell: Any, value: Any) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    cell.value = neutralise(value) if isinstance(value, str) else value


def write_ledger_sheet(
    sheet: Worksheet,
    key: str,
    month: str | pd.Period,
    roster: Sequence[str] = (),
    late_months: int = 1,
) -> None:
    """Lay a blank ledger sheet out (titles, header fields, table, validation, print set-up)."""
    ledger, form = LEDGERS[key], ledger_form(key)
    table = form.table
    assert table is not None
    for text in form.texts:
        if text.text:
            sheet[text.address] = text.text
            sheet[text.address].font = _FONTS.get(text.style, _FONTS["note"])
    for cell_range in form.merges:
        sheet.merge_cells(cell_range)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet[form.identity[0].address] = str(pd.Period(month, freq="M"))
    for cell in form.entries:
        sheet[cell.address].border = _BOX
    for column, spec in zip(ledger.columns, table.columns):
        head = sheet[f"{spec.letter}{table.header_row}"]
        head.value = spec.header
        head.font, head.fill, head.border = _FONTS["label"], _HEADER_FILL, _BOX
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[spec.letter].width = spec.width
        span = f"{spec.letter}{table.first_row}:{spec.letter}{table.last_row}"
        dv = _validation(column, month, _roster_formula(sheet.parent, roster), late_months)
        if dv is not None:
            dv.formula1 = dv.formula1.replace("{cell}", f"{spec.letter}{table.first_row}")
            dv.promptTitle, dv.prompt, dv.showInputMessage = column.label, spec.hint[:255], True
            dv.add(span)
            sheet.add_data_validation(dv)
        fmt = _FORMATS.get(column.kind)
        index = column_index_from_string(spec.letter)
        for (cell,) in sheet.iter_rows(
            min_row=table.first_row, max_row=table.last_row, min_col=index, max_col=index
        ):
            cell.border = _BOX
            if fmt:
                cell.number_format = fmt
    sheet.freeze_panes = f"A{table.first_row}"
    sheet.print_title_rows = f"{table.header_row}:{table.header_row}"
    sheet.page_setup.orientation = "landscape" if form.landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = f"{ledger.heading}  第 &P 页 共 &N 页"


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


def add_ledger_sheets(
    workbook: Workbook,
    month: str | pd.Period,
    roster: Sequence[str] = (),
    data: Mapping[str, pd.DataFrame] | None = None,
    headers: Mapping[str, Mapping[str, Any]] | None = None,
    keys: Iterable[str] | None = None,
    late_months: int = 1,
) -> list[str]:
    """Append one sheet per ledger (all, or ``keys``) to ``workbook``; returns the sheet names.

    ``roster``: engineers' names for the 工程师/交款员 lists (the workbook's ``staff_names``
    defined name is used instead when it exists). ``data``/``headers``: rows and header fields
    to fill in, by ledger key."""
    names = []
    for key in keys or LEDGERS:
        ledger = LEDGERS[key]
        if ledger.sheet in workbook.sheetnames:
            raise ValueError(f"工作表 {ledger.sheet} 已存在")
        sheet = workbook.create_sheet(ledger.sheet)
        write_ledger_sheet(sheet, key, month, roster, late_months)
        fill_ledger_sheet(sheet, key, (data or {}).get(key), (headers or {}).get(key))
        names.append(ledger.sheet)
    return names
