"""Every scheme xlpy knows, in one table: its letter, name, shape, entries, scorer and place in
the summary. Forms attach to a scheme by its letter; validate, consolidate, the template and the
ribbon read this table instead of naming letters themselves.

Adding a scheme: write its core module (``<name>_entries(rules)``, ``score_<name>(frame,
rules)``), its form module (``xlpy/forms/<name>.py``), and one line in :data:`SCHEMES`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import pandas as pd

from xlpy.core import kpi, monthly, performance, tech
from xlpy.core.entries import Entry
from xlpy.core.result import SchemeResult
from xlpy.core.survey import department_entries, survey_entries
from xlpy.rules import Rules

Scorer = Callable[[pd.DataFrame, Rules], SchemeResult]


@dataclass(frozen=True)
class Scheme:
    """``per_person``: one sheet per person, scored row by row by ``score``; otherwise one table
    sheet for the department, read by its own functions (``score`` is None). ``summary_order``
    places its columns in 汇总 (None: not a column group there); ``rank_order`` picks the scheme
    whose total ranks people when several are present (lowest first; None: never ranks).
    ``choosable``: staff pick it with ``template --forms`` (T has its own ``--tech`` switch)."""

    letter: str
    name: str
    per_person: bool
    entries: Callable[[Rules], list[Entry]]
    score: Scorer | None = None
    summary_order: int | None = None
    rank_order: int | None = None
    choosable: bool = False


MONTHLY, KPI, PERFORMANCE, TECH = monthly.SCHEME, kpi.SCHEME, performance.SCHEME, tech.SCHEME
SURVEY, DEPARTMENT = "S", "D"

SCHEMES: dict[str, Scheme] = {
    s.letter: s
    for s in (
        Scheme(MONTHLY, "月考核", True, monthly.monthly_entries, monthly.score_monthly, 0, 0, True),
        Scheme(KPI, "KPI考核", True, kpi.kpi_entries, kpi.score_kpi, 1, 1, True),
        Scheme(
            PERFORMANCE,
            "绩效考核",
            True,
            performance.performance_entries,
            performance.score_performance,
            2,
            2,
            True,
        ),
        Scheme(
            TECH, "技术等级", True, tech.tech_entries, tech.score_tech, 3
        ),  # --tech, never ranks
        Scheme(SURVEY, "客户评价", False, survey_entries),
        Scheme(DEPARTMENT, "部门评价", False, department_entries),
    )
}

PERSON_SCHEMES = tuple(letter for letter, s in SCHEMES.items() if s.per_person)
CHOOSABLE = tuple(letter for letter, s in SCHEMES.items() if s.choosable)


def summary_schemes() -> tuple[str, ...]:
    """Letters of the schemes with columns in 汇总, in their order there."""
    placed = [s for s in SCHEMES.values() if s.summary_order is not None]
    return tuple(s.letter for s in sorted(placed, key=lambda s: s.summary_order or 0))


def ranking_scheme(present: Collection[str]) -> str | None:
    """The scheme whose total ranks people among those ``present`` (M, else K, else P)."""
    ranked = [s for s in SCHEMES.values() if s.rank_order is not None and s.letter in present]
    return min(ranked, key=lambda s: s.rank_order or 0).letter if ranked else None
