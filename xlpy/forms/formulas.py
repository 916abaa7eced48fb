"""Formula text shared by the form descriptions: native band look-ups over the 参数 names,
rating points, and the blank guards that keep a missing entry blank instead of zero."""

from __future__ import annotations

import re
from collections.abc import Callable

from xlpy.forms.params import param_name, scale_name, table_name
from xlpy.rules import Rules
from xlpy.shared import number_formats
from xlpy.words import TOLERANCE


def p(key: str) -> str:
    """A parameter reference inside a formula (its defined name on 参数)."""
    return param_name(key)


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def bands_native(ref: str, bands: list[tuple[str, str]]) -> str:
    """Nested IF picking the value of the first band whose minimum ``ref`` reaches.
    ``bands``: (minimum reference, value reference), best first; the last band has no test."""
    formula = bands[-1][1]
    for minimum, value in reversed(bands[:-1]):
        formula = f"IF({ref}>={reach(minimum)},{value},{formula})"
    return formula


def number(value: float) -> str:
    """A number as a formula literal: ``1E-9``, ``0.5``, ``90``."""
    text = f"{value:.15G}"
    return re.sub(r"E([+-])0*(\d)", lambda m: f"E{'-' if m[1] == '-' else ''}{m[2]}", text)


def reach(minimum: str) -> str:
    """A band minimum less the core's comparison tolerance (:data:`xlpy.words.TOLERANCE`), so a
    weighted sum a hair below 90 still counts as 90, as in the core."""
    return f"{minimum}-{number(TOLERANCE)}*MAX(1,ABS({minimum}))"


def grade_native(percent_ref: str, rules: Rules) -> str:
    return bands_native(
        percent_ref,
        [(p(f"grade.bands.{k}.min"), p(f"grade.bands.{k}.label")) for k in rules.grade.bands],
    )


def coefficient_native(percent_ref: str, rules: Rules) -> str:
    return bands_native(
        percent_ref,
        [(p(f"grade.bands.{k}.min"), p(f"grade.bands.{k}.coefficient")) for k in rules.grade.bands],
    )


def tech_level_native(score_ref: str, rules: Rules) -> str:
    return bands_native(
        score_ref,
        [(p(f"tech.levels.{k}.min"), p(f"tech.levels.{k}.label")) for k in rules.tech.levels],
    )


def rating_points_native(ref: str, scale: str, rules: Rules) -> str:
    """Points of the rating word in ``ref`` (aliases such as A-D resolved first)."""
    word = ref
    if rules.scales[scale].aliases:
        word = (
            f"IFERROR(INDEX({scale_name(scale, 'alias_to')},"
            f"MATCH({ref},{scale_name(scale, 'alias_from')},0)),{ref})"
        )
    return f"INDEX({scale_name(scale, 'points')},MATCH({word},{scale_name(scale, 'words')},0))"


def span(column: str, rows: list[int]) -> str:
    """``G5:G12`` for consecutive rows of one column (``G5`` for one row)."""
    first, last = f"{column}{rows[0]}", f"{column}{rows[-1]}"
    return first if first == last else f"{first}:{last}"


def stacked(values: list[str]) -> str:
    """A vertical array of one value per row, for an argument of an array formula that differs
    row by row (a parameter per item): ``CHOOSE({1;2;3},a,b,c)``; one value is itself."""
    if len(values) == 1:
        return values[0]
    index = ";".join(str(i) for i in range(1, len(values) + 1))
    return f"CHOOSE({{{index}}},{','.join(values)})"


def unless_blank(ref: str, formula: str) -> str:
    return f'IF({ref}="","",{formula})'


def all_present(cells: list[str], formula: str) -> str:
    """``formula`` when every cell holds a number, else blank (a missing score stays missing)."""
    return f'IF(COUNT({",".join(cells)})<{len(cells)},"",{formula})'


def grade_rows(add: Callable[..., str], total: str, rules: Rules) -> None:
    """The 等级 and 绩效系数 result rows of a form whose total is already 0-100 (K, P), through
    ``add(label, result, addin, native, fmt=…)`` (:meth:`xlpy.forms.layout.ResultRows.add`)."""
    add(
        "等级",
        "grade",
        f'IF({total}="","",GRADE_LEVEL({total},100,{table_name("grade")}))',
        f'IF({total}="","",{grade_native(total, rules)})',
        fmt="@",
    )
    coefficient = f'IF({total}="","",{coefficient_native(total, rules)})'
    add("绩效系数", "coefficient", coefficient, coefficient, fmt=number_formats.COEFFICIENT)
