"""Recognise a department's own scheme M workbook by its words, not its positions (scheme K's
per-person sheets: :mod:`xlpy.adopt.kpi`).

A sheet is a per-person form when it has a header row (考核指标/项目, 分值, 扣分次数, 得分 …)
over rows of items; a grid when its header row names people (姓名/工号) and items in columns.
Items are found by code (M01…), by name, or by the paper form's 考核内容 wording (difflib,
tolerant of small differences); each match carries its confidence, and whatever looks like an
item but matches none is listed, never dropped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from xlpy.adopt.layout import (
    COUNT,
    DEDUCTED,
    FLAG,
    GRID,
    PERSON,
    RATING,
    SCORE,
    EntryPlace,
    Place,
    SheetLayout,
)
from xlpy.rules import Rules
from xlpy.rules.model import MonthlyItem
from xlpy.shared.addresses import a1, column_letters
from xlpy.words import is_blank, num, same_number

# Header words, most specific first: 评分标准 is a text column, 扣分次数 a count, 标准分 the points.
HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("note", ("备注", "说明")),
    ("code", ("代码", "编码", "项目编号")),
    ("count", ("扣分次数", "次数", "发生数")),
    ("full", ("分值", "满分", "权重", "标准分", "配分")),
    ("content", ("评分标准", "考核标准", "考核内容", "评分细则", "内容", "标准")),
    ("deducted", ("扣分", "扣减")),
    ("rating", ("评级", "等级", "评价")),
    ("score", ("得分", "评分", "分数", "实得")),
    ("name", ("考核指标", "考核项目", "项目", "指标", "名称")),
    ("category", ("类别", "分类")),
]
HOLDS_OF = {"count": COUNT, "deducted": DEDUCTED, "score": SCORE, "rating": RATING}
IDENTITY_LABELS: dict[str, tuple[str, ...]] = {
    "employee_id": ("工号", "员工编号", "职工编号", "人员编号", "员工号"),
    "name": ("被考核人", "员工姓名", "姓名", "考核对象"),
    "team": ("班组", "组别", "小组", "部门"),
    "month": ("考核月份", "月份", "考核期间", "考核时间"),
}
LABEL_SEPARATORS = " ::\t"  # between a label and its value in one cell ("姓名:张三")
TOTAL_WORDS = ("合计", "总分", "总得分")
END_WORDS = (*TOTAL_WORDS, "小计", "签字", "签名")
CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,3}\d{1,3})(?![0-9])", re.IGNORECASE)  # M01, K1, B2
MONTH_IN_TEXT = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*月?")
_PUNCT = re.compile(r"[\s,。;;::、,.()()《》“”\"'【】\[\]!!??%%·\-—_/\\]+")
HEADER_ROWS = 40  # a header row lower than this is no form's
TEXT_MATCH = 0.6  # difflib ratio from which a 考核内容 wording counts as the item's


def normalised(value: Any) -> str:
    return _PUNCT.sub("", str(value)).lower() if not is_blank(value) else ""


def header_kind(value: Any) -> str | None:
    text = normalised(value)
    if not text or len(text) > 12:
        return None
    for kind, words in HEADER_WORDS:
        if any(word in text for word in words):
            return kind
    return None


def identity_label(value: Any) -> tuple[str, str, str] | None:
    """(identity field, the label, text after it) for a cell that starts with a label."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if any(word in text for word in ("签字", "签名")):
        return None
    for key, labels in IDENTITY_LABELS.items():
        for label in labels:
            if text.startswith(label) and len(text) <= len(label) + 30:
                rest = text[len(label) :].lstrip(LABEL_SEPARATORS)
                return key, label, rest
    return None


