"""The macro-free copy of a department's ``.xlsm``: ``<BOOK>-xlpy.xlsx``, every value, style and
the layout kept (openpyxl loads the workbook without its VBA project and saves it as .xlsx), and
each score cell the layout knows made a formula — the xlpy functions (``addin``) or plain Excel
(``native``) — so the sheet computes what its macros computed, by the rules: scheme M's item
scores and total on a sheet per person; scheme K's 完成率, 得分, 业绩/行为得分 and 总分 on a sheet
per person or on every row of a grid.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook

from xlpy.adopt.layout import (
    ACTUAL,
    BEHAVIOR,
    COMPLETION,
    COUNT,
    DEDUCTED,
    FLAG,
    MANAGER,
    PERFORMANCE,
    PERSON,
    RATING,
    SELF,
    TARGET,
    Layout,
    SheetLayout,
)
from xlpy.forms.formulas import bands_native, number
from xlpy.forms.kpi import (
    behavior_native,
    completion_native,
    performance_native,
    total_native,
)
from xlpy.rules import Rules
from xlpy.rules.model import MonthlyItem
from xlpy.shared.addresses import parse_a1
from xlpy.shared.files import atomic_write, backup, refuse_source
from xlpy.words import NO, YES, num

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


def _cells(cells: list[str]) -> str:
    """The cells as one argument: a range when they are one column run, else a list."""
    return f"{cells[0]}:{cells[-1]}" if _column_run(cells) else ",".join(cells)


def _rows_of(sheet: SheetLayout) -> list[SheetLayout]:
    """A sheet per person as itself; a grid as a sheet per row, its columns made that row's
    cells."""
    if sheet.kind == PERSON:
        return [sheet]
    rows = []
    for r in range(sheet.first_row, sheet.last_row + 1):
        rows.append(
            replace(
                sheet,
                entries=[replace(e, cell=f"{e.cell}{r}") for e in sheet.entries],
                computed={key: f"{column}{r}" for key, column in sheet.computed.items()},
                total_cell=f"{sheet.total_cell}{r}" if sheet.total_cell else "",
            )
        )
    return rows


def kpi_formulas(sheet: SheetLayout, rules: Rules, variant: str) -> dict[str, str]:
    """{cell: formula} for a scheme K sheet's computed cells, with the rules' numbers where our
    K template refers to its 参数 sheet (the department's workbook has none); a result whose
    parts the sheet does not show gets none."""
    k = rules.kpi
    at = {(e.item, e.holds): e.cell for e in sheet.entries}
    found: dict[str, str] = {}
    tiers = [(number(t.min_completion), number(t.points)) for t in k.tiers]
    table = "{" + ";".join(f"{m},{points}" for m, points in tiers) + "}"
    for code, kpi in k.indicators.items():
        target, actual = at.get((code, TARGET)), at.get((code, ACTUAL))
        if target is None or actual is None:
            continue
        missing = f'OR({target}="",{actual}="")'
        ratio = completion_native(target, actual, "TRUE" if kpi.lower_is_better else "FALSE")
        shown = sheet.computed.get(f"{code}.{COMPLETION}")
        if shown:
            found[shown] = f'=IF({missing},"",{ratio})'
        if code not in sheet.computed:
            continue
        if variant == ADDIN:
            lower = _text(YES if kpi.lower_is_better else NO)
            found[sheet.computed[code]] = (
                f"=TARGET_SCORE({actual},{target},{lower},{tiers[0][1]},{table})"
            )
        else:
            bands = bands_native(shown or f"({ratio})", [*tiers, ("", "0")])
            found[sheet.computed[code]] = f'=IF({missing},"",{bands})'
    self_w = number(k.behavior.self_weight)
    for code in k.behavior.indicators:
        own, boss, cell = at.get((code, SELF)), at.get((code, MANAGER)), sheet.computed.get(code)
        if own and boss and cell:
            found[cell] = (
                f"=BEHAVIOR_SCORE({own},{boss},{self_w})"
                if variant == ADDIN
                else f"={behavior_native(own, boss, self_w)}"
            )
    kpis = [sheet.computed.get(code, "") for code in k.indicators]
    performance = sheet.computed.get(PERFORMANCE)
    if performance and all(kpis):
        found[performance] = f"={performance_native(_cells(kpis), len(kpis), tiers[0][1])}"
    rated = [sheet.computed.get(code, "") for code in k.behavior.indicators]
    behavior = sheet.computed.get(BEHAVIOR)
    if behavior and all(rated):
        weights = [number(b.weight) for b in k.behavior.indicators.values()]
        if variant == ADDIN and _column_run(rated):
            mean = f"WEIGHTED_TOTAL({_cells(rated)},{{{';'.join(weights)}}})"
        else:
            terms = "+".join(f"{cell}*{w}" for cell, w in zip(rated, weights))
            mean = f"({terms})/({'+'.join(weights)})"
        found[behavior] = f'=IF(COUNT({_cells(rated)})<{len(rated)},"",{mean})'
    if sheet.total_cell and performance in found and behavior in found:
        pw, bw = number(k.performance_weight), number(k.behavior_weight)
        found[sheet.total_cell] = f"={total_native(performance, behavior, pw, bw)}"
    return found


def formulas(layout: Layout, rules: Rules, variant: str) -> dict[tuple[str, str], str]:
    """{(sheet, cell): formula} for every score and total cell the layout knows."""
    items = rules.monthly.items
    found: dict[tuple[str, str], str] = {}
    for sheet in layout.sheets:
        if sheet.scheme == "K":
            for row in _rows_of(sheet):
                cells = kpi_formulas(row, rules, variant)
                found |= {(sheet.name, cell): formula for cell, formula in cells.items()}
        if sheet.kind != PERSON or sheet.scheme != "M":
            continue  # a grid's score columns are not recognised yet
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
