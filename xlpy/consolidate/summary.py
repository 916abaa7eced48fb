"""The summary workbook 汇总-YYYY-MM.xlsx: 汇总, 明细, 部门评价, 分布, 环比, 审计, 更正记录."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from xlpy.consolidate.history import CHANGE_COLUMNS, SavedSummary, score_changes
from xlpy.consolidate.history_compare import NOTE_SEPARATOR, Comparison, compare_forms
from xlpy.consolidate.model import MonthResults
from xlpy.consolidate.table import column_fulls, detail_table, overview_table, summary_table
from xlpy.consolidate.writer import (
    Styles,
    column_range,
    finish_printing,
    open_book,
    quoted,
    write_cell,
    write_findings,
    write_table,
    xl_rowcol_to_cell,
)
from xlpy.forms import summary as s
from xlpy.forms.department import MET, NO_DATA, NOT_MET
from xlpy.forms.summary import HEADER_ROW, ID, NAME, STATUS, TEAM
from xlpy.words import exceeds, yes_no_word

CHART_MARGIN_PX, BAR_PX = 90, 22  # the 个人 bar chart: title and axis, and each person's bar
CHART_ROWS = 16  # rows the 等级分布 chart takes (288 px)


def main_columns(month: MonthResults) -> tuple[str, str, str]:
    """Headers of the primary total, the 0-100 score used for grades, and the grade."""
    result = month.results[month.primary] if month.primary else None
    if result is None:
        return "", "", ""
    labels = result.labels
    score = "percent" if "percent" in result.scores.columns else "total"
    return labels.get("total", "总分"), labels.get(score, "百分制"), labels.get("grade", "等级")


def write_summary(
    path: Path,
    month: MonthResults,
    previous: SavedSummary | None = None,
    saved: SavedSummary | None = None,
    previous_problem: str = "",
) -> pd.DataFrame:
    """Write the workbook at ``path`` (callers make it atomic). Returns the 汇总 table.
    ``previous_problem``: why a previous month's summary found beside is not used for 环比."""
    table = summary_table(month)
    detail = detail_table(month)
    fulls = column_fulls(month)
    comparison = (
        compare_forms(previous, table, fulls, month.fingerprint, main_columns(month)[1])
        if previous is not None
        else None
    )
    book, styles = open_book(path)
    _overview_sheet(book, styles, month, table)
    _summary_sheet(book, styles, month, table, comparison)
    _detail_sheet(book, styles, detail)
    _department_sheet(book, styles, month)
    distribution_sheet(book, styles, month, table)
    _trend_sheet(book, styles, month, table, previous, comparison, previous_problem)
    _audit_sheet(book, styles, month, previous, fulls, previous_problem)
    changes = (
        score_changes(saved, table, detail, main_columns(month)[0])
        if saved is not None
        else pd.DataFrame(columns=CHANGE_COLUMNS)
    )
    _changes_sheet(book, styles, changes, saved)
    for extension, result in month.slices:
        extension.summary_sheets(book, styles, result)
    finish_printing(book)
    book.close()
    return table


def _title(sheet, styles: Styles, text: str, note: str = "") -> None:
    sheet.write_string(s.TITLE_ROW, 0, text, styles.title)
    if note:
        sheet.write_string(s.NOTE_ROW, 0, note, styles.note)


def _overview_sheet(book, styles, month: MonthResults, table: pd.DataFrame) -> None:
    """What a manager prints: core columns, one team per page, the header on every page."""
    sheet = book.add_worksheet(s.OVERVIEW)
    overview = overview_table(month, table)
    _title(
        sheet,
        styles,
        f"{s.BOOK_TITLE} · {month.month} · {s.OVERVIEW}",
        f"每个班组一页;各项得分见「{s.SUMMARY}」,算式见「{s.DETAIL}」",
    )
    widths = {c: 8 for c in overview.columns if s.column_kind(c) != "text"}
    widths |= {c: 8 for c in overview.columns if c.endswith(s.GRADE)}
    widths |= {ID: 9, NAME: 9, TEAM: 8, STATUS: 12, s.NOTE: 24}
    write_table(sheet, styles, HEADER_ROW, overview, widths, status_column=STATUS)
    teams = overview[TEAM].fillna("").to_numpy()
    sheet.set_h_pagebreaks(
        [HEADER_ROW + 1 + i for i in range(1, len(teams)) if teams[i] != teams[i - 1]]
    )
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.activate()


