"""Text from users or rosters, written so no program ever takes it for a formula, and shown as
it was typed: in a workbook a string cell, with Excel's quote prefix where the text starts like a
formula (what typing ``'=1+1`` gives: it stays text when edited); in a CSV, which has no styles,
a leading ``'`` (the usual defence: the CSV import shows it)."""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def looks_like_formula(text: str) -> bool:
    """Whether Excel, WPS or LibreOffice would take ``text`` for a formula if it were typed or
    imported from a CSV."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """A CSV field: text that looks like a formula gets a leading ``'``. Non-text unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def put_value(cell: Any, value: Any) -> None:
    """An openpyxl ``cell`` given ``value``; text always as a string cell, exactly as given
    (openpyxl would store ``=…`` as a formula), quote-prefixed where it looks like one."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
