"""The 参数 sheet: every rule parameter as one editable row, with defined names formulas use.

Layout (row :data:`FIRST_ROW` on): A 参数键 (dotted key) · B 项 · C 值 · D 说明. Column B:C of a
rating scale's rows is its 2-column 评级/分值 table. Each parameter with an ASCII key gets the
defined name :func:`param_name` (``prm_`` + key with dots as underscores) on its 值 cell; each
scale gets ``prm_scale_<scale>`` (B:C), ``…_words`` (B), ``…_points`` (C), and, if it has
aliases, ``…_alias_from`` / ``…_alias_to``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xlpy.core.values import number_misread
from xlpy.errors import XlpyError
from xlpy.forms.cells import Cells
from xlpy.memo import memo
from xlpy.rules import Rules, default_rules, flatten
from xlpy.shared.addresses import a1, absolute_reference, column_letters, parse_a1
from xlpy.words import invisible_note, shown_text, without_invisible, yes_no_word

PARAM_SHEET = "参数"
NAME_PREFIX = "prm_"  # of every defined name the template gives the 参数 sheet
HEADER_ROW = 3
FIRST_ROW = 4
HEADERS = ("参数键", "项", "值", "说明")
KEY_HEADER, VALUE_HEADER = HEADERS[0], HEADERS[2]

_ASCII_KEY = re.compile(r"^[A-Za-z0-9_.]+$")
_SECTIONS = {
    "grade": "等级",
    "scales": "评级量表",
    "monthly": "月考核(M)",
    "kpi": "月度评分(K)",
    "tech": "技术等级(T)",
    "survey": "客户评价(S)",
    "department": "部门评价(D)",
    "performance": "绩效考核(P)",
    "ledgers": "台账(SH/BD)",
}
_LEAVES = {
    "label": "名称",
    "name": "名称",
    "min": "下限(百分制)",
    "coefficient": "绩效系数",
    "excellent_share_max": "优秀占比上限",
    "full": "满分",
    "per": "每次扣分",
    "zeroes_item": "出现即该项记 0 分",
    "category": "类别",
    "veto": "否决项",
    "performance_label": "业绩名称",
    "veto_coefficient": "否决时绩效系数",
    "performance_weight": "业绩权重",
    "behavior_weight": "行为权重",
    "min_completion": "完成率下限",
    "points": "得分",
    "lower_is_better": "越低越好(是/否)",
    "from_survey": "实际值取自客户评价(是/否)",
    "self_weight": "自评权重",
    "weight": "权重",
    "satisfied_threshold": "满意分数线",
    "target_rate": "达标满意度",
    "scale": "评级量表",
    "guideline": "分布指引",
    "tiers": "档位",
    "behavior": "行为考核",
    "levels": "等级描述",
    "items": "子项",
    "questions": "问题",
    "checklist": "检查项",
    "performance_categories": "业绩包含的类别",
    "allowed_days": "允许延迟天数",
    "approved_days": "报批后可再延天数",
    "workdays_only": "只计工作日(是/否)",
    "holidays": "节假日(如 2026-10-01,2026-10-02)",
    "return_months": "旧件返还期限(月)",
}
_GROUPS = (
    "items",
    "deductions",
    "indicators",
    "dimensions",
    "bands",
    "metrics",
    "points",
    "aliases",
    "categories",
)
_EDITABLE_FLAGS = ("lower_is_better", "workdays_only", "from_survey")
_EDITABLE_TEXT = ("holidays",)  # free text staff maintain; blank means none


@dataclass(frozen=True)
class ParamRow:
    row: int
    key: str
    label: str
    value: Any  # as written: numbers, text, 是/否 for yes/no parameters
    description: str
    editable: bool


def param_name(key: str) -> str:
    """Defined name of one parameter's 值 cell, e.g. ``prm_monthly_items_M05_full``."""
    return NAME_PREFIX + key.replace(".", "_")


