"""Schemes S and D — the customer survey (产品售后服务评价表) and the department scorecard.

Survey entry columns (listed in :mod:`xlpy.core.scheme_entries`), one row per response:
``engineer_id`` (工号 of the engineer who served it), ``S1``…``S6`` (1-5, blank = not answered)
with ``S1.feedback``… and the customer's details, which are personal data (``Entry.personal``)
and never leave the survey sheet.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from xlpy.core.coerce import coerce, staff_ids
from xlpy.core.entries import InvalidEntries, Kind, Problem
from xlpy.core.scheme_entries import DEPARTMENT_COUNTS, survey_entries
from xlpy.rules import Rules, default_rules
from xlpy.words import reaches


def satisfaction_rate(scores: np.ndarray, threshold: float) -> float:
    """Share of answered scores (non-NaN) that reach the threshold; NaN when none is answered."""
    scores = np.asarray(scores, dtype=float).ravel()
    answered = scores[~np.isnan(scores)]
    return float((answered >= threshold).mean()) if answered.size else float("nan")


def _scores(responses: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    questions = [e for e in survey_entries(rules) if e.kind is Kind.SURVEY]
    clean, problems = coerce(responses, questions)
    if problems:
        raise InvalidEntries(problems)
    return pd.DataFrame(clean, index=responses.index)


def question_stats(responses: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """Per question (and 全部 overall): answered, mean, satisfied count, satisfaction rate."""
    rules = rules or default_rules()
    scores = _scores(responses, rules)
    threshold = rules.survey.satisfied_threshold
    rows = {}
    for code in [*list(rules.survey.questions), "all"]:
        values = scores.to_numpy().ravel() if code == "all" else scores[code].to_numpy()
        answered = values[~np.isnan(values)]
        rows[code] = {
            "question": rules.survey.questions.get(code, "全部问题"),
            "answered": answered.size,
            "mean": answered.mean() if answered.size else np.nan,
            "satisfied": int((answered >= threshold).sum()),
            "rate": satisfaction_rate(answered, threshold),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def engineer_satisfaction(responses: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """Per engineer (工号): responses, answered scores, mean score, satisfaction rate (all
    questions pooled) — what feeds scheme K's 客户满意度 KPI."""
    rules = rules or default_rules()
    scores = _scores(responses, rules)
    threshold = rules.survey.satisfied_threshold
    ids = staff_ids(responses["engineer_id"])
    values = scores.to_numpy()
    answered = ~np.isnan(values)
    frame = pd.DataFrame(
        {
            "engineer_id": ids.to_numpy(),
            "responses": 1,
            "answered": answered.sum(axis=1),
            "sum": np.where(answered, values, 0.0).sum(axis=1),
            "satisfied": (np.where(answered, values, 0.0) >= threshold).sum(axis=1),
        }
    )
    grouped = frame.groupby("engineer_id", sort=True)[
        ["responses", "answered", "sum", "satisfied"]
    ].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        grouped["mean"] = grouped["sum"] / grouped["answered"].replace(0, np.nan)
        grouped["rate"] = grouped["satisfied"] / grouped["answered"].replace(0, np.nan)
    return grouped.drop(columns="sum")


def department_scorecard(
    responses: pd.DataFrame,
    counts: Mapping[str, float | None] | None = None,
    rules: Rules | None = None,
) -> pd.DataFrame:
    """Scheme D: each satisfaction metric against the target rate (met = None when no data), then
    the 投诉处理 and 服务回访 rates from the department's counts (no target: shown as rates)."""
    rules = rules or default_rules()
    scores = _scores(responses, rules)
    threshold = rules.survey.satisfied_threshold
    target = rules.department.target_rate
    rows = {}
    for key, metric in rules.department.metrics.items():
        values = scores[metric.questions].to_numpy().ravel()
        answered = values[~np.isnan(values)]
        rate = satisfaction_rate(answered, threshold)
        rows[key] = {
            "metric": metric.name,
            "questions": "、".join(metric.questions),
            "numerator": int((answered >= threshold).sum()),
            "denominator": answered.size,
            "rate": rate,
            "target": target,
            "met": None if np.isnan(rate) else bool(reaches(rate, target)),
        }
    counts = counts or {}
    problems = []
    for key, (name, num_key, den_key, _num_label, den_label) in DEPARTMENT_COUNTS.items():
        numerator, denominator = counts.get(num_key), counts.get(den_key)
        if numerator is not None and denominator is not None and numerator > denominator:
            problems.append(
                Problem("部门评价", num_key, numerator, f"不大于{den_label} {denominator:g}")
            )
        rate = numerator / denominator if numerator is not None and denominator else np.nan
        rows[key] = {
            "metric": name,
            "questions": "",
            "numerator": numerator,
            "denominator": denominator,
            "rate": rate,
            "target": np.nan,
            "met": None,
        }
    if problems:
        raise InvalidEntries(problems)
    return pd.DataFrame.from_dict(rows, orient="index")
