"""The ledgers inside a month's validation and consolidation.

:func:`review_ledgers` finds the workbook that holds the month's ledger sheets, checks them
(findings with cells), builds the SH/BD-06 report and sets the M02/M05 counts the ledgers suggest
beside what each supervisor entered on the 月考核 forms. A disagreement is a warning on the
supervisor's cell; the supervisor's entry is always the one that scores.
:func:`write_ledger_review` adds the 月报表 and 台账核对 sheets to the summary workbook.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from xlpy.ledgers.book import LedgerMonth, ledger_month
from xlpy.ledgers.catalog import LEDGERS
from xlpy.ledgers.evidence import ITEM_LABELS, LATE, UNCLEAR, compare_with_entries
from xlpy.ledgers.report_sheet import write_evidence, write_month_report
from xlpy.ledgers.sheets import ledger_form
from xlpy.rules import Rules
from xlpy.shared.findings import WARNING, Finding
from xlpy.words import is_month

_SHEETS = {ledger.sheet for ledger in LEDGERS.values()}


class _Workbook(Protocol):
    name: str
    book: Any  # WorkbookPort | None


class _MonthlyForm(Protocol):
    """A read 月考核 form (validate's PersonForm): pid, workbook.name, read.sheet, reading."""

    pid: str
    workbook: Any
    read: Any
    reading: Any


@dataclass(frozen=True)
class LedgerReview:
    file: str  # the workbook the ledgers were read from
    month: LedgerMonth
    comparison: pd.DataFrame  # compare_with_entries, plus 工号 ("pid")


def review_ledgers(
    workbooks: Iterable[_Workbook],
    month: str,
    rules: Rules,
    people: pd.DataFrame,
    monthly: Sequence[_MonthlyForm] = (),
) -> tuple[LedgerReview | None, list[Finding]]:
    """Review the month's ledgers (None when no workbook has ledger sheets).

    ``people``: index 工号, column ``name`` (the roster; ledgers name engineers by 姓名).
    ``monthly``: the month's valid 月考核 forms, whose M02/M05 entries are compared."""
    holders = [
        wb for wb in workbooks if wb.book is not None and _SHEETS & set(wb.book.sheet_names())
    ]
    if not holders:
        return None, []
    first = holders[0]
    findings = [
        Finding(
            wb.name,
            "",
            "",
            f"台账工作表也出现在 {first.name} 中,本文件的台账未读取",
            "每月的台账只放在一个工作簿中",
            WARNING,
        )
        for wb in holders[1:]
    ]
    if not is_month(month):
        findings.append(
            Finding(
                first.name, "", "", "无法确定台账所属的月份,台账未核对", "同一个月的工作簿", WARNING
            )
        )
        return None, findings
    names = people["name"].astype(str) if "name" in people else pd.Series(dtype=str)
    roster = [n for n in names if n] or None
    result = ledger_month(first.book, month, roster, rules)
    findings += result.findings(first.name)
    findings += _month_cells(first.name, result, month)
    pid_of = {name: pid for pid, name in names.items() if name}
    name_of = {pid: name for name, pid in pid_of.items()}
    entered = pd.DataFrame(
        {item: [f.reading.entries.get(item) for f in monthly] for item in (LATE, UNCLEAR)},
        index=[name_of.get(f.pid, f.pid) for f in monthly],
        dtype=object,
    )
    comparison = compare_with_entries(result.evidence, entered)
    comparison.insert(0, "pid", comparison["engineer"].map(pid_of).fillna(""))
    comparison = comparison.sort_values(["pid", "engineer", "item"], ignore_index=True)
    findings += _disagreements(comparison, monthly, name_of)
    return LedgerReview(first.name, result, comparison), findings


def _month_cells(file: str, result: LedgerMonth, month: str) -> list[Finding]:
    out = []
    for key, reading in result.readings.items():
        typed = reading.month
        shown = typed.strftime("%Y-%m") if hasattr(typed, "strftime") else str(typed or "").strip()
        if shown and shown != month:
            cell = ledger_form(key).identity[0].address
            out.append(
                Finding(
                    file, reading.sheet, cell, f"月份 {shown} 与本次核对的月份不符", month, WARNING
                )
            )
    return out


def _disagreements(
    comparison: pd.DataFrame, monthly: Sequence[_MonthlyForm], name_of: dict[str, str]
) -> list[Finding]:
    forms = {f.pid: f for f in monthly}
    out = []
    for row in comparison[~comparison["agrees"]].itertuples(index=False):
        form = forms.get(row.pid)
        if form is None:
            continue
        cell = form.reading.addresses.get(row.item, "")
        out.append(
            Finding(
                form.workbook.name,
                form.read.sheet,
                cell,
                f"{ITEM_LABELS[row.item]}填报 {row.entered:g},台账记录为 "
                f"{row.suggested:g}(见汇总「台账核对」);计分仍以填报为准",
                "与台账一致,或在备注中说明依据",
                WARNING,
                row.pid,
            )
        )
    return out


def write_ledger_review(book, styles, review: LedgerReview) -> None:
    """Add 月报表 and 台账核对 to an xlsxwriter summary workbook."""
    write_month_report(book, styles, review.month.report)
    write_evidence(book, styles, review.comparison, review.month.evidence)
