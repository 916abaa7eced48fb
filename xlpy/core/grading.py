"""Grade bands, pay coefficients, tech levels, and number formatting for explanations."""

from __future__ import annotations

import numpy as np

from xlpy.rules import Rules


def _band_index(percent: np.ndarray, mins: list[float]) -> np.ndarray:
    """Index of the first band whose minimum the value reaches (bands listed best first)."""
    percent = np.asarray(percent, dtype=float)
    conditions = [percent >= m for m in mins[:-1]]
    return np.select(conditions, list(range(len(mins) - 1)), default=len(mins) - 1)


def grade_labels(percent: np.ndarray, rules: Rules) -> np.ndarray:
    """优秀/良好/合格/不合格 of 0-100 values; '' where the value is missing (NaN)."""
    bands = list(rules.grade.bands.values())
    index = _band_index(percent, [b.min for b in bands])
    labels = np.array([b.label for b in bands], dtype=object)[index]
    labels[np.isnan(np.asarray(percent, dtype=float))] = ""
    return labels


def coefficients(percent: np.ndarray, rules: Rules) -> np.ndarray:
    bands = list(rules.grade.bands.values())
    index = _band_index(percent, [b.min for b in bands])
    values = np.array([b.coefficient for b in bands], dtype=float)[index]
    values[np.isnan(np.asarray(percent, dtype=float))] = np.nan
    return values


def tech_levels(score: np.ndarray, rules: Rules) -> np.ndarray:
    levels = list(rules.tech.levels.values())
    index = _band_index(score, [lv.min for lv in levels])
    labels = np.array([lv.label for lv in levels], dtype=object)[index]
    labels[np.isnan(np.asarray(score, dtype=float))] = ""
    return labels


def num(value: float) -> str:
    """A number as staff write it: 5, 0.5, 83.33."""
    if value != value:  # NaN
        return "—"
    return f"{round(float(value), 2):g}"


def join_status(n: int, *flags: tuple[np.ndarray, str]) -> np.ndarray:
    """Status text per row from (mask, word) pairs, e.g. '取消' or '单人评分、缺数据'."""
    out = np.full(n, "", dtype=object)
    for mask, word in flags:
        if mask.any():
            sep = np.where(out[mask] != "", "、", "")
            out[mask] = out[mask] + sep + word
    return out
