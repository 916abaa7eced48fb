"""Summaries (汇总-YYYY-MM.xlsx by ``xlpy consolidate``, 汇总-2026Q1.xlsx by ``xlpy period``) read
back and checked,
for the jobs that start from them: quarter/year results, feedback slips and the pay export.

The tables come from :class:`xlpy.consolidate.history.SavedSummary` (the one reader of a saved
summary); this module adds what those jobs also need to trust a file: its month, parameter
fingerprint and department, and scores that are numbers. A file that fails raises
:class:`SummaryProblem`, whose :attr:`finding` names ``文件 · 工作表!单元格 · 问题 · 应为``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from xlpy.consolidate.history import SavedSummary
from xlpy.core.monthly import score_monthly
from xlpy.core.scheme_entries import monthly_entries
from xlpy.engines import FileWorkbook, UnreadableWorkbook
from xlpy.errors import XlpyError
from xlpy.forms import summary as summary_book
from xlpy.forms.summary import AUDIT as AUDIT_SHEET
from xlpy.forms.summary import HEADER_ROW, ID, NAME, STATUS, TEAM
from xlpy.forms.summary import SUMMARY as SUMMARY_SHEET
from xlpy.forms.summary import file_name as summary_name
from xlpy.memo import memo
from xlpy.period.spec import AUDIT_PERIOD, PERIOD_PATTERN, period_title
from xlpy.rules import RuleError, Rules, default_rules, load_rules
from xlpy.shared.findings import Finding
from xlpy.words import CANCELLED, is_blank, is_month

# What consolidate writes in 汇总!A1 and in the 审计 sheet's 项目/内容 table (xlpy.forms.summary)
MONTHLY_TITLE = summary_book.BOOK_TITLE + " · {month}"
AUDIT_MONTH, AUDIT_FINGERPRINT = summary_book.AUDIT_FACTS[0], summary_book.AUDIT_FACTS[2]
CHANGED_PARAMETERS = list(summary_book.PARAMETER_COLUMNS)  # the 审计 table of changed parameters
EXPECTED = "xlpy consolidate 或 xlpy period 写出的汇总"
SUMMARY_FILE = re.compile(rf"^{re.escape(summary_book.FILE_PREFIX)}(\d{{4}}-\d{{2}})\.xlsx$")


def score_labels() -> dict[str, str]:
    """The core's Chinese headers of the scheme M scores (总分, 百分制, 等级, 绩效系数, 状态 …),
    as the summary shows them."""
    rules = default_rules()
    return memo(rules, "score labels", lambda: _score_labels(rules))


def _score_labels(rules: Rules) -> dict[str, str]:
    empty = pd.DataFrame(columns=[e.column for e in monthly_entries(rules)])
    return dict(score_monthly(empty, rules).labels)


class SummaryProblem(XlpyError):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(finding.line())


@dataclass
class MonthlySummary:
    """One month's summary. ``table``: the 汇总 rows indexed by 工号 (str), in file order."""

    path: Path
    sha256: str
    month: str
    fingerprint: str
    table: pd.DataFrame
    detail: dict[tuple[str, str], str]  # (工号, 汇总 header) -> the 明细 arithmetic
    is_period: bool = False  # a quarter/year summary: ``month`` holds its label (2026Q1, 2026)
    changed: dict[str, Any] = field(default_factory=dict)  # parameters not at their default

    def rules(self) -> Rules:
        """The parameters the month was scored with (defaults plus the audited changes)."""
        try:
            return load_rules(overrides=self.changed)
        except RuleError as exc:
            raise SummaryProblem(
                Finding(
                    self.name,
                    AUDIT_SHEET,
                    "",
                    f"记录的参数无效({exc})",
                    "xlpy consolidate 写出的月度汇总",
                )
            ) from None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def score_header(self) -> str:
        """百分制 when the primary scheme has one (M), else its 总分 (K and P are 0-100)."""
        labels = score_labels()
        return labels["percent"] if labels["percent"] in self.table else labels["total"]

    def people(self) -> list[str]:
        return list(self.table.index)

    def score(self, pid: str) -> float:
        return _number(self.table.at[pid, self.score_header])

    def status(self, pid: str) -> str:
        value = self.table.at[pid, STATUS] if STATUS in self.table else ""
        return "" if is_blank(value) else str(value)

    def cancelled(self, pid: str) -> bool:
        return self.status(pid).startswith(CANCELLED)


def _number(value: Any) -> float:
    return math.nan if is_blank(value) else float(value)


def read_monthly(path: Path, month: str | None = None) -> MonthlySummary:
    """Read and check one monthly summary; ``month``: the month its file name promises."""
    summary = read_summary(path, month)
    if summary.is_period:
        raise SummaryProblem(
            Finding(
                Path(path).name,
                AUDIT_SHEET,
                "",
                "这是期间汇总,不是月度汇总",
                "xlpy consolidate 写出的月度汇总",
            )
        )
    return summary


