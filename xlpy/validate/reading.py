"""Read workbooks through the port and the form descriptions: which forms each sheet holds,
what was typed where, the cached results of computed cells, the 参数 and 人员 sheets (each
sheet read once, and what it gives worked out once: :mod:`xlpy.validate.sheets`).

The adapter between the engines (:mod:`xlpy.engines`) and the form reader (:mod:`xlpy.forms`).
Each file is read and checked on its own (:func:`read_file`) into a small picklable record, so
large batches can be spread over worker processes (:mod:`xlpy.validate.pool`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from xlpy.core.values import UNKNOWN_FUNCTION, misread
from xlpy.engines import (
    CellMark,
    FileWorkbook,
    Grid,
    SheetTooLarge,
    UnreadableWorkbook,
    WorkbookPort,
)
from xlpy.forms import (
    PARAM_SHEET,
    Form,
    FormReading,
    all_forms,
    read_form,
    read_table,
)
from xlpy.forms.reader import NO_SHIFT, Shift, locate
from xlpy.forms.roster import ROSTER_SHEET
from xlpy.rules import RuleError, Rules, default_rules
from xlpy.shared.findings import ERROR, WARNING, Finding
from xlpy.validate import checks
from xlpy.validate.checks import SheetRead
from xlpy.validate.injection import identity_formula_problems
from xlpy.validate.params import rules_from
from xlpy.validate.roster_sheet import read_roster
from xlpy.validate.sheets import Grids

INTERNAL_FIX = "Excel 工作簿(.xlsx);如反复出现请联系维护人员"
NO_ADDIN = (
    "此工作簿保存时 xlpy 加载项没有运行(计算单元格显示 #NAME?,"
    "例如用 LibreOffice、WPS 或未装加载项的 Excel 保存),表内的计算结果不可用;"
    "汇总照常按录入的内容计算"
)
NO_ADDIN_FIX = "无需处理;要在表内看到结果,请在装有 xlpy 加载项的 Excel 中打开并保存"


@dataclass
class FormRead:
    """What the batch needs of one filled-in form (or one row of a table form), picklable."""

    sheet: str
    scheme: str
    identity: dict[str, Any]
    entries: dict[str, Any]
    addresses: dict[str, str]
    row: int | None = None
    cached: dict[str, Any] = field(default_factory=dict)  # formula cell -> its cached value
    intact: bool = True  # layout as the template; False: entries cannot be trusted
    shift: Shift = NO_SHIFT  # rows/columns the form was found moved by
    misread: frozenset[str] = frozenset()  # entry columns the sheet would read otherwise


@dataclass
class WorkbookRead:
    path: Path
    name: str
    sha256: str = ""
    modified: datetime | None = None
    readable: bool = False
    forms: list[FormRead] = field(default_factory=list)
    params: dict[str, Any] | None = None  # 参数 sheet: {dotted key: value} differing from default
    param_cells: dict[str, str] = field(default_factory=dict)  # dotted key -> "C12"
    roster: dict[str, tuple[str, str]] | None = None  # 人员 sheet: 工号 -> (姓名, 班组)
    roster_cells: dict[str, str] = field(default_factory=dict)  # 工号 -> its cell on 人员
    findings: list[Finding] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
    param_sheet: str = PARAM_SHEET  # the sheet the 参数 table was found on
    roster_sheet: str = ""  # the sheet the 人员 table was found on
    unknown_functions: int = 0  # computed cells cached as #NAME? (saved without the add-in)
    book: WorkbookPort | None = None  # the open workbook (live), or a lazy re-opener (files)

    def __getstate__(self) -> dict[str, Any]:  # worker -> parent: the book stays behind
        return {**self.__dict__, "book": None}

    @property
    def sheets(self) -> list[FormSheet]:
        """The form sheets found (one per sheet, in workbook order)."""
        forms = all_forms(default_rules())
        seen = dict.fromkeys((read.sheet, read.scheme) for read in self.forms)
        return [FormSheet(sheet, forms[scheme]) for sheet, scheme in seen]


@dataclass(frozen=True)
class FormSheet:
    sheet: str
    form: Form


class LazyBook:
    """The port of a file already read: sheet names at hand, the file re-opened only if a job
    needs more (marking, the ledgers)."""

    def __init__(self, path: Path, sheet_names: list[str]) -> None:
        self.path, self._names = Path(path), list(sheet_names)
        self._book: FileWorkbook | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def sheet_names(self) -> list[str]:
        return list(self._names)

    def _open(self) -> FileWorkbook:
        if self._book is None:
            self._book = FileWorkbook(self.path)
        return self._book

    def values(self, sheet: str) -> Grid:
        return self._open().values(sheet)

    def error_cells(self, sheet: str) -> dict[str, str]:
        return self._open().error_cells(sheet)

    def formula_cells(self, sheet: str) -> frozenset[str]:
        return self._open().formula_cells(sheet)

    def merged_ranges(self, sheet: str) -> list[str]:
        return self._open().merged_ranges(sheet)

    def defined_names(self) -> dict[str, str]:
        return self._open().defined_names()

    def local_names(self) -> dict[str, dict[str, str]]:
        return self._open().local_names()

    def mark(self, marks: Sequence[CellMark], out: Path | None = None) -> Path | None:
        return self._open().mark(marks, out)

    def clear_marks(self, sheets: Sequence[str]) -> int:
        return 0  # a file is never written: its marks live in the marked copy

    def show(self, path: Path) -> None:
        return None


def internal_error(path: Path, name: str, exc: Exception) -> WorkbookRead:
    """A file a reader failed on in a way it did not foresee: that file's error, said as such."""
    result = WorkbookRead(Path(path), name)
    problem = f"无法读取(内部错误 {type(exc).__name__})"
    result.findings.append(Finding(name, "", "", problem, INTERNAL_FIX))
    return result


