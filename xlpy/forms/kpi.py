"""Form K — 售后服务员考核评分表(月度): five KPIs (业绩, tier points) and two rated behaviours.

The survey-fed KPI (K5 客户满意度, ``from_survey``) shows the actual scored in its 实际值 cell
(a formula) and has a row of its own below the KPIs: the typed actual (手填实际值) and where the
actual came from (取自客户评价(3 份) / 手填). In the month workbook the formula counts the
person's answered and satisfied scores on the 客户评价 sheet (exact match on 工号); a workbook
without that sheet (``xlpy template --split``) shows the typed actual and says the summary takes
the survey's when there is one.
"""

from __future__ import annotations

from xlpy.core.scheme_entries import kpi_entries
from xlpy.forms.formulas import (
    all_present,
    bands_native,
    grade_rows,
    p,
    quoted,
    span,
    stacked,
)
from xlpy.forms.layout import ResultRows, Sheet, person_header, signatures
from xlpy.forms.model import Form
from xlpy.forms.params import table_name
from xlpy.forms.survey import engineer_column, question_columns
from xlpy.rules import Rules
from xlpy.shared import number_formats
from xlpy.words import MISSING_DATA, SURVEY_SOURCE, TYPED_SOURCE, YES, num

FORM_CODE = "SH/KH-02"
TITLE = "售后服务员考核评分表(月度)"
BIG = "1E+300"  # completion when the denominator is 0 and the target is met (the core's inf)


# Native formulas of the core's K arithmetic, from cell and parameter references (also used by
# the macro-free copy of an adopted KPI sheet, xlpy.adopt.copy, with the rules' numbers).
def completion_native(target: str, actual: str, lower: str) -> str:
    """A KPI's completion (:func:`xlpy.core.kpi.completion`); ``lower``: the lower-is-better test."""
    return (
        f"IF({lower},IF({actual}=0,{BIG},{target}/{actual}),IF({target}=0,{BIG},{actual}/{target}))"
    )


def performance_native(cells: str, n_kpi: int, top: str) -> str:
    """业绩得分 on 0-100 however many KPIs: Σ ÷ (KPIs × top tier points) × 100, as the core
    scores it (:func:`xlpy.core.kpi.performance_points`); blank while a KPI is."""
    return f'IF(COUNT({cells})<{n_kpi},"",SUM({cells})*100/({n_kpi}*{top}))'


def behavior_native(own: str, boss: str, self_w: str) -> str:
    """A rated behaviour's 0-100 score (:func:`xlpy.core.kpi.behavior_points`), blank unrated."""
    level = f'IF({own}="",{boss},IF({boss}="",{own},{self_w}*{own}+(1-{self_w})*{boss}))'
    return f'IF(AND({own}="",{boss}=""),"",{level}/5*100)'


def total_native(perf: str, beh: str, perf_w: str, beh_w: str) -> str:
    """The K total from 业绩 and 行为 (blank while either is)."""
    return all_present([perf, beh], f"({perf_w}*{perf}+{beh_w}*{beh})/({perf_w}+{beh_w})")


