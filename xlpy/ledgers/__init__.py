"""The department's operational ledgers (SH/BD forms, SCORING.md §7).

Pure core (no I/O; vectorised pandas): :mod:`catalog` (every ledger's columns, copies,
signatures), :mod:`clean` (typing and checking entries), :mod:`checks` (validation across rows
and ledgers), :mod:`report` (the month-end 进销存及资金使用情况月报表 and 经济核算 roll-up),
:mod:`evidence` (M02 late days, M05 unreturned parts) and :mod:`sample` (a demo month).

Entry points for the other jobs:

- ``validate_ledgers(raw, month, roster, rules) -> (typed, problems)``: raw frames by ledger
  key (columns = column keys, index = sheet row) → typed frames and :class:`LedgerProblem`\\ s.
- ``month_end_report(typed, month, quota) -> MonthEndReport``.
- ``evidence_for_monthly(fee_log, parts_log, month, rules, receipts=...) -> MonthlyEvidence``
  and ``compare_with_entries(evidence, entered)``: suggested M02/M05 counts beside the
  supervisor's entries (the supervisor's entry keeps scoring).
"""

from xlpy.ledgers.catalog import LEDGERS, SLIPS, Col, Column, Ledger, by_sheet, copy_label
from xlpy.ledgers.checks import validate_ledgers
from xlpy.ledgers.clean import LedgerProblem, clean_ledger
from xlpy.ledgers.evidence import (
    LATE,
    UNCLEAR,
    MonthlyEvidence,
    compare_with_entries,
    evidence_for_monthly,
)
from xlpy.ledgers.report import MonthEndReport, month_end_report

__all__ = [
    "LATE", "LEDGERS", "SLIPS", "UNCLEAR", "Col", "Column", "Ledger", "LedgerProblem",
    "MonthEndReport", "MonthlyEvidence", "by_sheet", "clean_ledger", "compare_with_entries",
    "copy_label", "evidence_for_monthly", "month_end_report", "validate_ledgers",
]
