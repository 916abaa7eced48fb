"""What one person's 个人考核结果反馈单 shows, taken from the month's summary (never re-typed):
only that person's own scores, their arithmetic (the 明细 text), ranks, status, KPI result,
survey satisfaction (a rate: the summary holds no customer data) and 百分制 over the months."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from xlpy.core.full_points import full_points
from xlpy.core.kpi import score_kpi
from xlpy.core.monthly import score_monthly
from xlpy.core.registry import KPI, MONTHLY, SCHEMES
from xlpy.core.scheme_entries import kpi_entries, monthly_entries
from xlpy.forms.summary import (
    DEPT_RANK,
    NAME,
    NOTE,
    RESPONSES,
    SATISFACTION,
    STATUS,
    TEAM,
    TEAM_RANK,
)
from xlpy.period.reading import MonthlySummary
from xlpy.rules import Rules
from xlpy.words import reaches

KPI_PREFIX = f"{SCHEMES['K'].name}·"  # how the summary heads scheme K's columns


@dataclass(frozen=True)
class Line:
    """One scored item: its summary header, full points, score and arithmetic."""

    label: str
    full: float
    score: float
    text: str

    @property
    def at_full(self) -> bool:
        return not math.isnan(self.score) and bool(reaches(self.score, self.full))

    @property
    def short_of_full(self) -> bool:
        return not math.isnan(self.score) and not reaches(self.score, self.full)


@dataclass
class Slip:
    month: str
    source: str  # the summary's file name
    sha256: str
    pid: str
    name: str
    team: str
    results: dict[str, float]  # 总分, 百分制, 绩效系数, ranks … (header -> value)
    grade: str
    status: str
    reason: str  # why the month was cancelled, or the summary's 备注
    ranked: dict[str, int]  # 部门排名/班组排名 -> how many people were ranked
    items: list[Line] = field(default_factory=list)  # scheme M items
    subtotals: list[Line] = field(default_factory=list)  # categories (日常管理 …)
    kpi: list[Line] = field(default_factory=list)  # KPI indicators and behaviours
    kpi_result: dict[str, object] = field(
        default_factory=dict
    )  # KPI 总分, 等级, 绩效系数 by header
    satisfaction: float = math.nan
    responses: float = math.nan
    history: list[tuple[str, float]] = field(default_factory=list)  # (month, 百分制)

    @property
    def strengths(self) -> list[Line]:
        return [line for line in self.items + self.kpi if line.at_full]

    @property
    def shortfalls(self) -> list[Line]:
        return [line for line in self.items + self.kpi if line.short_of_full]


def _number(value: object) -> float:
    if value is None or value == "" or isinstance(value, str):
        return math.nan
    return float(value)  # type: ignore[arg-type]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _labels(rules: Rules) -> tuple[dict[str, str], dict[str, str]]:
    """The core's headers of schemes M and K under the month's rules."""
    monthly = score_monthly(pd.DataFrame(columns=[e.column for e in monthly_entries(rules)]), rules)
    kpi = score_kpi(pd.DataFrame(columns=[e.column for e in kpi_entries(rules)]), rules)
    return monthly.labels, kpi.labels


def build_slips(summary: MonthlySummary, history: dict[str, MonthlySummary]) -> list[Slip]:
    """One slip per person of ``summary``; ``history``: summaries of the months beside it
    (month -> summary, including this one) for the 百分制 chart."""
    rules = summary.rules()
    m_labels, k_labels = _labels(rules)
    m_full, k_full = full_points(MONTHLY, rules), full_points(KPI, rules)
    table = summary.table
    score_header = summary.score_header
    ranked = {
        DEPT_RANK: int(pd.to_numeric(table.get(DEPT_RANK), errors="coerce").notna().sum())
        if DEPT_RANK in table
        else 0
    }
    slips = []
    for pid in summary.people():
        row = table.loc[pid]

        def cell(header: str, row=row) -> object:
            return row[header] if header in row.index else None

        def detail(header: str, pid=pid) -> str:
            return summary.detail.get((pid, header), "")

        team = _text(cell(TEAM))
        team_rows = table[table[TEAM].astype(str) == team] if TEAM in table else table
        counts = ranked | (
            {TEAM_RANK: int(pd.to_numeric(team_rows[TEAM_RANK], errors="coerce").notna().sum())}
            if TEAM_RANK in table
            else {}
        )
        status = _text(cell(STATUS))
        total_label = m_labels["total"]
        reason = detail(total_label) if summary.cancelled(pid) else _text(cell(NOTE))
        items = [
            Line(
                m_labels[code], m_full[code], _number(cell(m_labels[code])), detail(m_labels[code])
            )
            for code in rules.monthly.items
            if m_labels[code] in row.index
        ]
        subtotals = [
            Line(m_labels[key], m_full[key], _number(cell(m_labels[key])), "")
            for key in rules.monthly.categories
            if m_labels[key] in row.index
        ]
        fulls = {
            code: k_full[code] for code in (*rules.kpi.indicators, *rules.kpi.behavior.indicators)
        }
        # K's columns are headed KPI考核·… beside scheme M, plainly when K is the only scheme
        kpi_headers = {
            code: next((h for h in (KPI_PREFIX + k_labels[code], k_labels[code]) if h in row), "")
            for code in fulls
        }
        kpi = [
            Line(k_labels[code], full, _number(cell(header)), detail(header))
            for code, full in fulls.items()
            if (header := kpi_headers[code])
        ]
        kpi_result = {
            KPI_PREFIX + k_labels[key]: cell(KPI_PREFIX + k_labels[key])
            for key in ("total", "grade", "coefficient")
            if KPI_PREFIX + k_labels[key] in row.index
        }
        results = {
            header: _number(cell(header))
            for header in (total_label, score_header, m_labels["coefficient"], DEPT_RANK, TEAM_RANK)
            if header in row.index
        }
        months = [
            (month, other.score(pid))
            for month, other in sorted(history.items())
            if pid in other.table.index
        ]
        slips.append(
            Slip(
                summary.month,
                summary.name,
                summary.sha256,
                pid,
                _text(cell(NAME)),
                team,
                results,
                _text(cell(m_labels["grade"])),
                status,
                reason,
                counts,
                items,
                subtotals,
                kpi,
                kpi_result,
                _number(cell(SATISFACTION)),
                _number(cell(RESPONSES)),
                months,
            )
        )
    return slips
