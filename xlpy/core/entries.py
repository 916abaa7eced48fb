"""What staff type: entry kinds, what each accepts, and what a blank means.

Each scheme lists its entries (column, label, kind, allowed values) in
:mod:`xlpy.core.scheme_entries`. The form descriptions place them on sheets; the validator and
the scoring functions check them with :func:`xlpy.core.coerce.coerce`. Pure: no numpy, no
pandas, so reading a workbook never loads them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from xlpy.errors import XlpyError

LEVELS = (1, 5)  # LEVEL and SURVEY entries: whole numbers from the first to the last
NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$", re.ASCII)


def number_of(text: str) -> float | None:
    """The finite number a text spells in plain ASCII digits (``"12.5"``), else None — not
    ``"1_0"``, full-width ``"５"``, ``"inf"`` or ``"nan"``, all of which ``float`` accepts."""
    if not NUMBER_TEXT.match(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


class Kind(StrEnum):
    COUNT = "count"  # whole number ≥ 0; blank = 0
    RATING = "rating"  # a word from a scale; blank = not rated
    FLAG = "flag"  # 是/否; blank = 否
    LEVEL = "level"  # whole number 1-5; blank = not rated
    SURVEY = "survey"  # whole number 1-5; blank = not answered
    AMOUNT = "amount"  # number ≥ 0; blank = missing
    SCORE = "score"  # number 0-100; blank = missing
    DEDUCTED = "deducted"  # points deducted from an item: number 0 to its full points; blank = 0
    TEXT = "text"  # free text, never scored


@dataclass(frozen=True)
class Entry:
    column: str
    label: str
    kind: Kind
    choices: tuple[str, ...] = ()  # rating words (aliases included) for RATING
    personal: bool = False  # customer contact data: never copied out of its sheet
    most: float = math.inf  # a numeric entry's own upper limit (DEDUCTED: the item's full points)

    @property
    def expected(self) -> str:
        """What a valid entry looks like, in the words staff read."""
        return {
            Kind.COUNT: "不小于 0 的整数(空白视为 0)",
            Kind.RATING: " / ".join(self.choices),
            Kind.FLAG: "是 / 否(空白视为否)",
            Kind.LEVEL: f"{LEVELS[0]}-{LEVELS[1]} 的整数",
            Kind.SURVEY: f"{LEVELS[0]}-{LEVELS[1]} 的整数",
            Kind.AMOUNT: "不小于 0 的数",
            Kind.SCORE: "0-100 的数",
            Kind.DEDUCTED: f"0 到 {self.most:g} 之间的扣分(空白视为 0)",
            Kind.TEXT: "文字",
        }[self.kind]


@dataclass(frozen=True)
class Problem:
    """One bad entry: the row label of the DataFrame, its column, what was typed, what is
    expected, and the entry's label (for an entry no form places, such as points deducted)."""

    row: Any
    column: str
    value: Any
    expected: str
    label: str = ""

    def __str__(self) -> str:
        shown = "空白" if self.value is None else repr(self.value)
        return f"第 {self.row} 行 {self.column}: {shown} 无效,应为 {self.expected}"


class InvalidEntries(XlpyError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f"(另有 {len(problems) - 5} 处)" if len(problems) > 5 else ""
        super().__init__(f"输入有误: {shown}{more}")


@dataclass(frozen=True)
class Bounds:
    """What a numeric entry kind accepts, and what a blank means."""

    low: float
    high: float
    whole: bool
    blank: float  # the value of a blank cell (a blank count is 0; other blanks are missing)


NUMBER_BOUNDS = {
    Kind.COUNT: Bounds(0, math.inf, True, 0.0),
    Kind.LEVEL: Bounds(LEVELS[0], LEVELS[1], True, math.nan),
    Kind.SURVEY: Bounds(LEVELS[0], LEVELS[1], True, math.nan),
    Kind.AMOUNT: Bounds(0, math.inf, False, math.nan),
    Kind.SCORE: Bounds(0, 100, False, math.nan),
    Kind.DEDUCTED: Bounds(0, math.inf, False, 0.0),
}


def bounds_of(entry: Entry) -> Bounds:
    """The bounds of a numeric entry: its kind's, capped by the entry's own upper limit."""
    bounds = NUMBER_BOUNDS[entry.kind]
    return replace(bounds, high=min(bounds.high, entry.most))
