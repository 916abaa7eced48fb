"""The macro-free copy of a department's ``.xlsm``: ``<BOOK>-xlpy.xlsx``, every value, style and
the layout kept (openpyxl loads the workbook without its VBA project and saves it as .xlsx), and
each score cell the layout knows made a formula — the xlpy functions (``addin``) or plain Excel
(``native``) — so the sheet computes what its macros computed, by the rules.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from xlpy.adopt.layout import COUNT, DEDUCTED, FLAG, PERSON, RATING, Layout, SheetLayout
from xlpy.core.grading import num
from xlpy.rules import Rules
from xlpy.rules.model import MonthlyItem
from xlpy.shared.addresses import parse_a1
from xlpy.shared.files import atomic_write, backup, refuse_source
from xlpy.words import YES

ADDIN, NATIVE = "addin", "native"
COPY_SUFFIX = "-xlpy.xlsx"


def copy_path(book: Path) -> Path:
    return Path(book).with_name(Path(book).stem + COPY_SUFFIX)


def _text(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def item_formula(
    item: MonthlyItem, holds: str, cell: str, deduction: str, rules: Rules, variant: str
) -> str | None:
    """The formula of an item's score cell from its entry cell (None: the entry is the score)."""
    full = num(item.full)
    if holds in (COUNT, DEDUCTED) and item.deductions:
        if holds == DEDUCTED:
            per = "1"
        else:
            rule = item.deductions[deduction or next(iter(item.deductions))]
            per = num(item.full if rule.zeroes_item else rule.per or 0)
        if variant == ADDIN:
            return f"=ITEM_SCORE({full},{cell},{per})"
        return f"=MAX(0,{full}-{cell}*{per})"
    if holds == RATING and item.scale is not None:
        chain = '""'
        for word, points in reversed(rules.scales[item.scale].points.items()):
            chain = f"IF({cell}={_text(word)},{num(points)},{chain})"
        return f"={chain}"
    if holds == FLAG:
        return f"=IF({cell}={_text(YES)},0,{full})"
    return None


def _total_formula(sheet: SheetLayout, rules: Rules, variant: str) -> str | None:
    items = rules.monthly.items
    cells = {e.item: e.score_cell or e.cell for e in sheet.entries}
    if not sheet.total_cell or set(cells) != set(items):
        return None
    veto = next((e.cell for e in sheet.entries if items[e.item].veto and e.holds == FLAG), None)
    ordered = [cells[code] for code in items]
    if variant == ADDIN and _column_run(ordered):
        return f"=MONTHLY_TOTAL({ordered[0]}:{ordered[-1]}{',' + veto if veto else ''})"
    total = f"SUM({','.join(ordered)})"
    return f"=IF({veto}={_text(YES)},0,{total})" if veto else f"={total}"


def _column_run(cells: list[str]) -> bool:
    """The cells are one column, row after row (so one range holds them)."""
    at = [parse_a1(cell) for cell in cells]
    return all(c == at[0][1] and r == at[0][0] + i for i, (r, c) in enumerate(at))


def formulas(layout: Layout, rules: Rules, variant: str) -> dict[tuple[str, str], str]:
    """{(sheet, cell): formula} for every score and total cell the layout knows."""
    items = rules.monthly.items
    found: dict[tuple[str, str], str] = {}
    for sheet in layout.sheets:
        if sheet.kind != PERSON or sheet.scheme != "M":
            continue  # a grid's score columns, and a KPI sheet's, are not recognised yet
        for entry in sheet.entries:
            if entry.score_cell and entry.item in items:
                formula = item_formula(
                    items[entry.item], entry.holds, entry.cell, entry.deduction, rules, variant
                )
                if formula is not None:
                    found[(sheet.name, entry.score_cell)] = formula
        total = _total_formula(sheet, rules, variant)
        if total is not None:
            found[(sheet.name, sheet.total_cell)] = total
    return found


def write_copy(
    book: Path, layout: Layout, rules: Rules, variant: str = ADDIN, out: Path | None = None
) -> tuple[Path, int, Path | None]:
    """Write the macro-free copy; returns its path, how many cells became formulas, and where
    an earlier copy (which staff may have typed into) was backed up."""
    target = out or copy_path(book)
    refuse_source(target, [book])
    workbook = load_workbook(book)  # keep_vba=False: the VBA project is left behind
    cells = formulas(layout, rules, variant)
    for (sheet, cell), formula in cells.items():
        parse_a1(cell)  # a layout edited by hand: refuse an address that is no cell
        workbook[sheet][cell] = formula
    previous = backup(target)
    atomic_write(target, workbook.save)
    return target, len(cells), previous
