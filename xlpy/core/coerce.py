"""Vectorised checking and coercion of a month of entries (:func:`coerce`), and the same
reading of one cell (:func:`entry_reader`) for an Excel function's few arguments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from xlpy.core.entries import Entry, Kind, Problem, bounds_of, number_of
from xlpy.words import id_text, is_blank, yes_no

_LOGICAL_TYPES = frozenset({bool, np.bool_})


@dataclass(frozen=True)
class _Logical:
    """A TRUE/FALSE cell, kept apart from the number Python takes it for (``True == 1``): a
    logical value is no count, the number 1 is."""

    value: bool


class _Distinct:
    """A column factorised once; functions then run once per distinct value (a month repeats a
    few words many times), and their results are spread back over the rows."""

    def __init__(self, values: pd.Series) -> None:
        self.codes, uniques = pd.factorize(_logical_apart(values), use_na_sentinel=True)
        self.uniques = [u.value if isinstance(u, _Logical) else u for u in uniques]

    def map(self, fn: Callable[[Any], Any]) -> np.ndarray:
        mapped = np.empty(len(self.uniques) + 1, dtype=object)
        mapped[:-1] = [fn(u) for u in self.uniques]
        mapped[-1] = fn(None)  # code -1: missing
        return mapped[self.codes]


def _logical_apart(values: pd.Series) -> pd.Series:
    """``values`` with each logical value wrapped (:class:`_Logical`), so that factorising does
    not merge TRUE with 1 or FALSE with 0."""
    if values.dtype != object:
        return values
    array = values.to_numpy()
    if _LOGICAL_TYPES.isdisjoint(map(type, array)):
        return values
    return pd.Series(
        [_Logical(bool(v)) if type(v) in _LOGICAL_TYPES else v for v in array],
        index=values.index,
        dtype=object,
    )


def _per_value(values: pd.Series, fn: Callable[[Any], Any]) -> np.ndarray:
    return _Distinct(values).map(fn)


def _number(value: Any) -> float:
    """One cell as a number; NaN where blank or not a number (booleans are not numbers)."""
    if type(value) in _LOGICAL_TYPES or is_blank(value):
        return np.nan
    if isinstance(value, str):
        number = number_of(value.strip())
        return np.nan if number is None else number
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def _blanks_and_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Which cells are blank, and each as a number: float64, NaN where blank or not a number
    (booleans are not numbers). A column of mixed values is factorised once for both."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return np.zeros(len(values), dtype=bool), np.full(len(values), np.nan)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.isna().to_numpy(dtype=bool), values.to_numpy(dtype=float, na_value=np.nan)
    distinct = _Distinct(values)
    return distinct.map(is_blank).astype(bool), distinct.map(_number).astype(float)


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
    blank, numbers = _blanks_and_numbers(values)
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
