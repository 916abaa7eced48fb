"""The KPI form's survey-fed KPI (K5 客户满意度): the month's 客户评价 figures joined to each
person's scheme K entries before scoring, and the checks that follow from it.

- :func:`attach`: each K form's entries gain the person's survey figures
  (:func:`xlpy.core.kpi.survey_figures`); the core then scores the survey's rate × 100 when the
  parameter is on and the person has answered scores, else the typed actual.
- :func:`review`: what ``validate`` checks after scoring K — a typed actual the summary does not
  use (a warning on that cell), cached results compared with what the sheet itself could compute
  (the survey's value where 客户评价 is in the same workbook; the typed one in a per-person file
  without it), and blank-entry warnings except on a typed actual the survey replaces.

Messages name counts only, never a response's cells: 客户评价 holds customers' contact data.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from xlpy.core.entries import InvalidEntries
from xlpy.core.kpi import SURVEY_RATE, score_kpi, survey_figures
from xlpy.core.registry import SURVEY
from xlpy.core.result import SchemeResult
from xlpy.forms import all_forms
from xlpy.rules import Rules
from xlpy.shared.findings import WARNING, Finding
from xlpy.validate.people import PersonForm
from xlpy.validate.reading import WorkbookRead
from xlpy.validate.scoring import cached_mismatches, incomplete
from xlpy.words import describe_value, is_blank, num

SAME_ACTUAL = 0.05  # a typed actual this close to the survey's value is that value, rounded


def attach(
    person_forms: list[PersonForm], satisfaction: pd.DataFrame | None, rules: Rules
) -> list[PersonForm]:
    """The K forms with each person's survey figures among their entries."""
    if rules.kpi.survey_indicator is None:
        return person_forms
    return [
        replace(
            pf,
            read=replace(
                pf.read,
                entries=pf.read.entries | survey_figures(satisfaction, pf.pid, rules),
            ),
        )
        for pf in person_forms
    ]


def review(
    person_forms: list[PersonForm],
    result: SchemeResult,
    satisfaction: pd.DataFrame | None,
    rules: Rules,
) -> list[Finding]:
    """The checks of scheme K once scored (see the module docstring)."""
    code = rules.kpi.survey_indicator
    if code is None:
        return cached_mismatches(person_forms, result) + incomplete(person_forms, result)
    used = [_survey_used(pf, code, rules) for pf in person_forms]
    alone = [pf for pf in person_forms if not _has_survey(pf.workbook, rules)]
    apart = {pf.workbook.name for pf in alone}
    # the whole list: a result indexed by position (one person twice) follows its order
    findings = [f for f in cached_mismatches(person_forms, result) if f.file not in apart]
    if alone:
        findings += cached_mismatches(alone, _typed_result(alone, rules))
    filled = {
        (pf.workbook.name, pf.read.sheet, pf.read.addresses.get(f"{code}.actual"))
        for pf, survey in zip(person_forms, used, strict=True)
        if survey
    }
    findings += [
        f for f in incomplete(person_forms, result) if (f.file, f.sheet, f.cell) not in filled
    ]
    for pf, survey in zip(person_forms, used, strict=True):
        if survey and satisfaction is not None:
            findings += _typed_differs(pf, code, satisfaction, rules)
    return findings


def _survey_used(pf: PersonForm, code: str, rules: Rules) -> bool:
    rate = pf.read.entries.get(f"{code}.{SURVEY_RATE}")
    return bool(rules.kpi.indicators[code].from_survey) and not (rate is None or math.isnan(rate))


def _has_survey(workbook: WorkbookRead, rules: Rules) -> bool:
    """The workbook holds the 客户评价 sheet, so its K sheets count the survey themselves."""
    return any(read.scheme == SURVEY for read in workbook.forms) or (
        all_forms(rules)[SURVEY].sheet_name() in workbook.sheet_names
    )


def _typed_result(person_forms: list[PersonForm], rules: Rules) -> SchemeResult:
    """The scores the forms' own formulas give without the survey; forms whose entries do not
    score (already reported) are left out."""
    ids = [pf.pid for pf in person_forms]
    frame = pd.DataFrame([pf.read.entries for pf in person_forms], dtype=object)
    frame.index = pd.Index(ids if len(set(ids)) == len(ids) else range(len(ids)), dtype=object)
    code = rules.kpi.survey_indicator
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith(f"{code}.survey_")])
    try:
        return score_kpi(frame, rules)
    except InvalidEntries as exc:
        bad = {problem.row for problem in exc.problems}
        return score_kpi(frame.drop(index=list(bad)), rules)


def _typed_differs(
    pf: PersonForm, code: str, satisfaction: pd.DataFrame, rules: Rules
) -> list[Finding]:
    """A warning on a typed actual the summary replaces by a different survey value."""
    typed = pf.read.entries.get(f"{code}.actual")
    if is_blank(typed) or not isinstance(typed, (int, float)) or isinstance(typed, bool):
        return []  # blank: the survey fills it; not a number: reported by the core's checks
    figures = satisfaction.loc[pf.pid]
    value = float(figures["rate"]) * 100
    if abs(float(typed) - value) < SAME_ACTUAL:
        return []
    kpi = rules.kpi.indicators[code]
    threshold = num(rules.survey.satisfied_threshold)
    return [
        Finding(
            pf.workbook.name,
            pf.read.sheet,
            pf.read.addresses.get(f"{code}.actual", ""),
            f"{code} {kpi.name}的手填实际值 {describe_value(typed)} 未被采用:汇总采用客户评价的"
            f"满意度 {num(value)}(本人本月 {int(figures['responses'])} 份评价,"
            f"有效评分 {int(figures['answered'])} 个,其中 ≥ {threshold} 分 "
            f"{int(figures['satisfied'])} 个)",
            f"清空此格(有客户评价时无需手填);要采用手填值,把参数「{code} {kpi.name} · "
            "实际值取自客户评价」设为 否",
            WARNING,
            pf.pid,
        )
    ]
