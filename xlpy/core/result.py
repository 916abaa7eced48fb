"""What every scheme returns: scores per row, explanations on demand, the parameters used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

# How every scheme's summary columns are headed (a scheme picks the ones it computes).
RESULT_LABELS = {
    "performance": "业绩得分",
    "behavior": "行为得分",
    "total": "总分",
    "percent": "百分制",
    "grade": "等级",
    "coefficient": "绩效系数",
    "status": "状态",
}


def result_labels(*columns: str) -> dict[str, str]:
    return {column: RESULT_LABELS[column] for column in columns}


@dataclass(frozen=True)
class SchemeResult:
    """``scores``: one row per input row (same index). ``labels``: Chinese header per column.
    ``explanations``: the arithmetic behind each computed item, built on first access (it is
    text work, kept out of the scoring hot path). ``fingerprint``: the parameter set used."""

    scheme: str
    scores: pd.DataFrame
    labels: dict[str, str]
    fingerprint: str
    _explain: Callable[[], pd.DataFrame] = field(repr=False, compare=False)

    @cached_property
    def explanations(self) -> pd.DataFrame:
        return self._explain()
