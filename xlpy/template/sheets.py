"""Writing one sheet of the month workbook from its description (xlsxwriter)."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from xlpy.core.entries import Entry, Kind
from xlpy.forms import Form, Variant
from xlpy.shared import number_formats
from xlpy.shared.addresses import column_index, column_letters, parse_a1
from xlpy.template.styles import Styles
from xlpy.words import YES_NO_CHOICES, month_days

LINE_POINTS, MIN_ROW_POINTS, PAD_POINTS = 13.5, 18.0, 5.0
A4 = 9
PROTECTION = {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True}


@dataclass
class _Cell:
    value: Any  # text, number, or "=formula"
    style: str
    number_format: str = ""


def validation(
    entry: Entry, hint: str, choices_from: str = "", dates: tuple[date, date] | None = None
) -> dict[str, Any]:
    """Data validation and input message of an entry cell, from its kind (``dates``: the first
    and last day a date column accepts)."""
    kind = entry.kind
    rule: dict[str, Any]
    expected = entry.expected
    if choices_from:
        rule = {"validate": "list", "source": f"={choices_from}"}
    elif dates is not None:
        first, last = dates
        rule = {"validate": "date", "criteria": "between", "minimum": first, "maximum": last}
        expected = f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 之间的日期"
    elif kind is Kind.COUNT:
        rule = {"validate": "integer", "criteria": ">=", "value": 0}
    elif kind is Kind.RATING:
        rule = {"validate": "list", "source": list(entry.choices)}
    elif kind is Kind.FLAG:
        rule = {"validate": "list", "source": list(YES_NO_CHOICES)}
    elif kind in (Kind.LEVEL, Kind.SURVEY):
        rule = {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5}
    elif kind is Kind.AMOUNT:
        rule = {"validate": "decimal", "criteria": ">=", "value": 0}
    elif kind is Kind.SCORE:
        rule = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100}
    else:
        rule = {"validate": "any"}
    rule |= {"input_title": entry.label[:32], "input_message": hint[:255]}
    if rule["validate"] != "any":
        rule |= {
            "error_title": "输入无效",
            "error_message": f"{entry.label}:应为 {expected}"[:255],
        }
    return rule


def write_form(
    ws: Any, form: Form, styles: Styles, variant: Variant, identity: dict[str, str]
) -> None:
    cells: dict[str, _Cell] = {}
    for text in form.texts:
        cells[text.address] = _Cell(text.text, text.style)
    for sign in form.signatures:
        cells[sign.address] = _Cell(sign.text, "sign")
    for who in form.identity:
        cells[who.address] = _Cell(identity.get(who.field, ""), "identity")
    for entry in form.entries:
        style = "entry_text" if entry.entry.kind is Kind.TEXT else "entry"
        cells[entry.address] = _Cell(None, style)
        ws.data_validation(entry.address, validation(entry.entry, entry.hint))
    arrays: dict[str, _Cell] = {}  # range → its array formula (add-in variant)
    for computed in form.computed:
        one = _Cell(computed.formula(variant), "computed", computed.number_format)
        if variant == "addin" and computed.array:
            arrays.setdefault(computed.array, one)
        else:
            cells[computed.address] = one
    for letter, width in form.widths.items():
        column = column_index(letter)
        ws.set_column(column, column, width)

    for cell_range in form.merges:
        top_left = cell_range.split(":")[0]
        merged = cells.pop(top_left, _Cell(None, "text"))
        fmt = styles.get(merged.style, merged.number_format)
        ws.merge_range(cell_range, "", fmt)
        _write(ws, top_left, merged, fmt)
    for address, one in cells.items():
        _write(ws, address, one, styles.get(one.style, one.number_format))
    for cell_range, one in arrays.items():
        fmt = styles.get(one.style, one.number_format)
        ws.write_array_formula(cell_range, one.value, fmt, "")
        # xlsxwriter fills the rest of the range with 0 as its cached value; blank (no value yet,
        # as for every other formula cell here) so no reader takes a never-calculated 0 as a score
        first_row, first_col, last_row, last_col = _bounds(cell_range)
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                if (row, col) != (first_row, first_col):
                    ws.write_blank(row, col, None, fmt)

    last_row = max(
        _row_column(a)[0]
        for a in [t.address for t in form.texts] + [s.address for s in form.signatures]
    )
    if form.table is not None:
        last_row = max(last_row, _write_table(ws, form, styles, variant, identity.get("month", "")))
    _row_heights(ws, form)
    _print_setup(ws, form, last_row)
    ws.protect("", PROTECTION)


def _write(ws: Any, address: str, cell: _Cell, fmt: Any) -> None:
    row, col = _row_column(address)
    value = cell.value
    if value is None or value == "":
        ws.write_blank(row - 1, col - 1, None, fmt)
    elif isinstance(value, str) and value.startswith("=") and cell.style == "computed":
        ws.write_formula(row - 1, col - 1, value, fmt, "")
    elif isinstance(value, str):
        ws.write_string(row - 1, col - 1, value, fmt)
    else:
        ws.write_number(row - 1, col - 1, value, fmt)


def _row_column(address: str) -> tuple[int, int]:
    """1-based (row, column) of ``C5``."""
    row, column = parse_a1(address)
    return row + 1, column + 1


def _boundaries(cell_range: str) -> tuple[int, int, int, int]:
    """1-based first column, first row, last column, last row of ``A1:B2`` (or of one cell)."""
    first, _, last = cell_range.partition(":")
    (top, left), (bottom, right) = parse_a1(first), parse_a1(last or first)
    return left + 1, top + 1, right + 1, bottom + 1


def _bounds(cell_range: str) -> tuple[int, int, int, int]:
    """Zero-based first row, first column, last row, last column of ``A1:B2``."""
    min_col, min_row, max_col, max_row = _boundaries(cell_range)
    return min_row - 1, min_col - 1, max_row - 1, max_col - 1


def _write_table(ws: Any, form: Form, styles: Styles, variant: Variant, month: str) -> int:
    table = form.table
    assert table is not None
    header = styles.get("header")
    ws.set_row(table.header_row - 1, 30)
    for column in table.columns:
        col = column_index(column.letter)
        ws.write_string(table.header_row - 1, col, column.header, header)
        if column.entry is not None:
            style = "entry_text" if column.entry.kind is Kind.TEXT else "entry"
            fmt = styles.get(style)
            for row in range(table.first_row, table.last_row + 1):
                ws.write_blank(row - 1, col, None, fmt)
            dates = None  # a date column needs the sheet's month (ValueError without one)
            if column.dates_until is not None:
                dates = month_days(month, column.dates_until)
            ws.data_validation(
                f"{column.letter}{table.first_row}:{column.letter}{table.last_row}",
                validation(column.entry, column.hint, column.choices_from, dates),
            )
        else:
            fmt = styles.get("computed", number_formats.TWO_DECIMALS)  # averages: 4.33, 2.50
            for row in range(table.first_row, table.last_row + 1):
                ws.write_formula(row - 1, col, column.formula(variant, row), fmt, "")
    ws.freeze_panes(table.first_row - 1, 2)
    return table.last_row


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_lines(text: str, width: float) -> int:
    usable = max(1.0, width - 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


def _row_heights(ws: Any, form: Form) -> None:
    """Explicit heights for wrapped text (a file not saved by Excel has none of its own)."""
    heights: dict[int, float] = {}
    spans: dict[str, tuple[int, int, int, int]] = {}
    for cell_range in form.merges:
        min_col, min_row, max_col, max_row = _boundaries(cell_range)
        spans[cell_range.split(":")[0]] = (min_col, min_row, max_col, max_row)
    tall: list[tuple[int, int, float]] = []
    for text in form.texts:  # signatures do not wrap: they run over the empty cells beside them
        if not text.text:
            continue
        row, col = _row_column(text.address)
        min_col, min_row, max_col, max_row = spans.get(text.address, (col, row, col, row))
        width = sum(
            form.widths.get(column_letters(c - 1), 8.43) for c in range(min_col, max_col + 1)
        )
        size = {"title": 16, "small": 9, "note": 9}.get(text.style, 10)
        need = text_lines(text.text, width * 10 / size) * LINE_POINTS * size / 10 + PAD_POINTS
        if min_row == max_row:
            heights[row] = max(heights.get(row, MIN_ROW_POINTS), need)
        else:
            tall.append((min_row, max_row, need))
    for first, last, need in tall:
        rows = range(first, last + 1)
        have = sum(heights.get(r, MIN_ROW_POINTS) for r in rows)
        if have < need:
            extra = (need - have) / len(rows)
            for r in rows:
                heights[r] = heights.get(r, MIN_ROW_POINTS) + extra
    for row, height in heights.items():
        ws.set_row(row - 1, round(height, 1))


def _print_setup(ws: Any, form: Form, last_row: int) -> None:
    ws.set_paper(A4)
    if form.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.75)
    ws.center_horizontally()
    ws.print_area(0, 0, last_row - 1, column_index(form.last_column))
    if form.table is not None:
        ws.repeat_rows(form.table.header_row - 1)
    ws.set_footer(f"&L表号 {form.form_code}&C第 &P 页,共 &N 页&R&A")