class Grid:
    """The values of one sheet from A1, by zero-based row and column."""

    def __init__(self, rows: list[list[Any]]) -> None:
        self.rows = rows

    def at(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            value = self.rows[r][c]
            return None if is_blank(value) else value
        return None

    def width(self, r: int) -> int:
        return len(self.rows[r]) if r < len(self.rows) else 0


def items_of(rules: Rules, scheme: str) -> dict[str, Any]:
    """The items a sheet of ``scheme`` has entries for, by code (each with a ``name``): scheme
    M's items, or scheme K's KPIs then rated behaviours."""
    if scheme == "K":
        return {**rules.kpi.indicators, **rules.kpi.behavior.indicators}
    return dict(rules.monthly.items)


# ── items ────────────────────────────────────────────────────────────────────────────────────
Match = tuple[str, float, str]  # item code, confidence, what it was recognised by


def match_item(texts: Iterable[Any], items: Mapping[str, Any]) -> Match | None:
    """(code, confidence, how) for the item a row's (or header's) texts name, or None. ``items``:
    code → anything with a ``name`` (and a ``content`` wording, as scheme M's items have)."""
    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    for text in texts:
        for found in CODE.findall(text):
            if found.upper() in items:
                return found.upper(), 1.0, "代码"
    best: Match | None = None
    for text in texts:
        plain = normalised(text)
        short = len(plain) <= 16  # a name, not a sentence
        for code, item in items.items():
            name = normalised(item.name)
            if plain == name:
                score, how = 0.95, "名称"
            elif short and name and (name in plain or (len(plain) >= 3 and plain in name)):
                score, how = 0.85, "名称"
            else:
                ratio = difflib.SequenceMatcher(None, plain, name).ratio() if short else 0
                score, how = (round(ratio * 0.9, 2), "名称(近似)") if ratio >= 0.75 else (0.0, "")
                wording = normalised(getattr(item, "content", ""))
                if len(plain) > 8 and wording:
                    ratio = difflib.SequenceMatcher(None, plain, wording).ratio()
                    if ratio >= TEXT_MATCH and ratio > score:
                        score, how = round(ratio, 2), "考核内容"
            if score and (best is None or score > best[1]):
                best = (code, score, how)
    return best


def full_points(value: Any, fractions: bool) -> float | None:
    """分值 as points: 5, "5", "5分", "5%" (of 100), or 0.05 where the sheet's 分值 are
    fractions."""
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return float(value) * 100 if fractions else float(value)
    text = str(value).strip().replace("%", "%").rstrip("分")
    try:
        return float(text[:-1]) if text.endswith("%") else float(text)
    except ValueError:
        return None


def deduction_key(
    code: str,
    item: MonthlyItem,
    texts: Iterable[Any],
    holds: str,
) -> tuple[str, str, float]:
    """(deduction kind, note, confidence factor) of a cell holding ``holds`` for ``item``: the
    kind its texts name (a row or column per kind), else — for a count, which must be of one
    kind — the first kind, said in the note."""
    if not item.deductions or holds not in (COUNT, DEDUCTED):
        return "", "", 1.0
    plain = " ".join(normalised(t) for t in texts if isinstance(t, str))
    named = [k for k, rule in item.deductions.items() if normalised(rule.label) in plain]
    if len(named) == 1 and len(item.deductions) > 1:
        return named[0], "", 1.0
    if holds == DEDUCTED or len(item.deductions) == 1:
        return (next(iter(item.deductions)) if holds == COUNT else ""), "", 1.0
    key, *others = item.deductions
    other = "、".join(item.deductions[k].label for k in others)
    return key, f"另有「{other}」未计(可改 deduction)", 0.7


def _entry_for(
    code: str,
    item: MonthlyItem,
    columns: dict[str, int],
    value_at: Any,
) -> tuple[int, str, str, str] | None:
    """(column, holds, deduction key, note) for one item, from the sheet's entry columns."""
    entry_cols = [k for k in ("count", "deducted", "rating", "score") if k in columns]
    if not entry_cols:
        return None
    if item.deductions:
        kind = next(k for k in ("count", "deducted", "score", "rating") if k in columns)
        if kind == "rating":
            return None
        return columns[kind], HOLDS_OF[kind], "", ""
    word = RATING if item.scale else FLAG
    if "rating" in columns:
        return columns["rating"], word, "", ""
    kind = next(k for k in ("count", "deducted", "score") if k in columns)
    typed = value_at(columns[kind])
    numeric = isinstance(typed, (int, float)) and not isinstance(typed, bool)
    holds = {"deducted": DEDUCTED, "score": SCORE}.get(kind) if numeric else None
    return columns[kind], holds or word, "", ""


# ── per-person sheets ──────────────────────────────────────────────────────────────────────────
def _header_row(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for r in range(min(HEADER_ROWS, len(grid.rows))):
        kinds: dict[str, int] = {}
        for c in range(grid.width(r)):
            kind = header_kind(grid.at(r, c))
            if kind is not None and kind not in kinds:
                kinds[kind] = c
        entry = any(k in kinds for k in ("count", "deducted", "score", "rating"))
        item = any(k in kinds for k in ("name", "content", "code"))
        if entry and item and len(kinds) >= 3:
            return r, kinds
    return None


def identity(grid: Grid, rows: range, sheet: str) -> tuple[dict[str, Place], list[str]]:
    found: dict[str, Place] = {}
    for r in rows:
        for c in range(grid.width(r)):
            labelled = identity_label(grid.at(r, c))
            if labelled is None or labelled[0] in found:
                continue
            key, label, rest = labelled
            if rest:
                found[key] = Place(cell=a1(r, c), after=label)
                continue
            for place in [(r, c + k) for k in (1, 2, 3)] + [(r + 1, c)]:
                value = grid.at(*place)
                if value is not None and identity_label(value) is None:
                    found[key] = Place(cell=a1(*place))
                    break
            else:
                found[key] = Place(cell=a1(r, c + 1))  # a blank form: the cell beside the label
    notes = []
    if "month" not in found:
        for r in rows:
            for c in range(grid.width(r)):
                value = grid.at(r, c)
                if isinstance(value, str) and MONTH_IN_TEXT.search(value) and "month" not in found:
                    found["month"] = Place(cell=a1(r, c), month_in=True)
                    notes.append(f"月份取自 {a1(r, c)} 的文字")
    if "name" not in found:
        found["name"] = Place(sheet_name=True)
        notes.append(f"没有「姓名」,以工作表名「{sheet}」作为被考核人")
    if "employee_id" not in found:
        found["employee_id"] = found["name"]
        notes.append("没有「工号」,以姓名作为工号")
    if "month" not in found:
        notes.append("没有找到月份:校验时用 --month 指定")
    return found, notes


def person_sheet(name: str, grid: Grid, rules: Rules) -> SheetLayout | None:
    header = _header_row(grid)
    if header is None:
        return None
    top, columns = header
    items = rules.monthly.items
    rows: list[tuple[int, str, float, str, Any]] = []  # row, code, confidence, how, 分值
    unmatched: list[str] = []
    blank_run = 0
    total_cell = ""
    for r in range(top + 1, len(grid.rows)):
        texts = [grid.at(r, c) for c in range(grid.width(r))]
        words = [t for t in texts if isinstance(t, str) and t.strip()]
        if not words and all(t is None for t in texts):
            blank_run += 1
            if blank_run >= 5:
                break
            continue
        blank_run = 0
        if any(normalised(w).startswith(END_WORDS) for w in words[:3]):
            if "score" in columns and any(normalised(w).startswith(TOTAL_WORDS) for w in words):
                total_cell = a1(r, columns["score"])
            break
        own = [grid.at(r, columns[k]) for k in ("code", "name", "content") if k in columns]
        found = match_item(own or words, items) or match_item(words, items)
        if found is None:
            if words:
                unmatched.append(f"第 {r + 1} 行「{'/'.join(str(w) for w in words[:2])}」")
            continue
        full = grid.at(r, columns["full"]) if "full" in columns else None
        rows.append((r, *found, full))
    if len(rows) < 3:
        return None
    sheet = SheetLayout(name, PERSON)
    fulls = [grid.at(r, columns["full"]) for r, *_ in rows] if "full" in columns else []
    numbers = [v for v in fulls if isinstance(v, (int, float)) and not isinstance(v, bool)]
    # 分值 typed as percentages formatted "5%" are stored as 0.05: no item is worth under a point.
    fractions = bool(numbers) and all(v <= 1 for v in numbers) and any(v < 1 for v in numbers)
    seen: dict[tuple[str, str], float] = {}
    for r, code, confidence, how, full in rows:
        item = items[code]
        place = _entry_for(code, item, columns, lambda c, r=r: grid.at(r, c))
        if place is None:
            unmatched.append(f"第 {r + 1} 行 {code}(没有可录入的列)")
            continue
        column, holds, _, note = place
        row_texts = [grid.at(r, c) for c in range(grid.width(r)) if c != column]
        key, note, factor = deduction_key(code, item, row_texts, holds)
        if (
            (code, key) in seen
            or (code, "") in seen
            or (not key and any(c == code for c, _ in seen))
        ):
            unmatched.append(f"第 {r + 1} 行(又一次对应 {code},未使用)")
            continue
        confidence *= factor
        points = full_points(full, fractions)
        if full is not None and (points is None or not same_number(points, item.full)):
            note = (note + ";" if note else "") + f"分值 {full} 与规则的 {num(item.full)} 分不符"
            confidence *= 0.8
        seen[(code, key)] = confidence
        shown = a1(r, columns["score"]) if "score" in columns and holds != SCORE else ""
        sheet.entries.append(
            EntryPlace(code, a1(r, column), holds, key, round(confidence, 2), how, note, shown)
        )
    sheet.identity, sheet.notes = identity(grid, range(0, top), name)
    sheet.unmatched, sheet.total_cell = unmatched, total_cell
    sheet.missing = [code for code in items if not any(c == code for c, _ in seen)]
    return sheet


# ── grid sheets ──────────────────────────────────────────────────────────────────────────────
def _holds_in(text: Any) -> str | None:
    kind = header_kind(re.sub(r"M\d{2}", "", str(text or "")))
    return HOLDS_OF.get(kind or "") if kind in HOLDS_OF else None


def grid_sheet(name: str, grid: Grid, rules: Rules) -> SheetLayout | None:
    items = rules.monthly.items
    for top in range(min(HEADER_ROWS, len(grid.rows))):
        ids: dict[str, int] = {}
        found: dict[str, list[tuple[int, float, str]]] = {}
        unmatched: list[str] = []
        for c in range(grid.width(top)):
            value = grid.at(top, c)
            labelled = identity_label(value)
            if labelled is not None and not labelled[2]:  # 工号 / 姓名 / 班组 / 月份 columns
                ids.setdefault(labelled[0], c)
                continue
            match = match_item([value], items) if isinstance(value, str) else None
            if match is None or match[1] < 0.8:
                if isinstance(value, str) and value.strip():
                    unmatched.append(f"{column_letters(c)} 列「{value.strip()}」")
                continue
            found.setdefault(match[0], []).append((c, match[1], match[2]))
        if len(found) >= 3 and ("name" in ids or "employee_id" in ids):
            break
    else:
        return None
    sheet = SheetLayout(name, GRID)
    sheet.identity = {key: Place(column=column_letters(c)) for key, c in ids.items()}
    above = " ".join(str(grid.at(r, c) or "") for r in range(top) for c in range(grid.width(r)))
    sheet_holds = _holds_in(above) if above.strip() else None
    columns = [(code, *place) for code, places in found.items() for place in places]
    taken: set[tuple[str, str]] = set()
    for code, c, confidence, how in columns:
        item = items[code]
        header = grid.at(top, c)
        holds = (
            _holds_in(header) or (_holds_in(grid.at(top - 1, c)) if top else None) or sheet_holds
        )
        note = ""
        if item.scale is not None and holds in (None, COUNT, DEDUCTED, RATING):
            holds = RATING
        elif item.veto and holds in (None, COUNT, RATING):
            holds = FLAG
        elif holds is None or holds == RATING:
            holds = COUNT
            note = "表头没有说明录入的是次数、扣分还是得分,按次数读取,请核对"
            confidence *= 0.6
        key, kind_note, factor = deduction_key(code, item, [header], holds)
        if (
            (code, key) in taken
            or (code, "") in taken
            or (not key and any(t == code for t, _ in taken))
        ):
            sheet.unmatched.append(f"{column_letters(c)} 列(又一次对应 {code},未使用)")
            continue
        taken.add((code, key))
        note = ";".join(n for n in (note, kind_note) if n)
        confidence *= factor
        sheet.entries.append(
            EntryPlace(code, column_letters(c), holds, key, round(confidence, 2), how, note)
        )
    people_rows(sheet, grid, top, ids)
    sheet.unmatched = unmatched + sheet.unmatched
    sheet.missing = [code for code in items if code not in found]
    return sheet


def people_rows(sheet: SheetLayout, grid: Grid, top: int, ids: dict[str, int]) -> None:
    """A grid's rows of people (under its header row ``top``, until the identity columns are
    blank or a 合计 row), and the identity not in a column: the month above the header, the
    name standing for a missing 工号."""
    first = top + 1
    last = top
    id_cols = list(ids.values())
    for r in range(first, len(grid.rows)):
        values = [grid.at(r, c) for c in id_cols]
        if all(v is None for v in values):
            break
        if any(isinstance(v, str) and normalised(v).startswith(END_WORDS) for v in values):
            break
        last = r
    sheet.first_row, sheet.last_row = first + 1, last + 1
    month = identity(grid, range(0, top), sheet.name)[0].get("month")
    if month is not None and "month" not in sheet.identity:
        sheet.identity["month"] = month
    if "employee_id" not in sheet.identity:
        sheet.identity["employee_id"] = sheet.identity["name"]
        sheet.notes.append("没有「工号」列,以姓名作为工号")
    if "month" not in sheet.identity:
        sheet.notes.append("没有找到月份:校验时用 --month 指定")
