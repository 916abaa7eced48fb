"""What a month's consolidation produces before it is written: scores, sources, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from xlpy.core.registry import ranking_scheme
from xlpy.core.result import SchemeResult
from xlpy.rules import Rules
from xlpy.shared.findings import Finding
from xlpy.shared.slices import Slice


@dataclass(frozen=True)
class SourceRecord:
    name: str
    sha256: str
    modified: datetime
    kind: str  # what the file was read as: 月度工作簿 / 个人表 / 无法读取


@dataclass
class MonthResults:
    """Everything the summary shows. ``people``: index 工号 (str), columns ``name``, ``team``,
    in roster order. Each result's ``scores`` are indexed by 工号 (a subset of ``people``)."""

    month: str
    people: pd.DataFrame
    results: dict[str, SchemeResult]
    fingerprint: str
    rules: Rules
    sources: list[SourceRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    department: pd.DataFrame | None = None  # survey.department_scorecard
    satisfaction: pd.DataFrame | None = None  # survey.engineer_satisfaction, index 工号
    checklist: dict[str, bool] = field(default_factory=dict)
    changed_parameters: list[tuple[str, Any, Any]] = field(default_factory=list)
    flagged: dict[str, str] = field(default_factory=dict)  # 工号 -> why the row is unreliable
    version: str = ""
    slices: list[tuple[Slice, Any]] = field(default_factory=list)  # each slice's review result

    @property
    def primary(self) -> str | None:
        """The scheme whose total ranks people: M if present, else K, else P."""
        return ranking_scheme(self.results)