def read_file(path: Path, name: str = "", rules: Rules | None = None) -> WorkbookRead:
    """Open, read and check one file, with ``rules`` (None: those of its own 参数 sheet). Never
    raises for a bad file: problems become findings (the rest of the batch carries on)."""
    result = WorkbookRead(Path(path), name or Path(path).name)
    try:
        book = FileWorkbook(path)
    except UnreadableWorkbook as exc:
        result.findings.append(Finding(result.name, "", "", exc.problem, exc.expected))
        return result
    except Exception as exc:  # noqa: BLE001 - a file no reader expected must not stop the batch
        return internal_error(path, result.name, exc)
    result.sha256, result.modified = book.sha256, book.modified
    _read_book(book, result, rules=rules)
    return result


def open_book(book: WorkbookPort, path: Path) -> WorkbookRead:
    """A workbook already open through a port (the ribbon's live workbook): its 参数 and 人员
    sheets; :func:`read_forms` then reads its forms with the rules settled from them."""
    result = WorkbookRead(Path(path), book.name, book=book)
    _read_book(book, result, forms=False)
    return result


def read_forms(result: WorkbookRead, forms: dict[str, Form]) -> WorkbookRead:
    """Find, read and check every form sheet of a workbook opened with :func:`open_book`."""
    if result.book is not None:
        grids = Grids(result.book)
        for sheet in _form_sheets(result, grids):
            _guarded(result, sheet, partial(_read_sheet, grids, sheet, forms, result))
        _hidden_forms(result.book, result)
        _after_forms(result)
    return result


def _read_book(
    book: WorkbookPort, result: WorkbookRead, forms: bool = True, rules: Rules | None = None
) -> None:
    result.readable = True
    result.sheet_names = book.sheet_names()
    grids = Grids(book)
    _find_params(result, grids)
    _find_roster(result, grids)
    if forms:
        form_set = all_forms(rules or _own_rules(result))
        for sheet in _form_sheets(result, grids):
            _guarded(result, sheet, partial(_read_sheet, grids, sheet, form_set, result))
        _hidden_forms(book, result)
        _after_forms(result)


