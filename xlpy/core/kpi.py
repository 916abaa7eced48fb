"""Scheme K — 售后服务员考核评分表(月度): five KPI tiers (业绩) and two rated behaviours (行为).

Entry columns: ``K1.target``/``K1.actual`` … ``K5.*`` (numbers ≥ 0) and ``B1.self``/``B1.manager``,
``B2.*`` (levels 1-5; a blank rater is missing, never zero).

The KPI marked ``from_survey`` (K5 客户满意度) may also carry the month's survey figures for the
person, ``K5.survey_rate`` (0-1, NaN without answered scores) and ``K5.survey_responses``
(:func:`attach_survey`, from :func:`xlpy.core.survey.engineer_satisfaction`): with the parameter
on and a rate present, the actual scored is the rate × 100 (percent points, as the target is
typed), otherwise the typed actual.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlpy.core.coerce import coerce
from xlpy.core.entries import LEVELS, InvalidEntries
from xlpy.core.grading import coefficients, grade_labels, join_status
from xlpy.core.registry import KPI
from xlpy.core.result import SchemeResult, result_labels
from xlpy.core.scheme_entries import kpi_entries
from xlpy.rules import Rules, default_rules, fingerprint
from xlpy.words import MISSING_DATA, SURVEY_SOURCE, TYPED_SOURCE, id_text, num, reaches

SINGLE_RATER = "单人评分"
SURVEY_RATE, SURVEY_RESPONSES = "survey_rate", "survey_responses"


def survey_figures(
    satisfaction: pd.DataFrame | None, employee_id: object, rules: Rules
) -> dict[str, float]:
    """The survey figures the survey-fed KPI reads for one person, from
    :func:`xlpy.core.survey.engineer_satisfaction` (index 工号); {} when no KPI is survey-fed."""
    code = rules.kpi.survey_indicator
    if code is None:
        return {}
    pid = id_text(employee_id)
    known = satisfaction is not None and pid in satisfaction.index
    return {
        f"{code}.{SURVEY_RATE}": float(satisfaction.at[pid, "rate"]) if known else np.nan,
        f"{code}.{SURVEY_RESPONSES}": float(satisfaction.at[pid, "responses"]) if known else 0.0,
    }


def attach_survey(
    entries: pd.DataFrame, satisfaction: pd.DataFrame | None, rules: Rules
) -> pd.DataFrame:
    """Scheme K entries (index 工号) with each person's survey figures added."""
    figures = pd.DataFrame(
        [survey_figures(satisfaction, pid, rules) for pid in entries.index], index=entries.index
    )
    return pd.concat([entries.drop(columns=figures.columns, errors="ignore"), figures], axis=1)


