"""Form T — 售后服务工程师技术等级考核评定表: rated sub-items per dimension, weighted, to a level."""

from __future__ import annotations

from xlpy.core.scheme_entries import tech_entries
from xlpy.forms.formulas import p, rating_points_native, span, tech_level_native, unless_blank
from xlpy.forms.layout import Sheet, person_header, signatures
from xlpy.forms.model import Form
from xlpy.forms.params import scale_name, table_name
from xlpy.rules import Rules
from xlpy.shared import number_formats
from xlpy.words import num

FORM_CODE = "SH/KH-03"
TITLE = "售后服务工程师技术等级考核评定表"


def tech_form(rules: Rules) -> Form:
    t = rules.tech
    scale = t.scale
    sheet = Sheet("F")
    person_header(sheet, TITLE, FORM_CODE, ["A", "C", "E"])
    entries = {e.column: e for e in tech_entries(rules)}
    words = " / ".join(rules.scales[scale].points)
    aliases = "、".join(f"{a}={w}" for a, w in rules.scales[scale].aliases.items())
    row = 4
    sheet.headers(row, "ABCDE", ("代码", "考核内容", "评级", "分值", "考核标准"))
    sheet.merge(f"E{row}:F{row}")
    row += 1
    ranges: dict[str, str] = {}
    for number, (key, dim) in enumerate(t.dimensions.items(), start=1):
        sheet.text(f"A{row}", f"{number}. {dim.name}(权重 {num(dim.weight * 100)}%)", "section")
        sheet.merge(f"A{row}:F{row}")
        row += 1
        first = row
        points = []
        for i, item in enumerate(dim.items, start=1):
            cell = f"C{row}"
            sheet.text(f"A{row}", chr(ord("A") + i - 1))
            sheet.text(f"B{row}", item)
            sheet.entry(
                cell,
                entries[f"{key}.{i}"],
                f"{dim.name}·{item}:从下拉列表选择 {words}(也可填 {aliases})。"
                "未评的子项留空,不计入平均。",
            )
            native = "=" + unless_blank(cell, rating_points_native(cell, scale, rules))
            points.append((f"{key}.{i} 分值", native, None))
            row += 1
        rows = list(range(first, row))  # one RATING_POINTS for the dimension's sub-items
        call = f"RATING_POINTS({span('C', rows)},{scale_name(scale)})"
        addin = "=" + (call if len(rows) > 1 else unless_blank(f"C{first}", call))
        sheet.computed_column("D", rows, addin, points)
        ranges[key] = f"C{first}:C{row - 1}"
        sheet.text(f"E{first}", dim.standard, "small")
        sheet.merge(f"E{first}:F{row - 1}")

    row += 1
    sheet.headers(row, "BCD", ("维度", "权重", "维度得分(已评子项平均)"))
    row += 1
    first_dim = row
    for key, dim in t.dimensions.items():
        points = ranges[key].replace("C", "D")
        sheet.text(f"B{row}", dim.name, "label")
        weight = p(f"tech.dimensions.{key}.weight")
        sheet.computed(f"C{row}", f"{dim.name}权重", f"={weight}", f"={weight}")
        mean = f'=IF(COUNT({points})=0,"",AVERAGE({points}))'
        sheet.computed(f"D{row}", f"{dim.name}得分", mean, mean, result=key)
        row += 1
    dims, weights = f"D{first_dim}:D{row - 1}", f"C{first_dim}:C{row - 1}"
    n = len(t.dimensions)
    sheet.text(f"B{row}", "技术得分", "label")
    sheet.merge(f"B{row}:C{row}")
    sheet.computed(
        f"D{row}",
        "技术得分",
        f'=IF(COUNT({dims})<{n},"",TECH_SCORE({",".join(ranges.values())},{weights},'
        f"{scale_name(scale)}))",
        f'=IF(COUNT({dims})<{n},"",SUMPRODUCT({dims},{weights})/SUM({weights}))',
        result="total",
    )
    total = f"D{row}"
    row += 1
    sheet.text(f"B{row}", "技术等级", "label")
    sheet.merge(f"B{row}:C{row}")
    sheet.computed(
        f"D{row}",
        "技术等级",
        f'=IF({total}="","",TECH_LEVEL({total},{table_name("tech_levels")}))',
        f'=IF({total}="","",{tech_level_native(total, rules)})',
        result="level",
        number_format=number_formats.TEXT,
    )
    row += 1
    levels = ",".join(f"{lv.label} ≥ {num(lv.min)}" for lv in t.levels.values())
    sheet.note(
        row,
        f"技术等级:{levels}。技术得分 = 各维度得分按权重加权平均;"
        "维度得分 = 已评子项分值的平均,每个维度至少评定一项。",
    )
    signatures(sheet, row + 2, [("A", "被考核人签字:"), ("C", "考核人签字:"), ("E", "日期:")])
    return sheet.form(
        "T", FORM_CODE, TITLE, "技术等级", {"A": 7, "B": 28, "C": 12, "D": 12, "E": 26, "F": 26}
    )
