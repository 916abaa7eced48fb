"""``xlpy period``: read a quarter's or year's monthly summaries, write the period summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xlpy.errors import XlpyError
from xlpy.period.compute import period_table
from xlpy.period.reading import MonthlySummary, SummaryProblem, read_monthly, summary_name
from xlpy.period.spec import Period
from xlpy.period.writer import write_period
from xlpy.rules import Rules, default_rules
from xlpy.shared.files import atomic_write
from xlpy.shared.findings import WARNING, Finding


@dataclass
class PeriodOutcome:
    period: Period
    path: Path
    table: pd.DataFrame
    used: list[MonthlySummary] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # months without a usable summary
    differing: dict[str, str] = field(default_factory=dict)  # month -> how its parameters differ
    findings: list[Finding] = field(default_factory=list)
    unchanged: bool = False


def read_period(folder: Path, period: Period) -> tuple[dict[str, MonthlySummary], list[Finding]]:
    """The period's monthly summaries found in ``folder``; a missing, damaged or foreign one is
    a finding (and the month counts as missing)."""
    summaries, findings = {}, []
    for month in period.months:
        path = Path(folder) / summary_name(month)
        if not path.is_file():
            findings.append(
                Finding(
                    path.name,
                    "",
                    "",
                    f"缺少 {month} 的月度汇总",
                    f"先用 xlpy consolidate 生成 {path.name}",
                    WARNING,
                )
            )
            continue
        try:
            summaries[month] = read_monthly(path, month)
        except SummaryProblem as problem:
            findings.append(problem.finding)
    return summaries, findings


def fingerprint_differences(used: list[MonthlySummary]) -> dict[str, str]:
    """Months whose parameter fingerprint differs from the latest month's."""
    if not used:
        return {}
    latest = used[-1]
    return {
        s.month: f"与 {latest.month} 不同({s.fingerprint} ≠ {latest.fingerprint})"
        for s in used
        if s.fingerprint != latest.fingerprint
    }


def run_period(
    folder: Path, period: Period, output: Path | None = None, rules: Rules | None = None
) -> PeriodOutcome:
    folder = Path(folder)
    if not folder.is_dir():
        raise XlpyError(f"{folder} · 不是文件夹 · 应为 存放月度汇总(汇总-YYYY-MM.xlsx)的文件夹")
    rules = rules or default_rules()
    summaries, findings = read_period(folder, period)
    if not summaries:
        raise XlpyError(
            f"{folder} · 没有 {period.label} 可用的月度汇总 · 应为 "
            f"{summary_name(period.months[0])} 等由 xlpy consolidate 写出的文件"
        )
    used = [summaries[m] for m in period.months if m in summaries]
    missing = [m for m in period.months if m not in summaries]
    differing = fingerprint_differences(used)
    findings += [
        Finding(
            summary_name(m),
            "",
            "",
            f"{m} 的参数指纹{why}",
            "各月使用同一套参数,或确认差异后再比较",
            WARNING,
        )
        for m, why in differing.items()
    ]
    table = period_table(period, summaries, rules)
    path = Path(output) if output else folder / period.file_name
    before = path.read_bytes() if path.is_file() else None
    atomic_write(
        path,
        lambda temp: write_period(temp, period, table, used, missing, differing, findings, rules),
    )
    return PeriodOutcome(
        period,
        path,
        table,
        used,
        missing,
        differing,
        findings,
        unchanged=before == path.read_bytes(),
    )
