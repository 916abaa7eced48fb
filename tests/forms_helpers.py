"""Shared helpers of the forms/template/recalc tests: a small roster, sample entries for every
form, filling a generated workbook as staff would, and the scoring core's expected results."""

from __future__ import annotations

import math
import os
import random
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from xlpy.core.kpi import attach_survey
from xlpy.core.scorers import SCORERS
from xlpy.core.survey import department_scorecard, engineer_satisfaction, question_stats
from xlpy.forms import MET, NO_DATA, NOT_MET, all_forms
from xlpy.rules import default_rules

RULES = default_rules()
# A department's added item (issue 12's example): the rules file text the tests write.
M12_RULES = """
[monthly.items.M12]
category = "daily"
name = "安全生产"
full = 5
content = "遵守安全操作规程,现场作业佩戴防护用品。"
deductions.violation = { label = "违规", per = 5 }
"""
FORMS = all_forms(RULES)
PEOPLE = [
    ("1001", "张伟", "一班", "王建国", "售后服务工程师"),
    ("1002", "李娜", "一班", "王建国", "售后服务员"),
    ("1003", "刘洋", "一班", "王建国", "高级售后服务工程师"),
    ("2001", "黄敏", "二班", "周志强", "售后服务工程师"),
    ("2002", "欧阳明远", "二班", "周志强", "售后服务员"),
]
MONTH = "2026-11"
SCHEMES = ("M", "K", "P")  # of the shared month workbooks (conftest.py); with tech=True, T too
FILLED = (*SCHEMES, "T")  # the person forms samples() fills


