"""Scoring a batch's per-person forms with the core, once per scheme, and the checks that need
the scores: blank entries that leave a total empty, cached results that disagree."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from xlpy.core.entries import InvalidEntries, Kind, Problem
from xlpy.core.result import SchemeResult
from xlpy.core.scorers import SCORERS
from xlpy.forms.model import EntryCell
from xlpy.rules import RuleError, Rules
from xlpy.shared.addresses import parse_a1
from xlpy.shared.findings import ERROR, WARNING, Finding
from xlpy.validate.params import rules_from
from xlpy.validate.people import PersonForm
from xlpy.validate.reading import WorkbookRead
from xlpy.words import CACHED_TOLERANCE, describe_value, id_text, same_number


def typed(problem: Problem) -> str:
    value = problem.value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "未填写"
    return f"填了 {describe_value(value)}"


def _row_of(cell: str) -> int | None:
    try:
        return parse_a1(cell)[0] + 1
    except ValueError:
        return None


def _concerns(finding: Finding, pf: PersonForm) -> bool:
    """Whether an error on the sheet of ``pf`` concerns its form. A sheet with one person's form
    is that form; on a sheet with a row per person (``pf.read.row``), an error concerns the person
    it names, else the row of its cell, else — naming neither — every row of the sheet."""
    if pf.read.row is None:
        return True
    if finding.person:
        return finding.person == pf.pid
    row = _row_of(finding.cell) if finding.cell else None
    return row is None or row == pf.read.row


def broken(person_forms: list[PersonForm], findings: list[Finding]) -> set[int]:
    """Positions of the forms an error found so far leaves unscored."""
    errors: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.severity == ERROR:
            errors.setdefault((finding.file, finding.sheet), []).append(finding)
    return {
        i
        for i, pf in enumerate(person_forms)
        if any(_concerns(f, pf) for f in errors.get((pf.workbook.name, pf.read.sheet), []))
    }


def score_forms(
    scheme: str,
    person_forms: list[PersonForm],
    rules: Rules,
    findings: list[Finding],
    flagged: dict[str, str],
) -> SchemeResult | None:
    """Score the forms once: entry problems become findings and their forms are left unscored
    (then the clean rest is scored). The result is indexed by 工号 (by position when a
    multi-month validation holds the same person more than once)."""
    score = SCORERS.get(scheme)
    if score is None or not person_forms:
        return None
    bad = broken(person_forms, findings)
    ids = [pf.pid for pf in person_forms]
    labels = ids if len(set(ids)) == len(ids) else list(range(len(person_forms)))
    position = {label: i for i, label in enumerate(labels)}
    frame = pd.DataFrame([pf.read.entries for pf in person_forms], dtype=object)
    frame.index = pd.Index(labels, dtype=object)
    result = None
    named = {(f.file, f.sheet, f.cell) for f in findings}  # cells the reader already reported
    try:
        result = score(frame, rules)
    except InvalidEntries as exc:
        for problem in exc.problems:
            row = position[problem.row]
            pf = person_forms[row]
            bad.add(row)
            if (pf.workbook.name, pf.read.sheet, pf.read.addresses.get(problem.column)) in named:
                continue
            try:
                label = pf.form.entry_cell(problem.column).entry.label
            except KeyError:  # an entry the form does not place (points deducted)
                label = problem.label or problem.column
            findings.append(
                Finding(
                    pf.workbook.name,
                    pf.read.sheet,
                    pf.read.addresses.get(problem.column, ""),
                    f"{label}{typed(problem)}",
                    problem.expected,
                    ERROR,
                    pf.pid,
                )
            )
    for i in bad:
        flagged.setdefault(
            person_forms[i].pid, f"{person_forms[i].form.title}有未更正的错误,未计分"
        )
    if result is not None and not bad:
        return result
    good = [i for i in range(len(person_forms)) if i not in bad]
    return score(frame.iloc[good], rules)


_NEEDED = (Kind.RATING, Kind.LEVEL, Kind.SCORE, Kind.AMOUNT)


def _address(pf: PersonForm, cell: EntryCell) -> str:
    """Where an entry was read: the department's own cell for an adopted workbook."""
    return pf.read.addresses.get(cell.entry.column) or cell.address


