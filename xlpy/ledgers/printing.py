"""Print slips as the seed's 一式N联: one page per copy, each labelled with its destination.

:func:`slips_on` groups a slip ledger's rows by slip number; :func:`write_copies` lays every
copy of every slip out as its own worksheet (title, 编号, date, parties, lines with a 合计 row,
signature boxes, the seed's note, and the copy label such as ``第一联 仓库记帐联``), each fitted
to one page; :func:`to_pdf` has LibreOffice headless print that workbook to PDF.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from xlpy.errors import XlpyError
from xlpy.ledgers.catalog import RECEIPT_REMARKS, Col, Ledger, copy_label
from xlpy.shared import number_formats
from xlpy.shared.files import atomic_write
from xlpy.shared.pdf import print_to_pdf
from xlpy.shared.text_cells import put_value

LINE_KEYS = (
    "part_no",
    "part_name",
    "unit",
    "qty",
    "price",
    "amount",
    "summary",
    "remark_case",
    "remark",
)
NOT_SENT = "(送货人有送货单,本联不发送)"  # 收货单 注一 case 1: no copy back to the deliverer
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Slip:
    number: str
    fields: dict[str, Any]  # date and parties (the ledger's slip_fields), from the first line
    lines: pd.DataFrame  # the slip's lines (LINE_KEYS present in the ledger)
    signers: dict[str, Any]  # signature label → name typed on the slip (if any)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def slips_on(ledger: Ledger, rows: pd.DataFrame, number: str | None = None) -> list[Slip]:
    """The slips on a ledger sheet's rows, in sheet order (only ``number`` when given)."""
    if not ledger.copies:
        raise XlpyError(f"{ledger.sheet} 不是单据(没有一式几联),不能按联打印")
    rows = rows[rows[ledger.slip].notna()]
    numbers = rows[ledger.slip].map(_number_text)
    wanted = list(dict.fromkeys(numbers)) if number is None else [str(number).strip()]
    labels = {c.label: c.key for c in ledger.columns}
    line_keys = [k for k in LINE_KEYS if k in rows.columns]
    slips = []
    for no in wanted:
        mine = rows[numbers == no]
        if mine.empty:
            raise XlpyError(f"{ledger.sheet} 中没有编号为 {no} 的单据")
        first = mine.iloc[0]
        signers = {
            label: next((v for v in mine[labels[label]] if not pd.isna(v)), None)
            if label in labels
            else None
            for label in ledger.signatures
        }
        slips.append(Slip(no, {k: first[k] for k in ledger.slip_fields}, mine[line_keys], signers))
    return slips


def _day(value: Any) -> str:
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return f"{value.year} 年 {value.month} 月 {value.day} 日"
    return "    年    月    日" if value is None else str(value)


def _sheet_title(text: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "-", text)[:28]
    title, n = base, 2
    while title in used:
        title, n = f"{base[:25]}~{n}", n + 1
    used.add(title)
    return title


