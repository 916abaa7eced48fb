"""What every scheme returns: scores per row, explanations on demand, the parameters used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd


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
