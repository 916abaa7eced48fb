"""The summary workbook 汇总-YYYY-MM.xlsx, described once: its file name, its sheets, where each
sheet's table sits and the words of its headers. ``xlpy.consolidate`` writes it, reads last
month's back for 环比 and this month's last one for 更正记录; ``xlpy.validate`` skips it when it
looks for forms; commands that read a month's results read it through these names.

Public API::

    from xlpy.forms import summary as s
    s.file_name("2026-03")          # "汇总-2026-03.xlsx"; s.FILE_PREFIX "汇总-"
    s.SHEETS                        # the sheets in workbook order (ledger sheets may follow)
    s.is_summary(sheet_names)       # a summary workbook (also one written before 总览 existed)
    s.HEADER_ROW                    # 0-based row of every sheet's (first) table header: row 3;
                                    #   A1 holds the sheet's title, A2 its note
    s.header_row(grid)              # the header row of a table in a sheet's value grid, or None

Sheets and their columns (headers are exact cell texts):

- 总览 (``OVERVIEW``, first, for printing): the 汇总 rows grouped by team (a page break before
  each team), with the core columns only: ``ID``, ``NAME``, ``TEAM``, the primary scheme's
  total, 0-100 score, grade and 绩效系数, the other schemes' totals and grades (headers as in
  汇总), the ranks, ``SATISFACTION``, ``STATUS``, ``NOTE``.
- 汇总 (``SUMMARY``): one row per person of the roster, in roster order. ``ID``, ``NAME``,
  ``TEAM``; then every score of every scheme present (in the registry's summary order,
  ``xlpy.core.registry.summary_schemes``) under the core's labels (``SchemeResult.labels``):
  the primary scheme's (M, else K, else P) plain, e.g. 总分, 百分制, 等级, 绩效系数; the
  others' as ``scheme_column(scheme name, label)``, e.g. 技术等级·总分. ``DEPT_RANK`` and
  ``TEAM_RANK`` follow the primary's 绩效系数 column; then ``SATISFACTION`` and ``RESPONSES``
  when there were survey responses; ``STATUS`` (the primary's status and the status words of
  ``xlpy.words``: 缺表, 含未更正错误, joined by 、) and ``NOTE`` last.
- 明细 (``DETAIL``): same rows; ``ID``, ``NAME``, then one column per computed score under its
  汇总 header, holding the arithmetic as text.
- 部门评价 (``DEPARTMENT``): ``DEPARTMENT_COLUMNS`` (one row per indicator; 结果 is 达标 /
  未达标 / 无数据), then a title ``CHECKLIST_TITLE`` and ``CHECKLIST_COLUMNS``.
- 分布 (``DISTRIBUTION``): one row per grade; ``distribution_columns(teams)``; then the rows
  ``GRADED_ROW`` and ``GUIDELINE_ROW``; native COUNTIFS formulas over 汇总.
- 环比 (``TREND``): ``trend_columns(score header)``, then ``trend_change(header)`` for every
  other score both months have on the same full points; one row per person of this month. Its
  note says what changed between the two months' forms.
- 审计 (``AUDIT``): ``AUDIT_COLUMNS``, one row per fact of ``AUDIT_FACTS`` (month, version,
  parameter fingerprint, counts, last month's summary), then titled tables ``SOURCE_COLUMNS``,
  ``PARAMETER_COLUMNS``, ``FULL_COLUMNS`` (the full points of each 汇总 score column),
  ``FINDING_COLUMNS``.
- 更正记录 (``CHANGES``): ``CHANGE_COLUMNS``, every score changed by a re-run.

Columns are shown by ``column_kind(header)``: text, integer, percent or number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

FILE_PREFIX = "汇总-"
BOOK_TITLE = "售后服务部月度考核汇总"

OVERVIEW, SUMMARY, DETAIL, DEPARTMENT, DISTRIBUTION = "总览", "汇总", "明细", "部门评价", "分布"
TREND, AUDIT, CHANGES = "环比", "审计", "更正记录"
SHEETS = (OVERVIEW, SUMMARY, DETAIL, DEPARTMENT, DISTRIBUTION, TREND, AUDIT, CHANGES)
EVERY_SUMMARY_HAS = (SUMMARY, DETAIL, AUDIT)

TITLE_ROW, NOTE_ROW, HEADER_ROW = 0, 1, 2  # 0-based: title, blank or note, table header

# 汇总 and 明细
ID, NAME, TEAM = "工号", "姓名", "班组"
DEPT_RANK, TEAM_RANK, STATUS, NOTE = "部门排名", "班组排名", "状态", "备注"
SATISFACTION, RESPONSES = "客户满意度", "评价份数"

# 部门评价
DEPARTMENT_COLUMNS = ("指标", "对应问题", "满意/已完成", "作答/总数", "比率", "目标", "结果")
CHECKLIST_TITLE = "管理标准(由主管勾选)"
CHECKLIST_COLUMNS = ("标准", "已落实")
UNTICKED = "未勾选"

# 分布
GRADE, WHOLE_DEPARTMENT, SHARE_SUFFIX = "等级", "全部门", "占比"
GRADED_ROW, GUIDELINE_ROW = "已评级人数", "优秀占比指引"
OVER_GUIDELINE, WITHIN_GUIDELINE = "超出指引", "符合"

# 环比
LAST_MONTH, THIS_MONTH, CHANGE = "上月", "本月", "变化"

# 审计
AUDIT_COLUMNS = ("项目", "内容")
AUDIT_FACTS = ("月份", "xlpy 版本", "参数指纹", "源文件数", "错误数", "警告数", "上月汇总", CHANGES)
SOURCE_TITLE = "源文件"
SOURCE_COLUMNS = ("源文件", "类型", "SHA-256", "修改时间")
PARAMETER_TITLE = "与默认值不同的参数"
PARAMETER_COLUMNS = ("参数", "默认值", "本月取值")
FULL_TITLE = "各列满分"
FULL_COLUMNS = ("汇总列", "满分")
FINDING_TITLE = "警告与错误"
FINDING_COLUMNS = ("级别", "文件", "位置", "问题", "应为")

# 更正记录
SERIAL = "序号"
CHANGE_COLUMNS = (SERIAL, ID, NAME, "项目", "原值", "新值", "原依据", "新依据")

# how columns are shown
TEXT_COLUMNS = (ID, NAME, TEAM, STATUS, NOTE, "等级", "技术等级")
PERCENT_COLUMNS = (SATISFACTION, "比率", "目标")
INTEGER_COLUMNS = DEPARTMENT_COLUMNS[2:4]  # counts of answers
ColumnKind = Literal["text", "integer", "percent", "number"]


def file_name(month: str) -> str:
    """The summary of ``month`` (YYYY-MM)."""
    return f"{FILE_PREFIX}{month}.xlsx"


def is_summary(sheet_names: Sequence[str]) -> bool:
    """A workbook xlpy wrote as a month's summary, by this version or an earlier one (before
    总览 existed): it has the sheets every summary has."""
    return set(EVERY_SUMMARY_HAS) <= set(sheet_names)


def scheme_column(scheme_name: str, label: str) -> str:
    """The 汇总 header of a score of a scheme other than the primary one."""
    return f"{scheme_name}·{label}"


def distribution_columns(teams: Iterable[str]) -> list[str]:
    return [GRADE, WHOLE_DEPARTMENT, WHOLE_DEPARTMENT + SHARE_SUFFIX] + [
        h for team in teams for h in (team, team + SHARE_SUFFIX)
    ]


def trend_columns(score: str) -> list[str]:
    return [
        ID,
        NAME,
        TEAM,
        LAST_MONTH + score,
        THIS_MONTH + score,
        CHANGE,
        LAST_MONTH + GRADE,
        THIS_MONTH + GRADE,
    ]


def trend_change(header: str) -> str:
    """The 环比 column of the month-on-month change of the 汇总 column ``header``."""
    return f"{header}·{CHANGE}"


def column_kind(header: str) -> ColumnKind:
    if header in TEXT_COLUMNS or header.endswith((GRADE, STATUS)):
        return "text"
    if header in PERCENT_COLUMNS or header.endswith(SHARE_SUFFIX):
        return "percent"
    if header in INTEGER_COLUMNS or header.endswith(("排名", "份数", SERIAL)):
        return "integer"
    return "number"


def header_row(grid: Sequence[Sequence[Any]]) -> int | None:
    """The row of a table's header in a sheet's values (rows from A1): the first of the top rows
    whose first cell is 工号 or 序号."""
    for top, row in enumerate(grid[: HEADER_ROW + 4]):
        if row and row[0] in (ID, SERIAL):
            return top
    return None
