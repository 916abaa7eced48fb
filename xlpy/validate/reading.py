"""Read workbooks through the port and the form descriptions: which forms each sheet holds,
what was typed where, the cached results of computed cells, and the 参数 sheet.

Adapter between the engines (:mod:`xlpy.engines`) and the form reader (:mod:`xlpy.forms`):
the only place validation and consolidation touch a workbook's cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from xlpy.engines import FileWorkbook, SheetTooLarge, UnreadableWorkbook, WorkbookPort
from xlpy.forms import PARAM_SHEET, Cells, Form, FormReading, identify, read_form, read_table
from xlpy.forms.params import FIRST_ROW as PARAM_FIRST_ROW
from xlpy.validate.findings import ERROR, WARNING, Finding

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods")
SKIPPED_PREFIXES = ("~$", ".~lock", ".", "汇总-")
MARKED_SUFFIX = "-标记"
SKIPPED_DIRS = ("备份", "__pycache__")


@dataclass
class SheetRead:
    """One recognised form sheet: a per-person form (``reading``) or a table form (``rows``)."""

    sheet: str
    form: Form
    reading: FormReading | None
    rows: list[FormReading]
    cells: Cells
    formulas: frozenset[str]
    merged: list[str]


@dataclass
class WorkbookRead:
    path: Path
    name: str
    sha256: str = ""
    modified: datetime | None = None
    sheets: list[SheetRead] = field(default_factory=list)
    params: dict[str, Any] | None = None  # 参数 sheet: {dotted key: value}
    param_cells: dict[str, str] = field(default_factory=dict)  # dotted key -> "C12"
    findings: list[Finding] = field(default_factory=list)
    book: WorkbookPort | None = None

    @property
    def readable(self) -> bool:
        return self.book is not None


def collect(paths: list[Path]) -> tuple[list[Path], list[Finding]]:
    """Workbook files named directly or found in folders (recursively; skips Office lock files,
    our own summaries, marked copies and the 备份 folder). Order: sorted, de-duplicated."""
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for item in sorted(path.rglob("*")):
                if (item.is_file() and item.suffix.lower() in WORKBOOK_SUFFIXES
                        and not item.name.startswith(SKIPPED_PREFIXES)
                        and not item.stem.endswith(MARKED_SUFFIX)
                        and not any(part in SKIPPED_DIRS for part in item.relative_to(path).parts)):
                    files.append(item)
        elif path.is_file():
            files.append(path)
        else:
            findings.append(Finding(path.name or str(path), "", "", "找不到该文件或文件夹",
                                    "存在的 .xlsx 文件或文件夹"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, findings


def open_workbook(path: Path) -> WorkbookRead:
    """Open one file and read its 参数 sheet. Never raises for a bad file: problems become
    findings (the rest of the batch carries on)."""
    result = WorkbookRead(Path(path), Path(path).name)
    try:
        book = FileWorkbook(path)
    except UnreadableWorkbook as exc:
        result.findings.append(Finding(result.name, "", "", exc.problem, exc.expected))
        return result
    except Exception as exc:  # noqa: BLE001 - a file no reader expected must not stop the batch
        result.findings.append(Finding(result.name, "", "", f"无法读取(内部错误 {type(exc).__name__})",
                                       "Excel 工作簿(.xlsx);如反复出现请联系维护人员"))
        return result
    result.book, result.sha256, result.modified = book, book.sha256, book.modified
    if PARAM_SHEET in book.sheet_names():
        _guarded(result, PARAM_SHEET, lambda: _params_into(book, result))
    return result


def open_book(book: WorkbookPort, path: Path) -> WorkbookRead:
    """Like :func:`open_workbook` for a workbook already open through a port (the ribbon's live
    engine, which sees what Excel shows, unsaved edits included)."""
    result = WorkbookRead(Path(path), book.name, book=book)
    if PARAM_SHEET in book.sheet_names():
        _guarded(result, PARAM_SHEET, lambda: _params_into(book, result))
    return result


def read_forms(result: WorkbookRead, forms: dict[str, Form]) -> WorkbookRead:
    """Find and read every form sheet of an opened workbook."""
    if result.book is None:
        return result
    for sheet in result.book.sheet_names():
        if sheet != PARAM_SHEET:
            _guarded(result, sheet, lambda: _read_sheet(result.book, sheet, forms, result))
    return result


def _guarded(result: WorkbookRead, sheet: str, read: Callable[[], None]) -> None:
    try:
        read()
    except SheetTooLarge as exc:
        result.findings.append(Finding(result.name, sheet, exc.cell, exc.problem, exc.expected))
    except UnreadableWorkbook as exc:
        result.findings.append(Finding(result.name, sheet, "", exc.problem, exc.expected))
    except Exception as exc:  # noqa: BLE001 - one odd sheet must not stop the batch
        result.findings.append(Finding(result.name, sheet, "",
                                       f"无法读取此工作表(内部错误 {type(exc).__name__}: {exc})",
                                       "正常的考核表;如反复出现请联系维护人员"))


def _params_into(book: WorkbookPort, result: WorkbookRead) -> None:
    result.params, result.param_cells = _read_params(Cells.from_grid(book.values(PARAM_SHEET)))


def _read_sheet(book: WorkbookPort, sheet: str, forms: dict[str, Form], result: WorkbookRead) -> None:
    cells = Cells.from_grid(book.values(sheet))
    form = identify(cells, forms)
    if form is None:
        return
    formulas = book.formula_cells(sheet)
    merged = book.merged_ranges(sheet)
    if form.table is not None:
        result.sheets.append(SheetRead(sheet, form, None, read_table(cells, form, sheet), cells,
                                       formulas, merged))
    else:
        result.sheets.append(SheetRead(sheet, form, read_form(cells, form, sheet), [], cells,
                                       formulas, merged))


def _read_params(cells: Cells) -> tuple[dict[str, Any], dict[str, str]]:
    """Like :func:`xlpy.forms.read_params`, keeping each key's value cell for messages."""
    values: dict[str, Any] = {}
    addresses: dict[str, str] = {}
    row = PARAM_FIRST_ROW
    while row <= cells.max_row:
        key = cells.get(f"A{row}")
        if key is None or str(key).strip() == "":
            break
        values[str(key).strip()] = cells.get(f"C{row}")
        addresses[str(key).strip()] = f"C{row}"
        row += 1
    return values, addresses


def staff_id(value: Any) -> str:
    """工号 as text: 1001.0 typed as a number reads as "1001"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def month_text(value: Any) -> str:
    """月份 as YYYY-MM from text (2026-03, 2026/3, 2026年3月) or a date cell."""
    if value is None:
        return ""
    if isinstance(value, datetime) or hasattr(value, "year"):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip().replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    parts = text.split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() and len(parts[0]) == 4:
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}"
    return str(value).strip()


__all__ = ["ERROR", "WARNING", "SheetRead", "WorkbookRead", "collect", "month_text", "open_book",
           "open_workbook", "read_forms", "staff_id"]
