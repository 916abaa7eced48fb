"""The department's operational ledgers (SH/BD forms, SCORING.md §7).

Pure core (no I/O; vectorised pandas): :mod:`catalog` (every ledger's columns, copies,
signatures), :mod:`clean` (typing and checking entries), :mod:`checks` (validation across rows
and ledgers), :mod:`report` (the month-end 进销存及资金使用情况月报表 and 经济核算 roll-up),
:mod:`evidence` (M02 late days, M05 unreturned parts) and :mod:`sample` (a demo month).

Sheets and files: :mod:`sheets` (each ledger as a :class:`xlpy.forms.Form`, the reader),
:mod:`template_sheets` (``xlpy template --ledgers``: the only ledger-sheet writer), :mod:`fill`
(``fill_ledgers``: a month typed into those sheets, for the demo and tests), :mod:`book` (a workbook's ledgers through
the workbook port), :mod:`review` (inside validate/consolidate), :mod:`report_sheet` (the
summary's 月报表 and 台账核对), :mod:`printing` (``xlpy print``: 一式N联 via LibreOffice).

Entry points for the other jobs:

- ``validate_ledgers(raw, month, roster, rules) -> (typed, problems)``: raw frames by ledger
  key (columns = column keys, index = sheet row) → typed frames and :class:`LedgerProblem`\\ s.
- ``month_end_report(typed, month, quota) -> MonthEndReport``.
- ``evidence_for_monthly(fee_log, parts_log, month, rules, receipts=...) -> MonthlyEvidence``
  and ``compare_with_entries(evidence, entered)``: suggested M02/M05 counts beside the
  supervisor's entries (the supervisor's entry keeps scoring).
- ``review_ledgers(workbooks, month, rules, people, monthly_forms) -> (LedgerReview, findings)``
  and ``write_ledger_review(book, styles, review)``: what validate and consolidate call.
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
    "LATE",
    "LEDGERS",
    "SLIPS",
    "UNCLEAR",
    "Col",
    "Column",
    "Ledger",
    "LedgerProblem",
    "MonthEndReport",
    "MonthlyEvidence",
    "by_sheet",
    "clean_ledger",
    "compare_with_entries",
    "copy_label",
    "evidence_for_monthly",
    "month_end_report",
    "validate_ledgers",
]
