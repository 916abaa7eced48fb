"""The full points of every score a scheme computes, by result column (what a perfect form
scores). Two months' scores are on the same scale only where these agree, so 环比 compares a
total or subtotal only when its full points did not change (M12 added: 总分 85 → 90)."""

from __future__ import annotations

from collections.abc import Callable

from xlpy.core.kpi import PERFORMANCE_FULL
from xlpy.core.registry import KPI, MONTHLY, PERFORMANCE, TECH
from xlpy.core.scheme_entries import full_total
from xlpy.rules import Rules

PERCENT_FULL = 100.0  # 0-100 scores: 百分制, a behaviour, a P dimension, P's total


def _monthly(rules: Rules) -> dict[str, float]:
    m = rules.monthly
    items = {code: item.full for code, item in m.items.items()}
    categories = {
        key: sum(full for code, full in items.items() if m.items[code].category == key)
        for key in m.categories
    }
    return (
        items
        | categories
        | {
            "performance": sum(categories[key] for key in m.performance_categories),
            "total": full_total(rules),
            "percent": PERCENT_FULL,
        }
    )


def _kpi(rules: Rules) -> dict[str, float]:
    k = rules.kpi
    achieved = PERFORMANCE_FULL  # 业绩得分 is rescaled to 0-100 however many KPIs
    total = (k.performance_weight * achieved + k.behavior_weight * PERCENT_FULL) / (
        k.performance_weight + k.behavior_weight
    )
    kpis = dict.fromkeys(k.indicators, k.full_points)
    behaviours = dict.fromkeys(k.behavior.indicators, PERCENT_FULL)
    return kpis | behaviours | {"performance": achieved, "behavior": PERCENT_FULL, "total": total}


def _performance(rules: Rules) -> dict[str, float]:
    return dict.fromkeys(rules.performance.dimensions, PERCENT_FULL) | {"total": PERCENT_FULL}


def _tech(rules: Rules) -> dict[str, float]:
    top = max(rules.scales[rules.tech.scale].points.values())
    return dict.fromkeys(rules.tech.dimensions, top) | {"total": top}


FULL_POINTS: dict[str, Callable[[Rules], dict[str, float]]] = {
    MONTHLY: _monthly,
    KPI: _kpi,
    PERFORMANCE: _performance,
    TECH: _tech,
}


def full_points(scheme: str, rules: Rules) -> dict[str, float]:
    """Result column → full points, for the scores of ``scheme`` that have them (grades, status
    and 绩效系数 have none)."""
    return FULL_POINTS[scheme](rules)