def kpi_form(rules: Rules, survey: Form | None = None) -> Form:
    """The form; ``survey``: the 客户评价 form of the same workbook (None: not in the workbook)."""
    k = rules.kpi
    sheet = Sheet("G")
    person_header(sheet, TITLE, FORM_CODE, ["A", "C", "E"])
    employee = next(c.address for c in sheet.identity if c.field == "employee_id")
    entries = {e.column: e for e in kpi_entries(rules)}
    perf_w, beh_w = p("kpi.performance_weight"), p("kpi.behavior_weight")

    row = 4
    sheet.section(row, f"一、业绩考核(权重 {num(k.performance_weight * 100)}%)")
    row += 1
    sheet.headers(
        row, "ABCDEFG", ("代码", "考核项目", "目标值", "实际值", "完成率", "得分", "评分标准")
    )
    row += 1
    tiers = "、".join(f"≥{num(t.min_completion * 100)}% 得 {num(t.points)} 分" for t in k.tiers)
    top = p("kpi.tiers.0.points")
    first_kpi = row
    survey_row = first_kpi + len(k.indicators)  # the survey-fed KPI's own row, if there is one
    kpi_scores: list[tuple[str, str, str | None]] = []
    for code, kpi in k.indicators.items():
        target, actual = f"C{row}", f"D{row}"
        lower = f"{p(f'kpi.indicators.{code}.lower_is_better')}={quoted(YES)}"
        sheet.text(f"A{row}", code)
        sheet.text(f"B{row}", kpi.name)
        direction = (
            "越低越好:完成率 = 目标 ÷ 实际" if kpi.lower_is_better else "完成率 = 实际 ÷ 目标"
        )
        rule = f"{direction};{tiers};否则 0 分"
        sheet.entry(target, entries[f"{code}.target"], f"{kpi.name}:本月目标值,填不小于 0 的数。")
        if kpi.from_survey is None:
            sheet.entry(
                actual, entries[f"{code}.actual"], f"{kpi.name}:本月实际完成值,填不小于 0 的数。"
            )
        else:
            rule += (
                f"。实际值:本人本月有客户评价时 = 评分 ≥ {num(rules.survey.satisfied_threshold)}"
                " 分的占比 × 100(参数「实际值取自客户评价」),否则取手填实际值"
            )
            _survey_rows(sheet, rules, code, actual, survey_row, employee, survey, entries)
        sheet.text(f"G{row}", rule)
        missing = f'OR({target}="",{actual}="")'
        ratio = completion_native(target, actual, lower)
        sheet.computed(
            f"E{row}",
            f"{code} 完成率",
            f'=IF({missing},"",{ratio})',
            f'=IF({missing},"",{ratio})',
            number_format=f'[>=1E+299]"达标";{number_formats.PERCENT_1}',
        )
        tier_bands = [
            (p(f"kpi.tiers.{i}.min_completion"), p(f"kpi.tiers.{i}.points"))
            for i in range(len(k.tiers))
        ] + [("", "0")]
        native = f'=IF({missing},"",{bands_native(f"E{row}", tier_bands)})'
        kpi_scores.append((f"{code} 得分", native, code))
        row += 1
    # One TARGET_SCORE for the column (a missing target or actual scores blank)
    rows = list(range(first_kpi, row))
    lower = stacked([p(f"kpi.indicators.{code}.lower_is_better") for code in k.indicators])
    sheet.computed_column(
        "F",
        rows,
        f"=TARGET_SCORE({span('D', rows)},{span('C', rows)},{lower},"
        f"{top},{table_name('kpi_tiers')})",
        kpi_scores,
    )
    kpi_cells = f"F{first_kpi}:F{row - 1}"
    n_kpi = len(k.indicators)
    if k.survey_indicator is not None:
        row += 1
    sheet.text(f"B{row}", "业绩得分", "label")
    sheet.merge(f"B{row}:E{row}")
    formula = f"={performance_native(kpi_cells, n_kpi, top)}"
    sheet.computed(f"F{row}", "业绩得分", formula, formula, result="performance")
    perf_cell = f"F{row}"
    row += 2

    sheet.section(row, f"二、行为考核(权重 {num(k.behavior_weight * 100)}%)")
    row += 1
    sheet.headers(
        row,
        "ABCDEFG",
        ("代码", "行为指标", "自评(1-5)", "上级评分(1-5)", "权重", "得分", "等级说明(1 级 → 5 级)"),
    )
    row += 1
    first_beh = row
    self_w = p("kpi.behavior.self_weight")
    singles = []
    behavior_scores: list[tuple[str, str, str | None]] = []
    for code, behavior in k.behavior.indicators.items():
        own, boss = f"C{row}", f"D{row}"
        sheet.text(f"A{row}", code)
        sheet.text(f"B{row}", behavior.name)
        sheet.text(
            f"G{row}",
            "\n".join(f"{i} 级:{text}" for i, text in enumerate(behavior.levels, start=1)),
        )
        levels = ";".join(f"{i}={t}" for i, t in enumerate(behavior.levels, start=1))
        sheet.entry(
            own, entries[f"{code}.self"], f"{behavior.name}·自评:1-5 的整数。{levels}"[:250]
        )
        sheet.entry(
            boss,
            entries[f"{code}.manager"],
            f"{behavior.name}·上级评分:1-5 的整数。只有一方评分时按该方计(单人评分)。",
        )
        w = p(f"kpi.behavior.indicators.{code}.weight")
        sheet.computed(f"E{row}", f"{code} 权重", f"={w}", f"={w}")
        behavior_scores.append((f"{code} 得分", f"={behavior_native(own, boss, self_w)}", code))
        singles.append(f'({own}="")<>({boss}="")')
        row += 1
    rows = list(range(first_beh, row))  # one BEHAVIOR_SCORE for the column (both blank: blank)
    sheet.computed_column(
        "F", rows, f"=BEHAVIOR_SCORE({span('C', rows)},{span('D', rows)},{self_w})", behavior_scores
    )
    scores, weights = f"F{first_beh}:F{row - 1}", f"E{first_beh}:E{row - 1}"
    n_beh = len(k.behavior.indicators)
    sheet.text(f"B{row}", "行为得分", "label")
    sheet.merge(f"B{row}:E{row}")
    sheet.computed(
        f"F{row}",
        "行为得分",
        f'=IF(COUNT({scores})<{n_beh},"",WEIGHTED_TOTAL({scores},{weights}))',
        f'=IF(COUNT({scores})<{n_beh},"",SUMPRODUCT({scores},{weights})/SUM({weights}))',
        result="behavior",
    )
    beh_cell = f"F{row}"
    row += 2

    results = ResultRows(sheet, row, ("B", "E"), "F")
    summary = results.add

    total_formula = total_native(perf_cell, beh_cell, perf_w, beh_w)
    total = summary(
        f"总分(业绩×{num(k.performance_weight)} + 行为×{num(k.behavior_weight)})",
        "total",
        total_formula,
        total_formula,
    )
    grade_rows(summary, total, rules)
    single = f"OR({','.join(singles)})"
    status = (
        f'IF({single},"单人评分"&IF({total}="","、缺数据",""),'
        f'IF({total}="",{quoted(MISSING_DATA)},""))'
    )
    summary("状态", "status", status, status, fmt="@")

    signatures(sheet, results.row + 1, [("A", "被考核人签字:"), ("C", "上级签字:"), ("F", "日期:")])
    sheet.note(
        results.row + 3,
        "填写说明:目标值与实际值填不小于 0 的数;行为等级填 1-5 的整数,"
        "自评由本人填写,上级评分由直接上级填写。灰色单元格由公式计算,不可修改。"
        + (
            f"{k.survey_indicator} {k.indicators[k.survey_indicator].name}的实际值按客户评价计算"
            "(见「来源」);没有本人的客户评价时填写「手填实际值」。"
            if k.survey_indicator
            else ""
        ),
    )
    return sheet.form(
        "K",
        FORM_CODE,
        TITLE,
        "月评分",
        {"A": 6, "B": 16, "C": 10, "D": 11, "E": 9, "F": 8, "G": 46},
    )


