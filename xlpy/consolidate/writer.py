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
from xlpy.shared.findings import SEVERITY_WORD
from xlpy.shared.text_cells import looks_like_formula
from xlpy.words import CANCELLED, yes_no_word

FIXED_DATE = datetime(2000, 1, 1)
WRAP_FROM = 20  # text columns at least this wide wrap (explanations, file names, notes)
A4, MARGIN_INCH = 9, 0.4
PRINTABLE_PT = {"portrait": 595 - 2 * 72 * MARGIN_INCH, "landscape": 842 - 2 * 72 * MARGIN_INCH}
MIN_PRINT_SCALE = 0.8  # 10 pt text prints at 8 pt at least
WIDTH_MARGIN = 0.95  # room for a printer's or program's wider rendering of the columns


class Styles:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._properties: dict[int, dict[str, Any]] = {}  # id(format) -> what it was made of
        self._literal: dict[int, Any] = {}
        base = {"font_name": "等线", "font_size": 10, "valign": "vcenter"}
        self.title = self._add(base | {"bold": True, "font_size": 14})
        self.note = self._add(base | {"font_color": "#595959"})
        self.header = self._add(
            base
            | {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        )
        self.text = self._add(base | {"border": 1})
        self.wrap = self._add(base | {"border": 1, "text_wrap": True})
        self.number = self._add(base | {"border": 1, "num_format": number_formats.TWO_DECIMALS})
        self.integer = self._add(base | {"border": 1, "num_format": number_formats.WHOLE})
        self.percent = self._add(base | {"border": 1, "num_format": number_formats.PERCENT_1})
        self.good = self._add(base | {"border": 1, "bg_color": "#C6EFCE", "font_color": "#006100"})
        self.bad = self._add(base | {"border": 1, "bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.muted = self._add(base | {"border": 1, "bg_color": "#EDEDED"})

    def _add(self, properties: dict[str, Any]) -> Any:
        made = self._book.add_format(properties)
        self._properties[id(made)] = properties
        return made

    def literal(self, fmt: Any) -> Any:
        """``fmt`` with Excel's quote prefix (what typing ``'=1+1`` gives): the text is shown as
        written and stays text when the cell is edited."""
        if id(fmt) not in self._literal:
            properties = self._properties[id(fmt)] | {"quote_prefix": True}
            self._literal[id(fmt)] = self._book.add_format(properties)
        return self._literal[id(fmt)]


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def write_cell(sheet, row: int, col: int, value: Any, fmt, styles: Styles) -> None:
    """Numbers as numbers, text always as a text cell, exactly as given: text Excel would take
    for a formula if typed (``=…``, ``-3``) gets the quote prefix, so it stays text."""
    if is_blank(value) or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_string(row, col, yes_no_word(value), fmt)
    elif isinstance(value, (int, float)):
        if math.isinf(value):
            sheet.write_string(row, col, "∞", fmt)
        else:
            sheet.write_number(row, col, float(value), fmt)
    else:
        text = str(value)
        sheet.write_string(row, col, text, styles.literal(fmt) if looks_like_formula(text) else fmt)


def number_format(styles: Styles, header: str):
    kind = summary_book.column_kind(header)
    return {
        "text": styles.text,
        "percent": styles.percent,
        "integer": styles.integer,
        "number": styles.number,
    }[kind]


def write_table(
    sheet,
    styles: Styles,
    top: int,
    frame: pd.DataFrame,
    widths: dict[str, int] | None = None,
    status_column: str | None = None,
    repeat: bool = True,
    identity: int = 0,
) -> int:
    """A header row and the frame's rows from ``top``; returns the next free row. Written column
    by column with one writer per column type (blank cells are left unwritten). Text columns
    wider than ``WRAP_FROM`` wrap; whole numbers in a mixed column show as whole numbers. For
    printing, a table at the sheet's header row repeats that row on every page (``repeat``), and
    its first ``identity`` columns on every page across."""
    for col, header in enumerate(frame.columns):
        sheet.write_string(top, col, str(header), styles.header)
        sheet.set_column(col, col, _width(frame, col, widths))
    sheet.set_row(top, 30)
    if repeat and top == summary_book.HEADER_ROW:
        sheet.repeat_rows(top)
    if identity:
        sheet.repeat_columns(0, identity - 1)
    first = top + 1
    for col, header in enumerate(frame.columns):
        values = frame.iloc[:, col]
        fmt = number_format(styles, str(header))
        if pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_integer_dtype(values.dtype):
            for r, value in enumerate(values.to_numpy(dtype=float), start=first):
                if math.isfinite(value):
                    sheet.write_number(r, col, value, fmt)
            continue
        text = styles.wrap if _width(frame, col, widths) >= WRAP_FROM else styles.text
        status = status_column is not None and header == status_column
        for r, value in enumerate(values.tolist(), start=first):
            if status and value:
                write_cell(
                    sheet,
                    r,
                    col,
                    value,
                    styles.bad if str(value).startswith(CANCELLED) else styles.muted,
                    styles,
                )
            elif not is_blank(value) and value != "":
                write_cell(sheet, r, col, value, _format_of(value, fmt, text, styles), styles)
    return first + len(frame)


def _format_of(value: Any, column: Any, text: Any, styles: Styles) -> Any:
    """A mixed column's cell: text as text (wrapped in wide columns), a whole number as one."""
    if isinstance(value, str):
        return text if column in (styles.text, styles.number) else column
    if (
        column is styles.number
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and float(value).is_integer()
    ):
        return styles.integer
    return column


def _width(frame: pd.DataFrame, col: int, widths: dict[str, int] | None) -> int:
    """Headers wrap, so numbers need no more than 9 characters; text up to 40."""
    header = frame.columns[col]
    numeric = pd.api.types.is_numeric_dtype(frame.iloc[:, col].dtype)
    return (widths or {}).get(header, 9 if numeric else max(8, min(40, len(str(header)) * 2 + 2)))


def finish_printing(book: xlsxwriter.Workbook) -> None:
    """Every sheet on A4: portrait when its columns fit, else landscape; scaled down to one page
    wide only while 10 pt text still prints at 8 pt or more, otherwise at full size across
    several pages (with the columns write_table marked repeated); page numbers in the footer.
    The scale is set, not left to "fit to width", so no program prints the text smaller."""
    for sheet in book.worksheets():
        width = 0.75 * sum(info.width for info in sheet.col_info.values()) / WIDTH_MARGIN
        sheet.set_paper(A4)
        sheet.set_margins(left=MARGIN_INCH, right=MARGIN_INCH)
        sheet.set_footer("&C第 &P 页,共 &N 页")
        if width <= PRINTABLE_PT["portrait"]:
            sheet.set_portrait()
            continue
        sheet.set_landscape()
        scale = math.floor(100 * PRINTABLE_PT["landscape"] / width)
        if MIN_PRINT_SCALE * 100 <= scale < 100:
            sheet.set_print_scale(scale)


def column_range(sheet_name: str, frame: pd.DataFrame, header: str, top: int) -> str:
    col = xl_col_to_name(list(frame.columns).index(header))
    first, last = top + 2, top + 1 + max(len(frame), 1)
    return f"'{sheet_name}'!${col}${first}:${col}${last}"


def quoted(text: str) -> str:
    return '"' + str(text).replace('"', '""') + '"'


def open_book(path: Path) -> tuple[xlsxwriter.Workbook, Styles]:
    book = xlsxwriter.Workbook(
        str(path),
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": False,
        },
    )
    book.set_properties({"created": FIXED_DATE, "author": "xlpy", "title": summary_book.BOOK_TITLE})
    book.set_calc_mode("auto")
    return book, Styles(book)


def write_findings(sheet, styles: Styles, top: int, month: MonthResults) -> int:
    frame = pd.DataFrame(
        [
            (SEVERITY_WORD.get(f.severity, f.severity), f.file, f.place, f.problem, f.expected)
            for f in month.findings
        ],
        columns=list(summary_book.FINDING_COLUMNS),
    )
    if frame.empty:
        sheet.write_string(top, 0, "没有警告或错误。", styles.note)
        return top + 1
    widths = dict(zip(summary_book.FINDING_COLUMNS[1:], (26, 16, 44, 30)))
    return write_table(sheet, styles, top, frame, widths)


__all__ = [
    "Styles",
    "column_range",
    "finish_printing",
    "open_book",
    "quoted",
    "write_cell",
    "write_findings",
    "write_table",
    "xl_rowcol_to_cell",
]
