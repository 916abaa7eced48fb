"""A month workbook's ledgers, through the workbook port: read, validate, report, evidence.

This is the job the consolidation and the validator call: :func:`ledger_month` reads every
ledger sheet it recognises, checks it, and derives the SH/BD-06 report and scheme M evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from xlpy.engines.port import WorkbookPort
from xlpy.forms.cells import Cells
from xlpy.ledgers.checks import validate_ledgers
from xlpy.ledgers.clean import LedgerProblem
from xlpy.ledgers.evidence import MonthlyEvidence, evidence_for_monthly
from xlpy.ledgers.report import MonthEndReport, month_end_report
from xlpy.ledgers.sheets import LedgerReading, cell_of, identify_ledger, ledger_form, read_ledger
from xlpy.rules import Rules, default_rules
from xlpy.shared.findings import ERROR, WARNING, Finding
from xlpy.words import describe_value


def read_ledger_sheets(book: WorkbookPort) -> dict[str, LedgerReading]:
    """Every ledger sheet of a workbook by ledger key (sheets that are no ledger are skipped)."""
    found: dict[str, LedgerReading] = {}
    for sheet in book.sheet_names():
        cells = Cells.from_grid(book.values(sheet))
        ledger = identify_ledger(cells, sheet)
        if ledger is not None and ledger.key not in found:
            found[ledger.key] = read_ledger(cells, ledger, sheet)
    return found


@dataclass(frozen=True)
class LedgerMonth:
    readings: dict[str, LedgerReading]
    typed: dict[str, pd.DataFrame]
    problems: list[LedgerProblem]
    report: MonthEndReport
    evidence: MonthlyEvidence

    def findings(self, file: str) -> list[Finding]:
        """The problems as validation findings (file · sheet!cell · problem · expected)."""
        out = []
        for p in self.problems:
            reading = next((r for r in self.readings.values() if r.ledger.sheet == p.sheet), None)
            sheet = reading.sheet if reading is not None else p.sheet
            expected = reading.ledger.column(p.column).expected if reading and p.column else ""
            shown = "" if p.value is None or p.value == "" else f" {describe_value(p.value)}"
            head = f"{p.label}{shown}:" if p.label or shown else ""
            out.append(Finding(file, sheet, cell_of(p), head + p.message, expected, ERROR))
        if self.report.over_quota:
            reading = self.readings["expense_book"]
            quota_cell = next(
                c.address for c in ledger_form("expense_book").entries if c.entry.column == "quota"
            )
            out.append(
                Finding(
                    file,
                    reading.sheet,
                    quota_cell,
                    f"本月费用开支 {self.report.spent:g} 超过费用定额 {self.report.quota:g}",
                    "",
                    WARNING,
                )
            )
        return out


def ledger_month(
    book: WorkbookPort,
    month: str | pd.Period,
    roster: Iterable[str] | None = None,
    rules: Rules | None = None,
) -> LedgerMonth:
    rules = rules or default_rules()
    readings = read_ledger_sheets(book)
    typed, problems = validate_ledgers(
        {k: r.rows for k, r in readings.items()}, month, roster, rules
    )
    quota = readings["expense_book"].header.get("quota") if "expense_book" in readings else None
    quota = quota if isinstance(quota, (int, float)) and not isinstance(quota, bool) else None
    report = month_end_report(typed, month, quota)
    sheets = tuple(readings[k].sheet if k in readings else k for k in ("fee_log", "parts_log"))
    evidence = evidence_for_monthly(
        typed["fee_log"],
        typed["parts_log"],
        month,
        rules,
        typed["receipt_slip"] if "receipt_slip" in readings else None,
        sheets=sheets,
    )  # type: ignore[arg-type]
    return LedgerMonth(readings, typed, problems, report, evidence)
