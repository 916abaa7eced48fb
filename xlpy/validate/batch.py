"""Validate a batch of workbooks for one month and score what is valid.

:func:`analyse` takes the files as read (:mod:`xlpy.validate.reading`, per-sheet checks done),
adds the checks that need the whole batch or the scoring core, and returns a :class:`Batch`:
the findings, and the core's results for the people whose forms are clean — exactly what
``xlpy consolidate`` writes. Scores always come from the raw entries; a workbook's cached
formula results are only compared with them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlpy.core.entries import InvalidEntries, Kind, Problem, coerce
from xlpy.core.registry import DEPARTMENT, MONTHLY, SCHEMES, SURVEY
from xlpy.core.result import SchemeResult
from xlpy.core.survey import department_scorecard, engineer_satisfaction, question_stats
from xlpy.forms import PARAM_SHEET, Form, all_forms, department_entries
from xlpy.forms.survey import ROSTER_SHEET
from xlpy.rules import RuleError, Rules, default_rules
from xlpy.shared.findings import ERROR, WARNING, Finding, describe_value
from xlpy.shared.slices import Slice
from xlpy.validate.params import changed, rules_from
from xlpy.validate.reading import FormRead, WorkbookRead
from xlpy.words import id_text, is_month, month_text


@dataclass
class PersonForm:
    workbook: WorkbookRead
    read: FormRead
    form: Form
    pid: str
    reading: FormRead = field(init=False)

    def __post_init__(self) -> None:
        self.reading = self.read  # entries/addresses, under the name the ledgers review reads

    def cell(self, field_name: str) -> str:
        return next((c.address for c in self.form.identity if c.field == field_name), "")


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


def analyse(workbooks: list[WorkbookRead], month: str | None = None, rules: Rules | None = None,
            extra: list[Finding] | None = None, slices: Sequence[Slice] = ()) -> Batch:
    findings = list(extra or []) + [f for wb in workbooks for f in wb.findings]
    if rules is None:
        rules, param_findings = resolve_rules(workbooks)
        findings += param_findings
    explicit = bool(month)
    if explicit:
        workbooks, skipped = _this_month(workbooks, str(month))
        findings += skipped
    else:
        seen: Counter = Counter()
        for workbook in workbooks:
            seen.update(_months(workbook))
        month = "、".join(sorted(m for m in seen if m))
    batch = Batch(rules, str(month), workbooks, findings)
    batch.changed_parameters = changed(rules)
    forms = all_forms(rules)
    by_scheme: dict[str, list[PersonForm]] = {}
    tables: list[tuple[WorkbookRead, FormRead]] = []
    for wb in workbooks:
        if wb.readable and not wb.forms and not any(f.severity == ERROR for f in wb.findings):
            findings.append(Finding(wb.name, "", "", "没有找到考核表(第 2 行应有「表号」)",
                                    "由 xlpy 模板生成的考核工作簿", WARNING))
        for read in wb.forms:
            form = forms[read.scheme]
            pid = id_text(read.identity.get("employee_id"))
            if not read.intact:
                if pid:
                    batch.flagged.setdefault(pid, f"{form.title}表格结构被改动,未计分")
                continue
            if not form.per_person:
                tables.append((wb, read))
            elif pid:
                by_scheme.setdefault(read.scheme, []).append(PersonForm(wb, read, form, pid))
    findings += _month_problems(by_scheme)
    batch.people = _people(workbooks, by_scheme, findings)
    for scheme, person_forms in by_scheme.items():
        person_forms = _drop_duplicates(person_forms, findings)
        result = _score(scheme, person_forms, rules, findings, batch.flagged)
        if result is not None:
            batch.results[scheme] = result
            findings += _cached_mismatches(person_forms, result)
            findings += _incomplete(person_forms, result)
    _tables(batch, tables, forms, findings)
    for extension in slices:
        result, slice_findings = extension.review(workbooks, batch.month, rules, batch.people,
                                                  by_scheme.get(MONTHLY, []))
        findings += slice_findings
        if result is not None:
            batch.slices.append((extension, result))
    batch.findings = sorted(dict.fromkeys(findings), key=_order)
    return batch


def _order(f: Finding) -> tuple:
    from xlpy.engines.addresses import parse_a1

    try:
        cell = parse_a1(f.cell)
    except ValueError:
        cell = (-1, -1)
    return (f.file, f.sheet, cell, f.severity != ERROR, f.problem)


# ── parameters ──────────────────────────────────────────────────────────────────────────────
def resolve_rules(workbooks: list[WorkbookRead]) -> tuple[Rules, list[Finding]]:
    """Rules from the 参数 sheet(s); all workbooks of a batch must agree. Defaults if none."""
    findings: list[Finding] = []
    chosen: Rules | None = None
    chosen_from = ""
    for wb in workbooks:
        if wb.params is None:
            continue
        try:
            rules = rules_from(wb.params)
        except RuleError as exc:
            for key, message in exc.problems:
                findings.append(Finding(wb.name, PARAM_SHEET, wb.param_cells.get(key, ""),
                                        f"参数 {key} {message}", "有效的参数值(或恢复默认值)"))
            continue
        if chosen is None:
            chosen, chosen_from = rules, wb.name
        elif rules is not chosen and rules != chosen:
            findings.append(Finding(wb.name, PARAM_SHEET, "", f"参数与 {chosen_from} 不同",
                                    "同一个月的工作簿使用同一套参数"))
    return chosen or default_rules(), findings


# ── people and months ───────────────────────────────────────────────────────────────────────
def _months(workbook: WorkbookRead) -> Counter:
    return Counter(month_text(read.identity.get("month")) for read in workbook.forms
                   if read.identity.get("month") is not None)


def _majority(workbook: WorkbookRead) -> str:
    months = _months(workbook)
    return months.most_common(1)[0][0] if months else ""


def _this_month(workbooks: list[WorkbookRead], month: str) -> tuple[list[WorkbookRead], list[Finding]]:
    """A folder may hold several months: workbooks whose forms are (mostly) of another month are
    left out with a warning; their people then show as 缺表 if they have no form this month."""
    kept, findings = [], []
    for workbook in workbooks:
        main = _majority(workbook)
        if main and main != month and is_month(main):
            findings.append(Finding(workbook.name, "", "", f"这是 {main} 的考核表,不属于 {month},已跳过",
                                    f"{month} 的考核表", WARNING))
            continue
        kept.append(workbook)
    return kept, findings


def _month_problems(by_scheme: dict[str, list[PersonForm]]) -> list[Finding]:
    """A sheet whose 月份 differs from the rest of its workbook (copied from another month)."""
    findings = []
    for person_forms in by_scheme.values():
        for pf in person_forms:
            value = pf.read.identity.get("month")
            if not pf.cell("month") or value is None or not is_month(month_text(value)):
                continue
            expected = _majority(pf.workbook)
            if month_text(value) != expected:
                findings.append(Finding(pf.workbook.name, pf.read.sheet, pf.cell("month"),
                                        f"月份 {month_text(value)} 与本工作簿其他表({expected})不符",
                                        expected, ERROR, pf.pid))
    return findings


def _people(workbooks: list[WorkbookRead], by_scheme: dict[str, list[PersonForm]],
            findings: list[Finding]) -> pd.DataFrame:
    """Everyone on the 人员 sheets of the batch (a per-person file lists only its person), in
    roster order; without any 人员 sheet, everyone who handed in a form, by 工号."""
    roster: dict[str, tuple[str, str]] | None = None
    for wb in workbooks:
        if wb.roster is not None:
            roster = roster or {}
            for pid, record in wb.roster.items():
                roster.setdefault(pid, record)
    seen: dict[str, tuple[str, str]] = {}
    for person_forms in by_scheme.values():
        for pf in person_forms:
            name = id_text(pf.read.identity.get("name"))
            seen.setdefault(pf.pid, (name, id_text(pf.read.identity.get("team"))))
            if roster is None:
                continue
            if pf.pid not in roster:
                findings.append(Finding(pf.workbook.name, pf.read.sheet, pf.cell("employee_id"),
                                        f"工号 {pf.pid} 不在「{ROSTER_SHEET}」名单中",
                                        "名单中的工号(或先把此人加入名单)", ERROR, pf.pid))
            elif name and roster[pf.pid][0] and name != roster[pf.pid][0]:
                findings.append(Finding(pf.workbook.name, pf.read.sheet, pf.cell("name"),
                                        f"姓名「{name}」与名单中工号 {pf.pid} 的姓名不符",
                                        roster[pf.pid][0], WARNING, pf.pid))
    source = roster if roster is not None else dict(sorted(seen.items()))
    if not source:
        return pd.DataFrame(columns=["name", "team"])
    return pd.DataFrame.from_dict(source, orient="index", columns=["name", "team"])


def _drop_duplicates(person_forms: list[PersonForm], findings: list[Finding]) -> list[PersonForm]:
    """A person twice in one month for one form: every copy is an error, none is scored."""
    def key(pf: PersonForm) -> tuple[str, str]:
        return (month_text(pf.read.identity.get("month")) or _majority(pf.workbook), pf.pid)

    counts = Counter(key(pf) for pf in person_forms)
    for pf in person_forms:
        if counts[key(pf)] > 1:
            others = [f"{o.workbook.name} · {o.read.sheet}" for o in person_forms
                      if key(o) == key(pf) and o is not pf]
            findings.append(Finding(pf.workbook.name, pf.read.sheet, pf.cell("employee_id"),
                                    f"工号 {pf.pid} 本月有两份{pf.form.title}(另一份在 "
                                    f"{'、'.join(others)})", "每人每月一份", ERROR, pf.pid))
    return [pf for pf in person_forms if counts[key(pf)] == 1]


# ── scoring ─────────────────────────────────────────────────────────────────────────────────
def _typed(problem: Problem) -> str:
    value = problem.value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "未填写"
    return f"填了 {describe_value(value)}"


def _score(scheme: str, person_forms: list[PersonForm], rules: Rules, findings: list[Finding],
           flagged: dict[str, str]) -> SchemeResult | None:
    """Score the forms (rows by position); entry problems become findings and their forms are
    left unscored. The result is indexed by 工号 (by position when a multi-month validation
    holds the same person more than once)."""
    score = SCHEMES[scheme].score
    if score is None or not person_forms:
        return None
    broken = {(f.file, f.sheet) for f in findings if f.severity == ERROR}
    bad = {i for i, pf in enumerate(person_forms) if (pf.workbook.name, pf.read.sheet) in broken}
    frame = pd.DataFrame([pf.read.entries for pf in person_forms], dtype=object)
    try:
        score(frame, rules)
    except InvalidEntries as exc:
        for problem in exc.problems:
            pf = person_forms[problem.row]
            try:
                label = pf.form.entry_cell(problem.column).entry.label
            except KeyError:
                label = problem.column
            findings.append(Finding(pf.workbook.name, pf.read.sheet,
                                    pf.read.addresses.get(problem.column, ""),
                                    f"{label}{_typed(problem)}", problem.expected, ERROR, pf.pid))
            bad.add(problem.row)
    for i in bad:
        flagged.setdefault(person_forms[i].pid, f"{person_forms[i].form.title}有未更正的错误,未计分")
    good = [i for i in range(len(person_forms)) if i not in bad]
    ids = [person_forms[i].pid for i in good]
    frame = frame.iloc[good]
    frame.index = pd.Index(ids if len(set(ids)) == len(ids) else good, dtype=object)
    return score(frame, rules)


_NEEDED = (Kind.RATING, Kind.LEVEL, Kind.SCORE, Kind.AMOUNT)


def _incomplete(person_forms: list[PersonForm], result: SchemeResult) -> list[Finding]:
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
            findings.append(Finding(pf.workbook.name, pf.read.sheet, first.address,
                                    f"{pf.form.title}尚未填写,总分空缺", "填写本表的各项录入",
                                    WARNING, pf.pid))
            continue
        for cell in pf.form.entries:
            if cell.entry.kind in _NEEDED and id_text(pf.read.entries.get(cell.entry.column)) == "":
                findings.append(Finding(pf.workbook.name, pf.read.sheet, cell.address,
                                        f"{cell.entry.label}未填写,总分因此空缺",
                                        cell.entry.expected, WARNING, pf.pid))
    return findings


def _same(cached: Any, expected: Any) -> bool:
    if isinstance(expected, (float, np.floating)) and math.isnan(expected):
        return cached in (None, "")
    if isinstance(expected, (int, float, np.floating)) and not isinstance(expected, bool):
        return isinstance(cached, (int, float)) and not isinstance(cached, bool) \
            and abs(float(cached) - float(expected)) <= 1e-6
    return str(cached or "") == str(expected or "")


def _cached_mismatches(person_forms: list[PersonForm], result: SchemeResult) -> list[Finding]:
    """Cached formula results that disagree with the core (a workbook calculated with other
    parameters, an old add-in, or a broken formula). Never-calculated cells (blank) are skipped."""
    findings = []
    scores = result.scores
    by_pid = scores.index.is_unique and all(isinstance(i, str) for i in scores.index)
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
                shown = "空白" if isinstance(expected, float) and math.isnan(expected) \
                    else describe_value(expected)
                findings.append(Finding(pf.workbook.name, pf.read.sheet, cell.address,
                                        f"{cell.label}显示 {describe_value(cached)},按规则应为 {shown}",
                                        "重新计算工作簿(汇总以规则计算结果为准)", WARNING, pf.pid))
    return findings


def _tables(batch: Batch, tables: list[tuple[WorkbookRead, FormRead]], forms: dict[str, Form],
            findings: list[Finding]) -> None:
    """The survey (S) rows and the department sheet (D)."""
    rules = batch.rules
    responses = [(wb, read) for wb, read in tables if read.scheme == SURVEY]
    department = next(((wb, read) for wb, read in tables if read.scheme == DEPARTMENT), None)
    counts: dict[str, Any] = {}
    if department is not None:
        counts = _department_entries(batch, *department, findings)
    if not responses and department is None:
        return
    frame = pd.DataFrame([read.entries for _, read in responses], dtype=object)
    survey = frame.iloc[_survey_rows(batch, responses, frame, findings)] if len(frame) else frame
    try:
        batch.department = department_scorecard(survey, counts, rules)
    except InvalidEntries as exc:
        wb, read = department  # type: ignore[misc]
        labels = {e.column: e.label for e in department_entries(rules)}
        for problem in exc.problems:
            findings.append(Finding(wb.name, read.sheet, read.addresses.get(problem.column, ""),
                                    f"{labels.get(problem.column, problem.column)}{_typed(problem)}",
                                    problem.expected))
    if len(survey):
        batch.satisfaction = engineer_satisfaction(survey, rules)
        batch.survey = survey


def _survey_rows(batch: Batch, responses: list[tuple[WorkbookRead, FormRead]], frame: pd.DataFrame,
                 findings: list[Finding]) -> list[int]:
    bad: set[int] = set()
    try:
        question_stats(frame, batch.rules)
    except InvalidEntries as exc:
        for problem in exc.problems:
            wb, read = responses[problem.row]
            question = batch.rules.survey.questions.get(problem.column, problem.column)
            findings.append(Finding(wb.name, read.sheet, read.addresses.get(problem.column, ""),
                                    f"第 {read.row} 行「{question}」{_typed(problem)}",
                                    problem.expected))
            bad.add(problem.row)
    known = set(batch.people.index)
    for i, (wb, read) in enumerate(responses):
        pid = id_text(read.entries.get("engineer_id"))
        cell = read.addresses.get("engineer_id", "")
        if not pid:
            findings.append(Finding(wb.name, read.sheet, cell, f"第 {read.row} 行缺少服务工程师工号",
                                    "服务该客户的工程师工号"))
            bad.add(i)
        elif known and pid not in known:
            findings.append(Finding(wb.name, read.sheet, cell,
                                    f"第 {read.row} 行的工号 {pid} 不在本月名单中", "名单中的工号",
                                    WARNING))
    return [i for i in range(len(frame)) if i not in bad]


def _department_entries(batch: Batch, wb: WorkbookRead, read: FormRead,
                        findings: list[Finding]) -> dict[str, Any]:
    entries = department_entries(batch.rules)
    clean, problems = coerce(pd.DataFrame([read.entries], dtype=object), entries)
    labels = {e.column: e.label for e in entries}
    for problem in problems:
        findings.append(Finding(wb.name, read.sheet, read.addresses.get(problem.column, ""),
                                f"{labels[problem.column]}{_typed(problem)}", problem.expected))
    bad = {p.column for p in problems}
    counts = {}
    for entry in entries:
        if entry.column in bad or read.entries.get(entry.column) is None:
            continue
        if entry.column.startswith("checklist."):
            item = batch.rules.department.checklist[int(entry.column.split(".")[1])]
            batch.checklist[item] = bool(clean[entry.column][0])
        else:
            counts[entry.column] = float(clean[entry.column][0])
    return counts