def read_summary(path: Path, label: str | None = None) -> MonthlySummary:
    """Read and check a monthly summary or a quarter/year summary (``xlpy period``), told apart
    by its 审计 sheet; ``label``: the month or period its file name promises."""
    path = Path(path)
    name = path.name

    def problem(sheet: str, cell: str, what: str, expected: str) -> SummaryProblem:
        return SummaryProblem(Finding(name, sheet, cell, what, expected))

    try:
        saved = SavedSummary(path)
        book = FileWorkbook(path)
        title_grid = book.values(SUMMARY_SHEET)
        audit = _audit_facts(book)
    except UnreadableWorkbook as exc:
        raise problem("", "", exc.problem, exc.expected) from None
    except XlpyError as exc:
        raise problem("", "", f"无法读取({exc})", EXPECTED) from None
    is_period = AUDIT_PERIOD in audit
    key = AUDIT_PERIOD if is_period else AUDIT_MONTH
    found = str(audit.get(key) or "")
    if not (PERIOD_PATTERN.match(found) if is_period else is_month(found)):
        raise problem(AUDIT_SHEET, "", "缺少月份记录,文件可能已损坏", EXPECTED)
    if label is not None and found != label:
        raise problem(
            AUDIT_SHEET,
            audit.get((key, "cell"), ""),
            f"记录的{key}是 {found},与文件名不符",
            f"{label} 的汇总(文件名 汇总-{label}.xlsx)",
        )
    title = title_grid[0][0] if title_grid and title_grid[0] else None
    expected_title = period_title(found) if is_period else MONTHLY_TITLE.format(month=found)
    if title != expected_title:
        raise problem(
            SUMMARY_SHEET, "A1", f"标题为“{title or ''}”,不是本部门的汇总", f"“{expected_title}”"
        )
    fingerprint = str(audit.get(AUDIT_FINGERPRINT) or "")
    if not fingerprint:
        raise problem(AUDIT_SHEET, "", "缺少参数指纹,文件可能已损坏", EXPECTED)
    summary = MonthlySummary(
        path,
        saved.sha256,
        found,
        fingerprint,
        saved.summary,
        saved.detail,
        is_period,
        _changed_parameters(book),
    )
    _check_table(summary, problem)
    return summary


def _audit_facts(book: FileWorkbook) -> dict[Any, Any]:
    """项目 -> 内容 of the 审计 sheet, and (项目, "cell") -> the 内容 cell's address."""
    if AUDIT_SHEET not in book.sheet_names():
        return {}
    facts: dict[Any, Any] = {}
    for r, row in enumerate(book.values(AUDIT_SHEET), start=1):
        if len(row) > 1 and isinstance(row[0], str) and row[0] not in facts:
            facts[row[0]], facts[(row[0], "cell")] = row[1], f"B{r}"
    return facts


def _changed_parameters(book: FileWorkbook) -> dict[str, Any]:
    if AUDIT_SHEET not in book.sheet_names():
        return {}
    changed: dict[str, Any] = {}
    inside = False
    for row in book.values(AUDIT_SHEET):
        if list(row[:3]) == CHANGED_PARAMETERS:
            inside = True
        elif inside:
            if not row or is_blank(row[0]):
                break
            changed[str(row[0])] = row[2]
    return changed


def _check_table(summary: MonthlySummary, problem) -> None:
    table = summary.table
    labels = score_labels()
    needed = [NAME, TEAM, summary.score_header, labels["grade"], labels["coefficient"]]
    headers = list(table.columns)
    for header in needed:
        if header not in table:
            raise problem(
                SUMMARY_SHEET,
                f"{_column(len(headers))}{HEADER_ROW + 1}",
                f"缺少“{header}”列",
                "xlpy consolidate 写出的月度汇总",
            )
    top = HEADER_ROW + 2  # the first data row, as Excel numbers it
    for header, low, high in ((summary.score_header, 0, 100), (labels["coefficient"], 0, math.inf)):
        col = _column(headers.index(header))
        for offset, value in enumerate(table[header].tolist()):
            ok = is_blank(value) or (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and low <= value <= high
            )
            if not ok:
                pid = table.index[offset]
                raise problem(
                    SUMMARY_SHEET,
                    f"{col}{top + offset}",
                    f"工号 {pid} 的{header}为“{value}”",
                    f"{low}–{high} 之间的数字" if math.isfinite(high) else "不小于 0 的数字",
                )
    duplicated = table.index[table.index.duplicated()]
    if len(duplicated):
        raise problem(SUMMARY_SHEET, "", f"工号 {duplicated[0]} 出现多次", "每人一行")


def _column(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


def months_beside(folder: Path, until: str | None = None) -> list[str]:
    """Months with a summary file in ``folder`` (sorted), up to and including ``until``."""
    months = sorted(
        m.group(1)
        for p in Path(folder).iterdir()
        if (m := SUMMARY_FILE.match(p.name)) and is_month(m.group(1))
    )
    return [m for m in months if until is None or m <= until]


__all__ = [
    "ID",
    "MonthlySummary",
    "SummaryProblem",
    "months_beside",
    "read_monthly",
    "score_labels",
    "summary_name",
]
