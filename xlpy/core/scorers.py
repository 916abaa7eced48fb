"""The scorer of every per-person scheme, by letter (the schemes themselves:
:mod:`xlpy.core.registry`)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from xlpy.core.kpi import score_kpi
from xlpy.core.monthly import score_monthly
from xlpy.core.performance import score_performance
from xlpy.core.registry import KPI, MONTHLY, PERFORMANCE, TECH
from xlpy.core.result import SchemeResult
from xlpy.core.tech import score_tech
from xlpy.rules import Rules

Scorer = Callable[[pd.DataFrame, Rules], SchemeResult]

SCORERS: dict[str, Scorer] = {
    MONTHLY: score_monthly,
    KPI: score_kpi,
    PERFORMANCE: score_performance,
    TECH: score_tech,
}