def _summary_sheet(
    book, styles, month: MonthResults, table: pd.DataFrame, comparison: Comparison | None
) -> None:
    sheet = book.add_worksheet(s.SUMMARY)
    changed = (
        f" · 考核项或满分与上月不同,见「{s.TREND}」" if comparison and comparison.notes else ""
    )
    _title(
        sheet,
        styles,
        f"{s.BOOK_TITLE} · {month.month}",
        f"参数指纹 {month.fingerprint} · 共 {len(table)} 人 · "
        f"排名按{main_columns(month)[1] or '总分'}{changed}",
    )
    write_table(
        sheet,
        styles,
        HEADER_ROW,
        table,
        {ID: 10, NAME: 10, TEAM: 10, STATUS: 14, s.NOTE: 30},
        status_column=STATUS,
        identity=3,
    )
    sheet.freeze_panes(HEADER_ROW + 1, 3)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(table), 1), len(table.columns) - 1)


def _detail_sheet(book, styles, detail: pd.DataFrame) -> None:
    sheet = book.add_worksheet(s.DETAIL)
    _title(sheet, styles, "计算明细", "每个得分的规则、录入和算式,可逐项手工核对")
    widths = {c: 34 for c in detail.columns if c not in (ID, NAME)}
    write_table(sheet, styles, HEADER_ROW, detail, widths, identity=2)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(detail), 1), len(detail.columns) - 1)


def _department_sheet(book, styles, month: MonthResults) -> None:
    sheet = book.add_worksheet(s.DEPARTMENT)
    target = month.rules.department.target_rate
    _title(
        sheet, styles, "部门评价(满意度指标须达到目标)", f"目标 {target:.0%};绿色达标,红色未达标"
    )
    if month.department is None or month.department.empty:
        sheet.write_string(HEADER_ROW, 0, "本月没有客户评价数据。", styles.note)
        row = HEADER_ROW + 2
    else:
        dep = month.department
        results = [
            ("" if math.isnan(target) else NO_DATA) if met is None else (MET if met else NOT_MET)
            for met, target in zip(dep["met"], dep["target"])
        ]
        frame = pd.DataFrame(
            dict(
                zip(
                    s.DEPARTMENT_COLUMNS,
                    (
                        dep["metric"].to_numpy(),
                        dep["questions"].to_numpy(),
                        dep["numerator"].to_numpy(dtype=object),
                        dep["denominator"].to_numpy(dtype=object),
                        dep["rate"].to_numpy(dtype=float),
                        dep["target"].to_numpy(dtype=float),
                        results,
                    ),
                )
            )
        )
        metric, questions = s.DEPARTMENT_COLUMNS[:2]
        row = write_table(
            sheet, styles, HEADER_ROW, frame, {metric: 14, questions: 12}, repeat=False
        )
        result_col = len(s.DEPARTMENT_COLUMNS) - 1
        for r, met in enumerate(dep["met"], start=HEADER_ROW + 1):
            if met is not None:
                write_cell(
                    sheet,
                    r,
                    result_col,
                    MET if met else NOT_MET,
                    styles.good if met else styles.bad,
                    styles,
                )
        row += 1
    sheet.write_string(row, 0, s.CHECKLIST_TITLE, styles.title)
    standard, done = s.CHECKLIST_COLUMNS
    checklist = pd.DataFrame(
        {
            standard: month.rules.department.checklist,
            done: [_ticked(month.checklist.get(item)) for item in month.rules.department.checklist],
        }
    )
    write_table(sheet, styles, row + 1, checklist, {standard: 16})


def _ticked(done: bool | None) -> str:
    return s.UNTICKED if done is None else yes_no_word(done)


