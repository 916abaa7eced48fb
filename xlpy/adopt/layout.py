"""The layout of a department's own workbook: which cells hold each sheet's identity and each
item's entry, and what an entry cell holds. Written by ``xlpy adopt`` as TOML with Chinese
comments (staff may correct it by hand), read back by validate and consolidate.

Written by hand rather than with tomli-w: the file is a few fixed shapes, and the comments that
explain each line to staff are the point of it (tomli-w writes no comments).
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlpy.errors import XlpyError
from xlpy.rules import toml_problem
from xlpy.shared.files import atomic_write

PERSON, GRID = "person", "grid"  # one sheet per person / one row per person
KIND_WORDS = {PERSON: "每人一张表", GRID: "每行一人"}

# What an entry cell holds, and how staff read it.
COUNT, DEDUCTED, SCORE, RATING, FLAG = "count", "deducted", "score", "rating", "flag"
M_HOLDS = (COUNT, DEDUCTED, SCORE, RATING, FLAG)
# Scheme K: an indicator's 目标值 / 实际值, a behaviour's 自评 / 上级评分 (the core's column suffixes).
TARGET, ACTUAL, SELF, MANAGER = "target", "actual", "self", "manager"
HOLDS_WORDS = {
    COUNT: "次数",
    DEDUCTED: "扣分",
    SCORE: "得分",
    RATING: "评级",
    FLAG: "是/否",
    TARGET: "目标值",
    ACTUAL: "实际值",
    SELF: "自评",
    MANAGER: "上级评分",
}
# Scheme K's computed cells (a formula in the xlpy copy), besides an item code's own 得分:
# an indicator's 完成率 (``K1.completion``), the 业绩 and 行为 scores.
COMPLETION, PERFORMANCE, BEHAVIOR = "completion", "performance", "behavior"
COMPUTED_WORDS = {COMPLETION: "完成率", PERFORMANCE: "业绩得分", BEHAVIOR: "行为得分"}
IDENTITY_WORDS = {"employee_id": "工号", "name": "姓名", "team": "班组", "month": "月份"}


@dataclass
class Place:
    """Where one identity field is: a cell (``after``: the value follows a label in the same
    cell, ``month_in``: a month is written inside longer text such as a title), a column of a
    grid, or the sheet's name."""

    cell: str = ""
    column: str = ""
    after: str = ""
    month_in: bool = False
    sheet_name: bool = False

    def as_toml(self) -> str:
        parts = []
        if self.cell:
            parts.append(f"cell = {_text(self.cell)}")
        if self.column:
            parts.append(f"column = {_text(self.column)}")
        if self.after:
            parts.append(f"after = {_text(self.after)}")
        if self.month_in:
            parts.append("month_in = true")
        if self.sheet_name:
            parts.append("sheet_name = true")
        return "{ " + ", ".join(parts) + " }"


@dataclass
class EntryPlace:
    """One item's entry: its cell (a column for a grid), what it holds, and for a count of one
    deduction kind of an item that has several, which kind."""

    item: str
    cell: str
    holds: str
    deduction: str = ""
    confidence: float = 1.0
    matched_by: str = ""
    note: str = ""
    score_cell: str = ""  # where the sheet shows the item's score (a formula in the xlpy copy)


@dataclass
class SheetLayout:
    name: str
    kind: str
    scheme: str = "M"
    identity: dict[str, Place] = field(default_factory=dict)
    entries: list[EntryPlace] = field(default_factory=list)
    total_cell: str = ""  # where the sheet shows the total (a formula in the xlpy copy)
    computed: dict[str, str] = field(default_factory=dict)  # scheme K: {result: cell}, as above
    first_row: int = 0  # grid: rows of people, 1-based, inclusive
    last_row: int = 0
    unmatched: list[str] = field(default_factory=list)  # rows/columns that look like items
    missing: list[str] = field(default_factory=list)  # item codes the sheet has no cell for
    notes: list[str] = field(default_factory=list)


@dataclass
class Layout:
    workbook: str
    sheets: list[SheetLayout] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sheets recognised as no form
    rules: str = ""  # the department's rules file the forms follow (absolute path; "" = defaults)


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string


def _relative(target: str, folder: Path) -> str:
    """``target`` as written in a layout file in ``folder``: relative to it where it can be."""
    try:
        return os.path.relpath(target, folder)
    except ValueError:  # another drive (Windows)
        return target


