"""Each sheet of a file read once, and what its cells give (the form it holds, its 参数 table
and that table's checks) worked out once; a sheet that reads the same as one read before in this
process (every split file of a month carries the same 参数 sheet) is not read again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xlpy.engines import FileWorkbook, WorkbookPort, values_with_errors
from xlpy.engines.content import Key
from xlpy.forms import Cells, Form, all_forms
from xlpy.forms.params import NAME_PREFIX, ParamTable, derived_tables, read_param_table
from xlpy.forms.reader import identify
from xlpy.rules import RuleError, default_rules
from xlpy.shared.addresses import parse_a1
from xlpy.validate.param_names import NameProblem, name_problems
from xlpy.validate.params import missing_rows, overrides_of, rules_from

_HEADS = all_forms(default_rules())  # 表号 and titles do not depend on the rules


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


class Grids:
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
            derived = ()  # reported as the table's own problem
        cells, formulas = self(name), self.book.formula_cells(name)
        return name_problems(name, table, names, local, derived, cells, formulas)

    def _readable(self, name: str) -> _Sheet | None:
        try:
            return self.sheet(name)
        except Exception:  # noqa: BLE001 - any reader error: the form pass names it
            return None
