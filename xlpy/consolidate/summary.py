"""The summary workbook 汇总-YYYY-MM.xlsx: 汇总, 明细, 部门评价, 分布, 环比, 审计, 更正记录."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from xlpy.consolidate.history import CHANGE_COLUMNS, SavedSummary, score_changes
from xlpy.consolidate.model import MonthResults
from xlpy.consolidate.table import ID, NAME, STATUS, TEAM, detail_table, summary_table
from xlpy.consolidate.writer import (
    HEADER_ROW,
    Styles,
    column_range,
    open_book,
    print_setup,
    quoted,
    write_cell,
    write_findings,
    write_table,
)

SHEETS = ("汇总", "明细", "部门评价", "分布", "环比", "审计", "更正记录")


def main_columns(month: MonthResults) -> tuple[str, str, str]:
    """Headers of the primary total, the 0-100 score used for grades, and the grade."""
    result = month.results[month.primary] if month.primary else None
    if result is None:
        return "", "", ""
    labels = result.labels
    score = "percent" if "percent" in result.scores.columns else "total"
    return labels.get("total", "总分"), labels.get(score, "百分制"), labels.get("grade", "等级")


def write_summary(path: Path, month: MonthResults, previous: SavedSummary | None = None,
                  saved: SavedSummary | None = None) -> pd.DataFrame:
    """Write the workbook at ``path`` (callers make it atomic). Returns the 汇总 table."""
    table = summary_table(month)
    detail = detail_table(month)
    book, styles = open_book(path)
    _summary_sheet(book, styles, month, table)
    _detail_sheet(book, styles, detail)
    _department_sheet(book, styles, month)
    _distribution_sheet(book, styles, month, table)
    _trend_sheet(book, styles, month, table, previous)
    _audit_sheet(book, styles, month, previous, saved)
    changes = (score_changes(saved, table, detail, main_columns(month)[0]) if saved is not None
               else pd.DataFrame(columns=CHANGE_COLUMNS))
    _changes_sheet(book, styles, changes, saved)
    for extension, result in month.slices:
        extension.summary_sheets(book, styles, result)
    book.close()
    return table


def _title(sheet, styles: Styles, text: str, note: str = "") -> None:
    sheet.write_string(0, 0, text, styles.title)
    if note:
        sheet.write_string(1, 0, note, styles.note)


def _summary_sheet(book, styles, month: MonthResults, table: pd.DataFrame) -> None:
    sheet = book.add_worksheet("汇总")
    _title(sheet, styles, f"售后服务部月度考核汇总 · {month.month}",
           f"参数指纹 {month.fingerprint} · 共 {len(table)} 人 · 排名按{main_columns(month)[1] or '总分'}")
    write_table(sheet, styles, HEADER_ROW, table, {ID: 10, NAME: 10, TEAM: 10, STATUS: 14, "备注": 30},
                status_column=STATUS)
    sheet.freeze_panes(HEADER_ROW + 1, 3)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(table), 1), len(table.columns) - 1)


def _detail_sheet(book, styles, detail: pd.DataFrame) -> None:
    sheet = book.add_worksheet("明细")
    _title(sheet, styles, "计算明细", "每个得分的规则、录入和算式,可逐项手工核对")
    widths = {c: 34 for c in detail.columns if c not in (ID, NAME)}
    write_table(sheet, styles, HEADER_ROW, detail, widths)
    sheet.freeze_panes(HEADER_ROW + 1, 2)


def _department_sheet(book, styles, month: MonthResults) -> None:
    sheet = book.add_worksheet("部门评价")
    target = month.rules.department.target_rate
    _title(sheet, styles, "部门评价(满意度指标须达到目标)", f"目标 {target:.0%};绿色达标,红色未达标")
    if month.department is None or month.department.empty:
        sheet.write_string(HEADER_ROW, 0, "本月没有客户评价数据。", styles.note)
        row = HEADER_ROW + 2
    else:
        dep = month.department
        frame = pd.DataFrame({
            "指标": dep["metric"].to_numpy(),
            "对应问题": dep["questions"].to_numpy(),
            "满意/已完成": dep["numerator"].to_numpy(dtype=object),
            "作答/总数": dep["denominator"].to_numpy(dtype=object),
            "比率": dep["rate"].to_numpy(dtype=float),
            "目标": dep["target"].to_numpy(dtype=float),
            "结果": [("" if math.isnan(target) else "无数据") if met is None else
                   ("达标" if met else "未达标") for met, target in zip(dep["met"], dep["target"])],
        })
        row = write_table(sheet, styles, HEADER_ROW, frame, {"指标": 14, "对应问题": 12})
        for r, met in enumerate(dep["met"], start=HEADER_ROW + 1):
            if met is not None:
                write_cell(sheet, r, 6, "达标" if met else "未达标", styles.good if met else styles.bad)
        row += 1
    sheet.write_string(row, 0, "管理标准(由主管勾选)", styles.title)
    checklist = pd.DataFrame({
        "标准": month.rules.department.checklist,
        "已落实": [_ticked(month.checklist.get(item)) for item in month.rules.department.checklist]})
    write_table(sheet, styles, row + 1, checklist, {"标准": 16})


def _ticked(done: bool | None) -> str:
    return "未勾选" if done is None else ("是" if done else "否")


def _distribution_sheet(book, styles, month: MonthResults, table: pd.DataFrame) -> None:
    sheet = book.add_worksheet("分布")
    _, score_header, grade_header = main_columns(month)
    share_max = month.rules.grade.guideline.excellent_share_max
    _title(sheet, styles, "等级分布",
           f"指引:每个班组优秀不超过 {share_max:.0%};超出只提示主管,等级不强制调整")
    if not grade_header or grade_header not in table:
        sheet.write_string(HEADER_ROW, 0, "本月没有可分级的考核表。", styles.note)
        return
    grades = [band.label for band in month.rules.grade.bands.values()]
    teams = [t for t in dict.fromkeys(table[TEAM].dropna().astype(str)) if t]
    grade_range = column_range("汇总", table, grade_header, HEADER_ROW)
    team_range = column_range("汇总", table, TEAM, HEADER_ROW)
    headers = ["等级", "全部门", "全部门占比"] + [h for t in teams for h in (t, f"{t}占比")]
    for col, header in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, header, styles.header)
        sheet.set_column(col, col, 12)
    print_setup(sheet, HEADER_ROW, len(headers))
    groups = [("全部门", table)] + [(t, table[table[TEAM].astype(str) == t]) for t in teams]
    graded = {name: int((part[grade_header].fillna("") != "").sum()) for name, part in groups}
    first_row = HEADER_ROW + 1
    for r, grade in enumerate(grades, start=first_row):
        sheet.write_string(r, 0, grade, styles.text)
        for g, (name, part) in enumerate(groups):
            count = int((part[grade_header] == grade).sum())
            criteria = f"{grade_range},{quoted(grade)}" + ("" if g == 0 else f",{team_range},{quoted(name)}")
            count_cell = f"{_cell(r, 1 + 2 * g)}"
            sheet.write_formula(r, 1 + 2 * g, f"=COUNTIFS({criteria})", styles.integer, count)
            total_cell = _cell(first_row + len(grades), 1 + 2 * g)
            share = count / graded[name] if graded[name] else 0.0
            sheet.write_formula(r, 2 + 2 * g, f"=IF({total_cell}=0,0,{count_cell}/{total_cell})",
                                styles.percent, share)
    total_row = first_row + len(grades)
    sheet.write_string(total_row, 0, "已评级人数", styles.header)
    for g, (name, _) in enumerate(groups):
        col = 1 + 2 * g
        sheet.write_formula(total_row, col, f"=SUM({_cell(first_row, col)}:{_cell(total_row - 1, col)})",
                            styles.integer, graded[name])
    flag_row = total_row + 1
    sheet.write_string(flag_row, 0, "优秀占比指引", styles.header)
    for g, (name, part) in enumerate(groups):
        share = (int((part[grade_header] == grades[0]).sum()) / graded[name]) if graded[name] else 0.0
        over = share > share_max + 1e-12
        share_cell = _cell(first_row, 2 + 2 * g)
        sheet.write_formula(flag_row, 1 + 2 * g, f'=IF({share_cell}>{share_max},"超出指引","符合")',
                            styles.bad if over else styles.good, "超出指引" if over else "符合")
    _charts(book, sheet, table, grades, first_row, flag_row + 2, score_header)


def _cell(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row, col)


def _charts(book, sheet, table: pd.DataFrame, grades: list[str], first_row: int, at_row: int,
            score_header: str) -> None:
    last = first_row + len(grades) - 1
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": "全部门人数", "categories": ["分布", first_row, 0, last, 0],
                      "values": ["分布", first_row, 1, last, 1], "data_labels": {"value": True}})
    chart.set_title({"name": "等级分布"})
    chart.set_legend({"none": True})
    sheet.insert_chart(at_row, 0, chart, {"x_scale": 1.0, "y_scale": 1.0})
    if score_header in table and len(table):
        cols = list(table.columns)
        top, bottom = HEADER_ROW + 1, HEADER_ROW + len(table)
        bars = book.add_chart({"type": "bar"})
        bars.add_series({"name": score_header,
                         "categories": ["汇总", top, cols.index(NAME), bottom, cols.index(NAME)],
                         "values": ["汇总", top, cols.index(score_header), bottom, cols.index(score_header)]})
        bars.set_title({"name": f"个人{score_header}"})
        bars.set_legend({"none": True})
        bars.set_y_axis({"reverse": True})
        sheet.insert_chart(at_row, 8, bars, {"y_scale": max(1.0, len(table) / 14)})


def _trend_sheet(book, styles, month: MonthResults, table: pd.DataFrame,
                 previous: SavedSummary | None) -> None:
    sheet = book.add_worksheet("环比")
    _, score_header, grade_header = main_columns(month)
    if previous is None or not score_header:
        _title(sheet, styles, "环比", "同一文件夹中没有上月汇总,无法环比。")
        return
    _title(sheet, styles, "环比(与上月比较)", f"上月汇总:{previous.path.name}")
    old = previous.summary
    ids = table[ID].astype(str)
    old_score = pd.to_numeric(old[score_header], errors="coerce").reindex(ids) if score_header in old \
        else pd.Series(np.nan, index=ids)
    old_grade = old[grade_header].reindex(ids) if grade_header in old else pd.Series("", index=ids)
    now = pd.to_numeric(table[score_header], errors="coerce").to_numpy(dtype=float)
    frame = pd.DataFrame({
        ID: ids.to_numpy(), NAME: table[NAME].to_numpy(), TEAM: table[TEAM].to_numpy(),
        f"上月{score_header}": old_score.to_numpy(dtype=float),
        f"本月{score_header}": now,
        "变化": now - old_score.to_numpy(dtype=float),
        "上月等级": old_grade.fillna("").to_numpy(dtype=object),
        "本月等级": table[grade_header].fillna("").to_numpy(dtype=object),
    })
    write_table(sheet, styles, HEADER_ROW, frame)


def _audit_sheet(book, styles, month: MonthResults, previous: SavedSummary | None,
                 saved: SavedSummary | None) -> None:
    sheet = book.add_worksheet("审计")
    _title(sheet, styles, "审计记录")
    facts = pd.DataFrame({"项目": ["月份", "xlpy 版本", "参数指纹", "源文件数", "错误数", "警告数",
                                  "上月汇总", "更正记录"],
                          "内容": [month.month, month.version, month.fingerprint, len(month.sources),
                                 sum(f.severity == "error" for f in month.findings),
                                 sum(f.severity == "warning" for f in month.findings),
                                 f"{previous.path.name} (SHA-256 {previous.sha256})" if previous else "无",
                                 "见「更正记录」表(被替换的汇总在 备份 文件夹)"]})
    row = write_table(sheet, styles, HEADER_ROW, facts, {"项目": 16, "内容": 60}) + 1
    sources = pd.DataFrame([(s.name, s.kind, s.sha256, s.modified.strftime("%Y-%m-%d %H:%M:%S"))
                            for s in month.sources], columns=["源文件", "类型", "SHA-256", "修改时间"])
    sheet.write_string(row, 0, "源文件", styles.title)
    row = write_table(sheet, styles, row + 1, sources, {"源文件": 28, "SHA-256": 66, "修改时间": 20}) + 1
    sheet.write_string(row, 0, "与默认值不同的参数", styles.title)
    params = pd.DataFrame([(k, _show(d), _show(v)) for k, d, v in month.changed_parameters],
                          columns=["参数", "默认值", "本月取值"])
    if params.empty:
        sheet.write_string(row + 1, 0, "全部参数为默认值。", styles.note)
        row += 3
    else:
        row = write_table(sheet, styles, row + 1, params, {"参数": 44}) + 1
    sheet.write_string(row, 0, "警告与错误", styles.title)
    write_findings(sheet, styles, row + 1, month)


def _show(value) -> str:
    if isinstance(value, float) and not math.isnan(value):
        return f"{value:g}"
    return str(value)


def _changes_sheet(book, styles, changes: pd.DataFrame, saved: SavedSummary | None) -> None:
    """The same note whether or not an earlier summary existed, so an unchanged re-run gives a
    byte-identical file (and leaves the existing one untouched)."""
    sheet = book.add_worksheet("更正记录")
    _title(sheet, styles, "更正/复议记录",
           "重新汇总时变化的得分,连同前后两次的计算依据(被替换的汇总保存在 备份 文件夹);"
           "没有记录表示本月汇总未更正过")
    write_table(sheet, styles, HEADER_ROW, changes, {"项目": 18, "原依据": 60, "新依据": 60})
