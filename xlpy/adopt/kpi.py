"""Recognise a department's own scheme K sheet (售后服务员考核评分表) by its words: a header row with
目标值 and 实际值 over rows of KPIs, and one with 自评 and 上级评分 over rows of rated behaviours
(the same row or a second table below). KPIs and behaviours are found by code or name, as scheme
M's items are (:func:`xlpy.adopt.recognise.match_item`). The cells the sheet computes — a
完成率 or 得分 column, the 业绩得分 / 行为得分 / 总分 rows — are mapped too (the macro-free copy
makes them formulas)."""

from __future__ import annotations

from typing import Any

from xlpy.adopt.layout import (
    ACTUAL,
    BEHAVIOR,
    COMPLETION,
    MANAGER,
    PERFORMANCE,
    PERSON,
    SELF,
    TARGET,
    EntryPlace,
    SheetLayout,
)
from xlpy.adopt.recognise import (
    END_WORDS,
    HEADER_ROWS,
    TOTAL_WORDS,
    Grid,
    identity,
    match_item,
    normalised,
)
from xlpy.rules import Rules
from xlpy.shared.addresses import a1

SCORE = "score"  # a table's 得分 column
# Header words of the entry and computed columns, most specific first (完成率 before 目标/实际,
# 上级评分 before 评分-less 上级, 得分 last).
COLUMN_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (COMPLETION, ("完成率", "达成率", "完成比例")),
    (TARGET, ("目标值", "目标", "计划值", "计划")),
    (ACTUAL, ("实际值", "实际完成", "完成值", "实际", "实绩")),
    (SELF, ("自评", "自我评价", "本人评分")),
    (MANAGER, ("上级评分", "上级评价", "主管评分", "上级", "主管", "领导评分")),
    (SCORE, ("得分", "分数")),
]
SUBTOTAL_WORDS = ("合计", "小计", "得分", "总分")  # after 业绩 / 行为: that table's subtotal row
KPI_SHEET = 3  # KPIs matched from which a sheet is a K form
BLANK_RUN = 5  # blank rows that end a table


def column_kind(value: Any) -> str | None:
    text = normalised(value)
    if not text or len(text) > 12:
        return None
    return next((kind for kind, words in COLUMN_WORDS if any(w in text for w in words)), None)


def _header(grid: Grid, pair: tuple[str, str], start: int = 0) -> tuple[int, dict[str, int]] | None:
    """(row, {kind: column}) of the first row from ``start`` that heads both columns of ``pair``."""
    for r in range(start, min(HEADER_ROWS, len(grid.rows))):
        kinds: dict[str, int] = {}
        for c in range(grid.width(r)):
            kind = column_kind(grid.at(r, c))
            if kind is not None:
                kinds.setdefault(kind, c)
        if all(k in kinds for k in pair):
            return r, kinds
    return None


def summary_of(words: list[str], subtotal: str) -> str | None:
    """Which result a row's label names: ``subtotal`` (this table's: 业绩 or 行为), the other
    table's, or the total; None for no result row."""
    label = normalised(words[0])
    for kind, word in ((PERFORMANCE, "业绩"), (BEHAVIOR, "行为")):
        if label.startswith(word) and any(w in label for w in SUBTOTAL_WORDS):
            return kind
    if label.startswith(("合计", "小计")):
        return subtotal
    return "total" if label.startswith((*TOTAL_WORDS, "综合得分", "最终得分")) else None


def _rows(
    grid: Grid,
    top: int,
    columns: dict[str, int],
    items: dict[str, Any],
    stop: int,
    results: dict[str, int],
    subtotal: str,
) -> tuple[list[tuple[int, str, float, str]], list[str]]:
    """Rows under a header naming ``items``: (row, code, confidence, how), and what matched none;
    the rows of results (业绩得分, 总分 …) go to ``results`` as {result: row}."""
    found: list[tuple[int, str, float, str]] = []
    unmatched: list[str] = []
    entry_columns = set(columns.values())
    blank_run = 0
    for r in range(top + 1, min(stop, len(grid.rows))):
        texts = [grid.at(r, c) for c in range(grid.width(r)) if c not in entry_columns]
        words = [t for t in texts if isinstance(t, str) and t.strip()]
        if not words:
            blank_run += 1
            if blank_run >= BLANK_RUN:
                break
            continue
        blank_run = 0
        result = summary_of(words, subtotal)
        if result is not None:
            results.setdefault(result, r)
            if result == "total":
                break
            continue
        if any(normalised(w).startswith(END_WORDS) for w in words[:3]):
            break
        match = match_item(words, items)
        if match is None or match[1] < 0.8:
            unmatched.append(f"第 {r + 1} 行「{'/'.join(str(w) for w in words[:2])}」")
        elif any(code == match[0] for _, code, *_ in found):
            unmatched.append(f"第 {r + 1} 行(又一次对应 {match[0]},未使用)")
        else:
            found.append((r, *match))
    return found, unmatched


def kpi_sheet(name: str, grid: Grid, rules: Rules) -> SheetLayout | None:
    """The layout of a per-person scheme K sheet, or None when the sheet is none."""
    kpi = _header(grid, (TARGET, ACTUAL))
    if kpi is None:
        return None
    top, columns = kpi
    behavior = _header(grid, (SELF, MANAGER), top)
    stop = behavior[0] if behavior is not None and behavior[0] > top else len(grid.rows)
    results: dict[str, int] = {}
    indicators, unmatched = _rows(
        grid, top, columns, rules.kpi.indicators, stop, results, PERFORMANCE
    )
    if len(indicators) < min(KPI_SHEET, len(rules.kpi.indicators)):
        return None
    sheet = SheetLayout(name, PERSON, "K")
    placed = [(indicators, columns, (TARGET, ACTUAL))]
    if behavior is not None:
        rated, more = _rows(
            grid, *behavior, rules.kpi.behavior.indicators, len(grid.rows), results, BEHAVIOR
        )
        placed.append((rated, behavior[1], (SELF, MANAGER)))
        unmatched += [text for text in more if text not in unmatched]
    for rows, header, kinds in placed:
        for r, code, confidence, how in rows:
            for kind in kinds:
                cell = a1(r, header[kind])
                sheet.entries.append(EntryPlace(code, cell, kind, "", round(confidence, 2), how))
            if SCORE in header:
                sheet.computed[code] = a1(r, header[SCORE])
            if COMPLETION in header and kinds[0] == TARGET:
                sheet.computed[f"{code}.{COMPLETION}"] = a1(r, header[COMPLETION])
    _place_results(sheet, results, columns, behavior[1] if behavior is not None else {})
    sheet.identity, sheet.notes = identity(grid, range(0, top), name)
    codes = {entry.item for entry in sheet.entries}
    every = [*rules.kpi.indicators, *rules.kpi.behavior.indicators]
    sheet.unmatched, sheet.missing = unmatched, [code for code in every if code not in codes]
    return sheet


def _place_results(
    sheet: SheetLayout, rows: dict[str, int], kpi: dict[str, int], behavior: dict[str, int]
) -> None:
    """The cells of the result rows: in the 得分 column of the table the row ends (the total:
    either table's)."""
    for result, r in rows.items():
        own = behavior if result == BEHAVIOR else kpi if result == PERFORMANCE else {}
        column = next((h[SCORE] for h in (own, behavior, kpi) if SCORE in h), None)
        if column is None:
            continue
        if result == "total":
            sheet.total_cell = a1(r, column)
        else:
            sheet.computed[result] = a1(r, column)