def distribution_sheet(book, styles, month: MonthResults, table: pd.DataFrame) -> None:
    sheet = book.add_worksheet(s.DISTRIBUTION)
    _, score_header, grade_header = main_columns(month)
    share_max = month.rules.grade.guideline.excellent_share_max
    _title(
        sheet,
        styles,
        "等级分布",
        f"指引:每个班组优秀不超过 {share_max:.0%};超出只提示主管,等级不强制调整",
    )
    if not grade_header or grade_header not in table:
        sheet.write_string(HEADER_ROW, 0, "本月没有可分级的考核表。", styles.note)
        return
    grades = [band.label for band in month.rules.grade.bands.values()]
    teams = [t for t in dict.fromkeys(table[TEAM].dropna().astype(str)) if t]
    grade_range = column_range(s.SUMMARY, table, grade_header, HEADER_ROW)
    team_range = column_range(s.SUMMARY, table, TEAM, HEADER_ROW)
    headers = s.distribution_columns(teams)
    for col, header in enumerate(headers):
        write_cell(sheet, HEADER_ROW, col, header, styles.header, styles)  # team names: as in 汇总
        sheet.set_column(col, col, 12)
    groups = [(s.WHOLE_DEPARTMENT, table)] + [
        (t, table[table[TEAM].astype(str) == t]) for t in teams
    ]
    graded = {name: int((part[grade_header].fillna("") != "").sum()) for name, part in groups}
    first_row = HEADER_ROW + 1
    for r, grade in enumerate(grades, start=first_row):
        write_cell(sheet, r, 0, grade, styles.text, styles)
        for g, (name, part) in enumerate(groups):
            count = int((part[grade_header] == grade).sum())
            # Exact matches against the label cells (never COUNTIFS: * ? ~ in a team name would
            # be wildcards, and user text never goes into a formula)
            grade_cell = xl_rowcol_to_cell(r, 0, col_abs=True)
            team_cell = xl_rowcol_to_cell(HEADER_ROW, 1 + 2 * g, row_abs=True)
            matches = f"EXACT({grade_range},{grade_cell})" + (
                "" if g == 0 else f"*EXACT({team_range},{team_cell})"
            )
            count_cell = f"{_cell(r, 1 + 2 * g)}"
            sheet.write_formula(r, 1 + 2 * g, f"=SUMPRODUCT(--({matches}))", styles.integer, count)
            total_cell = _cell(first_row + len(grades), 1 + 2 * g)
            share = count / graded[name] if graded[name] else 0.0
            sheet.write_formula(
                r,
                2 + 2 * g,
                f"=IF({total_cell}=0,0,{count_cell}/{total_cell})",
                styles.percent,
                share,
            )
    total_row = first_row + len(grades)
    sheet.write_string(total_row, 0, s.GRADED_ROW, styles.header)
    for g, (name, _) in enumerate(groups):
        col = 1 + 2 * g
        sheet.write_formula(
            total_row,
            col,
            f"=SUM({_cell(first_row, col)}:{_cell(total_row - 1, col)})",
            styles.integer,
            graded[name],
        )
    flag_row = total_row + 1
    sheet.write_string(flag_row, 0, s.GUIDELINE_ROW, styles.header)
    for g, (name, part) in enumerate(groups):
        share = (
            (int((part[grade_header] == grades[0]).sum()) / graded[name]) if graded[name] else 0.0
        )
        over = exceeds(share, share_max)
        share_cell = _cell(first_row, 2 + 2 * g)
        over_text, within_text = quoted(s.OVER_GUIDELINE), quoted(s.WITHIN_GUIDELINE)
        sheet.write_formula(
            flag_row,
            1 + 2 * g,
            f"=IF({share_cell}>{share_max},{over_text},{within_text})",
            styles.bad if over else styles.good,
            s.OVER_GUIDELINE if over else s.WITHIN_GUIDELINE,
        )
    _charts(book, sheet, table, grades, first_row, flag_row + 2, score_header)


def _cell(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row, col)


def _charts(
    book,
    sheet,
    table: pd.DataFrame,
    grades: list[str],
    first_row: int,
    at_row: int,
    score_header: str,
) -> None:
    last = first_row + len(grades) - 1
    chart = book.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "全部门人数",
            "categories": [s.DISTRIBUTION, first_row, 0, last, 0],
            "values": [s.DISTRIBUTION, first_row, 1, last, 1],
            "data_labels": {"value": True},
        }
    )
    chart.set_title({"name": "等级分布"})
    chart.set_legend({"none": True})
    sheet.insert_chart(at_row, 0, chart, {"x_scale": 1.0, "y_scale": 1.0})
    if score_header in table and len(table):
        cols = list(table.columns)
        top, bottom = HEADER_ROW + 1, HEADER_ROW + len(table)
        bars = book.add_chart({"type": "bar"})
        bars.add_series(
            {
                "name": score_header,
                "categories": [s.SUMMARY, top, cols.index(NAME), bottom, cols.index(NAME)],
                "values": [
                    s.SUMMARY,
                    top,
                    cols.index(score_header),
                    bottom,
                    cols.index(score_header),
                ],
            }
        )
        bars.set_title({"name": f"个人{score_header}"})
        bars.set_legend({"none": True})
        # every name labelled (Excel skips labels it thinks crowded): one label per bar, a
        # fixed font, and room for it
        bars.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 10}})
        bars.set_size({"width": 480, "height": CHART_MARGIN_PX + BAR_PX * len(table)})
        sheet.insert_chart(at_row + CHART_ROWS, 0, bars)  # below, so the sheet prints A4 wide


