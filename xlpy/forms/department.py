"""Form D — 售后部门评价标准表格: satisfaction metrics computed from the 客户评价 table, the
complaint and follow-up counts the department types, and the manager's checklist.

Computed cells name their core result as ``scorecard.<row>.<column>`` (a cell of
``department_scorecard``) or ``questions.<row>.<column>`` (a cell of ``question_stats``); 是否达标
shows 达标 / 未达标 / 无数据 for the core's True / False / None.
"""

from __future__ import annotations

from xlpy.core.registry import DEPARTMENT
from xlpy.core.scheme_entries import DEPARTMENT_COUNTS, department_entries
from xlpy.forms.formulas import p
from xlpy.forms.layout import Sheet, signatures, title_rows
from xlpy.forms.model import Form
from xlpy.forms.survey import question_columns
from xlpy.rules import Rules
from xlpy.shared import number_formats
from xlpy.words import num

FORM_CODE = "SH/KH-05"
TITLE = "售后部门评价标准表格"
SHEET = "部门评价"
MET, NOT_MET, NO_DATA = "达标", "未达标", "无数据"

CHECKLIST_STANDARDS = {
    "人员培训": "不断改进培训教材、培训方式,提高售后人员综合素质",
    "团队协作": "建立良好的团队氛围,保持团队凝聚力,推进团队协作、沟通、协调能力",
    "工具支持": "提供必要的工具和设备,保障售后服务的顺畅进行",
    "绩效考核": "定期制定绩效考核制度,建立合理的激励机制",
    "审批制度": "运用审核制度,及时审查售后服务结案单和维修报告单等相关文件",
    "售后数据分析": "对售后服务过程中的数据进行收集、整理、分析,不断提高服务水平和满意度",
}