def to_toml(layout: Layout, folder: Path | None = None) -> str:
    """The layout file's text; ``folder``: where it will be written (the rules file is named
    relative to it)."""
    lines = [
        "# xlpy 布局文件:说明部门自己的工作簿里每个单元格是什么(由 xlpy adopt 生成,可手工修改)。",
        '# kind = "person" 每人一张表;"grid" 一张表每行一人。',
        "# holds:count 次数 · deducted 扣分 · score 得分 · rating 评级 · flag 是/否"
        "(KPI 表:target 目标值 · actual 实际值 · self 自评 · manager 上级评分)。",
        "# 扣分项:得分 = 满分 − 扣分(扣分在 0 到满分之间);填得分的,满分 − 得分 即扣分。",
        "# 评级项、否决项的扣分/得分,以及分种类填写的扣分,须能准确换算成评级/次数,"
        "否则校验时报错并指出单元格。",
        f"workbook = {_text(layout.workbook)}",
    ]
    if layout.rules:
        shown = _relative(layout.rules, folder) if folder is not None else layout.rules
        lines.append(
            f"rules = {_text(shown)}  # 本部门的规则文件(考核项、分值),相对本文件所在文件夹"
        )
    lines.append("")
    if layout.skipped:
        lines.append(f"# 未识别为考核表的工作表:{'、'.join(layout.skipped)}")
        lines.append("")
    for sheet in layout.sheets:
        lines += [
            "[[sheet]]",
            f"name = {_text(sheet.name)}",
            f"kind = {_text(sheet.kind)}  # {KIND_WORDS[sheet.kind]}",
            f"scheme = {_text(sheet.scheme)}",
        ]
        if sheet.kind == GRID:
            lines += [
                f"first_row = {sheet.first_row}  # 第一个人所在行",
                f"last_row = {sheet.last_row}  # 最后一个人所在行",
            ]
        for note in sheet.notes:
            lines.append(f"# 注意:{note}")
        for text in sheet.unmatched:
            lines.append(f"# 未能对应的行/列(请核对):{text}")
        if sheet.missing:
            lines.append(f"# 表中没有的考核项(按空白读取):{'、'.join(sheet.missing)}")
        if sheet.total_cell:
            lines.append(f"total_cell = {_text(sheet.total_cell)}  # 总分格")
        lines += ["", "[sheet.identity]"]
        for key, place in sheet.identity.items():
            lines.append(f"{key} = {place.as_toml()}  # {IDENTITY_WORDS[key]}")
        if sheet.computed:
            lines += ["", "[sheet.computed]  # 表中计算的格(每行一人的表为列;无宏副本中改为公式)"]
            for key, cell in sheet.computed.items():
                lines.append(f"{_text(key)} = {_text(cell)}  # {computed_words(key)}")
        for entry in sheet.entries:
            lines += [
                "",
                "[[sheet.entry]]",
                f"item = {_text(entry.item)}",
                f"cell = {_text(entry.cell)}",
                f"holds = {_text(entry.holds)}  # {HOLDS_WORDS[entry.holds]}",
            ]
            if entry.deduction:
                lines.append(f"deduction = {_text(entry.deduction)}")
            if entry.score_cell:
                lines.append(f"score_cell = {_text(entry.score_cell)}  # 得分格")
            lines.append(f"confidence = {entry.confidence:.2f}  # 按{entry.matched_by}识别")
            if entry.note:
                lines.append(f"# 注意:{entry.note}")
        lines.append("")
    return "\n".join(lines)


def computed_words(key: str) -> str:
    """How staff read a computed cell's key: ``K1`` → ``K1 得分``, ``K1.completion`` → …"""
    code, _, part = key.rpartition(".")
    if code:
        return f"{code} {COMPUTED_WORDS[part]}"
    return COMPUTED_WORDS.get(key, f"{key} 得分")


def write_layout(layout: Layout, path: Path) -> None:
    text = to_toml(layout, Path(path).resolve().parent)
    atomic_write(path, lambda temp: temp.write_text(text, encoding="utf-8"))


def read_layout(path: Path) -> Layout:
    """A layout file, checked: a broken one is refused naming the file and the key."""
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        raise XlpyError(
            "找不到布局文件", file=name, expected="xlpy adopt 写出的 .layout.toml"
        ) from None
    except UnicodeDecodeError:
        raise XlpyError(
            "布局文件不是 UTF-8 编码", file=name, expected="以 UTF-8 保存的 TOML"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where, problem = toml_problem(str(exc), text)
        raise XlpyError(
            f"布局文件格式有误:{where} {problem}", file=name, expected="TOML 格式"
        ) from None
    try:
        layout = _layout(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise XlpyError(
            f"布局文件内容有误({exc})",
            file=name,
            expected="xlpy adopt 写出的布局(sheet / identity / entry)",
        ) from None
    if layout.rules:
        layout.rules = str((Path(path).resolve().parent / layout.rules).resolve())
    return layout


def _layout(data: dict[str, Any]) -> Layout:
    layout = Layout(str(data["workbook"]), rules=str(data.get("rules", "")))
    for raw in data.get("sheet", []):
        kind = raw["kind"]
        if kind not in (PERSON, GRID):
            raise ValueError(f"kind = {kind!r}")
        sheet = SheetLayout(
            str(raw["name"]),
            kind,
            str(raw.get("scheme", "M")),
            total_cell=str(raw.get("total_cell", "")),
            first_row=int(raw.get("first_row", 0)),
            last_row=int(raw.get("last_row", 0)),
        )
        for key, cell in raw.get("computed", {}).items():
            computed_words(key)  # a part no computed cell has is refused (KeyError names it)
            sheet.computed[str(key)] = str(cell)
        for key, place in raw.get("identity", {}).items():
            if key not in IDENTITY_WORDS:
                raise ValueError(f"identity.{key}")
            sheet.identity[key] = Place(**place)
        for entry in raw.get("entry", []):
            if entry["holds"] not in HOLDS_WORDS:
                raise ValueError(f"holds = {entry['holds']!r}")
            sheet.entries.append(
                EntryPlace(
                    str(entry["item"]),
                    str(entry["cell"]),
                    entry["holds"],
                    str(entry.get("deduction", "")),
                    float(entry.get("confidence", 1.0)),
                    score_cell=str(entry.get("score_cell", "")),
                )
            )
        layout.sheets.append(sheet)
    return layout
