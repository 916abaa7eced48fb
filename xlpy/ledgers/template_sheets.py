"""Ledger sheets in the month workbook written by ``xlpy template --ledgers`` (xlsxwriter).

The layout, styles, validation and protection come from the template's own form writer
(:func:`xlpy.template.sheets.write_form`) applied to :func:`ledger_form` (dates are validated
there, from each date column's window); this module only adds what a ledger needs beyond a
scoring form: date and money number formats on the data columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xlpy.ledgers.catalog import LEDGERS, Col
from xlpy.ledgers.sheets import ledger_form
from xlpy.shared import number_formats
from xlpy.shared.addresses import column_index
from xlpy.template.sheets import write_form
from xlpy.template.styles import Styles

FORMATS = {Col.DATE: number_formats.DATE, Col.MONEY: number_formats.MONEY}


def write_ledger_sheets(
    workbook: Any, styles: Styles, month: str, keys: Iterable[str] | None = None
) -> list[str]:
    """Add one blank sheet per ledger (all, or ``keys``) to an xlsxwriter workbook."""
    names = []
    for key in keys or LEDGERS:
        ledger, form = LEDGERS[key], ledger_form(key)
        sheet = workbook.add_worksheet(ledger.sheet)
        write_form(sheet, form, styles, "native", {"month": month})
        table = form.table
        assert table is not None
        for column, spec in zip(ledger.columns, table.columns):
            if column.kind in FORMATS:
                fmt = styles.get("entry", FORMATS[column.kind])
                col = column_index(spec.letter)
                for row in range(table.first_row, table.last_row + 1):
                    sheet.write_blank(row - 1, col, None, fmt)
        names.append(ledger.sheet)
    return names
