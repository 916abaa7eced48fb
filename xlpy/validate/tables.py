"""The department's table sheets: the survey responses (S) and the department sheet (D)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xlpy.core.coerce import coerce
from xlpy.core.entries import InvalidEntries
from xlpy.core.registry import DEPARTMENT, SURVEY
from xlpy.core.survey import department_scorecard, engineer_satisfaction, question_stats
from xlpy.forms import all_forms, department_entries
from xlpy.rules import Rules
from xlpy.shared.findings import WARNING, Finding
from xlpy.validate.reading import FormRead, WorkbookRead
from xlpy.validate.scoring import typed
from xlpy.words import id_text, invisible_note


@dataclass
class Tables:
    """What the table sheets give the batch (None where the batch has no such sheet)."""

    survey: pd.DataFrame | None = None  # the valid responses
    department: pd.DataFrame | None = None  # survey.department_scorecard
    satisfaction: pd.DataFrame | None = None  # survey.engineer_satisfaction, index 工号
    checklist: dict[str, bool] = field(default_factory=dict)


def score_tables(
    tables: list[tuple[WorkbookRead, FormRead]],
    rules: Rules,
    people: pd.DataFrame,
    findings: list[Finding],
) -> Tables:
    """The survey (S) rows and the department sheet (D); problems are added to ``findings``."""
    out = Tables()
    responses = [(wb, read) for wb, read in tables if read.scheme == SURVEY]
    department = next(((wb, read) for wb, read in tables if read.scheme == DEPARTMENT), None)
    counts: dict[str, Any] = {}
    if department is not None:
        counts = _department_entries(rules, *department, findings, out.checklist)
    if not responses and department is None:
        return out
    frame = pd.DataFrame([read.entries for _, read in responses], dtype=object)
    kept = _survey_rows(rules, people, responses, frame, findings) if len(frame) else []
    survey = frame.iloc[kept] if len(frame) else frame
    try:
        out.department = department_scorecard(survey, counts, rules)
    except InvalidEntries as exc:
        wb, read = department  # type: ignore[misc]
        labels = {e.column: e.label for e in department_entries(rules)}
        for problem in exc.problems:
            findings.append(
                Finding(
                    wb.name,
                    read.sheet,
                    read.addresses.get(problem.column, ""),
                    f"{labels.get(problem.column, problem.column)}{typed(problem)}",
                    problem.expected,
                )
            )
    if len(survey):
        out.satisfaction = engineer_satisfaction(survey, rules)
        out.survey = survey
    return out


def _survey_rows(
    rules: Rules,
    people: pd.DataFrame,
    responses: list[tuple[WorkbookRead, FormRead]],
    frame: pd.DataFrame,
    findings: list[Finding],
) -> list[int]:
    """Positions of the responses to count. Never quotes a cell: 客户评价 holds contact data."""
    bad: set[int] = {i for i, (_, read) in enumerate(responses) if read.misread}  # reported
    checked = [i for i in range(len(frame)) if i not in bad]
    try:
        question_stats(frame.iloc[checked], rules)
    except InvalidEntries as exc:
        table = all_forms(rules)[SURVEY].table
        columns = table.entry_columns if table is not None else {}
        for problem in exc.problems:
            wb, read = responses[problem.row]
            column = columns.get(problem.column)
            question = column.header if column is not None else problem.column  # as headed
            findings.append(
                Finding(
                    wb.name,
                    read.sheet,
                    read.addresses.get(problem.column, ""),
                    f"第 {read.row} 行「{question}」的内容无效",
                    problem.expected,
                )
            )
            bad.add(problem.row)
    known = set(people.index)
    for i, (wb, read) in enumerate(responses):
        pid = id_text(read.entries.get("engineer_id"))
        cell = read.addresses.get("engineer_id", "")
        if not pid:
            findings.append(
                Finding(
                    wb.name,
                    read.sheet,
                    cell,
                    f"第 {read.row} 行缺少服务工程师工号",
                    "服务该客户的工程师工号",
                )
            )
            bad.add(i)
        elif unmatched := _unlike_trim(read.entries.get("engineer_id")):
            findings.append(
                Finding(
                    wb.name,
                    read.sheet,
                    cell,
                    f"第 {read.row} 行:此单元格的工号{unmatched},表内公式认不出",
                    "只填工号(删除这些字符)",
                )
            )
            bad.add(i)
        elif _contact_like(pid):
            findings.append(
                Finding(
                    wb.name,
                    read.sheet,
                    cell,
                    f"第 {read.row} 行:此单元格的值不是工号(像是联系方式,未复制)",
                    "服务该客户的工程师工号(客户联系方式填在客户信息列)",
                )
            )
            bad.add(i)
        elif known and pid not in known:
            findings.append(
                Finding(
                    wb.name,
                    read.sheet,
                    cell,
                    f"第 {read.row} 行:此单元格的值不是本月名单中的工号",
                    "名单中的工号",
                    WARNING,
                )
            )
    return [i for i in range(len(frame)) if i not in bad]


def _unlike_trim(value: Any) -> str:
    """What the sheet's own formulas (``TRIM``: ASCII spaces only) would not strip from a 工号
    that xlpy reads stripped: invisible characters, other spaces at either end ("" if none).
    Named without quoting the value (the cell may hold a customer's contact data)."""
    if not isinstance(value, str):
        return ""
    hidden = invisible_note(value)
    if hidden:
        return hidden
    return "前后有全角空格或不换行空格" if value.strip(" ") != value.strip() else ""


_CONTACT = re.compile(r"@|\d{7,}|^\+|\d[\d -]{8,}\d")


def _contact_like(text: str) -> bool:
    """An e-mail address or a phone number where a 工号 belongs (never quoted, never copied)."""
    return bool(_CONTACT.search(text))


def _department_entries(
    rules: Rules,
    wb: WorkbookRead,
    read: FormRead,
    findings: list[Finding],
    checklist: dict[str, bool],
) -> dict[str, Any]:
    entries = department_entries(rules)
    typed_in = {
        column: None if column in read.misread else value  # misread: reported already
        for column, value in read.entries.items()
    }
    clean, problems = coerce(pd.DataFrame([typed_in], dtype=object), entries)
    labels = {e.column: e.label for e in entries}
    for problem in problems:
        findings.append(
            Finding(
                wb.name,
                read.sheet,
                read.addresses.get(problem.column, ""),
                f"{labels[problem.column]}{typed(problem)}",
                problem.expected,
            )
        )
    bad = {p.column for p in problems}
    counts = {}
    for entry in entries:
        if entry.column in bad or typed_in.get(entry.column) is None:
            continue
        if entry.column.startswith("checklist."):
            item = rules.department.checklist[int(entry.column.split(".")[1])]
            checklist[item] = bool(clean[entry.column][0])
        else:
            counts[entry.column] = float(clean[entry.column][0])
    return counts
