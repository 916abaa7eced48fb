"""Every scheme xlpy knows, in one table: its letter, name, shape, entries and place in the
summary (its scorer: :mod:`xlpy.core.scorers`). Forms attach to a scheme by its letter; validate,
consolidate, the template and the ribbon read this table instead of naming letters themselves.
Pure, like the entry lists it names: reading a workbook loads no numpy or pandas.

Adding a scheme: its entries (``<name>_entries(rules)`` in :mod:`xlpy.core.scheme_entries`), its
scoring module (``score_<name>(frame, rules)``) and a line in :data:`xlpy.core.scorers.SCORERS`,
its form module (``xlpy/forms/<name>.py``), and one line in :data:`SCHEMES`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from xlpy.core import scheme_entries as asked
from xlpy.core.entries import Entry
from xlpy.rules import Rules


@dataclass(frozen=True)
class Scheme:
    """``per_person``: one sheet per person, scored row by row by its scorer; otherwise one
    table sheet for the department, read by its own functions (no scorer). ``summary_order``
    places its columns in 汇总 (None: not a column group there); ``rank_order`` picks the scheme
    whose total ranks people when several are present (lowest first; None: never ranks).
    ``choosable``: staff pick it with ``template --forms`` (T has its own ``--tech`` switch)."""

    letter: str
    name: str
    per_person: bool
    entries: Callable[[Rules], list[Entry]]
    summary_order: int | None = None
    rank_order: int | None = None
    choosable: bool = False


MONTHLY, KPI, PERFORMANCE, TECH = "M", "K", "P", "T"
SURVEY, DEPARTMENT = "S", "D"

SCHEMES: dict[str, Scheme] = {
    s.letter: s
    for s in (
        Scheme(MONTHLY, "月考核", True, asked.monthly_entries, 0, 0, True),
        Scheme(KPI, "KPI考核", True, asked.kpi_entries, 1, 1, True),
        Scheme(PERFORMANCE, "绩效考核", True, asked.performance_entries, 2, 2, True),
        Scheme(TECH, "技术等级", True, asked.tech_entries, 3),  # --tech, never ranks
        Scheme(SURVEY, "客户评价", False, asked.survey_entries),
        Scheme(DEPARTMENT, "部门评价", False, asked.department_entries),
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
