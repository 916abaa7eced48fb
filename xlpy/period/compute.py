"""A quarter's or year's results from its monthly summaries (pure pandas, no I/O).

Per person: each month's 百分制 side by side, the period score (the mean of the months that
count), its grade and 绩效系数 from the core's bands, and ranks by the monthly summary's rule.
How a cancelled month and a month without a score count is ``rules.period``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from xlpy.consolidate.table import ranks
from xlpy.core.grading import coefficients, grade_labels
from xlpy.forms.summary import DEPT_RANK, ID, NAME, NOTE, STATUS, TEAM, TEAM_RANK
from xlpy.period.reading import MonthlySummary, score_labels
from xlpy.period.spec import Period
from xlpy.rules import Rules
from xlpy.rules.model import COUNTS_ZERO
from xlpy.words import num

FORMULA = "算式"
MISSING_MONTH = "缺月"  # status: some month has no score
NO_SCORE = "无成绩"  # status: no month counts


def month_header(month: str) -> str:
    return f"{month} {score_labels()['percent']}"


def period_table(
    period: Period, summaries: dict[str, MonthlySummary], rules: Rules
) -> pd.DataFrame:
    """One row per person found in any of the period's summaries (in order of first
    appearance); name and team from the latest month that lists the person."""
    labels = score_labels()
    people: dict[str, tuple[str, str]] = {}
    for month in period.months:
        summary = summaries.get(month)
        if summary is None:
            continue
        for pid in summary.people():
            row = summary.table.loc[pid]
            people[pid] = (_text(row.get(NAME)), _text(row.get(TEAM)))
    ids = list(
        dict.fromkeys(pid for m in period.months if m in summaries for pid in summaries[m].people())
    )
    cancelled_zero = rules.period.cancelled == COUNTS_ZERO
    missing_zero = rules.period.missing == COUNTS_ZERO
    columns: dict[str, list[float]] = {month_header(m): [] for m in period.months}
    scores, formulas, statuses, notes = [], [], [], []
    for pid in ids:
        counted, note, missing = [], [], False
        for month in period.months:
            summary = summaries.get(month)
            present = summary is not None and pid in summary.table.index
            value = summary.score(pid) if present else math.nan
            columns[month_header(month)].append(value)
            if present and summary.cancelled(pid):
                counted += [0.0] if cancelled_zero else []
                note.append(f"{month} 取消({rules.period.cancelled})")
            elif math.isnan(value):
                missing = True
                counted += [0.0] if missing_zero else []
                note.append(f"{month} 缺({rules.period.missing})")
            else:
                counted.append(value)
        score = float(np.mean(counted)) if counted else math.nan
        scores.append(score)
        formulas.append(_formula(counted, score))
        statuses.append(NO_SCORE if not counted else MISSING_MONTH if missing else "")
        notes.append(";".join(note))
    table = pd.DataFrame(
        {ID: ids, NAME: [people[p][0] for p in ids], TEAM: [people[p][1] for p in ids]}
    )
    for header, values in columns.items():
        table[header] = np.array(values, dtype=float)
    percent = np.array(scores, dtype=float)
    table[labels["percent"]] = percent
    table[labels["grade"]] = grade_labels(percent, rules)
    table[labels["coefficient"]] = coefficients(percent, rules)
    status = pd.Series(statuses, dtype=object)
    dept, team = ranks(pd.DataFrame({"percent": percent}), status, table[TEAM])
    table[DEPT_RANK], table[TEAM_RANK] = dept, team
    table[FORMULA] = formulas
    table[STATUS] = statuses
    table[NOTE] = notes
    return table


def _formula(counted: list[float], score: float) -> str:
    if not counted:
        return "没有计入的月份"
    parts = " + ".join(num(v) for v in counted)
    return f"({parts}) ÷ {len(counted)} = {num(score)}"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)
