"""Read workbooks through the port and the form descriptions: which forms each sheet holds,
what was typed where, the cached results of computed cells, the 参数 and 人员 sheets.

The adapter between the engines (:mod:`xlpy.engines`) and the form reader (:mod:`xlpy.forms`).
Each file is read and checked on its own (:func:`read_file`) into a small picklable record, so
large batches can be spread over worker processes (:mod:`xlpy.validate.pool`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    values_with_errors,
)
from xlpy.engines.content import Key
from xlpy.forms import (
    PARAM_SHEET,
    Cells,
    Form,
    FormReading,
    all_forms,
    read_form,
    read_table,
)
from xlpy.forms.params import NAME_PREFIX, ParamTable, derived_tables, read_param_table
from xlpy.forms.reader import NO_SHIFT, Shift, identify, locate
from xlpy.forms.roster import ROSTER_SHEET
from xlpy.rules import RuleError, Rules, default_rules
from xlpy.shared.addresses import parse_a1
from xlpy.shared.findings import ERROR, WARNING, Finding
from xlpy.validate import checks
from xlpy.validate.checks import SheetRead
from xlpy.validate.injection import identity_formula_problems
from xlpy.validate.param_names import NameProblem, name_problems
from xlpy.validate.params import missing_rows, overrides_of, rules_from
from xlpy.validate.roster_sheet import read_roster

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


class FastCells(Cells):
    """:class:`xlpy.forms.Cells` over a grid from A1, read by indexing the rows directly (a 参数
    sheet is scanned a few hundred cells at a time)."""

    def __init__(self, grid: list[list[Any]]) -> None:
        self.grid = grid
        super().__init__(self.at, len(grid), max(map(len, grid), default=0))

    def at(self, row: int, column: int) -> Any:
        r, c = row - 1, column - 1
        grid = self.grid
        value = grid[r][c] if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else None
        return None if value == "" else value

    def get(self, address: str) -> Any:
        r, c = parse_a1(address)
        return self.at(r + 1, c + 1)

    def column(self, column: int, first_row: int) -> list[Any]:
        c = column - 1
        return [_blank(line[c]) if c < len(line) else None for line in self.grid[first_row - 1 :]]

    def block(self, rows: int, columns: int) -> list[list[Any]]:
        return [[_blank(value) for value in line[:columns]] for line in self.grid[:rows]]

    def rows(self) -> list[list[Any]]:
        return self.grid


def _blank(value: Any) -> Any:
    return None if value == "" else value


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
        grids = _Grids(result.book)
        for sheet in _form_sheets(result, grids):
            _guarded(result, sheet, partial(_read_sheet, grids, sheet, forms, result))
        _hidden_forms(result.book, result)
        _after_forms(result)
    return result


@dataclass
class _Sheet:
    """What one sheet's cells give, each worked out once."""

    cells: FastCells
    form: Form | None = None  # the form it holds (by 表号 or title), once identified
    identified: bool = False
    params: ParamTable | None = None  # its 参数 table, once looked for
    params_read: bool = False
    overrides: dict[str, Any] | None = None  # that table as overrides of the defaults, once
    missing: tuple[str, str, str] | None = None  # that table's missing rows, once looked for
    missing_read: bool = False
    # that table's defined-name problems, with the names and the sheet name they were found
    # for (a batch of split files gives one names object: xlpy.engines.file.defined_names)
    named: tuple[Mapping[str, str], str, list[NameProblem]] | None = None


_SHEETS_KEPT = 16  # sheets remembered by content (a batch of split files repeats its 参数)
_LARGEST_KEPT = 100_000  # cells: a larger sheet is not remembered (a 参数 sheet has ~2,000)
_by_content: dict[Key, _Sheet] = {}


