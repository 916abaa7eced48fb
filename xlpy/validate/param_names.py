"""The defined names the sheet's formulas read the 参数 values through (``prm_monthly_items_M01_full``
→ ``参数!$C$45``). xlpy reads each value from its row, found by its key; the sheet's formulas
read it through the name. A name that is missing (the formulas show #NAME?) or that refers
anywhere else — another cell, another sheet, another workbook, a constant typed in the name
manager — makes the signed sheet and the summary disagree: an error on the value's cell.
Inserting rows or renaming the sheet in Excel moves the names with the cells: still right.
"""

from __future__ import annotations

from collections.abc import Mapping

from xlpy.forms.params import ParamTable, is_named, param_name
from xlpy.shared.addresses import absolute_reference, parse_a1

SHOWN = 10  # names reported one by one; the rest are counted in one more line
_LONGEST_SHOWN = 40  # characters of a name's reference quoted


def name_problems(
    sheet: str, table: ParamTable, names: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(cell, problem, expected) for each parameter of ``table`` (on ``sheet``) whose defined
    name is missing from ``names`` or refers elsewhere than its value cell."""
    problems = []
    for key, cell in table.cells.items():
        if not is_named(key):
            continue
        name = param_name(key)
        right = "=" + absolute_reference(sheet, cell)
        fix = f"在 Excel「公式 › 名称管理器」中把 {name} 的引用位置改为 {right}(或从模板重新复制参数表)"
        reference = names.get(name)
        if reference is None:
            problems.append(
                (cell, f"工作簿中没有定义名称 {name}:表内引用参数 {key} 的公式会显示 #NAME?", fix)
            )
        elif _target(reference) != (sheet.casefold(), cell):
            shown = (
                reference if len(reference) <= _LONGEST_SHOWN else reference[:_LONGEST_SHOWN] + "…"
            )
            problems.append(
                (
                    cell,
                    f"定义名称 {name} 指向 “{shown}”,不是参数 {key} 的这个值单元格:"
                    "表内公式会按那里的值计算,与汇总不符",
                    fix,
                )
            )
    if len(problems) > SHOWN:
        rest = len(problems) - SHOWN
        problems = [
            *problems[:SHOWN],
            (
                problems[SHOWN][0],
                f"另有 {rest} 个参数的定义名称有同样的问题",
                "从模板重新复制参数表",
            ),
        ]
    return problems


def _target(reference: str) -> tuple[str, str] | None:
    """(sheet, cell) a name refers to (``'参数'!$C$45`` → ("参数", "C45")); None for anything
    but one cell of a sheet of this workbook."""
    sheet, bang, cell = reference.strip().rpartition("!")
    if not bang or sheet.startswith("["):
        return None
    if len(sheet) > 1 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    address = cell.replace("$", "").upper()
    try:
        parse_a1(address)
    except ValueError:
        return None
    return sheet.casefold(), address
