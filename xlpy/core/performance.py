"""Scheme P — 售后服务绩效考核表: six dimensions scored 0-100, weighted mean, graded."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlpy.core.coerce import coerce
from xlpy.core.entries import InvalidEntries
from xlpy.core.grading import coefficients, grade_labels, join_status
from xlpy.core.registry import PERFORMANCE
from xlpy.core.result import SchemeResult, result_labels
from xlpy.core.scheme_entries import performance_entries
from xlpy.core.tech import weighted_mean
from xlpy.rules import Rules, default_rules, fingerprint
from xlpy.words import MISSING_DATA, num


def score_performance(entries: pd.DataFrame, rules: Rules | None = None) -> SchemeResult:
    """Score a batch of scheme P sheets, one row per person; a blank dimension leaves the total
    missing (状态 缺数据) rather than counting as 0."""
    rules = rules or default_rules()
    clean, problems = coerce(entries, performance_entries(rules))
    if problems:
        raise InvalidEntries(problems)
    dims = rules.performance.dimensions
    weights = np.array([d.weight for d in dims.values()])
    total = weighted_mean(np.column_stack([clean[c] for c in dims]), weights)
    scores = {code: clean[code] for code in dims} | {
        "total": total,
        "grade": grade_labels(total, rules),
        "coefficient": coefficients(total, rules),
        "status": join_status(len(entries), (np.isnan(total), MISSING_DATA)),
    }
    labels = {code: f"{code} {d.name}" for code, d in dims.items()} | result_labels(
        "total", "grade", "coefficient", "status"
    )
    frame = pd.DataFrame(scores, index=entries.index)

    def explain() -> pd.DataFrame:
        total_w = weights.sum()
        return pd.DataFrame(
            {
                "total": [
                    "总分 ("
                    + " + ".join(f"{num(d.weight)}×{num(row[c])}" for c, d in dims.items())
                    + f") ÷ {num(total_w)} = {num(row['total'])} → {row['grade'] or '—'}"
                    for _, row in frame.iterrows()
                ]
            },
            index=frame.index,
        )

    return SchemeResult(PERFORMANCE, frame, labels, fingerprint(rules), explain)