class _Grids:
    """Each sheet of a file read once (values with error cells filled in) and what its cells
    give worked out once. A sheet byte-for-byte the same as one read before in this process
    (:mod:`xlpy.engines.content`: every split file of a month carries the same 参数 sheet) is
    not read again: its cells are shared, and never changed by a reader."""

    def __init__(self, book: WorkbookPort) -> None:
        self.book = book
        self._sheets: dict[str, _Sheet] = {}

    def sheet(self, name: str) -> _Sheet:
        if name not in self._sheets:
            key = self.book.content_key(name) if isinstance(self.book, FileWorkbook) else None
            found = _by_content.pop(key, None) if key is not None else None
            if found is None:
                found = _Sheet(FastCells(values_with_errors(self.book, name)))
            if key is not None and found.cells.max_row * found.cells.max_column <= _LARGEST_KEPT:
                if len(_by_content) >= _SHEETS_KEPT:
                    _by_content.pop(next(iter(_by_content)))  # the least recently used
                _by_content[key] = found
            self._sheets[name] = found
        return self._sheets[name]

    def __call__(self, name: str) -> FastCells:
        return self.sheet(name).cells

    def cells(self, name: str) -> FastCells | None:
        """The sheet's cells, or None if it cannot be read (reported when read as a form)."""
        sheet = self._readable(name)
        return None if sheet is None else sheet.cells

    def is_form(self, name: str) -> bool:
        """Whether the sheet holds one of the forms (by its 表号 or title)."""
        sheet = self._readable(name)
        if sheet is None:
            return False
        if not sheet.identified:
            sheet.form, sheet.identified = identify(sheet.cells, _HEADS), True
        return sheet.form is not None

    def param_table(self, name: str) -> ParamTable | None:
        """The sheet's 参数 table (None: it has none, or it cannot be read)."""
        sheet = self._readable(name)
        if sheet is None:
            return None
        if not sheet.params_read:
            sheet.params, sheet.params_read = read_param_table(sheet.cells), True
        return sheet.params

    def overrides(self, name: str, table: ParamTable) -> dict[str, Any]:
        """:func:`overrides_of` the sheet's 参数 ``table``, worked out once per sheet read."""
        sheet = self.sheet(name)
        if sheet.overrides is None:
            sheet.overrides = overrides_of(table.values)
        return dict(sheet.overrides)

    def missing_rows(self, name: str, table: ParamTable) -> tuple[str, str, str] | None:
        """:func:`missing_rows` of the sheet's 参数 ``table``, worked out once per sheet read."""
        sheet = self.sheet(name)
        if not sheet.missing_read:
            sheet.missing, sheet.missing_read = missing_rows(table), True
        return sheet.missing

    def name_problems(self, name: str, table: ParamTable) -> list[NameProblem]:
        """:func:`name_problems` of the sheet's 参数 ``table``, its derived tables and the
        workbook's names, worked out again only for other names (or when a sheet has names of
        its own: rare)."""
        sheet = self.sheet(name)
        names, local = self.book.defined_names(), self.book.local_names()
        if any(n.startswith(NAME_PREFIX) for own in local.values() for n in own):
            return self._name_problems(name, table, names, local)  # not Print_Area alone
        if sheet.named is None or sheet.named[0] is not names or sheet.named[1] != name:
            sheet.named = (names, name, self._name_problems(name, table, names, local))
        return sheet.named[2]

    def _name_problems(
        self,
        name: str,
        table: ParamTable,
        names: Mapping[str, str],
        local: Mapping[str, Mapping[str, str]],
    ) -> list[NameProblem]:
        try:  # the derived tables of the table's own rules (its values may add or drop rows)
            derived = derived_tables(rules_from(self.overrides(name, table)))
        except RuleError:
            derived = []  # reported as the table's own problem
        cells, formulas = self(name), self.book.formula_cells(name)
        return name_problems(name, table, names, local, derived, cells, formulas)

    def _readable(self, name: str) -> _Sheet | None:
        try:
            return self.sheet(name)
        except Exception:  # noqa: BLE001 - any reader error: the form pass names it
            return None


def _read_book(
    book: WorkbookPort, result: WorkbookRead, forms: bool = True, rules: Rules | None = None
) -> None:
    result.readable = True
    result.sheet_names = book.sheet_names()
    grids = _Grids(book)
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
_HEADS = all_forms(default_rules())  # 表号 and titles do not depend on the rules


def _form_sheets(result: WorkbookRead, grids: _Grids) -> list[str]:
    """Sheets that are not the 参数 or 人员 sheet (a form is recognised by its 表号 later)."""
    other = {result.param_sheet if result.params is not None else None, result.roster_sheet or None}
    return [s for s in result.sheet_names if s not in other]


def _find_params(result: WorkbookRead, grids: _Grids) -> None:
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


def _find_roster(result: WorkbookRead, grids: _Grids) -> None:
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


def _read_sheet(grids: _Grids, sheet: str, forms: dict[str, Form], result: WorkbookRead) -> None:
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
        {c.entry.column: (c.entry, c.header) for c in form.table.columns if c.entry}
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
