"""Validate a batch of workbooks for one month and score what is valid.

:func:`analyse` takes the files as read (:mod:`xlpy.validate.reading`, per-sheet checks done)
and runs the batch-wide pipeline; each step lives in its own module:

1. settle the rules from the 参数 sheets (:mod:`.params`), keep this month's workbooks and
   sort their forms into per-person forms and table sheets (:mod:`.people`);
2. match forms to people and months, drop forms handed in twice (:mod:`.people`);
3. read the survey and department sheets (:mod:`.tables`); score each scheme once with the
   core, then compare cached results and blank totals (:mod:`.scoring`); scheme K's
   satisfaction KPI takes the survey's figures (:mod:`.survey_kpi`);
4. let each slice the caller passed (the ledgers) review the batch.

It returns a :class:`Batch`: the findings, and the core's results for the people whose forms
are clean — exactly what ``xlpy consolidate`` writes. Scores always come from the raw entries;
a workbook's cached formula results are only compared with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xlpy.core.registry import KPI, MONTHLY
from xlpy.core.result import SchemeResult
from xlpy.forms import all_forms
from xlpy.rules import Rules
from xlpy.shared.addresses import parse_a1
from xlpy.shared.findings import ERROR, Finding
from xlpy.shared.slices import Slice
from xlpy.validate import people as persons
from xlpy.validate import survey_kpi
from xlpy.validate.params import changed
from xlpy.validate.reading import WorkbookRead
from xlpy.validate.scoring import cached_mismatches, incomplete, score_forms
from xlpy.validate.settle import resolve_rules
from xlpy.validate.tables import score_tables


@dataclass
class Batch:
    rules: Rules
    month: str
    workbooks: list[WorkbookRead]
    findings: list[Finding] = field(default_factory=list)
    people: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["name", "team"]))
    results: dict[str, SchemeResult] = field(default_factory=dict)
    survey: pd.DataFrame | None = None
    department: pd.DataFrame | None = None
    satisfaction: pd.DataFrame | None = None
    checklist: dict[str, bool] = field(default_factory=dict)
    flagged: dict[str, str] = field(default_factory=dict)  # 工号 -> unscored because of errors
    changed_parameters: list[tuple[str, Any, Any]] = field(default_factory=list)
    slices: list[tuple[Slice, Any]] = field(default_factory=list)  # each slice's review result

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def analyse(
    workbooks: list[WorkbookRead],
    month: str | None = None,
    rules: Rules | None = None,
    extra: list[Finding] | None = None,
    slices: Sequence[Slice] = (),
) -> Batch:
    """The batch pipeline (see the module docstring). ``month``: keep only that month's
    workbooks (None: every month found, joined with 、). ``rules``: None settles them from the
    参数 sheets. ``extra``: findings to carry (files that could not be found)."""
    findings = list(extra or []) + [f for wb in workbooks for f in wb.findings]
    if rules is None:
        rules, param_findings = resolve_rules(workbooks)
        findings += param_findings
    if month:
        workbooks, skipped = persons.this_month(workbooks, month)
        findings += skipped
    else:
        month = persons.months_found(workbooks)
    batch = Batch(rules, month, workbooks, findings)
    batch.changed_parameters = changed(rules)
    by_scheme, tables = persons.sort_forms(workbooks, all_forms(rules), findings, batch.flagged)
    findings += persons.month_problems(by_scheme)
    batch.people = persons.people(workbooks, by_scheme, findings)
    found = score_tables(tables, rules, batch.people, findings)  # K5 may take the survey's rate
    for scheme, person_forms in by_scheme.items():
        person_forms = persons.drop_duplicates(person_forms, findings)
        if scheme == KPI:
            person_forms = survey_kpi.attach(person_forms, found.satisfaction, rules)
        result = score_forms(scheme, person_forms, rules, findings, batch.flagged)
        if result is None:
            continue
        batch.results[scheme] = result
        if scheme == KPI:
            findings += survey_kpi.review(person_forms, result, found.satisfaction, rules)
        else:
            findings += cached_mismatches(person_forms, result)
            findings += incomplete(person_forms, result)
    batch.survey, batch.department = found.survey, found.department
    batch.satisfaction, batch.checklist = found.satisfaction, found.checklist
    for extension in slices:
        result, slice_findings = extension.review(
            workbooks, batch.month, rules, batch.people, by_scheme.get(MONTHLY, [])
        )
        findings += slice_findings
        if result is not None:
            batch.slices.append((extension, result))
    batch.findings = sorted(dict.fromkeys(findings), key=_order)
    return batch


def _order(f: Finding) -> tuple:
    try:
        cell = parse_a1(f.cell)
    except ValueError:
        cell = (-1, -1)
    return (f.file, f.sheet, cell, f.severity != ERROR, f.problem)
