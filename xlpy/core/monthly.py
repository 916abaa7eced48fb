"""Scheme M — 售后服务人员月考核表: items start at full points, occurrences deduct, floor at 0.

Entry columns: ``M05.unclear_account`` (a count per deduction kind), ``M09`` (a rating word),
``M11`` (是/否: a confirmed violation of the veto item). A deduction item may instead (or as well)
be given as the points deducted, ``M05:deducted`` (a department's own form that records 扣分
rather than occurrences; our template never places it): score = max(0, full − deducted − Σ
count × per), 0 when an occurrence that zeroes the item is counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlpy.core.coerce import coerce
from xlpy.core.entries import InvalidEntries
from xlpy.core.grading import coefficients, grade_labels, join_status, percent_of
from xlpy.core.registry import MONTHLY
from xlpy.core.result import SchemeResult, result_labels
from xlpy.core.scheme_entries import deducted_column, deducted_entries, full_total, monthly_entries
from xlpy.rules import Rules, default_rules, fingerprint
from xlpy.rules.model import MonthlyItem
from xlpy.words import CANCELLED, MISSING_DATA, num


def deduction_total(counts: np.ndarray, per: np.ndarray) -> np.ndarray:
    """Σ count × per-occurrence deduction along the last axis (one column per deduction kind)."""
    return np.sum(np.asarray(counts, dtype=float) * np.asarray(per, dtype=float), axis=-1)


def points_left(full: np.ndarray | float, deduction: np.ndarray) -> np.ndarray:
    """Points left after deductions, floored at 0 (扣完为止)."""
    return np.maximum(0.0, np.asarray(full, dtype=float) - deduction)


def points_deducted(full: np.ndarray | float, deduction: np.ndarray) -> np.ndarray:
    """Points actually lost: the deduction, capped at the item's full points."""
    return np.minimum(np.asarray(full, dtype=float), deduction)


def monthly_total(item_scores: np.ndarray, vetoed: np.ndarray | bool) -> np.ndarray:
    """Σ item scores along the last axis; 0 where the veto item is confirmed."""
    return np.where(vetoed, 0.0, np.sum(item_scores, axis=-1))


def _deduction_matrix(item: MonthlyItem, clean: dict[str, np.ndarray], code: str):
    keys = list(item.deductions)
    counts = np.column_stack([clean[f"{code}.{k}"] for k in keys])
    per = np.array([item.deductions[k].per or 0.0 for k in keys])
    zeroes = np.array([item.deductions[k].zeroes_item for k in keys])
    return keys, counts, per, zeroes


def score_monthly(entries: pd.DataFrame, rules: Rules | None = None) -> SchemeResult:
    """Score a month of scheme M forms, one row per person."""
    rules = rules or default_rules()
    columns = monthly_entries(rules) + deducted_entries(rules)
    scales = {
        code: (rules.scales[item.scale].points, rules.scales[item.scale].aliases)
        for code, item in rules.monthly.items.items()
        if item.scale is not None
    }
    clean, problems = coerce(entries, columns, scales)
    if problems:
        raise InvalidEntries(problems)

    n = len(entries)
    vetoed = np.zeros(n, dtype=bool)
    scores: dict[str, np.ndarray] = {}
    for code, item in rules.monthly.items.items():
        if item.deductions:
            _, counts, per, zeroes = _deduction_matrix(item, clean, code)
            deducted = deduction_total(counts, per) + clean[deducted_column(code)]
            points = points_left(item.full, deducted)
            scores[code] = np.where((counts[:, zeroes] > 0).any(axis=1), 0.0, points)
        elif item.scale is not None:
            table = rules.scales[item.scale].points
            scores[code] = pd.Series(clean[code]).map(table).to_numpy(dtype=float, na_value=np.nan)
        else:
            vetoed |= clean[code]
            scores[code] = np.where(clean[code], 0.0, item.full)

    labels = {code: f"{code} {item.name}" for code, item in rules.monthly.items.items()}
    for key, name in rules.monthly.categories.items():
        codes = [c for c, item in rules.monthly.items.items() if item.category == key]
        scores[key] = np.sum([scores[c] for c in codes], axis=0)
        labels[key] = name
    scores["performance"] = np.sum(
        [scores[k] for k in rules.monthly.performance_categories], axis=0
    )
    labels["performance"] = rules.monthly.performance_label

    total = monthly_total(np.column_stack([scores[c] for c in rules.monthly.items]), vetoed)
    missing = np.isnan(total)
    percent = percent_of(total, full_total(rules))
    coefficient = np.where(vetoed, rules.monthly.veto_coefficient, coefficients(percent, rules))
    scores |= {
        "total": total,
        "percent": percent,
        "grade": grade_labels(percent, rules),
        "coefficient": coefficient,
        "status": join_status(n, (vetoed, CANCELLED), (missing & ~vetoed, MISSING_DATA)),
    }
    labels |= result_labels("total", "percent", "grade", "coefficient", "status")
    frame = pd.DataFrame(scores, index=entries.index)
    return SchemeResult(
        MONTHLY, frame, labels, fingerprint(rules), lambda: _explain(clean, frame, rules)
    )


