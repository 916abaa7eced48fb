"""The defined names the sheet's formulas read the 参数 values through (``prm_monthly_items_M01_full``
→ ``参数!$C$45``, ``prm_scale_honor_words`` → ``参数!$B$18:$B$21``). xlpy reads each value from
its row, found by its key; the sheet's formulas read it through the name. A name that is missing
(the formulas show #NAME?) or that refers anywhere else — another cell, another sheet, another
workbook, a constant typed in the name manager — makes the signed sheet and the summary
disagree: an error on the value's cell. So is a sheet's own name of the same name (which its
formulas read instead: Excel makes one when a sheet is copied in from another workbook).
Inserting rows or renaming the sheet in Excel moves the names with the cells: still right.
"""

from __future__ import annotations

from collections.abc import Mapping

from xlpy.forms.params import ParamTable, value_names
from xlpy.shared.addresses import parse_a1, unquoted_sheet

SHOWN = 10  # names reported one by one; the rest are counted in one more line
_LONGEST_SHOWN = 40  # characters of a name's reference quoted
NameProblem = tuple[str, str, str, str]  # sheet, cell, problem, expected


def name_problems(
    sheet: str,
    table: ParamTable,
    names: Mapping[str, str],
    local: Mapping[str, Mapping[str, str]],
) -> list[NameProblem]:
    """What is wrong with the names of ``table`` (on ``sheet``): ``names`` the workbook's,
    ``local`` each sheet's own (sheet → name → reference)."""
    problems: list[NameProblem] = []
    for name, right in value_names(sheet, table.cells).items():
        target = _target(right)
        cell = target[1].partition(":")[0] if target else ""
        fix = f"在 Excel「公式 › 名称管理器」中把 {name} 的引用位置改为 ={right}(或从模板重新复制参数表)"
        reference = names.get(name)
        if reference is None:
            problems.append(
                (sheet, cell, f"工作簿中没有定义名称 {name}:表内引用它的公式会显示 #NAME?", fix)
            )
        elif _target(reference) != target:
            problems.append((sheet, cell, f"定义名称 {name} {_elsewhere(reference)}", fix))
        for other, own in local.items():
            if name in own and _target(own[name]) != target:
                problems.append(
                    (
                        other,
                        "",
                        f"此工作表有自己的定义名称 {name} {_elsewhere(own[name])}",
                        f"在 Excel「公式 › 名称管理器」中删除此工作表范围的 {name}",
                    )
                )
    if len(problems) > SHOWN:
        rest = len(problems) - SHOWN
        last = problems[SHOWN]
        problems = [
            *problems[:SHOWN],
            (last[0], last[1], f"另有 {rest} 个参数的定义名称有同样的问题", "从模板重新复制参数表"),
        ]
    return problems


def _elsewhere(reference: str) -> str:
    shown = reference if len(reference) <= _LONGEST_SHOWN else reference[:_LONGEST_SHOWN] + "…"
    return f"指向 “{shown}”,不是参数表中的值:表内公式会按那里的值计算,与汇总不符"


def _target(reference: str) -> tuple[str, str] | None:
    """(sheet, cells) a name refers to (``'参数'!$B$18:$B$21`` → ("参数", "B18:B21"));
    None for anything but a cell or range of a sheet of this workbook."""
    sheet, bang, cells = reference.strip().rpartition("!")
    if not bang or sheet.startswith("["):
        return None
    sheet = unquoted_sheet(sheet)
    corners = list(dict.fromkeys(cells.replace("$", "").upper().split(":")))  # B18:B18 is B18
    if len(corners) > 2:
        return None
    try:
        for corner in corners:
            parse_a1(corner)
    except ValueError:
        return None
    return sheet.casefold(), ":".join(corners)
