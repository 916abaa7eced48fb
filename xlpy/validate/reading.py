"""Read workbooks through the port and the form descriptions: which forms each sheet holds,
what was typed where, the cached results of computed cells, the 参数 and 人员 sheets.

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
from typing import Any, ClassVar

from xlpy.engines import (
    CellMark,
    FileWorkbook,
    Grid,
    SheetTooLarge,
    UnreadableWorkbook,
    WorkbookPort,
)
from xlpy.engines.addresses import parse_a1
from xlpy.forms import (
    PARAM_SHEET,
    Cells,
    Form,
    all_forms,
    identify,
    read_form,
    read_table,
)
from xlpy.forms.params import FIRST_ROW as PARAM_FIRST_ROW
from xlpy.forms.survey import ROSTER_SHEET
from xlpy.rules import RuleError, Rules, default_rules
from xlpy.shared.findings import Finding
from xlpy.validate import checks
from xlpy.validate.checks import SheetRead
from xlpy.validate.params import overrides_of, rules_from
from xlpy.words import id_text

NOT_FORMS = (PARAM_SHEET, ROSTER_SHEET, "说明")  # the template's own sheets




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
    findings: list[Finding] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
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

    def formula_cells(self, sheet: str) -> frozenset[str]:
        return self._open().formula_cells(sheet)

    def merged_ranges(self, sheet: str) -> list[str]:
        return self._open().merged_ranges(sheet)

    def mark(self, marks: Sequence[CellMark], out: Path | None = None) -> Path | None:
        return self._open().mark(marks, out)

    def clear_marks(self, sheets: Sequence[str]) -> int:
        return 0  # a file is never written: its marks live in the marked copy

    def show(self, path: Path) -> None:
        return None


class FastCells(Cells):
    """:class:`xlpy.forms.Cells` over a grid from A1, with addresses parsed once per process."""

    _parsed: ClassVar[dict[str, tuple[int, int]]] = {}

    def __init__(self, grid: list[list[Any]]) -> None:
        self._grid = grid
        super().__init__(self._at, len(grid), max((len(r) for r in grid), default=0))

    def _at(self, row: int, column: int) -> Any:
        r, c = row - 1, column - 1
        grid = self._grid
        return grid[r][c] if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else None

    def get(self, address: str) -> Any:
        at = self._parsed.get(address)
        if at is None:
            at = self._parsed[address] = parse_a1(address)
        r, c = at
        grid = self._grid
        value = grid[r][c] if r < len(grid) and c < len(grid[r]) else None
        return None if value == "" else value


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
        result.findings.append(Finding(result.name, "", "", f"无法读取(内部错误 {type(exc).__name__})",
                                       "Excel 工作簿(.xlsx);如反复出现请联系维护人员"))
        return result
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
        for sheet in result.sheet_names:
            if sheet not in NOT_FORMS:
                _guarded(result, sheet, partial(_read_sheet, result.book, sheet, forms, result))
    return result


def _read_book(book: WorkbookPort, result: WorkbookRead, forms: bool = True,
               rules: Rules | None = None) -> None:
    result.readable = True
    names = result.sheet_names = book.sheet_names()
    if PARAM_SHEET in names:
        _guarded(result, PARAM_SHEET, lambda: _read_params(book, result))
    if ROSTER_SHEET in names:
        _guarded(result, ROSTER_SHEET, lambda: _read_roster(book, result))
    if forms:
        form_set = all_forms(rules or _own_rules(result))
        for sheet in names:
            if sheet not in NOT_FORMS:
                _guarded(result, sheet, partial(_read_sheet, book, sheet, form_set, result))


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
        result.findings.append(Finding(result.name, sheet, "", exc.problem, exc.expected))
    except Exception as exc:  # noqa: BLE001 - one odd sheet must not stop the batch
        result.findings.append(Finding(result.name, sheet, "",
                                       f"无法读取此工作表(内部错误 {type(exc).__name__}: {exc})",
                                       "正常的考核表;如反复出现请联系维护人员"))


def _read_params(book: WorkbookPort, result: WorkbookRead) -> None:
    """Like :func:`xlpy.forms.read_params`, keeping each key's value cell for messages."""
    grid = book.values(PARAM_SHEET)
    values: dict[str, Any] = {}
    addresses: dict[str, str] = {}
    for row in range(PARAM_FIRST_ROW - 1, len(grid)):
        line = grid[row]
        key = line[0] if line else None
        if key is None or str(key).strip() == "":
            break
        key = str(key).strip()
        values[key] = line[2] if len(line) > 2 else None
        addresses[key] = f"C{row + 1}"
    # Kept small for large batches: only the values that differ from the shipped defaults.
    result.params = overrides_of(values)
    result.param_cells = {key: addresses[key] for key in result.params}


def _read_roster(book: WorkbookPort, result: WorkbookRead) -> None:
    """工号 / 姓名 / 班组 under the header row of the 人员 sheet."""
    grid = book.values(ROSTER_SHEET)
    for top, row in enumerate(grid[:10]):
        labels = [str(v).strip() if v is not None else "" for v in row]
        if "工号" not in labels or "姓名" not in labels:
            continue
        at = {label: labels.index(label) for label in ("工号", "姓名", "班组") if label in labels}
        records: dict[str, tuple[str, str]] = {}
        for line in grid[top + 1:]:
            entry = {label: line[i] if i < len(line) else None for label, i in at.items()}
            pid = id_text(entry.get("工号"))
            if pid:
                records.setdefault(pid, (id_text(entry.get("姓名")), id_text(entry.get("班组"))))
        result.roster = records
        return


def _read_sheet(book: WorkbookPort, sheet: str, forms: dict[str, Form], result: WorkbookRead) -> None:
    cells = FastCells(book.values(sheet))
    form = identify(cells, forms)
    if form is None:
        return
    formulas = book.formula_cells(sheet)
    read = SheetRead(sheet, form, None, [], cells, formulas, book.merged_ranges(sheet))
    if form.table is not None:
        read.rows = read_table(cells, form, sheet)
    else:
        read.reading = read_form(cells, form, sheet)
    layout = checks.layout_problem(result.name, read)
    if layout is not None:
        result.findings.append(layout)
    else:
        result.findings += checks.merged_entry_problems(result.name, read)
        result.findings += checks.tamper_problems(result.name, read)
        result.findings += checks.identity_problems(result.name, read)
        renamed = checks.sheet_name_problem(result.name, read)
        if renamed is not None:
            result.findings.append(renamed)
    cached = {c.address: cells.get(c.address) for c in form.computed if c.address in formulas}
    if read.reading is not None:
        result.forms.append(FormRead(sheet, form.scheme, read.reading.identity, read.reading.entries,
                                     read.reading.addresses, None, cached, layout is None))
    for row in read.rows:
        result.forms.append(FormRead(sheet, form.scheme, row.identity, row.entries, row.addresses,
                                     row.row, {}, layout is None))
