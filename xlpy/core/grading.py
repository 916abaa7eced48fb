"""Grade bands, pay coefficients and tech levels."""

from __future__ import annotations

import numpy as np

from xlpy.rules import Rules
from xlpy.words import STATUS_SEPARATOR, reaches


def percent_of(score: np.ndarray | float, full: np.ndarray | float) -> np.ndarray:
    """A score on the 0-100 scale grades use: score ÷ full points × 100."""
    return np.asarray(score, dtype=float) / np.asarray(full, dtype=float) * 100


def _band_index(percent: np.ndarray, mins: list[float]) -> np.ndarray:
    """Index of the first band whose minimum the value reaches (bands listed best first)."""
    percent = np.asarray(percent, dtype=float)
    conditions = [reaches(percent, m) for m in mins[:-1]]
    if not conditions:  # one band: everything is in it
        return np.zeros(np.shape(percent), dtype=int)
    return np.select(conditions, list(range(len(mins) - 1)), default=len(mins) - 1)


def classify(values: np.ndarray, mins: list[float], labels: list[str]) -> np.ndarray:
    """Label of the first band (best first) whose minimum each value reaches; '' for NaN."""
    values = np.asarray(values, dtype=float)
    index = np.atleast_1d(_band_index(values, mins))
    out = np.array(labels, dtype=object)[index]
    out[np.isnan(np.atleast_1d(values))] = ""
    return out.reshape(values.shape)


def grade_labels(percent: np.ndarray, rules: Rules) -> np.ndarray:
    """优秀/良好/合格/不合格 of 0-100 values; '' where the value is missing (NaN)."""
    bands = list(rules.grade.bands.values())
    return classify(percent, [b.min for b in bands], [b.label for b in bands])


def coefficients(percent: np.ndarray, rules: Rules) -> np.ndarray:
    bands = list(rules.grade.bands.values())
    index = _band_index(percent, [b.min for b in bands])
    values = np.array([b.coefficient for b in bands], dtype=float)[index]
    return np.where(np.isnan(np.asarray(percent, dtype=float)), np.nan, values)


def tech_levels(score: np.ndarray, rules: Rules) -> np.ndarray:
    levels = list(rules.tech.levels.values())
    return classify(score, [lv.min for lv in levels], [lv.label for lv in levels])


def join_status(n: int, *flags: tuple[np.ndarray, str]) -> np.ndarray:
    """Status text per row from (mask, word) pairs, e.g. '取消' or '单人评分、缺数据'."""
    out = np.full(n, "", dtype=object)
    for mask, word in flags:
        if mask.any():
            sep = np.where(out[mask] != "", STATUS_SEPARATOR, "")
            out[mask] = out[mask] + sep + word
    return out
