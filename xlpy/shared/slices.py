"""Optional slices of the department's workbook (the ledgers) plug into the jobs through this
port: the caller (CLI, ribbon, demo) passes the slices it wants; template, validate and
consolidate call them without importing them, so no job depends on an optional slice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import pandas as pd

from xlpy.shared.findings import Finding


class Slice(Protocol):
    name: str

    def template_sheets(self, workbook: Any, styles: Any, month: str) -> None:
        """Add the slice's blank sheets to the department's xlsxwriter month workbook."""
        ...

    def review(
        self,
        workbooks: Sequence[Any],
        month: str,
        rules: Any,
        people: pd.DataFrame,
        monthly_forms: Sequence[Any],
    ) -> tuple[Any, list[Finding]]:
        """Check the slice's sheets in a validated batch: (its result or None, findings)."""
        ...

    def summary_sheets(self, book: Any, styles: Any, result: Any) -> None:
        """Add the slice's sheets to the summary workbook, from its ``review`` result."""
        ...