def is_named(key: str) -> bool:
    """Whether the template gives the parameter's 值 cell a defined name (ASCII keys only)."""
    return _ASCII_KEY.match(key) is not None


def scale_name(scale: str, part: str = "") -> str:
    """``prm_scale_honor`` (B:C table) or a part: words, points, alias_from, alias_to."""
    return f"{NAME_PREFIX}scale_{scale}" + (f"_{part}" if part else "")


def param_rows(rules: Rules) -> tuple[ParamRow, ...]:
    """The 参数 sheet's rows: every scalar parameter of ``flatten(rules)``, in file order (worked
    out once per rules: a batch's 参数 sheets are checked against them file by file)."""
    return memo(rules, "param rows", lambda: tuple(_param_rows(rules)))


def _param_rows(rules: Rules) -> list[ParamRow]:
    flat = flatten(rules)
    rows: list[ParamRow] = []
    for key, value in flat.items():
        if value is None or isinstance(value, (dict, list)):
            continue  # structure, not a value (e.g. an item without deductions)
        parts = key.split(".")
        is_flag = isinstance(value, bool)
        editable = _is_editable(key, value)
        shown = yes_no_word(value) if is_flag else value
        rows.append(
            ParamRow(
                FIRST_ROW + len(rows), key, _label(parts), shown, _describe(parts, flat), editable
            )
        )
    return rows


@dataclass(frozen=True)
class DerivedTable:
    """A 2-column table the udfs take as an optional argument (e.g. GRADE_LEVEL's bands), built
    in columns F:G of 参数 from formulas pointing at the parameter rows, so it follows them."""

    name: str
    title: str
    headers: tuple[str, str]
    title_row: int
    cells: tuple[tuple[str, str, str, str], ...]  # (address A, formula A, address B, formula B)
    keys: tuple[tuple[str, str], ...]  # each row's parameters: (key of A, key of B)

    @property
    def reference(self) -> str:
        first, last = self.cells[0], self.cells[-1]
        return f"'{PARAM_SHEET}'!${first[0][0]}${first[0][1:]}:${last[2][0]}${last[2][1:]}"


def table_name(table: str) -> str:
    """``prm_table_grade`` (等级/下限), ``prm_table_tech_levels``, ``prm_table_kpi_tiers``."""
    return f"{NAME_PREFIX}table_{table}"


def derived_tables(rules: Rules) -> tuple[DerivedTable, ...]:
    """The F:G tables of 参数 (once per rules)."""
    return memo(rules, "derived tables", lambda: tuple(_derived_tables(rules)))


def _derived_tables(rules: Rules) -> list[DerivedTable]:
    row_of = {r.key: r.row for r in param_rows(rules)}
    specs = [
        (
            "grade",
            "等级表",
            ("等级", "下限"),
            [(f"grade.bands.{k}.label", f"grade.bands.{k}.min") for k in rules.grade.bands],
        ),
        (
            "tech_levels",
            "技术等级表",
            ("技术等级", "下限"),
            [(f"tech.levels.{k}.label", f"tech.levels.{k}.min") for k in rules.tech.levels],
        ),
        (
            "kpi_tiers",
            "KPI 档位表",
            ("完成率下限", "得分"),
            [
                (f"kpi.tiers.{i}.min_completion", f"kpi.tiers.{i}.points")
                for i in range(len(rules.kpi.tiers))
            ],
        ),
    ]
    tables, row = [], FIRST_ROW
    for key, title, headers, pairs in specs:
        cells = tuple(
            (f"F{row + 2 + i}", f"=C{row_of[a]}", f"G{row + 2 + i}", f"=C{row_of[b]}")
            for i, (a, b) in enumerate(pairs)
        )
        tables.append(DerivedTable(table_name(key), title, headers, row, cells, tuple(pairs)))
        row += len(pairs) + 3
    return tables


