"""The period workbook 汇总-2026Q1.xlsx / 汇总-2026.xlsx: 汇总, 趋势, 分布, 审计.

Written with the monthly summary's writer helpers (styles, tables, fixed document dates: a re-run
with the same summaries gives the same bytes); 分布 is the monthly summary's own sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import xlpy
from xlpy.consolidate import summary as monthly_summary
from xlpy.consolidate.model import MonthResults
from xlpy.consolidate.writer import (
    FIXED_DATE,
    finish_printing,
    open_book,
    write_findings,
    write_table,
)
from xlpy.core.monthly import score_monthly
from xlpy.core.scheme_entries import monthly_entries
from xlpy.forms import summary as summary_book
from xlpy.forms.summary import HEADER_ROW, ID, NAME, NOTE, STATUS, TEAM
from xlpy.period.compute import FORMULA, month_header
from xlpy.period.reading import AUDIT_FINGERPRINT, MonthlySummary, score_labels
from xlpy.period.spec import AUDIT_PERIOD, Period
from xlpy.rules import Rules, fingerprint
from xlpy.shared.findings import Finding

SUMMARY_SHEET, TREND_SHEET, AUDIT_SHEET = summary_book.SUMMARY, "趋势", summary_book.AUDIT
TREND_CHART_ROWS = 20


def write_period(
    path: Path,
    period: Period,
    table: pd.DataFrame,
    used: list[MonthlySummary],
    missing: list[str],
    differing: dict[str, str],
    findings: list[Finding],
    rules: Rules,
) -> None:
    book, styles = open_book(path)
    title = period.title
    book.set_properties({"created": FIXED_DATE, "author": "xlpy", "title": title})
    _summary_sheet(book, styles, title, period, table, rules)
    _trend_sheet(book, styles, period, table)
    as_month = _as_month(period, rules, findings)
    monthly_summary.distribution_sheet(book, styles, as_month, table)
    _audit_sheet(book, styles, period, used, missing, differing, as_month)
    finish_printing(book)
    book.close()


def _as_month(period: Period, rules: Rules, findings: list[Finding]) -> MonthResults:
    """The period dressed as a month for the monthly summary's 分布 sheet and findings table:
    the core's scheme M labels, the period's rules, the period's findings."""
    empty = score_monthly(pd.DataFrame(columns=[e.column for e in monthly_entries(rules)]), rules)
    people = pd.DataFrame(columns=["name", "team"])
    return MonthResults(
        period.label, people, {"M": empty}, fingerprint(rules), rules, findings=findings
    )


def counting_note(rules: Rules) -> str:
    return f"取消的月份{rules.period.cancelled},缺少成绩的月份{rules.period.missing}"


def _summary_sheet(
    book, styles, title: str, period: Period, table: pd.DataFrame, rules: Rules
) -> None:
    sheet = book.add_worksheet(SUMMARY_SHEET)
    percent = score_labels()["percent"]
    sheet.write_string(0, 0, title, styles.title)
    sheet.write_string(
        1,
        0,
        f"{percent} = 计入月份的平均;{counting_note(rules)} · 参数指纹 "
        f"{fingerprint(rules)} · 共 {len(table)} 人 · 排名按{percent}",
        styles.note,
    )
    widths = {ID: 10, NAME: 10, TEAM: 10, FORMULA: 34, STATUS: 10, NOTE: 36}
    write_table(sheet, styles, HEADER_ROW, table, widths, status_column=STATUS)
    sheet.freeze_panes(HEADER_ROW + 1, 3)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(table), 1), len(table.columns) - 1)


def _trend_sheet(book, styles, period: Period, table: pd.DataFrame) -> None:
    """One line chart per team: each person's 百分制 month by month, read from 汇总."""
    sheet = book.add_worksheet(TREND_SHEET)
    sheet.write_string(0, 0, f"趋势 · {period.label}", styles.title)
    sheet.write_string(
        1,
        0,
        "每个班组一张折线图:每人各月的" + score_labels()["percent"] + "(缺少的月份留空)",
        styles.note,
    )
    columns = list(table.columns)
    first, last = (
        columns.index(month_header(period.months[0])),
        columns.index(month_header(period.months[-1])),
    )
    name_col = columns.index(NAME)
    teams = list(dict.fromkeys(table[TEAM].astype(str)))
    for t, team in enumerate(teams):
        chart = book.add_chart({"type": "line"})
        for r in [i for i, value in enumerate(table[TEAM].astype(str)) if value == team]:
            row = HEADER_ROW + 1 + r
            chart.add_series(
                {
                    "name": [SUMMARY_SHEET, row, name_col],
                    "categories": [SUMMARY_SHEET, HEADER_ROW, first, HEADER_ROW, last],
                    "values": [SUMMARY_SHEET, row, first, row, last],
                    "marker": {"type": "circle", "size": 5},
                }
            )
        chart.set_title({"name": f"{team or '未分班组'} · {score_labels()['percent']}"})
        chart.set_y_axis({"min": 0, "max": 100})
        chart.show_blanks_as("gap")
        chart.set_size({"width": 720, "height": 360})
        sheet.insert_chart(HEADER_ROW + t * TREND_CHART_ROWS, 0, chart)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def _audit_sheet(
    book,
    styles,
    period: Period,
    used: list[MonthlySummary],
    missing: list[str],
    differing: dict[str, str],
    as_month: MonthResults,
) -> None:
    sheet = book.add_worksheet(AUDIT_SHEET)
    sheet.write_string(0, 0, "审计记录", styles.title)
    rules = as_month.rules
    facts = pd.DataFrame(
        {
            "项目": [
                AUDIT_PERIOD,
                "包含月份",
                "计分规则",
                AUDIT_FINGERPRINT,
                "xlpy 版本",
                "用到的月度汇总",
                "缺少的月份",
                "参数不一致的月份",
            ],
            "内容": [
                period.label,
                f"{period.months[0]} 至 {period.months[-1]}",
                counting_note(rules),
                fingerprint(rules),
                xlpy.__version__,
                f"{len(used)} 个",
                "、".join(missing) or "无",
                "、".join(differing) or "无",
            ],
        }
    )
    row = write_table(sheet, styles, HEADER_ROW, facts, {"项目": 16, "内容": 60}) + 1
    sheet.write_string(row, 0, "用到的月度汇总", styles.title)
    sources = pd.DataFrame(
        [(s.month, s.name, s.sha256, s.fingerprint, differing.get(s.month, "一致")) for s in used],
        columns=["月份", "文件", "SHA-256", "参数指纹", "参数"],
    )
    row = (
        write_table(
            sheet, styles, row + 1, sources, {"文件": 24, "SHA-256": 66, "参数指纹": 14, "参数": 30}
        )
        + 1
    )
    sheet.write_string(row, 0, "警告与错误", styles.title)
    write_findings(sheet, styles, row + 1, as_month)
