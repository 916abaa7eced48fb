"""Read a department's own workbook through its layout into the records the validator consumes
(:class:`xlpy.validate.reading.FormRead`): identity, entries by core column, and the
department's own cells, so every message names them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlpy.adopt.convert import NotExact, core_entries
from xlpy.adopt.layout import (
    ACTUAL,
    GRID,
    M_HOLDS,
    MANAGER,
    SELF,
    TARGET,
    EntryPlace,
    Layout,
    Place,
    SheetLayout,
    read_layout,
)
from xlpy.adopt.recognise import LABEL_SEPARATORS, MONTH_IN_TEXT, Grid, items_of
from xlpy.engines import FileWorkbook, UnreadableWorkbook, WorkbookPort, values_with_errors
from xlpy.errors import XlpyError
from xlpy.memo import memo
from xlpy.rules import Rules, default_rules, flatten, load_rules
from xlpy.rules.model import BehaviorIndicator
from xlpy.shared.addresses import column_index, parse_a1
from xlpy.shared.findings import Finding
from xlpy.validate.discovery import layout_path
from xlpy.validate.params import overrides_of
from xlpy.validate.reading import FormRead, WorkbookRead
from xlpy.words import id_text


def _value(grid: Grid, sheet: str, place: Place, row: int | None) -> tuple[Any, str]:
    """(value, its cell) of one identity field."""
    if place.sheet_name:
        return sheet, ""
    cell = f"{place.column.upper()}{row}" if place.column else place.cell
    value = grid.at(*parse_a1(cell))
    if isinstance(value, str) and place.after and value.strip().startswith(place.after):
        value = value.strip().removeprefix(place.after).lstrip(LABEL_SEPARATORS)
    if place.month_in and isinstance(value, str):
        found = MONTH_IN_TEXT.search(value)
        value = f"{found.group(1)}-{int(found.group(2)):02d}" if found else None
    return value, cell


def _misplaced(entry: EntryPlace, scheme: str, items: dict[str, Any]) -> tuple[str, str] | None:
    """(problem, expected) for a layout entry the rules or its scheme cannot take."""
    if entry.item not in items:
        return f"布局文件中的考核项 {entry.item} 不在规则中", "、".join(items)
    if scheme != "K":
        allowed = M_HOLDS
    else:
        allowed = (
            (SELF, MANAGER)
            if isinstance(items[entry.item], BehaviorIndicator)
            else (
                TARGET,
                ACTUAL,
            )
        )
    if entry.holds not in allowed:
        return f"布局文件中 {entry.item} 的 holds = {entry.holds} 不适用", " / ".join(allowed)
    return None


def _form(
    result: WorkbookRead, grid: Grid, sheet: SheetLayout, rules: Rules, row: int | None
) -> FormRead:
    identity: dict[str, Any] = {}
    addresses: dict[str, str] = {}
    for key, place in sheet.identity.items():
        identity[key], cell = _value(grid, sheet.name, place, row)
        if cell:
            addresses[key] = cell
    pid = id_text(identity.get("employee_id"))
    entries: dict[str, Any] = {}
    items = items_of(rules, sheet.scheme)
    for entry in sheet.entries:
        cell = f"{entry.cell.upper()}{row}" if row is not None else entry.cell.upper()
        r, c = parse_a1(cell)
        misplaced = _misplaced(entry, sheet.scheme, items)
        if misplaced is not None:
            result.findings.append(Finding(result.name, sheet.name, cell, *misplaced))
            continue
        value = grid.at(r, c)
        if sheet.scheme == "K":  # typed as the core reads it: the core checks the value
            found = {f"{entry.item}.{entry.holds}": value}
        else:
            try:
                found = core_entries(
                    entry.item, items[entry.item], entry.holds, value, rules, entry.deduction
                )
            except NotExact as exc:
                result.findings.append(
                    Finding(
                        result.name,
                        sheet.name,
                        cell,
                        f"{entry.item} {exc.problem}",
                        exc.expected,
                        person=pid,
                    )
                )
                continue
        entries |= found
        addresses |= dict.fromkeys(found, cell)
    return FormRead(sheet.name, sheet.scheme, identity, entries, addresses, row)


def _rules_file(path: str, modified: int) -> tuple[Rules, dict[str, Any]]:
    """A layout's rules file, and the same rules as a 参数 sheet's overrides: loaded once per
    version of the file (kept with the defaults; a thousand files adopted with one layout load it
    once)."""

    def load() -> tuple[Rules, dict[str, Any]]:
        rules = load_rules(path)
        return rules, overrides_of(flatten(rules))

    return memo(default_rules(), ("layout rules file", path, modified), load)


def layout_rules(layout: Layout) -> tuple[Rules, dict[str, Any]] | None:
    """The rules file a layout names (None: the shipped rules); raises XlpyError naming it."""
    if not layout.rules:
        return None
    try:
        return _rules_file(layout.rules, Path(layout.rules).stat().st_mtime_ns)
    except OSError:
        raise XlpyError(
            "找不到该文件",
            file=Path(layout.rules).name,
            expected="存在的规则文件(或在布局文件中删去 rules 一行)",
        ) from None


def read_adopted(
    path: Path,
    layout: Layout,
    name: str = "",
    rules: Rules | None = None,
) -> WorkbookRead:
    """One workbook file read through its layout; never raises for what the file holds. A rules
    file the layout names stands for the workbook's 参数 sheet: the batch settles its rules from
    it, and entries are read by its items unless ``rules`` are given."""
    result = WorkbookRead(Path(path), name or Path(path).name)
    rules = _settle(result, layout, rules)
    if rules is None:
        return result
    try:
        book = FileWorkbook(path)
    except UnreadableWorkbook as exc:
        result.findings.append(Finding(result.name, "", "", exc.problem, exc.expected))
        return result
    result.sha256, result.modified = book.sha256, book.modified
    _read_sheets(result, book, layout, rules)
    return result


def read_adopted_book(book: WorkbookPort, layout: Layout) -> WorkbookRead:
    """A workbook open through a port (the ribbon's live workbook) read through its layout."""
    result = WorkbookRead(Path(book.path or book.name), book.name, book=book)
    rules = _settle(result, layout, None)
    if rules is not None:
        _read_sheets(result, book, layout, rules)
    return result


def _settle(result: WorkbookRead, layout: Layout, rules: Rules | None) -> Rules | None:
    """The rules to read entries by (None: the layout's rules file is unusable, said)."""
    try:
        own = layout_rules(layout)
    except XlpyError as exc:  # RuleError included: a broken rules file names its key
        where = f"布局文件指定的规则文件 {Path(layout.rules).name}"
        problem = exc.problem.replace(layout.rules, Path(layout.rules).name)
        result.findings.append(
            Finding(result.name, "", "", f"{where}:{problem}", exc.expected or "有效的规则文件")
        )
        return None
    if own is not None:
        result.params, result.param_sheet = own[1], Path(layout.rules).name
    return rules or (own[0] if own is not None else default_rules())


def _read_sheets(result: WorkbookRead, book: WorkbookPort, layout: Layout, rules: Rules) -> None:
    result.readable = True
    result.sheet_names = book.sheet_names()
    for sheet in layout.sheets:
        if sheet.name not in result.sheet_names:
            result.findings.append(
                Finding(
                    result.name,
                    sheet.name,
                    "",
                    "布局文件中的工作表不存在",
                    "、".join(result.sheet_names),
                )
            )
            continue
        grid = Grid(values_with_errors(book, sheet.name))
        try:
            if sheet.kind == GRID:
                rows = range(sheet.first_row, sheet.last_row + 1)
                result.forms += [
                    _form(result, grid, sheet, rules, row)
                    for row in rows
                    if any(
                        grid.at(row - 1, column_index(p.column)) is not None
                        for p in sheet.identity.values()
                        if p.column
                    )
                ]
            else:
                result.forms.append(_form(result, grid, sheet, rules, None))
        except ValueError as exc:  # an address in the layout file that is no cell
            result.findings.append(
                Finding(
                    result.name,
                    sheet.name,
                    "",
                    f"布局文件地址有误({exc})",
                    "单元格地址如 C5,或列字母如 C",
                )
            )


@dataclass(frozen=True)
class AdoptedReader:
    """What validate calls instead of its own reader for a workbook that has a layout
    (picklable, so it travels to the reading workers)."""

    layout: Layout

    def __call__(self, path: Path, name: str = "", rules: Rules | None = None) -> WorkbookRead:
        return read_adopted(path, self.layout, name, rules)


def find_layout(book: Path) -> Layout | None:
    """The layout file found beside a workbook (``<BOOK>.layout.toml``), checked; None when it
    has none. Raises XlpyError naming a broken one."""
    beside = layout_path(book)
    return read_layout(beside) if beside.is_file() else None


def layouts_for(files: list[Path], layout_file: Path | None = None) -> dict[Path, AdoptedReader]:
    """Readers for the workbooks that have a layout: ``layout_file`` for the workbook it names
    (or for the only workbook given), and every ``<BOOK>.layout.toml`` found beside a workbook."""
    readers: dict[Path, AdoptedReader] = {}
    for file in files:
        found = find_layout(file)
        if found is not None:
            readers[Path(file).resolve()] = AdoptedReader(found)
    if layout_file is not None:
        layout = read_layout(layout_file)
        named = [f for f in files if Path(f).name == layout.workbook]
        targets = named or (list(files) if len(files) == 1 else [])
        if not targets:
            raise XlpyError(
                f"布局文件对应的工作簿「{layout.workbook}」不在要处理的文件中",
                file=Path(layout_file).name,
                expected="同时给出该工作簿",
            )
        for file in targets:
            readers[Path(file).resolve()] = AdoptedReader(layout)
    return readers
