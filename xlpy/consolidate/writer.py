"""Write the month's summary workbook with xlsxwriter: values and native formulas only, so it
opens correctly without the add-in in Excel, WPS and LibreOffice. Output is byte-for-byte
reproducible (fixed document dates), so a re-run with the same inputs gives the same file."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from xlpy.consolidate.model import MonthResults
from xlpy.forms import summary as summary_book
from xlpy.shared import number_formats
from xlpy.shared.files import neutralise
from xlpy.shared.findings import SEVERITY_WORD
from xlpy.words import CANCELLED

FIXED_DATE = datetime(2000, 1, 1)


class Styles:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": "等线", "font_size": 10, "valign": "vcenter"}
        self.title = book.add_format(base | {"bold": True, "font_size": 14})
        self.note = book.add_format(base | {"font_color": "#595959"})
        self.header = book.add_format(base | {"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                              "text_wrap": True, "align": "center"})
        self.text = book.add_format(base | {"border": 1})
        self.wrap = book.add_format(base | {"border": 1, "text_wrap": True})
        self.number = book.add_format(base | {"border": 1, "num_format": number_formats.TWO_DECIMALS})
        self.integer = book.add_format(base | {"border": 1, "num_format": number_formats.WHOLE})
        self.percent = book.add_format(base | {"border": 1, "num_format": number_formats.PERCENT_1})
        self.good = book.add_format(base | {"border": 1, "bg_color": "#C6EFCE", "font_color": "#006100"})
        self.bad = book.add_format(base | {"border": 1, "bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.muted = book.add_format(base | {"border": 1, "bg_color": "#EDEDED"})


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def write_cell(sheet, row: int, col: int, value: Any, fmt, styles: Styles | None = None) -> None:
    """Numbers as numbers, text always as a text cell (never parsed as a formula)."""
    if is_blank(value) or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, (int, float)):
        if math.isinf(value):
            sheet.write_string(row, col, "∞", fmt)
        else:
            sheet.write_number(row, col, float(value), fmt)
    else:
        sheet.write_string(row, col, str(neutralise(str(value))), fmt)


def number_format(styles: Styles, header: str):
    kind = summary_book.column_kind(header)
    return {"text": styles.text, "percent": styles.percent, "integer": styles.integer,
            "number": styles.number}[kind]


def write_table(sheet, styles: Styles, top: int, frame: pd.DataFrame,
                widths: dict[str, int] | None = None, status_column: str | None = None) -> int:
    """A header row and the frame's rows from ``top``; returns the next free row. Written column
    by column with one writer per column type (blank cells are left unwritten)."""
    for col, header in enumerate(frame.columns):
        sheet.write_string(top, col, str(header), styles.header)
        numeric = pd.api.types.is_numeric_dtype(frame.iloc[:, col].dtype)
        width = (widths or {}).get(header, 9 if numeric else max(8, min(40, len(str(header)) * 2 + 2)))
        sheet.set_column(col, col, width)  # headers wrap; numbers need no more than 9
    sheet.set_row(top, 30)
    print_setup(sheet, top, len(frame.columns))
    first = top + 1
    for col, header in enumerate(frame.columns):
        values = frame.iloc[:, col]
        fmt = number_format(styles, str(header))
        if pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_integer_dtype(values.dtype):
            for r, value in enumerate(values.to_numpy(dtype=float), start=first):
                if math.isfinite(value):
                    sheet.write_number(r, col, value, fmt)
            continue
        status = status_column is not None and header == status_column
        for r, value in enumerate(values.tolist(), start=first):
            if status and value:
                write_cell(sheet, r, col, value, styles.bad if str(value).startswith(CANCELLED)
                           else styles.muted)
            elif not is_blank(value) and value != "":
                write_cell(sheet, r, col, value, fmt)
    return first + len(frame)


def print_setup(sheet, header_row: int, columns: int) -> None:
    """Landscape, one page wide (A3 for wide tables), the header row repeated on every page."""
    sheet.repeat_rows(header_row)
    sheet.set_landscape()
    sheet.set_paper(8 if columns > 20 else 9)  # A3 / A4
    sheet.fit_to_pages(1, 0)


def column_range(sheet_name: str, frame: pd.DataFrame, header: str, top: int) -> str:
    col = xl_col_to_name(list(frame.columns).index(header))
    first, last = top + 2, top + 1 + max(len(frame), 1)
    return f"'{sheet_name}'!${col}${first}:${col}${last}"


def quoted(text: str) -> str:
    return '"' + str(text).replace('"', '""') + '"'


def open_book(path: Path) -> tuple[xlsxwriter.Workbook, Styles]:
    book = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_formulas": False,
                                           "strings_to_numbers": False, "strings_to_urls": False,
                                           "nan_inf_to_errors": False})
    book.set_properties({"created": FIXED_DATE, "author": "xlpy", "title": summary_book.BOOK_TITLE})
    book.set_calc_mode("auto")
    return book, Styles(book)


def write_findings(sheet, styles: Styles, top: int, month: MonthResults) -> int:
    frame = pd.DataFrame(
        [(SEVERITY_WORD.get(f.severity, f.severity), f.file, f.place, f.problem, f.expected)
         for f in month.findings], columns=list(summary_book.FINDING_COLUMNS))
    if frame.empty:
        sheet.write_string(top, 0, "没有警告或错误。", styles.note)
        return top + 1
    widths = dict(zip(summary_book.FINDING_COLUMNS[1:], (28, 16, 50, 36)))
    return write_table(sheet, styles, top, frame, widths)


__all__ = ["Styles", "column_range", "open_book", "print_setup", "quoted",
           "write_cell", "write_findings", "write_table", "xl_rowcol_to_cell"]
