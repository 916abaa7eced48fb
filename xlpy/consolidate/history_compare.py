"""Which scores of this month 环比 can compare with last month's summary, and what changed
between the two months' forms (items added, removed or renamed; totals on other full points).
Pure pandas, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from xlpy.consolidate.history import SavedSummary
from xlpy.forms.summary import column_kind, scheme_column
from xlpy.rules.model import ITEM_CODE

SCHEME_SEPARATOR = scheme_column("", "")  # 技术等级·总分: scheme name · label
NOTE_SEPARATOR, LIST_SEPARATOR = ";", "、"


@dataclass
class Comparison:
    """``pairs``: (this month's 汇总 header, last month's) of every score compared; ``notes``:
    what changed, one sentence each."""

    pairs: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return NOTE_SEPARATOR.join(self.notes)


def item_key(header: str) -> tuple[str, str] | None:
    """(scheme prefix, item code) of an item's 汇总 header (``M05 配件管理``,
    ``KPI考核·K1 客户信息管理``); None for totals, subtotals and the other columns."""
    prefix, _, label = header.rpartition(SCHEME_SEPARATOR)
    code = label.split(" ", 1)[0]
    return (prefix, code) if " " in label and ITEM_CODE.match(code) else None


def _items(headers: list[str]) -> dict[tuple[str, str], str]:
    return {key: header for header in headers if (key := item_key(header)) is not None}


def compare_forms(
    previous: SavedSummary,
    table: pd.DataFrame,
    fulls: dict[str, float],
    fingerprint: str,
    score_header: str,
) -> Comparison:
    """Scores both months have on the same full points (an item by its code, whatever it is
    called now), other than ``score_header`` (the 0-100 score 环比 always compares)."""
    before = [str(c) for c in previous.summary.columns]
    now = [str(c) for c in table.columns]
    old_items, new_items = _items(before), _items(now)
    comparison = Comparison()
    added = [new_items[k] for k in new_items if k not in old_items]
    removed = [old_items[k] for k in old_items if k not in new_items]
    renamed = [
        (old_items[k], new_items[k])
        for k in new_items
        if old_items.get(k, new_items[k]) != new_items[k]
    ]
    if added:
        comparison.notes.append("本月新增考核项 " + LIST_SEPARATOR.join(added))
    if removed:
        comparison.notes.append("本月取消考核项 " + LIST_SEPARATOR.join(removed))
    if renamed:
        comparison.notes.append(
            "考核项改名 " + LIST_SEPARATOR.join(f"{old} → {new}" for old, new in renamed)
        )
    same_scale = _same_scale(previous, fulls, fingerprint)
    other_scale = []
    for header in now:
        if header == score_header or column_kind(header) != "number":
            continue
        key = item_key(header)
        old = old_items.get(key) if key is not None else (header if header in before else None)
        if old is None:
            continue
        if same_scale or (same_scale is None and fulls.get(header) == previous.fulls.get(old)):
            comparison.pairs.append((header, old))
        elif same_scale is None and old in previous.fulls and header in fulls:
            other_scale.append(f"{header} {previous.fulls[old]:g} → {fulls[header]:g}")
    if same_scale is False:
        comparison.notes.append(f"上月汇总没有记录各列满分且参数不同,只比较{score_header}和等级")
    if other_scale:
        comparison.notes.append(
            f"满分不同,不比较原始分:{LIST_SEPARATOR.join(other_scale)}(请看{score_header}的变化)"
        )
    return comparison


def _same_scale(previous: SavedSummary, fulls: dict[str, float], fingerprint: str) -> bool | None:
    """None: compare column by column by the recorded full points; True/False for a summary
    that recorded none (written by an earlier version): the same parameters, or not."""
    if previous.fulls and fulls:
        return None
    return previous.fingerprint == fingerprint
