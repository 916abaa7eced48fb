"""Earlier summaries: the previous month's (for 环比) and this month's last one (for 更正/复议)."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from xlpy.engines import FileWorkbook, UnreadableWorkbook
from xlpy.errors import XlpyError
from xlpy.forms import summary as summary_book
from xlpy.forms.summary import ID, NAME
from xlpy.shared.findings import WARNING, Finding
from xlpy.words import same_number

CHANGE_COLUMNS = list(summary_book.CHANGE_COLUMNS)
MONTH_FACT, FINGERPRINT_FACT = summary_book.AUDIT_FACTS[0], summary_book.AUDIT_FACTS[2]
NOT_OURS = "xlpy 生成的汇总文件"


def _table(book: FileWorkbook, sheet: str) -> pd.DataFrame | None:
    if sheet not in book.sheet_names():
        return None
    grid = book.values(sheet)
    top = summary_book.header_row(grid)
    if top is None:
        return None
    header = [str(h) if h is not None else f"_{i}" for i, h in enumerate(grid[top])]
    if len(set(header)) < len(header):
        raise UnreadableWorkbook(book.name, f"「{sheet}」表的列标题重复", NOT_OURS)
    return pd.DataFrame(grid[top + 1 :], columns=header)


def _pairs(grid: Sequence[Sequence[Any]], header: Sequence[str]) -> dict[str, Any]:
    """The two-column table of 审计 under ``header`` (its rows up to the first blank one)."""
    for top, row in enumerate(grid):
        if tuple(row[:2]) == tuple(header):
            pairs = {}
            for below in grid[top + 1 :]:
                if len(below) < 2 or below[0] is None:
                    break
                pairs[str(below[0])] = below[1]
            return pairs
    return {}


def _fulls(grid: Sequence[Sequence[Any]]) -> dict[str, float]:
    """The full points of each 汇总 column, as 审计 records them (numbers only)."""
    return {
        column: float(full)
        for column, full in _pairs(grid, summary_book.FULL_COLUMNS).items()
        if isinstance(full, (int, float)) and math.isfinite(full)
    }


class SavedSummary:
    """A summary written earlier, read back with the file engine. ``month`` and
    ``fingerprint`` as its 审计 states them ("" when absent); ``fulls``: the full points of its
    score columns (empty for a summary written before they were recorded)."""

    def __init__(self, path: Path) -> None:
        book = FileWorkbook(path)
        self.path, self.sha256 = path, book.sha256
        summary = _table(book, summary_book.SUMMARY)
        if summary is None or ID not in summary:
            raise UnreadableWorkbook(path.name, "不是 xlpy 生成的汇总(缺少汇总表)", NOT_OURS)
        summary = summary[summary[ID].notna()]
        self.summary = summary.set_index(summary[ID].astype(str))
        audit = book.values(summary_book.AUDIT) if summary_book.AUDIT in book.sheet_names() else []
        facts = _pairs(audit, summary_book.AUDIT_COLUMNS)
        self.month = str(facts.get(MONTH_FACT) or "")
        self.fingerprint = str(facts.get(FINGERPRINT_FACT) or "")
        self.fulls = _fulls(audit)
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


def find_summary(
    folder: Path, month: str, people: Collection[str]
) -> tuple[SavedSummary | None, Finding | None]:
    """``month``'s summary in ``folder`` for 环比, or why the file found there is not used: it
    cannot be read (damaged, refused by the file engine's guards), is no summary of ours, is
    another month's, or has none of this month's ``people`` (another department's)."""
    path = folder / summary_book.file_name(month)
    if not path.is_file():
        return None, None
    try:
        saved = SavedSummary(path)
    except XlpyError as exc:
        return None, _not_used(path, month, exc.problem)
    except (ValueError, TypeError, KeyError, IndexError):  # a table shaped like none of ours
        return None, _not_used(path, month, "表格结构无法识别")
    if not saved.month:
        why = f"不是 xlpy 生成的月度汇总(「{summary_book.AUDIT}」表中没有月份)"
        return None, _not_used(path, month, why)
    if saved.month != month:
        return None, _not_used(path, month, f"它是 {saved.month} 的汇总,不是 {month} 的")
    ids = {str(pid) for pid in people}
    if ids and not ids & set(saved.summary.index):
        return None, _not_used(path, month, "其中没有本月的任何人员(可能是其他部门的汇总)")
    return saved, None


def _not_used(path: Path, month: str, why: str) -> Finding:
    return Finding(
        path.name,
        "",
        "",
        f"上月汇总无法使用,本月不做环比:{why}",
        f"本部门 {month} 由 xlpy 写出的汇总(或移走该文件)",
        WARNING,
    )


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