def write_copies(ledger: Ledger, slips: list[Slip], path: Path, company: str = "") -> int:
    """A workbook with one sheet (= one printed page) per copy of every slip; returns the count."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    columns = {c.key: c for c in ledger.columns}
    for slip in slips:
        for index, destination in enumerate(ledger.copies):
            label = copy_label(index, destination)
            sheet = book.create_sheet(_sheet_title(f"{slip.number} {label.split()[0]}", used))
            _lay_out(sheet, ledger, slip, label, index, company, columns)
    count = len(book.sheetnames)
    atomic_write(path, lambda temp: book.save(temp))
    return count


def _lay_out(
    sheet, ledger: Ledger, slip: Slip, label: str, index: int, company: str, columns: dict
) -> None:
    keys = list(slip.lines.columns)
    width = max(len(keys), 6)
    last = get_column_letter(width)
    for i, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(columns[key].width, 10)
    sheet["A1"] = f"{company}{ledger.title}"
    sheet["A1"].font = Font(name="等线", size=18, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    number = f"{ledger.number_prefix}{slip.number}{'号' if ledger.number_prefix else ''}"
    sheet["A2"] = f"编号:{number}" if not ledger.number_prefix else number
    sheet["C2"] = _day(slip.fields.get("date"))
    copy_cell = sheet.cell(row=2, column=width - 1, value=label)
    copy_cell.font = Font(name="等线", size=12, bold=True)
    copy_cell.border = _BOX
    copy_cell.alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=2, start_column=width - 1, end_row=2, end_column=width)
    parties = [
        f"{columns[k].label}:{_shown(slip.fields.get(k))}"
        for k in ledger.slip_fields
        if k != "date"
    ]
    sheet["A3"] = "    ".join(parties)
    sheet.merge_cells(f"A3:{last}3")
    if (
        ledger.key == "goods_receipt"
        and index == 1
        and RECEIPT_REMARKS[0]
        in set(slip.lines.get("remark_case", pd.Series(dtype=object)).dropna())
    ):
        sheet["A3"] = (sheet["A3"].value + "    " + NOT_SENT).strip()
    top = 5
    for i, key in enumerate(keys, start=1):
        cell = sheet.cell(row=top, column=i, value=columns[key].label)
        cell.font, cell.border = Font(name="等线", bold=True), _BOX
        cell.alignment = Alignment(horizontal="center")
    row = top
    for row, record in enumerate(slip.lines.itertuples(index=False), start=top + 1):
        for i, (key, value) in enumerate(zip(keys, record), start=1):
            cell = sheet.cell(row=row, column=i)
            put_value(cell, _value(value))
            cell.border = _BOX
            if columns[key].kind is Col.MONEY:
                cell.number_format = number_formats.MONEY
    total_row = row + 1
    sheet.cell(row=total_row, column=1, value="合计").border = _BOX
    for i, key in enumerate(keys, start=1):
        if key in ("qty", "amount"):
            numbers = pd.to_numeric(slip.lines[key], errors="coerce")
            cell = sheet.cell(row=total_row, column=i, value=float(numbers.sum()))
            cell.number_format = number_formats.MONEY if key == "amount" else number_formats.WHOLE
        sheet.cell(row=total_row, column=i).border = _BOX
    signs = "    ".join(
        f"{label}:{_shown(name) or '________'}" for label, name in slip.signers.items()
    )
    sheet.cell(row=total_row + 2, column=1, value=signs)
    sheet.merge_cells(
        start_row=total_row + 2, start_column=1, end_row=total_row + 2, end_column=width
    )
    for offset, note in enumerate(ledger.notes, start=3):
        cell = sheet.cell(
            row=total_row + offset, column=1, value=note if note.startswith("注") else f"注:{note}"
        )
        cell.font = Font(name="等线", size=9)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(
            start_row=total_row + offset,
            start_column=1,
            end_row=total_row + offset,
            end_column=width,
        )
        sheet.row_dimensions[total_row + offset].height = 30
    sheet.print_area = f"A1:{last}{total_row + 2 + len(ledger.notes)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A5
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = label


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _number_text(value)


def _value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def to_pdf(xlsx: Path, pdf: Path, timeout: float = 180) -> None:
    """Print a workbook to PDF with LibreOffice headless (every sheet, in order)."""
    with tempfile.TemporaryDirectory(prefix="xlpy-print-") as work:
        [made] = print_to_pdf([xlsx], Path(work), timeout)
        atomic_write(pdf, lambda temp: shutil.copyfile(made, temp))


def print_slips(
    ledger: Ledger,
    rows: pd.DataFrame,
    out: Path,
    number: str | None = None,
    pdf: bool = True,
    company: str = "",
) -> tuple[Path, int]:
    """Write the copies of the slips (one or all) to ``out`` (.pdf or .xlsx); returns the file
    and the number of pages."""
    slips = slips_on(ledger, rows, number)
    if not pdf:
        return out, write_copies(ledger, slips, out, company)
    with tempfile.TemporaryDirectory(prefix="xlpy-slips-") as work:
        xlsx = Path(work) / f"{out.stem}.xlsx"
        pages = write_copies(ledger, slips, xlsx, company)
        to_pdf(xlsx, out)
    return out, pages
