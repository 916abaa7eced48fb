"""What staff type: entry kinds, and vectorised checking/coercion of a month of entries.

Each scheme lists its entries (column, label, kind, allowed values). The form descriptions place
them on sheets; the validator and the scoring functions check them with :func:`coerce`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from xlpy.errors import XlpyError
from xlpy.words import id_text, is_blank, yes_no

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


class _Distinct:
    """A column factorised once; functions then run once per distinct value (a month repeats a
    few words many times), and their results are spread back over the rows."""

    def __init__(self, values: pd.Series) -> None:
        self.codes, self.uniques = pd.factorize(values, use_na_sentinel=True)

    def map(self, fn: Callable[[Any], Any]) -> np.ndarray:
        mapped = np.empty(len(self.uniques) + 1, dtype=object)
        mapped[:-1] = [fn(u) for u in self.uniques]
        mapped[-1] = fn(None)  # code -1: missing
        return mapped[self.codes]


def _per_value(values: pd.Series, fn: Callable[[Any], Any]) -> np.ndarray:
    return _Distinct(values).map(fn)


def blank_mask(values: pd.Series) -> np.ndarray:
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        return _per_value(values, is_blank).astype(bool)
    return values.isna().to_numpy(dtype=bool)


def _number(value: Any) -> float:
    """One cell as a number; NaN where blank or not a number (booleans are not numbers)."""
    if isinstance(value, (bool, np.bool_)) or is_blank(value):
        return np.nan
    if isinstance(value, str):
        number = number_of(value.strip())
        return np.nan if number is None else number
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def _numbers(values: pd.Series) -> np.ndarray:
    """Numbers as float64, NaN where blank or not a number (booleans are not numbers)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return np.full(len(values), np.nan)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return _per_value(values, _number).astype(float)


@dataclass(frozen=True)
class Bounds:
    """What a numeric entry kind accepts, and what a blank means."""

    low: float
    high: float
    whole: bool
    blank: float  # the value of a blank cell (a blank count is 0; other blanks are missing)


NUMBER_BOUNDS = {
    Kind.COUNT: Bounds(0, np.inf, True, 0.0),
    Kind.LEVEL: Bounds(LEVELS[0], LEVELS[1], True, np.nan),
    Kind.SURVEY: Bounds(LEVELS[0], LEVELS[1], True, np.nan),
    Kind.AMOUNT: Bounds(0, np.inf, False, np.nan),
    Kind.SCORE: Bounds(0, 100, False, np.nan),
    Kind.DEDUCTED: Bounds(0, np.inf, False, 0.0),
}


def bounds_of(entry: Entry) -> Bounds:
    """The bounds of a numeric entry: its kind's, capped by the entry's own upper limit."""
    bounds = NUMBER_BOUNDS[entry.kind]
    return replace(bounds, high=min(bounds.high, entry.most))


def _rating_lookup(
    scale: dict[str, float] | None, aliases: dict[str, str] | None
) -> dict[str, str]:
    return {word: word for word in scale or {}} | (aliases or {})


def _rating(value: Any, lookup: dict[str, str]) -> tuple[str | None, bool]:
    word = lookup.get(value.strip()) if isinstance(value, str) else None
    return word, word is None and not is_blank(value)


def _flag(value: Any) -> tuple[bool, bool]:
    flag = yes_no(value)
    return flag is True, flag is None and not is_blank(value)


def entry_reader(
    entry: Entry, scale: dict[str, float] | None = None, aliases: dict[str, str] | None = None
) -> Callable[[Any], tuple[Any, bool]]:
    """A function reading one cell exactly as :func:`coerce_column` reads a column:
    value → (clean value, bad). For a few cells at a time (an Excel function's arguments)."""
    kind = entry.kind
    if kind is Kind.RATING:
        lookup = _rating_lookup(scale, aliases)
        return lambda value: _rating(value, lookup)
    if kind is Kind.TEXT:
        return lambda value: (value, False)
    if kind is Kind.FLAG:
        return _flag
    bounds = bounds_of(entry)

    def number(value: Any) -> tuple[float, bool]:
        if is_blank(value):
            return bounds.blank, False
        n = _number(value)
        ok = bool(
            np.isfinite(n)
            and bounds.low <= n <= bounds.high
            and (not bounds.whole or n == np.floor(n))
        )
        return (n if ok else bounds.blank), not ok

    return number


def coerce_column(
    values: pd.Series,
    entry: Entry,
    scale: dict[str, float] | None = None,
    aliases: dict[str, str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Returns (clean values, bad mask). Clean: float64 (NaN = blank/missing), bool for FLAG,
    canonical rating word (object, None = blank) for RATING."""
    kind = entry.kind
    if kind in (Kind.RATING, Kind.FLAG):
        assert kind is Kind.FLAG or scale is not None
        pairs = _per_value(values, entry_reader(entry, scale, aliases))
        clean = np.array([c for c, _ in pairs], dtype=bool if kind is Kind.FLAG else object)
        return clean, np.array([b for _, b in pairs], dtype=bool)
    if kind is Kind.TEXT:
        return values.to_numpy(dtype=object), np.zeros(len(values), dtype=bool)
    bounds = bounds_of(entry)
    blank = blank_mask(values)
    numbers = _numbers(values)
    valid = np.isfinite(numbers) & (numbers >= bounds.low) & (numbers <= bounds.high)
    if bounds.whole:
        valid &= numbers == np.floor(numbers)
    bad = ~(valid | blank)
    clean = numbers.copy()
    clean[bad | blank] = bounds.blank
    return clean, bad


def coerce(
    frame: pd.DataFrame,
    entries: list[Entry],
    scales: dict[str, tuple[dict[str, float], dict[str, str]]] | None = None,
) -> tuple[dict[str, np.ndarray], list[Problem]]:
    """Check and convert every entry column. A missing column counts as all blank.

    ``scales`` maps a RATING entry's column to its (points, aliases)."""
    clean: dict[str, np.ndarray] = {}
    problems: list[Problem] = []
    blank_column = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for entry in entries:
        values = frame.get(entry.column, blank_column)
        points, aliases = (scales or {}).get(entry.column, (None, None))
        clean[entry.column], bad = coerce_column(values, entry, points, aliases)
        if bad.any():
            for row, value in zip(frame.index[bad], values.to_numpy(dtype=object)[bad]):
                problems.append(Problem(row, entry.column, value, entry.expected, entry.label))
    return clean, problems


def staff_ids(values: pd.Series) -> pd.Series:
    """工号 as text: 1001, 1001.0 and ' 1001 ' are the same person; blank stays <NA>."""
    return values.map(lambda value: id_text(value) or pd.NA).astype("string")