def write_roster(
    path: Path, rows: list[tuple[str, ...]] | None = None, header: str = "工号,姓名,班组,主管,岗位"
) -> Path:
    lines = [header] + [",".join(r) for r in (PEOPLE if rows is None else rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def monthly_sample(i: int, rng: random.Random) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for cell in FORMS["M"].entries:
        entry = cell.entry
        if entry.kind.value == "count":
            entries[entry.column] = rng.choice([None, 0, 1, 2, 3, 0, None])
        elif entry.kind.value == "rating":
            entries[entry.column] = rng.choice(entry.choices)
        else:
            entries[entry.column] = "否"
    if i == 0:  # full marks
        entries = {k: (None if isinstance(v, int) else v) for k, v in entries.items()}
        entries |= {"M09": "强", "M10": "多"}
    elif i == 1:  # veto: the month is cancelled
        entries["M11"] = "是"
    elif i == 2:  # deductions beyond the item's points: floored at 0
        entries |= {"M05.unclear_account": 3, "M08.skill_complaint": 9, "M03.falsified": 1}
    elif i == 4:  # a rating left blank: total missing
        entries["M10"] = None
    return entries


def kpi_sample(i: int, rng: random.Random) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for code in RULES.kpi.indicators:
        target = rng.choice([10, 20, 4, 50])
        entries[f"{code}.target"] = target
        entries[f"{code}.actual"] = rng.choice(
            [
                target,
                target * 0.8,
                target * 0.75,
                target * 0.5,
                target * 1.2,
                round(target * 0.79, 2),
            ]
        )
    for code in RULES.kpi.behavior.indicators:
        entries[f"{code}.self"] = rng.randint(1, 5)
        entries[f"{code}.manager"] = rng.randint(1, 5)
    if i == 1:
        entries["B1.self"] = None  # single rater
    if i == 2:
        entries |= {"K4.target": 0, "K4.actual": 0, "K5.target": 10, "K5.actual": 8}
    if i == 3:
        entries["K2.actual"] = None  # missing → total missing
    return entries


def tech_sample(i: int, rng: random.Random) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for cell in FORMS["T"].entries:
        entries[cell.entry.column] = rng.choice((*cell.entry.choices, None))
    for key in RULES.tech.dimensions:  # at least one rating per dimension
        entries[f"{key}.1"] = rng.choice(["优秀", "B", "合格"])
    if i == 0:
        entries = {k: "优秀" for k in entries}
    return entries


def performance_sample(i: int, rng: random.Random) -> dict[str, Any]:
    entries = {code: round(rng.uniform(55, 100), 1) for code in RULES.performance.dimensions}
    if i == 0:
        entries = {code: 90 for code in entries}
    if i == 4:
        entries["P3"] = None
    return entries


def survey_sample(rng: random.Random, rows: int = 24) -> list[dict[str, Any]]:
    responses = []
    for n in range(rows):
        response: dict[str, Any] = {
            "engineer_id": PEOPLE[n % len(PEOPLE)][0],
            "customer_name": f"客户{n}",
            "customer_phone": f"1380000{n:04d}",
            "product": "数控机床",
            "channel": "经销商",
        }
        for code in RULES.survey.questions:
            response[code] = rng.choice([1, 2, 3, 4, 4, 5, 5, None])
        response["S1.feedback"] = "响应很快" if n % 3 == 0 else None
        responses.append(response)
    return responses


DEPARTMENT = {
    "complaints_received": 10,
    "complaints_resolved": 9,
    "followups_planned": 20,
    "followups_made": 18,
    "checklist.0": "是",
    "checklist.1": "否",
}


def samples(seed: int = 7) -> dict[str, Any]:
    """Entries per form: per-person dicts for M/K/T/P (by 工号), the survey rows, D's counts."""
    rng = random.Random(seed)
    makers = {"M": monthly_sample, "K": kpi_sample, "T": tech_sample, "P": performance_sample}
    data: dict[str, Any] = {
        s: {p[0]: make(i, rng) for i, p in enumerate(PEOPLE)} for s, make in makers.items()
    }
    data["S"] = survey_sample(rng)
    data["D"] = dict(DEPARTMENT)
    return data


def fill(source: Path, target: Path, data: dict[str, Any], schemes: tuple[str, ...]) -> Path:
    """Type the sample entries into a generated workbook (openpyxl), as staff would."""
    workbook = openpyxl.load_workbook(source)
    for scheme in schemes:
        form = FORMS[scheme]
        for person in PEOPLE:
            ws = workbook[form.sheet_name(person[0], person[1])]
            for column, value in data[scheme][person[0]].items():
                ws[form.entry_cell(column).address] = value
    survey, department = FORMS["S"], FORMS["D"]
    if survey.sheet_prefix in workbook.sheetnames:
        ws = workbook[survey.sheet_prefix]
        letters = {c.entry.column: c.letter for c in survey.table.columns if c.entry}
        for n, response in enumerate(data["S"]):
            for column, value in response.items():
                ws[f"{letters[column]}{survey.table.first_row + n}"] = value
        ws = workbook[department.sheet_prefix]
        for column, value in data["D"].items():
            ws[department.entry_cell(column).address] = value
    workbook.save(target)
    return target


def expected(scheme: str, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The core's result for each computed cell with a ``result``: {sheet: {address: value}}."""
    if scheme == "D":
        return {FORMS["D"].sheet_name(): _department_expected(data)}
    frame = pd.DataFrame.from_dict(data[scheme], orient="index")
    if scheme == "K":  # K5 客户满意度 takes the survey's rate where the person has answers
        frame = attach_survey(frame, engineer_satisfaction(pd.DataFrame(data["S"]), RULES), RULES)
    scores = SCORERS[scheme](frame, RULES).scores
    form = FORMS[scheme]
    out = {}
    for person in PEOPLE:
        row = scores.loc[person[0]]
        out[form.sheet_name(person[0], person[1])] = {
            c.address: row[c.result] for c in form.computed if c.result is not None
        }
    return out


def _department_expected(data: dict[str, Any]) -> dict[str, Any]:
    responses = pd.DataFrame(data["S"])
    counts = {k: v for k, v in data["D"].items() if not k.startswith("checklist")}
    tables = {
        "scorecard": department_scorecard(responses, counts, RULES),
        "questions": question_stats(responses, RULES),
    }
    out = {}
    for cell in FORMS["D"].computed:
        if cell.result is None:
            continue
        table, row, column = cell.result.split(".")
        value = tables[table].loc[row, column]
        if column == "met":
            value = {True: MET, False: NOT_MET}.get(value, NO_DATA)
        out[cell.address] = value
    return out


def mismatches(
    expected_values: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]
) -> list[str]:
    """Every cell whose computed value differs from the core's (numbers to 1e-9)."""
    problems = []
    for sheet, cells in expected_values.items():
        for address, want in cells.items():
            got = actual.get(sheet, {}).get(address)
            if not same(got, want):
                problems.append(f"{sheet}!{address}: got {got!r}, core {want!r}")
    return problems


def same(got: Any, want: Any) -> bool:
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got in ("", None)
    if isinstance(want, (bool, np.bool_)):
        return got == bool(want)
    if isinstance(want, (int, float, np.integer, np.floating)):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return False
        return abs(got - float(want)) <= 1e-9 * max(1.0, abs(float(want)))
    return got == want


def soffice(target_format: str, files: list[Path], outdir: Path) -> None:
    """One LibreOffice headless conversion for many files, with its own profile."""
    profile = Path(f"/tmp/lo-xlpy-{uuid.uuid4().hex[:8]}")
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                target_format,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=240,
            env=os.environ | {"HOME": str(profile)},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def sheet_values(path: Path, sheets: list[str]) -> dict[str, dict[str, Any]]:
    """Cached cell values by sheet and address (python-calamine)."""
    from openpyxl.utils import get_column_letter
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    out: dict[str, dict[str, Any]] = {}
    for name in sheets:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = {
            f"{get_column_letter(c + 1)}{r + 1}": v
            for r, row in enumerate(rows)
            for c, v in enumerate(row)
        }
    return out
