"""The workbook's own sheets: 说明 (how to use), 参数 (rule parameters), 人员 (roster)."""

from __future__ import annotations

from typing import Any

from xlpy.forms import Form, derived_tables, param_rows
from xlpy.forms.params import HEADERS
from xlpy.forms.roster import COLUMNS, ROSTER_SHEET, STAFF_IDS, STAFF_NAMES, WIDTHS
from xlpy.rules import Rules
from xlpy.shared import number_formats
from xlpy.template.roster import Person
from xlpy.template.sheets import A4, PROTECTION
from xlpy.template.styles import Styles
from xlpy.words import YES_NO_CHOICES

GUIDE_SHEET = "说明"


def write_guide(
    ws: Any,
    styles: Styles,
    *,
    month: str,
    version: str,
    fingerprint: str,
    variant: str,
    forms: list[Form],
) -> None:
    """How to use the workbook. Nothing on it depends on whose forms the workbook holds (the
    tab bar lists the sheets): every split file of a month carries the same 说明, which a batch
    reads once (:mod:`xlpy.validate.sheets` remembers sheets by content)."""
    formula_text = (
        "加载项函数(需安装 xlpy 加载项,如 =ITEM_SCORE(...))"
        if variant == "addin"
        else "Excel 内置函数(无需加载项,WPS / LibreOffice 亦可计算)"
    )
    lines: list[tuple[str, str]] = [
        (f"售后服务部 {month} 月度考核工作簿", "title"),
        ("使用说明", "section"),
        (
            (
                "1. 每人一张考核表,工作表名为「表名-工号-姓名」;黄色单元格为填写区,灰色单元格由公式自动计算"
                "并已锁定(工作表保护无密码,仅防误改)。"
            ),
            "text",
        ),
        (
            "2. 把鼠标停在黄色单元格上会显示填写提示;次数填不小于 0 的整数(空白视为 0),评级从下拉列表选择。",
            "text",
        ),
        (
            (
                "3. 「客户评价」表每行录入一份客户评价,服务工程师工号须在「人员」表中;"
                "客户联系方式属个人信息,只保存在该表。"
            ),
            "text",
        ),
        (
            "4. 「部门评价」表由「客户评价」表自动计算满意度,部门另填投诉、回访数量和团队建设评定。",
            "text",
        ),
        (
            (
                "5. 评分参数(满分、每次扣分、等级线、权重等)在「参数」表黄色单元格中修改,各表得分随之重新计算;"
                "灰色参数(名称、结构)如需修改,请修改规则文件后重新生成模板。"
            ),
            "text",
        ),
        (
            (
                "6. 月末由 xlpy 校验并汇总(Excel 功能区按钮,或命令 xlpy validate / xlpy consolidate);"
                "错误提示会写明工作表和单元格。"
            ),
            "text",
        ),
        ("文件信息", "section"),
        (f"月份:{month}", "text"),
        (f"xlpy 版本:{version}", "text"),
        (f"参数指纹:{fingerprint}(汇总结果会记录所用参数的指纹,便于核对)", "text"),
        (f"计算公式:{formula_text}", "text"),
        ("表单", "section"),
    ]
    lines += [(f"{f.form_code}  {f.title}(工作表「{f.sheet_prefix}…」)", "text") for f in forms]
    ws.set_column(0, 0, 110)
    for row, (text, style) in enumerate(lines):
        ws.write_string(row, 0, text, styles.get(style, border=False))
        if style == "text" and len(text) > 50:
            ws.set_row(row, 30)
    ws.set_row(0, 28)
    _print(ws)
    ws.protect("", PROTECTION)


def write_params(ws: Any, styles: Styles, rules: Rules) -> None:
    ws.write_string(0, 0, "参数(评分规则)", styles.get("title", border=False))
    ws.write_string(
        1,
        0,
        "黄色单元格可修改,各表得分随之重新计算;灰色为名称或结构,修改需重新生成模板。"
        "F:G 列为各函数使用的参数表,自动引用左侧数值。",
        styles.get("note"),
    )
    for col, (text, width) in enumerate(zip(HEADERS, (44, 16, 12, 40))):
        ws.write_string(2, col, text, styles.get("header"))
        ws.set_column(col, col, width)
    ws.set_column(4, 4, 3)
    ws.set_column(5, 6, 12)
    for row in param_rows(rules):
        r = row.row - 1
        ws.write_string(r, 0, row.key, styles.get("param_key"))
        ws.write_string(r, 1, row.label, styles.get("text"))
        style = "entry" if row.editable else "computed"
        if isinstance(row.value, str):
            ws.write_string(r, 2, row.value, styles.get(style))
        else:
            ws.write_number(r, 2, row.value, styles.get(style, number_formats.SCORE))
        ws.write_string(r, 3, row.description, styles.get("text"))
        if row.editable and not (isinstance(row.value, str) and row.value not in YES_NO_CHOICES):
            if row.value in YES_NO_CHOICES:
                rule: dict[str, Any] = {"validate": "list", "source": list(YES_NO_CHOICES)}
                expected = "是 / 否"
            else:
                rule = {"validate": "decimal", "criteria": ">=", "value": 0}
                expected = "不小于 0 的数"
            ws.data_validation(
                r,
                2,
                r,
                2,
                rule | {"error_title": "输入无效", "error_message": f"{row.key}:应为{expected}"},
            )
    for table in derived_tables(rules):
        ws.write_string(table.title_row - 1, 5, table.title, styles.get("section"))
        ws.write_string(table.title_row, 5, table.headers[0], styles.get("header"))
        ws.write_string(table.title_row, 6, table.headers[1], styles.get("header"))
        for addr_a, formula_a, addr_b, formula_b in table.cells:
            ws.write_formula(addr_a, formula_a, styles.get("computed"), "")
            ws.write_formula(addr_b, formula_b, styles.get("computed", number_formats.SCORE), "")
    ws.freeze_panes(3, 0)
    _print(ws)
    ws.protect("", PROTECTION)


def write_roster(ws: Any, styles: Styles, people: list[Person]) -> dict[str, str]:
    """The 人员 sheet; returns the defined names of its 工号 and 姓名 columns."""
    for col, text in enumerate(COLUMNS):
        ws.write_string(0, col, text, styles.get("header"))
        ws.set_column(col, col, WIDTHS[text])
    for r, person in enumerate(people, start=1):
        for col, value in enumerate(person.values()):
            ws.write_string(r, col, value, styles.get("text"))
    ws.freeze_panes(1, 0)
    _print(ws)
    ws.protect("", PROTECTION)
    last = len(people) + 1
    return {
        STAFF_IDS: f"='{ROSTER_SHEET}'!$A$2:$A${last}",
        STAFF_NAMES: f"='{ROSTER_SHEET}'!$B$2:$B${last}",
    }


def _print(ws: Any) -> None:
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C第 &P 页,共 &N 页&R&A")
