"""Form P — 售后服务绩效考核表: six dimensions scored 0-100, weighted mean, graded."""

from __future__ import annotations

from xlpy.core.scheme_entries import performance_entries
from xlpy.forms.formulas import grade_rows, p, quoted
from xlpy.forms.layout import ResultRows, Sheet, person_header, signatures
from xlpy.forms.model import Form
from xlpy.rules import Rules
from xlpy.words import MISSING_DATA

FORM_CODE = "SH/KH-06"
TITLE = "售后服务绩效考核表"


def performance_form(rules: Rules) -> Form:
    dims = rules.performance.dimensions
    sheet = Sheet("F")
    person_header(sheet, TITLE, FORM_CODE, ["A", "C", "E"])
    entries = {e.column: e for e in performance_entries(rules)}
    row = 4
    sheet.headers(row, "ABCEF", ("代码", "考核维度", "考核内容", "权重", "得分(0-100)"))
    sheet.merge(f"C{row}:D{row}")
    row += 1
    first = row
    for code, dim in dims.items():
        sheet.text(f"A{row}", code)
        sheet.text(f"B{row}", dim.name)
        sheet.text(f"C{row}", dim.content)
        sheet.merge(f"C{row}:D{row}")
        weight = p(f"performance.dimensions.{code}.weight")
        sheet.computed(f"E{row}", f"{code} 权重", f"={weight}", f"={weight}")
        sheet.entry(f"F{row}", entries[code], f"{dim.name}:填 0-100 的分数。")
        row += 1
    scores, weights = f"F{first}:F{row - 1}", f"E{first}:E{row - 1}"
    n = len(dims)

    results = ResultRows(sheet, row, ("B", "E"), "F")
    summary = results.add

    total = summary(
        "总分(按权重加权平均)",
        "total",
        f'IF(COUNT({scores})<{n},"",WEIGHTED_TOTAL({scores},{weights}))',
        f'IF(COUNT({scores})<{n},"",SUMPRODUCT({scores},{weights})/SUM({weights}))',
    )
    grade_rows(summary, total, rules)
    status = f'IF({total}="",{quoted(MISSING_DATA)},"")'
    summary("状态", "status", status, status, fmt="@")
    signatures(
        sheet, results.row + 1, [("A", "被考核人签字:"), ("C", "考核人签字:"), ("E", "日期:")]
    )
    sheet.note(
        results.row + 3,
        "填写说明:各维度填 0-100 的分数;权重在「参数」表中修改。灰色单元格由公式计算,不可修改。",
    )
    return sheet.form(
        "P", FORM_CODE, TITLE, "绩效考核", {"A": 6, "B": 20, "C": 30, "D": 22, "E": 8, "F": 12}
    )