HIDDEN_FORM = {  # very hidden or not -> (problem, expected)
    False: (
        "此工作表是隐藏的,表中内容照样校验和汇总",
        "在 Excel 中右键工作表标签 →「取消隐藏」后核对;不需要的表请删除",
    ),
    True: (
        "此工作表被设为深度隐藏(Excel 的「取消隐藏」里看不到),表中内容照样校验和汇总",
        "请维护人员在 VBA 编辑器中把它的 Visible 设为可见后核对,或删除",
    ),
}


def _form_sheets(result: WorkbookRead, grids: Grids) -> list[str]:
    """Sheets that are not the 参数 or 人员 sheet (a form is recognised by its 表号 later)."""
    other = {result.param_sheet if result.params is not None else None, result.roster_sheet or None}
    return [s for s in result.sheet_names if s not in other]


def _find_params(result: WorkbookRead, grids: Grids) -> None:
    """The 参数 sheet by its header row, whatever it is called; two such sheets: an error."""
    found = []
    for sheet in result.sheet_names:
        if sheet != PARAM_SHEET and grids.is_form(sheet):
            continue
        table = grids.param_table(sheet)
        if table is not None:
            found.append((sheet, table))
    if len(found) > 1:
        names = "、".join(sheet for sheet, _ in found)
        result.findings.append(
            Finding(
                result.name,
                found[1][0],
                "",
                f"有 {len(found)} 个参数表({names}),无法确定用哪一个",
                "只保留一个参数表",
            )
        )
        result.params = {}
        return
    if not found:
        return
    sheet, table = found[0]
    result.param_sheet = sheet
    for cell, problem, expected in table.problems:
        result.findings.append(Finding(result.name, sheet, cell, problem, expected))
    missing = grids.missing_rows(sheet, table)
    if missing is not None:
        result.findings.append(Finding(result.name, sheet, *missing))
    for problem in grids.name_problems(sheet, table):
        result.findings.append(Finding(result.name, *problem))
    # Kept small for large batches: only the values that differ from the shipped defaults.
    result.params = grids.overrides(sheet, table)
    result.param_cells = {key: table.cells[key] for key in result.params if key in table.cells}


def _hidden_forms(book: WorkbookPort, result: WorkbookRead) -> None:
    """A form on a sheet Excel does not show is read like any other, and said to be hidden (a
    duplicate or stale copy there would otherwise be a finding about a sheet nobody can see)."""
    hidden = book.hidden_sheets() if isinstance(book, FileWorkbook) else {}
    for read in result.forms:
        if read.sheet in hidden:
            problem, fix = HIDDEN_FORM[hidden[read.sheet]]
            result.findings.append(Finding(result.name, read.sheet, "", problem, fix, WARNING))


def _after_forms(result: WorkbookRead) -> None:
    """One line per file for what concerns the whole file."""
    if result.unknown_functions:
        result.findings.append(Finding(result.name, "", "", NO_ADDIN, NO_ADDIN_FIX, WARNING))
        for read in result.forms:  # results built on #NAME? cells (状态 …) mean nothing either
            read.cached = {}


def _own_rules(result: WorkbookRead) -> Rules:
    if result.params is None:
        return default_rules()
    try:
        return rules_from(result.params)
    except RuleError:
        return default_rules()  # reported once for the batch by resolve_rules


def _guarded(result: WorkbookRead, sheet: str, read: Callable[[], None]) -> None:
    try:
        read()
    except SheetTooLarge as exc:
        result.findings.append(Finding(result.name, sheet, exc.cell, exc.problem, exc.expected))
    except UnreadableWorkbook as exc:
        result.findings.append(Finding(result.name, sheet, exc.cell, exc.problem, exc.expected))
    except Exception as exc:  # noqa: BLE001 - one odd sheet must not stop the batch
        result.findings.append(
            Finding(
                result.name,
                sheet,
                "",
                f"无法读取此工作表(内部错误 {type(exc).__name__}: {exc})",
                "正常的考核表;如反复出现请联系维护人员",
            )
        )


