"""The defined names the sheet's formulas read the 参数 values through (``prm_monthly_items_M01_full``
→ ``参数!$C$45``, ``prm_scale_honor_words`` → ``参数!$B$18:$B$21``). xlpy reads each value from
its row, found by its key; the sheet's formulas read it through the name. A name that is missing
(the formulas show #NAME?) or that refers anywhere else — another cell, another sheet, another
workbook, a constant typed in the name manager — makes the signed sheet and the summary
disagree: an error on the value's cell. So is a sheet's own name of the same name (which its
formulas read instead: Excel makes one when a sheet is copied in from another workbook).
Inserting rows or renaming the sheet in Excel moves the names with the cells: still right.

The add-in's functions read the 等级表, 技术等级表 and KPI 档位表 (columns F:G of 参数) through
``prm_table_*``; each cell there is a formula showing a parameter's value, so it follows the
parameter. A value typed over one (the sheet unprotected to "correct" a band there) is what the
sheet's grades follow, while xlpy follows the parameter: an error on that cell. So is a cell
whose cached value is not its parameter's (its formula changed), and a name that is missing,
points elsewhere or does not span its table.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from xlpy.forms.cells import Cells
from xlpy.forms.params import DerivedTable, ParamTable, value_names
from xlpy.shared.addresses import a1, parse_a1, unquoted_sheet
from xlpy.words import describe_value, same_number

SHOWN = 10  # names reported one by one; the rest are counted in one more line
_LONGEST_SHOWN = 40  # characters of a name's reference quoted
NameProblem = tuple[str, str, str, str]  # sheet, cell, problem, expected


def name_problems(
    sheet: str,
    table: ParamTable,
    names: Mapping[str, str],
    local: Mapping[str, Mapping[str, str]],
    derived: Sequence[DerivedTable] = (),
    shown: Cells | None = None,
    formulas: Collection[str] = frozenset(),
) -> list[NameProblem]:
    """What is wrong with the names of ``table`` (on ``sheet``): ``names`` the workbook's,
    ``local`` each sheet's own (sheet → name → reference); and with the ``derived`` tables the
    sheet should hold (``shown``: its cells as they show; ``formulas``: those holding one)."""
    problems: list[NameProblem] = []
    for name, right in value_names(sheet, table.cells).items():
        target = _target(right)
        cell = target[1].partition(":")[0] if target else ""
        fix = f"在 Excel「公式 › 名称管理器」中把 {name} 的引用位置改为 ={right}(或从模板重新复制参数表)"
        reference = names.get(name)
        if reference is None:
            problems.append((sheet, cell, _missing(name, "它"), fix))
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
    if shown is not None:
        for one in derived:
            problems += _derived_problems(sheet, one, table, names, shown, formulas)
    if len(problems) > SHOWN:
        rest = len(problems) - SHOWN
        last = problems[SHOWN]
        problems = [
            *problems[:SHOWN],
            (last[0], last[1], f"另有 {rest} 个参数的定义名称有同样的问题", "从模板重新复制参数表"),
        ]
    return problems


def _derived_problems(
    sheet: str,
    derived: DerivedTable,
    table: ParamTable,
    names: Mapping[str, str],
    shown: Cells,
    formulas: Collection[str],
) -> list[NameProblem]:
    name, rows = derived.name, len(derived.keys)
    fix = f"从模板重新复制参数表(或在「公式 › 名称管理器」中改正 {name})"
    reference = names.get(name)
    if reference is None:
        return [(sheet, "", _missing(name, derived.title), fix)]
    target = _target(reference)
    if target is None or target[0] != sheet.casefold():
        return [(sheet, "", f"定义名称 {name} {_elsewhere(reference)}", fix)]
    corners = [parse_a1(corner) for corner in target[1].split(":")]
    (top, left), (bottom, right) = corners[0], corners[-1]
    if (bottom - top + 1, right - left + 1) != (rows, 2):
        problem = f"定义名称 {name} 指向 {reference},不是{derived.title}的 {rows} 行 2 列"
        return [(sheet, a1(top, left), problem, fix)]
    problems = []
    for i, pair in enumerate(derived.keys):
        for j, key in enumerate(pair):
            cell, value_cell = a1(top + i, left + j), table.cells.get(key)
            if value_cell is None:
                continue  # a missing 参数 row: reported as such
            value, right_value = shown.get(cell), shown.get(value_cell)
            restore = f"公式 ={value_cell}(参数请在 {value_cell} 修改;或从模板重新复制参数表)"
            if cell not in formulas:
                problem = (
                    f"{derived.title}中的这一格是固定值 {describe_value(value)},不是参数 {key} "
                    f"的公式:表内公式按这里计算,参数改了它不跟着改"
                )
                problems.append((sheet, cell, problem, restore))
            elif value is not None and not _same(value, right_value):
                problem = (
                    f"{derived.title}中的这一格显示 {describe_value(value)},而参数 {key}"
                    f"({value_cell})为 {describe_value(right_value)}:表内公式按这里计算,与汇总不符"
                )
                problems.append((sheet, cell, problem, restore))
    return problems


def _same(shown: Any, value: Any) -> bool:
    """A formula's cached result shows ``value`` (numbers to within Excel's tolerance)."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (shown, value))
    return same_number(shown, value) if numbers else shown == value


def _missing(name: str, what: str) -> str:
    return f"工作簿中没有定义名称 {name}:表内引用{what}的公式会显示 #NAME?"


def _elsewhere(reference: str) -> str:
    shown = reference if len(reference) <= _LONGEST_SHOWN else reference[:_LONGEST_SHOWN] + "…"
    return f"指向 “{shown}”,不是参数表中的值:表内公式会按那里的值计算,与汇总不符"


@functools.lru_cache(maxsize=4096)  # the same few hundred references in every file of a batch
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