def _survey_rows(
    sheet: Sheet,
    rules: Rules,
    code: str,
    actual: str,
    row: int,
    employee: str,
    survey: Form | None,
    entries: dict,
) -> None:
    """The survey-fed KPI: the actual scored in ``actual`` and, on ``row``, the typed actual and
    where the actual came from."""
    kpi = rules.kpi.indicators[code]
    typed = f"D{row}"
    on = f"{p(f'kpi.indicators.{code}.from_survey')}={quoted(YES)}"
    sheet.text(f"B{row}", "手填实际值", "label")
    sheet.entry(
        typed,
        entries[f"{code}.actual"],
        f"{kpi.name}:没有本人本月的客户评价时填写实际值(不小于 0 的数,百分数按百分点填,"
        "如 90);有客户评价时按客户评价计算,此格可留空。",
    )
    sheet.text(f"E{row}", "来源", "label")
    sheet.merge(f"F{row}:G{row}")
    typed_value = f'IF({typed}="","",{typed})'
    if survey is None:  # the 客户评价 sheet is not in this workbook
        value = f"={typed_value}"
        source = (
            f'=IF({on},"{TYPED_SOURCE};汇总时如有本人的客户评价则{SURVEY_SOURCE}","{TYPED_SOURCE}")'
        )
    else:
        responses, answered, satisfied = _survey_counts(survey, rules, employee)
        use = f'AND({on},TRIM({employee}&"")<>"",{answered}>0)'
        value = f"=IF({use},({satisfied})/({answered})*100,{typed_value})"
        source = f'=IF({use},"{SURVEY_SOURCE}("&{responses}&" 份)","{TYPED_SOURCE}")'
    sheet.computed(actual, f"{code} 实际值", value, value)
    sheet.computed(f"F{row}", f"{code} 实际值来源", source, source, number_format="@")


def _survey_counts(survey: Form, rules: Rules, employee: str) -> tuple[str, str, str]:
    """Formulas counting the person's responses, answered scores and satisfied scores on the
    客户评价 sheet: exact match of the 工号 (as text, spaces trimmed, as the core reads it),
    never a criteria string built from what was typed."""
    assert survey.table is not None
    sheet = f"'{survey.sheet_prefix}'!"
    ids = sheet + survey.table.range(engineer_column(survey))
    mine = f'(TRIM({ids}&"")=TRIM({employee}&""))'
    scores = [sheet + survey.table.range(c) for c in question_columns(survey, rules).values()]
    threshold = p("survey.satisfied_threshold")
    responses = f"SUMPRODUCT(--{mine})"
    answered = "+".join(f"SUMPRODUCT({mine}*ISNUMBER({r}))" for r in scores)
    satisfied = "+".join(f"SUMPRODUCT({mine}*ISNUMBER({r})*({r}>={threshold}))" for r in scores)
    return responses, answered, satisfied