def defined_names(rules: Rules) -> dict[str, str]:
    """Every defined name of the 参数 sheet → its absolute reference."""
    names: dict[str, str] = {t.name: t.reference for t in derived_tables(rules)}
    cells = {row.key: f"C{row.row}" for row in param_rows(rules)}
    return names | value_names(PARAM_SHEET, cells)


def value_names(sheet: str, cells: Mapping[str, str]) -> dict[str, str]:
    """The defined names of the parameters whose 值 cells are ``cells`` (dotted key → A1) on
    ``sheet`` → their absolute references: each ASCII key's cell, and each rating scale's
    项/值 columns over its rows (项 is the column left of 值)."""
    names: dict[str, str] = {}
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for key, cell in cells.items():
        if is_named(key):
            names[param_name(key)] = absolute_reference(sheet, cell)
        parts = key.split(".")
        if parts[0] == "scales" and len(parts) == 4 and parts[2] in ("points", "aliases"):
            spans.setdefault((parts[1], parts[2]), []).append(parse_a1(cell))
    for (scale, kind), places in spans.items():
        (first, value), last = min(places), max(row for row, _ in places)
        words = absolute_reference(sheet, a1(first, value - 1), a1(last, value - 1))
        values = absolute_reference(sheet, a1(first, value), a1(last, value))
        if kind == "points":
            whole = absolute_reference(sheet, a1(first, value - 1), a1(last, value))
            names[scale_name(scale)] = whole
            names[scale_name(scale, "words")] = words
            names[scale_name(scale, "points")] = values
        else:
            names[scale_name(scale, "alias_from")] = words
            names[scale_name(scale, "alias_to")] = values
    return names


HEADER_SEARCH = 10  # the header row is looked for in the first rows and columns


@dataclass(frozen=True)
class ParamTable:
    """What a 参数 sheet holds, read by its header row wherever it is: every row's value
    (``values``, dotted key → value as typed), the value cell of each key (``cells``), and what
    is wrong with the table itself (``problems``: (cell, problem, expected))."""

    values: dict[str, Any]
    cells: dict[str, str]
    problems: tuple[tuple[str, str, str], ...] = ()


def param_header(cells: Cells) -> tuple[int, dict[str, int]] | None:
    """(row, {header: column}) of the 参数 table's header row (参数键 … 值), 1-based."""
    for row, line in enumerate(cells.block(HEADER_SEARCH, HEADER_SEARCH), start=1):
        at: dict[str, int] = {}
        for column, value in enumerate(line, start=1):
            if isinstance(value, str) and value.strip() in HEADERS:
                at.setdefault(value.strip(), column)
        if KEY_HEADER in at and VALUE_HEADER in at:
            return row, at
    return None


def default_values() -> dict[str, Any]:
    """Every shipped default by dotted key (read only)."""
    defaults = default_rules()
    return memo(defaults, "flat", lambda: flatten(defaults))


def read_param_table(cells: Cells) -> ParamTable | None:
    """The 参数 table of a sheet (None: the sheet has no 参数 header row). Every keyed row is
    read, blank rows between them included. Problems: a key twice (naming both rows), a key
    holding invisible characters (read without them), and a value the sheet's own formulas
    would read otherwise than xlpy (text that looks like a number, an error value …) where a
    number belongs."""
    header = param_header(cells)
    if header is None:
        return None
    top, at = header
    key_column, value_column = at[KEY_HEADER], at[VALUE_HEADER]
    key_letter, value_letter = column_letters(key_column - 1), column_letters(value_column - 1)
    values: dict[str, Any] = {}
    where: dict[str, str] = {}
    problems = []
    keys, typed = cells.column(key_column, top + 1), cells.column(value_column, top + 1)
    for row, key, value in zip(range(top + 1, cells.max_row + 1), keys, typed, strict=True):
        if key is None or str(key).strip() == "":
            continue
        typed_key, key = str(key), without_invisible(str(key)).strip()
        hidden = invisible_note(typed_key)
        if hidden:
            problems.append((f"{key_letter}{row}", f"参数键 {shown_text(typed_key)} {hidden}", key))
        if key in values:
            first = where[key]
            problems.append(
                (
                    f"{key_letter}{row}",
                    f"参数键 {key} 出现两次(第 {first[1:]} 行与第 {row} 行)",
                    "每个参数键只出现一次(删除多余的一行)",
                )
            )
            continue
        values[key] = value
        where[key] = f"{value_letter}{row}"
        problem = _value_problem(key, value)
        if problem is not None:
            problems.append((where[key], *problem))
    return ParamTable(values, where, tuple(problems))


