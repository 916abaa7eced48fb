"""Recognise a department's own scheme K grid: one row per person, a column per KPI's 目标值 /
实际值 and per behaviour's 自评 / 上级评分, headed either in one cell ("客户回访率目标值", "K3实际")
or by the KPI's name over a row of 目标值 / 实际值 (a merged cell: the name is carried right over
its columns). Columns of 得分, 完成率, 业绩得分, 行为得分 and 总分 are mapped as computed cells."""

from __future__ import annotations

from typing import Any

from xlpy.adopt.kpi import COLUMN_WORDS, KPI_SHEET, SCORE, column_kind, summary_of
from xlpy.adopt.layout import (
    ACTUAL,
    COMPLETION,
    GRID,
    MANAGER,
    SELF,
    TARGET,
    EntryPlace,
    Place,
    SheetLayout,
)
from xlpy.adopt.recognise import (
    HEADER_ROWS,
    Grid,
    identity_label,
    match_item,
    normalised,
    people_rows,
)
from xlpy.rules import Rules
from xlpy.shared.addresses import column_letters

KPI_KINDS = (TARGET, ACTUAL, COMPLETION, SCORE)
BEHAVIOR_KINDS = (SELF, MANAGER, SCORE)


def _kind_beside(text: Any, code: str, name: str) -> str | None:
    """The column kind a header names besides its item (the item's code and name left out)."""
    rest = normalised(text).replace(normalised(name), "").replace(code.lower(), "")
    return column_kind(rest) if rest else None


class _Columns:
    """What one header row (with the row above it) says of each column."""

    def __init__(self, grid: Grid, top: int, rules: Rules) -> None:
        self.ids: dict[str, int] = {}
        self.places: dict[tuple[str, str], tuple[int, float, str]] = {}  # (code, kind) → column
        self.results: dict[str, int] = {}
        self.unmatched: list[str] = []
        kpis, behaviors = rules.kpi.indicators, rules.kpi.behavior.indicators
        items = {**kpis, **behaviors}
        carried: tuple[str, float, str] | None = None  # the item named above, over its columns
        for c in range(max(grid.width(top), grid.width(top - 1) if top else 0)):
            own, above = grid.at(top, c), grid.at(top - 1, c) if top else None
            label = identity_label(own if own is not None else above)
            if label is not None and not label[2]:  # 工号 / 姓名 / 班组 / 月份 columns
                self.ids.setdefault(label[0], c)
                carried = None
                continue
            if isinstance(above, str) and above.strip():
                carried = match_item([above], items)
            if not isinstance(own, str) or not own.strip():
                continue
            result = summary_of([own], "total")
            if result is not None:
                self.results.setdefault(result, c)
                carried = None
                continue
            match = match_item([own], items)
            kind = None
            if match is not None and match[1] >= 0.8:
                kind = _kind_beside(own, match[0], items[match[0]].name)
            elif carried is not None and carried[1] >= 0.8:
                match, kind = carried, column_kind(own)
            allowed = KPI_KINDS if match is not None and match[0] in kpis else BEHAVIOR_KINDS
            if match is None or kind not in allowed or (match[0], kind) in self.places:
                self.unmatched.append(f"{column_letters(c)} 列「{own.strip()}」")
                continue
            self.places[(match[0], kind)] = (c, *match[1:])

    def kpis_placed(self, rules: Rules) -> int:
        both = [c for c in rules.kpi.indicators if {(c, TARGET), (c, ACTUAL)} <= set(self.places)]
        return len(both)


def kpi_grid_sheet(name: str, grid: Grid, rules: Rules) -> SheetLayout | None:
    """The layout of a scheme K grid sheet, or None when the sheet is none."""
    needed = min(KPI_SHEET, len(rules.kpi.indicators))
    for top in range(min(HEADER_ROWS, len(grid.rows))):
        columns = _Columns(grid, top, rules)
        if columns.kpis_placed(rules) >= needed and (
            "name" in columns.ids or "employee_id" in columns.ids
        ):
            break
    else:
        return None
    sheet = SheetLayout(name, GRID, "K")
    sheet.identity = {key: Place(column=column_letters(c)) for key, c in columns.ids.items()}
    entry_kinds = {kind for kind, _ in COLUMN_WORDS} - {COMPLETION, SCORE}
    for (code, kind), (c, confidence, how) in columns.places.items():
        letters = column_letters(c)
        if kind in entry_kinds:
            sheet.entries.append(EntryPlace(code, letters, kind, "", round(confidence, 2), how))
        else:
            sheet.computed[code if kind == SCORE else f"{code}.{kind}"] = letters
    for result, c in columns.results.items():
        if result == "total":
            sheet.total_cell = column_letters(c)
        else:
            sheet.computed[result] = column_letters(c)
    people_rows(sheet, grid, top, columns.ids)
    codes = {entry.item for entry in sheet.entries}
    every = [*rules.kpi.indicators, *rules.kpi.behavior.indicators]
    sheet.unmatched = columns.unmatched
    sheet.missing = [code for code in every if code not in codes]
    return sheet
