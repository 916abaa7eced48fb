"""The 汇总 and 明细 tables as DataFrames with Chinese headers (pure pandas, no I/O)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlpy.consolidate.model import MonthResults
from xlpy.core.full_points import full_points
from xlpy.core.registry import SCHEMES, summary_schemes
from xlpy.forms.summary import (
    DEPT_RANK,
    ID,
    NAME,
    NOTE,
    RESPONSES,
    SATISFACTION,
    STATUS,
    TEAM,
    TEAM_RANK,
    scheme_column,
)
from xlpy.words import HAS_ERRORS, MISSING_FORM, STATUS_SEPARATOR, UNRANKED


def _header(scheme: str, primary: str | None, label: str) -> str:
    return label if scheme == primary else scheme_column(SCHEMES[scheme].name, label)


def _rank_key(columns: pd.Index) -> str:
    return "percent" if "percent" in columns else "total"


def summary_table(month: MonthResults) -> pd.DataFrame:
    """One row per person of the roster: every score of every scheme present, ranks, status."""
    people = month.people
    table = pd.DataFrame(
        {
            ID: people.index.astype(str),
            NAME: people["name"].to_numpy(),
            TEAM: people["team"].to_numpy(),
        },
        index=people.index,
    )
    primary = month.primary
    status = pd.Series("", index=people.index, dtype=object)
    for scheme in (s for s in summary_schemes() if s in month.results):
        result = month.results[scheme]
        scores = result.scores.reindex(people.index)
        if scheme == primary:
            if "status" in scores:
                status = scores["status"].fillna("").astype(object)
            status[~people.index.isin(result.scores.index)] = MISSING_FORM
        for column in scores.columns:
            if column == "status" and scheme == primary:
                continue
            table[_header(scheme, primary, result.labels.get(column, column))] = scores[
                column
            ].to_numpy()
            if scheme == primary and column == "coefficient":
                dept, team = ranks(scores, status, people["team"])
                table[DEPT_RANK], table[TEAM_RANK] = dept, team
    if month.satisfaction is not None and len(month.satisfaction):
        sat = month.satisfaction.reindex(people.index)
        table[SATISFACTION] = sat["rate"].to_numpy(dtype=float)
        table[RESPONSES] = sat["responses"].fillna(0).to_numpy(dtype=float)
    flagged = people.index.isin(list(month.flagged))
    status[flagged] = [s + (STATUS_SEPARATOR if s else "") + HAS_ERRORS for s in status[flagged]]
    table[STATUS] = status.to_numpy()
    table[NOTE] = [month.flagged.get(pid, "") for pid in people.index]
    return table.reset_index(drop=True)


def column_fulls(month: MonthResults) -> dict[str, float]:
    """汇总 header → full points, for every score column that has them (recorded in 审计, so
    next month's 环比 knows which totals are on the same scale)."""
    fulls = {}
    for scheme in (s for s in summary_schemes() if s in month.results):
        labels = month.results[scheme].labels
        for column, full in full_points(scheme, month.rules).items():
            if column in month.results[scheme].scores.columns:
                fulls[_header(scheme, month.primary, labels.get(column, column))] = full
    return fulls


def ranks(
    scores: pd.DataFrame, status: pd.Series, teams: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks (1, 2, 2, 4) by the primary score, best first; cancelled months and
    missing forms are not ranked."""
    key = scores[_rank_key(scores.columns)].astype(float)
    rankable = key.notna() & ~status.astype(str).str.startswith(UNRANKED)
    value = key.where(rankable)
    dept = value.rank(ascending=False, method="min")
    team = value.groupby(teams.to_numpy()).rank(ascending=False, method="min")
    return dept.to_numpy(dtype=float), team.reindex(value.index).to_numpy(dtype=float)


PRIMARY_CORE = ("total", "percent", "grade", "coefficient")  # 总览's columns of each scheme
OTHER_CORE = ("total", "grade")


def overview_table(month: MonthResults, table: pd.DataFrame) -> pd.DataFrame:
    """总览: the 汇总 rows with the core columns only (the primary scheme's total, 0-100 score,
    grade and coefficient, the other schemes' totals and grades; ranks, satisfaction, status,
    note), grouped by team in roster order."""
    scores = []
    for scheme in (s for s in summary_schemes() if s in month.results):
        labels = month.results[scheme].labels
        core = PRIMARY_CORE if scheme == month.primary else OTHER_CORE
        scores += [_header(scheme, month.primary, labels[key]) for key in core if key in labels]
    core = [ID, NAME, TEAM, *scores, DEPT_RANK, TEAM_RANK, SATISFACTION, STATUS, NOTE]
    overview = table[[c for c in dict.fromkeys(core) if c in table.columns]]
    teams = {team: i for i, team in enumerate(dict.fromkeys(overview[TEAM].fillna("")))}
    order = overview[TEAM].fillna("").map(teams)
    return overview.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def detail_table(month: MonthResults) -> pd.DataFrame:
    """明细: one row per person, one column per computed score, holding its arithmetic. Column
    headers are the 汇总 headers of the same scores."""
    people = month.people
    parts = [
        pd.DataFrame(
            {ID: people.index.astype(str), NAME: people["name"].to_numpy()}, index=people.index
        )
    ]
    primary = month.primary
    for scheme in (s for s in summary_schemes() if s in month.results):
        result = month.results[scheme]
        explanations = result.explanations.reindex(people.index)
        explanations.columns = [
            _header(scheme, primary, result.labels.get(c, c)) for c in explanations.columns
        ]
        parts.append(explanations)
    return pd.concat(parts, axis=1).reset_index(drop=True)