def _find_roster(result: WorkbookRead, grids: Grids) -> None:
    """工号 / 姓名 / 班组 under the header row of the 人员 sheet, found by that header row
    (whatever the sheet is called; the sheet named 人员 first)."""
    names = sorted(result.sheet_names, key=lambda s: s != ROSTER_SHEET)
    for sheet in names:
        if sheet == result.param_sheet and result.params is not None:
            continue
        if sheet != ROSTER_SHEET and grids.is_form(sheet):
            continue
        cells = grids.cells(sheet)
        found = read_roster(cells.grid, result.name, sheet) if cells is not None else None
        if found is not None:
            result.roster, result.roster_cells, result.roster_sheet = (
                found.people,
                found.cells,
                sheet,
            )
            result.findings += found.findings
            return


def _read_sheet(grids: Grids, sheet: str, forms: dict[str, Form], result: WorkbookRead) -> None:
    cells = grids(sheet)
    placement = locate(cells, forms) if grids.is_form(sheet) else None  # 表号/title: any rules
    if placement is None:
        lost = checks.unrecognised_form(result.name, sheet, forms)
        if lost is not None:
            result.findings.append(lost)
        return
    form = placement.form
    book = grids.book
    formulas = book.formula_cells(sheet)
    read = SheetRead(sheet, form, None, [], cells, formulas, book.merged_ranges(sheet))
    if form.table is not None:
        read.rows = read_table(cells, form, sheet)
    else:
        read.reading = read_form(cells, form, sheet)
    layout = checks.layout_problem(result.name, read, placement.missing)
    if layout is not None:
        result.findings.append(layout)
    else:
        result.findings += checks.merged_entry_problems(result.name, read)
        result.findings += checks.tamper_problems(result.name, read)
        result.findings += checks.stray_problems(result.name, read)
        result.findings += checks.below_table_problems(result.name, read)
        result.findings += checks.identity_problems(result.name, read)
        result.findings += checks.identity_value_problems(result.name, read)
        result.findings += identity_formula_problems(result.name, read)
        renamed = checks.sheet_name_problem(result.name, read)
        if renamed is not None:
            result.findings.append(renamed)
    cached = {}
    for c in form.computed:
        if c.address in formulas:
            value = cells.get(c.address)
            if value == UNKNOWN_FUNCTION:
                result.unknown_functions += 1  # one line for the file, not one per cell
            else:
                cached[c.address] = value
    intact = layout is None
    if read.reading is not None:
        bad = _misread(result, read.reading, formulas, intact)
        reading = read.reading
        result.forms.append(
            FormRead(
                sheet,
                form.scheme,
                reading.identity,
                reading.entries,
                reading.addresses,
                None,
                cached,
                intact,
                placement.shift,
                bad,
            )
        )
    for row in read.rows:
        bad = _misread(result, row, formulas, intact)
        result.forms.append(
            FormRead(
                sheet,
                form.scheme,
                row.identity,
                row.entries,
                row.addresses,
                row.row,
                {},
                intact,
                placement.shift,
                bad,
            )
        )


def _misread(
    result: WorkbookRead, reading: FormReading, formulas: frozenset[str], intact: bool
) -> frozenset[str]:
    """Entries the sheet's own formulas would read differently from xlpy: an error on each
    cell. A table form's cells (客户评价: customer data) are never quoted."""
    if not intact:
        return frozenset()
    form = reading.form
    private = form.table is not None
    entries = (
        {column: (c.entry, c.header) for column, c in form.table.entry_columns.items()}
        if form.table is not None
        else {c.entry.column: (c.entry, c.entry.label) for c in form.entries}
    )
    pid = "" if private else checks.identity_text(reading.identity.get("employee_id"))
    bad = []
    for column, value in reading.entries.items():
        entry, label = entries[column]
        address = reading.addresses[column]
        found = misread(value, entry, value is None and address in formulas)
        if found is None:
            continue
        where = f"第 {reading.row} 行「{label}」" if private else label
        result.findings.append(
            Finding(
                result.name,
                reading.sheet,
                address,
                found.about(where, private),
                found.expected(entry, private),
                ERROR,
                pid,
            )
        )
        bad.append(column)
    return frozenset(bad)