def incomplete(person_forms: list[PersonForm], result: SchemeResult) -> list[Finding]:
    """Blank ratings/scores that leave a person's total empty (状态 缺数据): a warning on each
    blank cell, so the form can be completed before the month is closed."""
    if "total" not in result.scores.columns:
        return []
    missing = set(result.scores.index[result.scores["total"].isna()])
    findings = []
    for position, pf in enumerate(person_forms):
        if pf.pid not in missing and position not in missing:
            continue
        if all(id_text(value) == "" for value in pf.read.entries.values()):
            first = pf.form.entries[0]
            findings.append(
                Finding(
                    pf.workbook.name,
                    pf.read.sheet,
                    _address(pf, first),
                    f"{pf.form.title}尚未填写,总分空缺",
                    "填写本表的各项录入",
                    WARNING,
                    pf.pid,
                )
            )
            continue
        for cell in pf.form.entries:
            if cell.entry.kind in _NEEDED and id_text(pf.read.entries.get(cell.entry.column)) == "":
                findings.append(
                    Finding(
                        pf.workbook.name,
                        pf.read.sheet,
                        _address(pf, cell),
                        f"{cell.entry.label}未填写,总分因此空缺",
                        cell.entry.expected,
                        WARNING,
                        pf.pid,
                    )
                )
    return findings


def _same(cached: Any, expected: Any) -> bool:
    if isinstance(expected, (float, np.floating)) and math.isnan(expected):
        return cached in (None, "")
    if isinstance(expected, (int, float, np.floating)) and not isinstance(expected, bool):
        return (
            isinstance(cached, (int, float))
            and not isinstance(cached, bool)
            and same_number(cached, expected, CACHED_TOLERANCE)
        )
    return str(cached or "") == str(expected or "")


def cached_mismatches(person_forms: list[PersonForm], result: SchemeResult) -> list[Finding]:
    """Cached formula results that disagree with the core (a workbook calculated with other
    parameters, an old add-in, or a broken formula). Never-calculated cells (blank) are skipped."""
    findings = []
    scores = result.scores
    by_pid = scores.index.is_unique and all(isinstance(i, str) for i in scores.index)
    advice: dict[str, str] = {}  # workbook -> what makes its cached results right again
    for position, pf in enumerate(person_forms):
        row = pf.pid if by_pid else position
        if row not in scores.index:
            continue
        for cell in pf.form.computed:
            cached = pf.read.cached.get(cell.address)
            if cell.result is None or cell.result not in scores.columns or cached is None:
                continue
            expected = scores.at[row, cell.result]
            if not _same(cached, expected):
                if pf.workbook.name not in advice:
                    advice[pf.workbook.name] = _recalculate(pf.workbook)
                shown = (
                    "空白"
                    if isinstance(expected, float) and math.isnan(expected)
                    else describe_value(expected)
                )
                findings.append(
                    Finding(
                        pf.workbook.name,
                        pf.read.sheet,
                        cell.address,
                        f"{cell.label}显示 {describe_value(cached)},按规则应为 {shown}",
                        advice[pf.workbook.name],
                        WARNING,
                        pf.pid,
                    )
                )
    return findings


def _recalculate(workbook: WorkbookRead) -> str:
    """What makes a cached result right again: recalculating, unless the workbook's 参数 table
    is wrong (a deleted row, a text value, a value the rules refuse …), which recalculating
    keeps."""
    recalculate = (
        "重新计算工作簿(汇总以规则计算结果为准;重新计算后仍不符,是此单元格的公式被改过,"
        "请从模板恢复)"
    )
    sheet = workbook.param_sheet
    if sheet and _params_wrong(workbook, sheet):
        return f"先更正「{sheet}」表中的错误,再{recalculate}"
    return recalculate


def _params_wrong(workbook: WorkbookRead, sheet: str) -> bool:
    if any(f.sheet == sheet and f.severity == ERROR for f in workbook.findings):
        return True
    try:
        rules_from(workbook.params or {})
    except RuleError:
        return True
    return False