def _trend_sheet(
    book,
    styles,
    month: MonthResults,
    table: pd.DataFrame,
    previous: SavedSummary | None,
    comparison: Comparison | None,
    previous_problem: str,
) -> None:
    sheet = book.add_worksheet(s.TREND)
    _, score_header, grade_header = main_columns(month)
    if previous is None or comparison is None or not score_header:
        _title(sheet, styles, "环比", previous_problem or "同一文件夹中没有上月汇总,无法环比。")
        return
    note = NOTE_SEPARATOR.join([f"上月汇总:{previous.path.name}", *comparison.notes])
    _title(sheet, styles, "环比(与上月比较)", note)
    old = previous.summary
    ids = table[ID].astype(str)
    old_score = (
        pd.to_numeric(old[score_header], errors="coerce").reindex(ids)
        if score_header in old
        else pd.Series(np.nan, index=ids)
    )
    old_grade = old[grade_header].reindex(ids) if grade_header in old else pd.Series("", index=ids)
    now = pd.to_numeric(table[score_header], errors="coerce").to_numpy(dtype=float)
    frame = pd.DataFrame(
        dict(
            zip(
                s.trend_columns(score_header),
                (
                    ids.to_numpy(),
                    table[NAME].to_numpy(),
                    table[TEAM].to_numpy(),
                    old_score.to_numpy(dtype=float),
                    now,
                    now - old_score.to_numpy(dtype=float),
                    old_grade.fillna("").to_numpy(dtype=object),
                    table[grade_header].fillna("").to_numpy(dtype=object),
                ),
            )
        )
    )
    for header, old_header in comparison.pairs:
        before = pd.to_numeric(old[old_header], errors="coerce").reindex(ids)
        after = pd.to_numeric(table[header], errors="coerce").to_numpy(dtype=float)
        frame[s.trend_change(header)] = after - before.to_numpy(dtype=float)
    write_table(sheet, styles, HEADER_ROW, frame, identity=3)


def _audit_sheet(
    book,
    styles,
    month: MonthResults,
    previous: SavedSummary | None,
    fulls: dict[str, float],
    previous_problem: str,
) -> None:
    sheet = book.add_worksheet(s.AUDIT)
    _title(sheet, styles, "审计记录")
    item, content = s.AUDIT_COLUMNS
    facts = pd.DataFrame(
        {
            item: list(s.AUDIT_FACTS),
            content: [
                month.month,
                month.version,
                month.fingerprint,
                len(month.sources),
                sum(f.severity == "error" for f in month.findings),
                sum(f.severity == "warning" for f in month.findings),
                f"{previous.path.name} (SHA-256 {previous.sha256})"
                if previous
                else previous_problem or "无",
                f"见「{s.CHANGES}」表(被替换的汇总在 备份 文件夹)",
            ],
        }
    )
    row = write_table(sheet, styles, HEADER_ROW, facts, {item: 16, content: 60}, repeat=False) + 1
    sources = pd.DataFrame(
        [
            (f.name, f.kind, f.sha256, f.modified.strftime("%Y-%m-%d %H:%M:%S"))
            for f in month.sources
        ],
        columns=list(s.SOURCE_COLUMNS),
    )
    sheet.write_string(row, 0, s.SOURCE_TITLE, styles.title)
    row = (
        write_table(sheet, styles, row + 1, sources, _widths(s.SOURCE_COLUMNS, (28, None, 66, 20)))
        + 1
    )
    sheet.write_string(row, 0, s.PARAMETER_TITLE, styles.title)
    params = pd.DataFrame(
        [(k, _show(d), _show(v)) for k, d, v in month.changed_parameters],
        columns=list(s.PARAMETER_COLUMNS),
    )
    if params.empty:
        sheet.write_string(row + 1, 0, "全部参数为默认值。", styles.note)
        row += 3
    else:
        row = write_table(sheet, styles, row + 1, params, {s.PARAMETER_COLUMNS[0]: 44}) + 1
    sheet.write_string(row, 0, s.FULL_TITLE, styles.title)
    full_table = pd.DataFrame(list(fulls.items()), columns=list(s.FULL_COLUMNS))
    row = write_table(sheet, styles, row + 1, full_table, {s.FULL_COLUMNS[0]: 24}) + 1
    sheet.write_string(row, 0, s.FINDING_TITLE, styles.title)
    write_findings(sheet, styles, row + 1, month)


def _widths(columns: tuple[str, ...], widths: tuple[int | None, ...]) -> dict[str, int]:
    return {column: width for column, width in zip(columns, widths) if width is not None}


def _show(value) -> str:
    if isinstance(value, float) and not math.isnan(value):
        return f"{value:g}"
    return str(value)


def _changes_sheet(book, styles, changes: pd.DataFrame, saved: SavedSummary | None) -> None:
    """The same note whether or not an earlier summary existed, so an unchanged re-run gives a
    byte-identical file (and leaves the existing one untouched)."""
    sheet = book.add_worksheet(s.CHANGES)
    _title(
        sheet,
        styles,
        "更正/复议记录",
        "重新汇总时变化的得分,连同前后两次的计算依据(被替换的汇总保存在 备份 文件夹);"
        "没有记录表示本月汇总未更正过",
    )
    write_table(
        sheet,
        styles,
        HEADER_ROW,
        changes,
        _widths(s.CHANGE_COLUMNS[3:], (18, None, None, 48, 48)),
        identity=3,
    )
