"""Earlier summaries: the previous month's (for 环比) and this month's last one (for 更正/复议)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from xlpy.engines import FileWorkbook, UnreadableWorkbook
from xlpy.errors import XlpyError
from xlpy.forms import summary as summary_book
from xlpy.forms.summary import ID, NAME
from xlpy.words import same_number

CHANGE_COLUMNS = list(summary_book.CHANGE_COLUMNS)


def _table(book: FileWorkbook, sheet: str) -> pd.DataFrame | None:
    if sheet not in book.sheet_names():
        return None
    grid = book.values(sheet)
    top = summary_book.header_row(grid)
    if top is None:
        return None
    header = [str(h) if h is not None else f"_{i}" for i, h in enumerate(grid[top])]
    return pd.DataFrame(grid[top + 1 :], columns=header)


class SavedSummary:
    """A summary written earlier, read back with the file engine."""

    def __init__(self, path: Path) -> None:
        book = FileWorkbook(path)
        self.path, self.sha256 = path, book.sha256
        summary = _table(book, summary_book.SUMMARY)
        if summary is None or ID not in summary:
            raise UnreadableWorkbook(path.name, "不是 xlpy 生成的汇总(缺少汇总表)", "xlpy 汇总文件")
        summary = summary[summary[ID].notna()]
        self.summary = summary.set_index(summary[ID].astype(str))
        detail = _table(book, summary_book.DETAIL)
        self.detail = _detail_texts(detail) if detail is not None else {}
        changes = _table(book, summary_book.CHANGES)
        self.changes = (
            changes[CHANGE_COLUMNS]
            if changes is not None and set(CHANGE_COLUMNS) <= set(changes.columns)
            else pd.DataFrame(columns=CHANGE_COLUMNS)
        )


def _detail_texts(detail: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(工号, 汇总 header) -> the arithmetic shown in 明细."""
    texts = {}
    items = [c for c in detail.columns if c not in (ID, NAME)]
    for row in detail.itertuples(index=False):
        values = dict(zip(detail.columns, row))
        pid = str(values[ID])
        for item in items:
            text = values[item]
            if isinstance(text, str) and text:
                texts[(pid, item)] = text
    return texts


def find_summary(folder: Path, month: str) -> SavedSummary | None:
    path = folder / summary_book.file_name(month)
    if not path.is_file():
        return None
    try:
        return SavedSummary(path)
    except XlpyError:  # unreadable, or refused by the file engine's guards (a hostile file)
        return None


def _same(old: object, new: object) -> bool:
    blank_old = old is None or (isinstance(old, float) and math.isnan(old)) or old == ""
    blank_new = new is None or (isinstance(new, float) and math.isnan(new)) or new == ""
    if blank_old or blank_new:
        return blank_old and blank_new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return same_number(old, new)
    return str(old) == str(new)


def score_changes(
    old: SavedSummary, table: pd.DataFrame, detail: pd.DataFrame, total_label: str
) -> pd.DataFrame:
    """Every score that differs from the saved summary, with the arithmetic behind old and new,
    appended to the changes the saved summary already recorded."""
    new_detail = _detail_texts(detail)
    rows = []
    for _, row in table.iterrows():
        pid = str(row[ID])
        before = old.summary.loc[pid] if pid in old.summary.index else None
        for column in table.columns:
            if column in (ID, NAME):
                continue
            old_value = before.get(column) if before is not None else None
            if _same(old_value, row[column]):
                continue
            item = column if (pid, column) in new_detail else total_label
            rows.append(
                [
                    pid,
                    row[NAME],
                    column,
                    old_value,
                    row[column],
                    old.detail.get((pid, item), ""),
                    new_detail.get((pid, item), ""),
                ]
            )
    start = len(old.changes)
    fresh = pd.DataFrame([[start + i + 1, *r] for i, r in enumerate(rows)], columns=CHANGE_COLUMNS)
    return pd.concat([old.changes, fresh], ignore_index=True) if start else fresh