def department_form(rules: Rules, survey: Form) -> Form:
    assert survey.table is not None
    table = survey.table
    sheet_ref = f"'{survey.sheet_prefix}'!"
    column = question_columns(survey, rules)

    def rng(code: str) -> str:
        return sheet_ref + table.range(column[code])

    threshold = p("survey.satisfied_threshold")
    target = p("department.target_rate")
    sheet = Sheet("G")
    title_rows(sheet, TITLE, FORM_CODE)
    sheet.text("A3", f"数据来自「{survey.sheet_prefix}」表,自动计算", "note")
    sheet.merge("A3:G3")

    row = 4
    sheet.section(
        row,
        f"一、客户满意度评价(评分 ≥ {num(rules.survey.satisfied_threshold)} "
        f"为满意,目标 {num(rules.department.target_rate * 100)}%)",
    )
    row += 1
    sheet.headers(
        row,
        "ABCDEFG",
        ("评价指标", "对应问题", "满意数", "有效评分数", "满意度", "目标", "是否达标"),
    )
    row += 1
    for key, metric in rules.department.metrics.items():
        ranges = [rng(q) for q in metric.questions]
        res = f"scorecard.{key}."
        sheet.text(f"A{row}", metric.name, "label")
        sheet.text(f"B{row}", "、".join(metric.questions))
        satisfied = "+".join(f'COUNTIF({r},">="&{threshold})' for r in ranges)
        answered = "+".join(f"COUNT({r})" for r in ranges)
        sheet.computed(
            f"C{row}",
            f"{metric.name}满意数",
            f"={satisfied}",
            f"={satisfied}",
            result=res + "numerator",
            number_format=number_formats.WHOLE,
        )
        sheet.computed(
            f"D{row}",
            f"{metric.name}有效评分数",
            f"={answered}",
            f"={answered}",
            result=res + "denominator",
            number_format=number_formats.WHOLE,
        )
        native = f'=IF(D{row}=0,"",C{row}/D{row})'
        addin = (
            f'=IF(D{row}=0,"",SATISFACTION({ranges[0]},{threshold}))'
            if len(ranges) == 1
            else native
        )  # SATISFACTION takes one range
        sheet.computed(
            f"E{row}",
            f"{metric.name}满意度",
            addin,
            native,
            result=res + "rate",
            number_format=number_formats.PERCENT_1,
        )
        sheet.computed(
            f"F{row}",
            "目标",
            f"={target}",
            f"={target}",
            result=res + "target",
            number_format=number_formats.PERCENT,
        )
        met = f'=IF(E{row}="","{NO_DATA}",IF(E{row}>=F{row}-1E-12,"{MET}","{NOT_MET}"))'
        sheet.computed(
            f"G{row}",
            f"{metric.name}是否达标",
            met,
            met,
            result=res + "met",
            number_format=number_formats.TEXT,
        )
        row += 1

    row += 1
    sheet.section(row, "二、各问题统计")
    row += 1
    sheet.headers(row, "ABCDEF", ("问题", "", "回答数", "平均分", "满意数", "满意度"))
    sheet.merge(f"A{row}:B{row}")
    row += 1
    codes = list(rules.survey.questions)
    first, last = column[codes[0]], column[codes[-1]]
    everything = f"{sheet_ref}${first}${table.first_row}:${last}${table.last_row}"
    for code in [*codes, "all"]:
        r = everything if code == "all" else rng(code)
        name = "全部问题" if code == "all" else f"{code} {rules.survey.questions[code]}"
        res = f"questions.{code}."
        sheet.text(f"A{row}", name, "label")
        sheet.merge(f"A{row}:B{row}")
        count = f"=COUNT({r})"
        sheet.computed(
            f"C{row}",
            f"{name}回答数",
            count,
            count,
            result=res + "answered",
            number_format=number_formats.WHOLE,
        )
        mean = f'=IF(C{row}=0,"",AVERAGE({r}))'
        sheet.computed(
            f"D{row}",
            f"{name}平均分",
            mean,
            mean,
            result=res + "mean",
            number_format=number_formats.TWO_DECIMALS,
        )
        satisfied = f'=COUNTIF({r},">="&{threshold})'
        sheet.computed(
            f"E{row}",
            f"{name}满意数",
            satisfied,
            satisfied,
            result=res + "satisfied",
            number_format=number_formats.WHOLE,
        )
        rate = f'=IF(C{row}=0,"",E{row}/C{row})'
        sheet.computed(
            f"F{row}",
            f"{name}满意度",
            f'=IF(C{row}=0,"",SATISFACTION({r},{threshold}))',
            rate,
            result=res + "rate",
            number_format=number_formats.PERCENT_1,
        )
        row += 1

    row += 1
    sheet.section(row, "三、售后服务监督(本月数据,由部门填写)")
    row += 1
    sheet.headers(row, "ABCDEF", ("项目", "分母项", "数量", "分子项", "数量", "比率"))
    row += 1
    entries = {e.column: e for e in department_entries(rules)}
    for key, (name, num_key, den_key, num_label, den_label) in DEPARTMENT_COUNTS.items():
        sheet.text(f"A{row}", name, "label")
        sheet.text(f"B{row}", den_label)
        sheet.entry(f"C{row}", entries[den_key], f"{name}:本月{den_label}的数量(不小于 0 的整数)。")
        sheet.text(f"D{row}", num_label)
        sheet.entry(
            f"E{row}",
            entries[num_key],
            f"{name}:本月{num_label}的数量(不小于 0 的整数,不大于{den_label})。",
        )
        rate = f'=IF(OR(C{row}="",E{row}="",N(C{row})=0),"",E{row}/C{row})'
        sheet.computed(
            f"F{row}",
            f"{name}比率",
            rate,
            rate,
            result=f"scorecard.{key}.rate",
            number_format=number_formats.PERCENT_1,
        )
        row += 1

    row += 1
    sheet.section(row, "四、售后团队建设与制度(部门经理评定)")
    row += 1
    sheet.headers(row, "ABF", ("评价指标", "评价标准", "是否达到"))
    sheet.merge(f"B{row}:E{row}")
    row += 1
    for i, item in enumerate(rules.department.checklist):
        sheet.text(f"A{row}", item, "label")
        sheet.text(f"B{row}", CHECKLIST_STANDARDS.get(item, ""))
        sheet.merge(f"B{row}:E{row}")
        sheet.entry(f"F{row}", entries[f"checklist.{i}"], f"{item}:达到标准填「是」,否则填「否」。")
        row += 1
    signatures(sheet, row + 1, [("A", "部门经理签字:"), ("D", "日期:")])
    return sheet.form(
        DEPARTMENT,
        FORM_CODE,
        TITLE,
        SHEET,
        {"A": 14, "B": 14, "C": 10, "D": 12, "E": 10, "F": 10, "G": 10},
        per_person=False,
    )
