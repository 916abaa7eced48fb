"""Check and type one ledger's rows: dates, money, quantities, choices, required entries.

Input: a DataFrame whose columns are a :class:`~xlpy.ledgers.catalog.Ledger`'s column keys,
holding what staff typed (str, numbers, dates, None), indexed by the sheet row number. Output: the
typed rows (blank rows dropped) and one :class:`LedgerProblem` per bad entry. Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from xlpy.ledgers.catalog import Col, Column, Ledger
from xlpy.words import NO, YES, describe_value, month_days, yes_no


@dataclass(frozen=True)
class LedgerProblem:
    """One thing wrong in a ledger: sheet, row (the frame's index: the sheet row; None when the
    problem has no row of its own), column key."""

    sheet: str
    row: Any
    column: str  # column key ("" when the problem is the whole row or slip)
    label: str  # the column's Chinese header
    value: Any
    message: str

    def __str__(self) -> str:
        where = self.sheet + (f" 第 {self.row} 行" if self.row is not None else "")
        where += f" {self.label}" if self.label else ""
        shown = "" if self.value is None or self.value == "" else f" ({describe_value(self.value)})"
        return f"{where}{shown}: {self.message}"


LATE_MONTHS = 1  # a late_ok date may fall this many months after the ledger's month


def month_bounds(
    month: str | pd.Period, months_after: int = 0
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day of a month given as '2026-11' or a Period, and last day of the month
    ``months_after`` later (:func:`xlpy.words.month_days`, as the template validates them)."""
    first, last = month_days(str(pd.Period(month, freq="M")), months_after)
    return pd.Timestamp(first), pd.Timestamp(last)


def _is_blank(values: pd.Series) -> np.ndarray:
    obj = values.astype(object)
    text = obj.map(lambda v: v.strip() if isinstance(v, str) else v)
    return (text.isna() | (text == "")).to_numpy(dtype=bool)


def _is_number(values: pd.Series) -> np.ndarray:
    return values.map(
        lambda v: (
            isinstance(v, (int, float, np.integer, np.floating))
            and not isinstance(v, (bool, np.bool_))
            and not np.isnan(v)
        )
    ).to_numpy(dtype=bool)


def _numbers(values: pd.Series, blank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(float values, is-number mask). Text, booleans and dates are not numbers."""
    is_num = _is_number(values)
    out = np.full(len(values), np.nan)
    if is_num.any():
        out[is_num] = values[is_num].astype(float).to_numpy()
    return out, is_num & ~blank


def _dates(values: pd.Series) -> np.ndarray:
    """datetime64[ns] days; NaT for anything that is not a date (numbers are not dates)."""

    def one(v: Any) -> Any:
        if isinstance(v, (datetime, date, pd.Timestamp)):
            return pd.Timestamp(v)
        if isinstance(v, str) and v.strip():
            return v.strip()
        return None

    prepared = values.map(one)
    parsed = pd.to_datetime(prepared, errors="coerce", format="mixed")
    return parsed.dt.normalize().to_numpy(dtype="datetime64[ns]")


def _text(values: pd.Series, blank: np.ndarray) -> np.ndarray:
    def one(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return str(int(v))  # slip number 1001 read back as 1001.0
        if isinstance(v, (datetime, pd.Timestamp)):
            return v.strftime("%Y-%m-%d")
        return str(v).strip()

    out = values.map(one).to_numpy(dtype=object, copy=True)
    out[blank] = None
    return out


def clean_ledger(
    ledger: Ledger,
    frame: pd.DataFrame,
    month: str | pd.Period,
    roster: Iterable[str] | None = None,
    late_months: int = LATE_MONTHS,
) -> tuple[pd.DataFrame, list[LedgerProblem]]:
    """Typed rows of one ledger and the problems found in its entries.

    Dates must fall in ``month``; dates of ``late_ok`` columns may also fall in the following
    ``late_months`` months (hand-ins and returns after month end). Money: a number ≥ 0 with at
    most 2 decimals, never text. A row left entirely blank is dropped."""
    first, last = month_bounds(month)
    late_last = month_bounds(month, max(1, late_months))[1]
    keys = [c.key for c in ledger.columns]
    raw = frame.reindex(columns=keys).astype(object)
    raw = raw.where(raw.notna(), None)
    blank = {k: _is_blank(raw[k]) for k in keys}
    keep = ~np.logical_and.reduce([blank[k] for k in keys]) if keys else np.zeros(0, bool)
    raw = raw[keep]
    blank = {k: v[keep] for k, v in blank.items()}
    names = set(roster) if roster is not None else None

    typed: dict[str, np.ndarray] = {}
    problems: list[LedgerProblem] = []

    def report(column: Column, bad: np.ndarray, message: str) -> None:
        for row, value in zip(raw.index[bad], raw[column.key].to_numpy(dtype=object)[bad]):
            problems.append(
                LedgerProblem(ledger.sheet, row, column.key, column.label, _shown(value), message)
            )

    for column in ledger.columns:
        values, empty = raw[column.key], blank[column.key]
        if column.required:
            report(column, empty, "必填,不能空白")
        kind = column.kind
        if kind is Col.DATE:
            days = _dates(values)
            not_date = np.isnat(days) & ~empty
            report(column, not_date, "不是日期(应写作 2026-11-03)")
            upper = late_last if column.late_ok else last
            outside = ~np.isnat(days) & (
                (days < first.to_datetime64()) | (days > upper.to_datetime64())
            )
            span = f"{first:%Y-%m-%d} 至 {upper:%Y-%m-%d}"
            report(
                column,
                outside,
                f"日期不在 {span} 之间" if column.late_ok else f"日期不在本月({first:%Y年%m月})内",
            )
            typed[column.key] = days
        elif kind in (Col.MONEY, Col.QTY, Col.BALANCE):
            numbers, is_num = _numbers(values, empty)
            report(column, ~is_num & ~empty, "是文字,不是金额" if kind is Col.MONEY else "不是数字")
            if kind is Col.MONEY:
                cents = numbers * 100
                fractional = is_num & ~np.isclose(cents, np.round(cents), rtol=0, atol=1e-6)
                report(column, fractional, "金额最多两位小数")
                report(column, is_num & (numbers < 0), "金额不能为负")
                bad = fractional | (numbers < 0)
            else:
                whole = is_num & (numbers != np.floor(numbers))
                report(column, whole, "应为整数")
                bad = whole.copy()
                if kind is Col.QTY:
                    report(column, is_num & (numbers < 0), "数量不能为负")
                    bad |= is_num & (numbers < 0)
            numbers[~is_num | bad] = np.nan
            typed[column.key] = numbers
        elif kind is Col.FLAG:
            flags = values.map(yes_no)
            yes = (flags == True).to_numpy(dtype=bool)  # noqa: E712 - elementwise, None stays out
            no = (flags == False).to_numpy(dtype=bool)  # noqa: E712
            report(column, ~(yes | no | empty), f"应为 {YES} / {NO}")
            typed[column.key] = yes
        else:
            text = _text(values, empty)
            if kind is Col.CHOICE:
                unknown = ~empty & ~pd.Series(text).isin(column.choices).to_numpy(dtype=bool)
                report(column, unknown, f"应为 {column.expected}")
            elif kind is Col.PERSON and names is not None:
                unknown = ~empty & ~pd.Series(text).isin(names).to_numpy(dtype=bool)
                report(column, unknown, "不在花名册中")
            typed[column.key] = text
    return pd.DataFrame(typed, index=raw.index), problems


def _shown(value: Any) -> Any:
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return value
