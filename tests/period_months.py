"""Test support: monthly summaries made the real way — a month workbook generated from the
template, entries typed in as staff would (the demo's filler), then ``consolidate``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlpy.consolidate.job import consolidate
from xlpy.demo.data import DemoMonth
from xlpy.demo.fill import fill_month
from xlpy.forms import all_forms
from xlpy.rules import default_rules
from xlpy.template import generate

FORMS = all_forms(default_rules())
TEAMS = {"3001": ("甲一", "一班"), "3002": ("乙二", "一班"), "3003": ("丙三", "二班")}
FULL = {"M09": "强", "M10": "多"}  # top ratings: with no counts a person has all 85 points


def month_summary(
    folder: Path,
    month: str,
    entries: dict[str, dict[str, Any]],
    parameters: dict[str, Any] | None = None,
    survey: list[dict[str, Any]] | None = None,
    people: dict[str, tuple[str, str]] | None = None,
) -> Path:
    """汇总-<month>.xlsx in ``folder`` for the people in ``entries`` (工号 -> scheme M entries);
    ``parameters``: 参数 sheet values changed before consolidating; ``people``: 工号 -> (姓名,
    班组), :data:`TEAMS` by default."""
    people = people or TEAMS
    work = folder / f"work-{month}"
    work.mkdir(parents=True, exist_ok=True)
    roster = work / "roster.csv"
    roster.write_text(
        "工号,姓名,班组\n" + "".join(f"{p},{people[p][0]},{people[p][1]}\n" for p in entries),
        encoding="utf-8",
    )
    blank = generate(month, work / "blank.xlsx", roster, schemes=("M",))[0]
    demo = DemoMonth(month, monthly={p: FULL | e for p, e in entries.items()}, survey=survey or [])
    filled = fill_month(
        blank, work / f"售后考核-{month}.xlsx", demo, FORMS, [(p, people[p][0]) for p in entries]
    )
    if parameters:
        import openpyxl

        book = openpyxl.load_workbook(filled)
        for row in book["参数"].iter_rows(min_row=4):
            if row[0].value in parameters:
                row[2].value = parameters[row[0].value]
        book.save(filled)
    outcome = consolidate([filled], month, folder / f"汇总-{month}.xlsx")
    assert outcome.path is not None and not outcome.refused, [
        f.line() for f in outcome.batch.errors
    ]
    return outcome.path