def _value_problem(key: str, value: Any) -> tuple[str, str] | None:
    """(problem, expected) for a value the sheet's formulas read otherwise than xlpy."""
    default = default_values().get(key)
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        return None
    found = number_misread(value)
    if found is None:
        return None
    return f"参数 {key} {found.message()}", found.fix or "数字"


def editable_overrides(values: Mapping[str, Any]) -> dict[str, Any]:
    """The editable rows of a 参数 table as ``{dotted key: value}`` for
    ``load_rules(overrides=...)``. Shown-only rows (names, structure) are skipped: changing them
    needs a new template. A cleared value comes back as None, which ``load_rules`` reports as a
    bad parameter naming its key."""
    defaults = default_values()
    overrides: dict[str, Any] = {}
    for key, value in values.items():
        if key.rsplit(".", 1)[-1] in _EDITABLE_TEXT:
            overrides[key] = "" if value is None else str(value)
        elif _is_editable(key, defaults.get(key, value)):
            overrides[key] = value
    return overrides


def read_params(cells: Cells) -> dict[str, Any]:
    """The editable rows of a 参数 sheet (see :func:`editable_overrides`); {} without a table.
    Raises :class:`ParamTableError` for a key given twice."""
    table = read_param_table(cells)
    if table is None:
        return {}
    if table.problems:
        raise ParamTableError(table.problems)
    return editable_overrides(table.values)


class ParamTableError(XlpyError):
    def __init__(self, problems: tuple[tuple[str, str, str], ...]) -> None:
        self.problems = problems
        cell, problem, expected = problems[0]
        super().__init__(problem, sheet=PARAM_SHEET, cell=cell, expected=expected)


def _is_editable(key: str, value: Any) -> bool:
    """Numbers (points, weights, minimums …) and the few yes/no settings staff may change."""
    if key.rsplit(".", 1)[-1] in _EDITABLE_FLAGS + _EDITABLE_TEXT:
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _label(parts: list[str]) -> str:
    if parts[0] == "scales" and len(parts) == 4:
        return parts[3]  # the rating word or alias itself: B:C is the scale's table
    leaf = parts[-1]
    if leaf.isdigit():
        return f"{_LEAVES.get(parts[-2], parts[-2])} 第 {int(leaf) + 1} 项"
    if parts[-2] == "categories":
        return f"类别名称({leaf})"
    return _LEAVES.get(leaf, leaf)


def _describe(parts: list[str], flat: Mapping[str, Any]) -> str:
    """Where a parameter belongs, in words: 月考核(M) · M05 配件管理 · 账目不清."""
    words = [_SECTIONS.get(parts[0], parts[0])]
    for i, part in enumerate(parts[1:-1], start=1):
        prefix = ".".join(parts[: i + 1])
        named = flat.get(prefix + ".name", flat.get(prefix + ".label"))
        if isinstance(named, str) and named:
            words.append(f"{part} {named}" if re.match(r"^[A-Z]\d", part) else named)
        elif part.isdigit():
            words.append(
                f"第 {int(part) + 1} 档" if parts[i - 1] == "tiers" else f"第 {int(part) + 1} 项"
            )
        elif part not in _GROUPS:
            words.append(_LEAVES.get(part, part))
    return " · ".join(words)
