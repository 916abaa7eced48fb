"""The ledgers as an optional slice of the month (:class:`xlpy.shared.slices.Slice`): their
sheets in the template, their checks in validation, 月报表 and 台账核对 in the summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from xlpy.ledgers.review import LedgerReview, review_ledgers, write_ledger_review
from xlpy.ledgers.template_sheets import write_ledger_sheets
from xlpy.shared.findings import Finding


class LedgerSlice:
    name = "ledgers"

    def template_sheets(self, workbook: Any, styles: Any, month: str) -> None:
        write_ledger_sheets(workbook, styles, month)

    def review(
        self,
        workbooks: Sequence[Any],
        month: str,
        rules: Any,
        people: pd.DataFrame,
        monthly_forms: Sequence[Any],
    ) -> tuple[LedgerReview | None, list[Finding]]:
        return review_ledgers(workbooks, month, rules, people, monthly_forms)

    def summary_sheets(self, book: Any, styles: Any, result: LedgerReview) -> None:
        write_ledger_review(book, styles, result)


LEDGERS = LedgerSlice()