def _explain(clean: dict[str, np.ndarray], scores: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    text: dict[str, list[str]] = {}
    for code, item in rules.monthly.items.items():
        head = f"{code} {item.name}: "
        if item.deductions:
            keys, counts, per, zeroes = _deduction_matrix(item, clean, code)
            text[code] = [
                head + _explain_deductions(item, keys, row, per, zeroes, points, score)
                for row, points, score in zip(
                    counts, clean[deducted_column(code)], scores[code], strict=True
                )
            ]
        elif item.scale is not None:
            text[code] = [
                head + (f"{word} = {num(s)}" if word is not None else "未评级")
                for word, s in zip(clean[code], scores[code])
            ]
        else:
            text[code] = [
                head + ("确认违规 → 当月考核取消" if v else f"无违规 = {num(item.full)}")
                for v in clean[code]
            ]
    full = full_total(rules)
    cats = list(rules.monthly.categories)
    text["total"] = [
        "职业道德否决 → 当月考核取消,总分 0"
        if status.startswith(CANCELLED)
        else f"总分 {' + '.join(map(num, part))} = {num(total)};"
        f"百分制 {num(total)} ÷ {num(full)} × 100 = {num(percent)} → {grade or '—'}"
        for part, total, percent, grade, status in zip(
            scores[cats].itertuples(index=False, name=None),
            scores["total"].tolist(),
            scores["percent"].tolist(),
            scores["grade"].tolist(),
            scores["status"].tolist(),
            strict=True,
        )
    ]
    return pd.DataFrame(text, index=scores.index)


def _explain_deductions(
    item: MonthlyItem,
    keys: list[str],
    counts: np.ndarray,
    per: np.ndarray,
    zeroes: np.ndarray,
    deducted: float,
    score: float,
) -> str:
    """``10 − 1×5 − 2×1 = 3`` for occurrences, ``5 − 1.5(扣分) = 3.5`` for points deducted."""
    for key, count, zero in zip(keys, counts, zeroes):
        if zero and count > 0:
            return f"{item.deductions[key].label} {num(count)} 次 → 0"
    terms = [f" − {num(c)}×{num(p)}" for c, p, z in zip(counts, per, zeroes) if c > 0 and not z]
    if deducted > 0:
        terms.append(f" − {num(deducted)}(扣分)")
    if not terms:
        return f"{num(item.full)},无扣分 = {num(item.full)}"
    raw = item.full - float(deduction_total(counts, per)) - deducted
    if raw < 0:
        return f"{num(item.full)}{''.join(terms)} = {num(raw)} → 0(扣完为止)"
    return f"{num(item.full)}{''.join(terms)} = {num(score)}"