def _survey_actual(
    entries: pd.DataFrame, code: str, typed: np.ndarray, on: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(actual scored, where it came from in words: 取自客户评价 3 份 / 手填) of the survey-fed
    KPI."""
    n = len(entries)
    rate = _figure(entries, f"{code}.{SURVEY_RATE}", np.nan)
    responses = _figure(entries, f"{code}.{SURVEY_RESPONSES}", 0.0)
    if ((rate < 0) | (rate > 1)).any() or (responses < 0).any():
        raise ValueError(f"{code} 的客户评价数据无效(满意率应为 0-1,份数不小于 0)")
    used = np.full(n, on) & ~np.isnan(rate)
    source = [
        f"{SURVEY_SOURCE} {int(r)} 份" if u else TYPED_SOURCE for u, r in zip(used, responses)
    ]
    return np.where(used, rate * 100, typed), np.array(source, dtype=object)


def _figure(entries: pd.DataFrame, column: str, blank: float) -> np.ndarray:
    if column not in entries.columns:
        return np.full(len(entries), blank)
    values = pd.to_numeric(entries[column], errors="coerce").to_numpy(dtype=float)
    return values if blank != blank else np.where(np.isnan(values), blank, values)


def completion(
    actual: np.ndarray, target: np.ndarray, lower_is_better: np.ndarray | bool
) -> np.ndarray:
    """actual/target (target/actual when lower is better). A zero denominator means the target is
    met when the numerator is 0 too or lies on the good side (inf); missing input gives NaN."""
    actual, target = np.asarray(actual, dtype=float), np.asarray(target, dtype=float)
    lower = np.asarray(lower_is_better, dtype=bool)
    numerator = np.where(lower, target, actual)
    denominator = np.where(lower, actual, target)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = numerator / denominator
    zero = denominator == 0
    # Zero denominator: higher-is-better with target 0 is always met; lower-is-better with
    # actual 0 is met; with target 0 and actual > 0 (lower), numerator 0 / actual = 0 already.
    return np.where(zero & ~np.isnan(numerator), np.inf, ratio)


def tier_points(ratio: np.ndarray, mins: list[float], points: list[float]) -> np.ndarray:
    """Points of the best tier whose minimum completion is reached; 0 below all; NaN stays NaN."""
    ratio = np.asarray(ratio, dtype=float)
    out = np.select([reaches(ratio, m) for m in mins], points, default=0.0)
    return np.where(np.isnan(ratio), np.nan, out)


def combined_level(
    self_level: np.ndarray, manager_level: np.ndarray, self_weight: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted level of two raters; a missing rater's weight goes to the other.
    Returns (level, single_rater mask); NaN where both are missing."""
    s, m = np.asarray(self_level, dtype=float), np.asarray(manager_level, dtype=float)
    w = np.asarray(self_weight, dtype=float)
    has_s, has_m = ~np.isnan(s), ~np.isnan(m)
    both = w * np.where(has_s, s, 0.0) + (1 - w) * np.where(has_m, m, 0.0)
    level = np.where(has_s & has_m, both, np.where(has_s, s, m))
    return level, has_s ^ has_m


def behavior_points(
    self_level: np.ndarray, manager_level: np.ndarray, self_weight: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """0-100 score of a rated behaviour: the combined level (:func:`combined_level`) as a share
    of the top level. Returns (score, single_rater mask); NaN where both are missing."""
    level, single = combined_level(self_level, manager_level, self_weight)
    return level / LEVELS[1] * 100, single


def scaled_points(points: np.ndarray, full_points: float, top_points: float) -> np.ndarray:
    """Tier points rescaled so that the top tier is worth ``full_points``."""
    return np.asarray(points, dtype=float) * full_points / top_points if top_points else points


PERFORMANCE_FULL = 100.0  # 业绩得分 is on 0-100 however many KPIs the form has


def performance_scale(rules: Rules) -> float:
    """The points of all KPIs at the top tier (5 × 20 = 100 by default; K6 added: 120)."""
    return len(rules.kpi.indicators) * rules.kpi.full_points


def performance_points(achieved: np.ndarray, rules: Rules) -> np.ndarray:
    """业绩得分: the KPIs' points Σ on 0-100, Σ ÷ performance_scale × 100 (unchanged at 100)."""
    return scaled_points(achieved, PERFORMANCE_FULL, performance_scale(rules))


def score_kpi(entries: pd.DataFrame, rules: Rules | None = None) -> SchemeResult:
    """Score a month of scheme K forms, one row per person."""
    rules = rules or default_rules()
    clean, problems = coerce(entries, kpi_entries(rules))
    if problems:
        raise InvalidEntries(problems)
    k = rules.kpi
    mins = [t.min_completion for t in k.tiers]
    points = [t.points for t in k.tiers]
    n = len(entries)
    scores: dict[str, np.ndarray] = {}
    labels: dict[str, str] = {}
    sources: dict[str, np.ndarray] = {}
    for code, kpi in k.indicators.items():
        if kpi.from_survey is not None:
            clean[f"{code}.actual"], sources[code] = _survey_actual(
                entries, code, clean[f"{code}.actual"], kpi.from_survey
            )
        ratio = completion(clean[f"{code}.actual"], clean[f"{code}.target"], kpi.lower_is_better)
        scores[code] = tier_points(ratio, mins, points)
        labels[code] = f"{code} {kpi.name}"
    scores["performance"] = performance_points(
        np.sum([scores[c] for c in k.indicators], axis=0), rules
    )

    single = np.zeros(n, dtype=bool)
    weights = np.array([b.weight for b in k.behavior.indicators.values()])
    for code, behavior in k.behavior.indicators.items():
        scores[code], one = behavior_points(
            clean[f"{code}.self"], clean[f"{code}.manager"], k.behavior.self_weight
        )
        single |= one
        labels[code] = f"{code} {behavior.name}"
    behavior_scores = np.column_stack([scores[c] for c in k.behavior.indicators])
    scores["behavior"] = behavior_scores @ weights / weights.sum()

    total = (
        k.performance_weight * scores["performance"] + k.behavior_weight * scores["behavior"]
    ) / (k.performance_weight + k.behavior_weight)
    scores |= {
        "total": total,
        "grade": grade_labels(total, rules),
        "coefficient": coefficients(total, rules),
        "status": join_status(n, (single, SINGLE_RATER), (np.isnan(total), MISSING_DATA)),
    }
    labels |= result_labels("performance", "behavior", "total", "grade", "coefficient", "status")
    frame = pd.DataFrame(scores, index=entries.index)
    return SchemeResult(
        KPI, frame, labels, fingerprint(rules), lambda: _explain(clean, sources, frame, rules)
    )


def _explain(
    clean: dict[str, np.ndarray],
    sources: dict[str, np.ndarray],
    scores: pd.DataFrame,
    rules: Rules,
) -> pd.DataFrame:
    k = rules.kpi
    text: dict[str, list[str]] = {}
    for code, kpi in k.indicators.items():
        actual, target = clean[f"{code}.actual"], clean[f"{code}.target"]
        ratio = completion(actual, target, kpi.lower_is_better)
        source = sources.get(code, np.full(len(actual), "", dtype=object))
        text[code] = [
            f"{code} {kpi.name}: "
            + (
                "目标值或实际值未填"
                if np.isnan(r)
                else (
                    f"目标 {num(t)} ÷ 实际 {num(a)}{_source(s)}"
                    if kpi.lower_is_better
                    else f"实际 {num(a)}{_source(s)} ÷ 目标 {num(t)}"
                )
                + (" = 达标" if np.isinf(r) else f" = {num(r * 100)}%")
                + f" → {num(p)}"
                + ("(越低越好)" if kpi.lower_is_better else "")
            )
            for a, t, r, p, s in zip(actual, target, ratio, scores[code], source)
        ]
    w = k.behavior.self_weight
    for code, behavior in k.behavior.indicators.items():
        rows = []
        for s, m, score in zip(clean[f"{code}.self"], clean[f"{code}.manager"], scores[code]):
            head = f"{code} {behavior.name}: "
            if np.isnan(s) and np.isnan(m):
                rows.append(head + "自评与上级评分均未填")
            elif np.isnan(s) or np.isnan(m):
                who, level = ("上级评分", m) if np.isnan(s) else ("自评", s)
                rows.append(
                    head + f"仅{who} {num(level)} ÷ {LEVELS[1]} × 100 = {num(score)}(单人评分)"
                )
            else:
                rows.append(
                    head + f"({num(w)}×{num(s)} + {num(1 - w)}×{num(m)}) ÷ {LEVELS[1]}"
                    f" × 100 = {num(score)}"
                )
        text[code] = rows
    pw, bw = k.performance_weight, k.behavior_weight
    scale = performance_scale(rules)
    achieved = scores[list(k.indicators)].sum(axis=1, min_count=len(k.indicators))
    text["total"] = [
        (
            f"业绩 {num(a)} ÷ {num(scale)} × 100 = {num(p)};"
            if scale not in (0, PERFORMANCE_FULL)
            else ""
        )
        + f"总分 ({num(pw)}×业绩 {num(p)} + {num(bw)}×行为 {num(b)}) ÷ {num(pw + bw)} = {num(t)} → {g or '—'}"
        for a, p, b, t, g in zip(
            achieved, scores["performance"], scores["behavior"], scores["total"], scores["grade"]
        )
    ]
    return pd.DataFrame(text, index=scores.index)


def _source(source: str) -> str:
    return f"({source})" if source else ""
