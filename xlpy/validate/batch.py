"""Validate a batch of workbooks for one month and score what is valid.

:func:`analyse` runs every check (per sheet, across files, against the scoring core) and returns a
:class:`Batch`: the findings, and the core's results for the people whose forms are clean —
exactly what ``xlpy consolidate`` writes. Scores always come from the raw entries; a workbook's
cached formula results are only compared with them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlpy.core.entries import InvalidEntries, Problem
from xlpy.core.kpi import score_kpi
from xlpy.core.monthly import score_monthly
from xlpy.core.performance import score_performance
from xlpy.core.result import SchemeResult
from xlpy.core.survey import department_scorecard, engineer_satisfaction
from xlpy.core.tech import score_tech
from xlpy.forms import PARAM_SHEET, FormReading
from xlpy.rules import RuleError, Rules, default_rules, flatten, load_rules
from xlpy.validate import checks
from xlpy.validate.findings import ERROR, WARNING, Finding, describe_value
from xlpy.validate.reading import SheetRead, WorkbookRead, month_text, staff_id

SCORERS: dict[str, Callable[[pd.DataFrame, Rules], SchemeResult]] = {
    "M": score_monthly, "K": score_kpi, "T": score_tech, "P": score_performance,
}
ROSTER_SHEET = "人员"


@dataclass
class PersonForm:
    workbook: WorkbookRead
    read: SheetRead
    pid: str

    @property
    def reading(self) -> FormReading:
        assert self.read.reading is not None
        return self.read.reading


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
    ledgers: Any = None  # xlpy.ledgers.review.LedgerReview when a workbook holds the ledgers

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def analyse(workbooks: list[WorkbookRead], month: str | None = None,
            rules: Rules | None = None, extra: list[Finding] | None = None) -> Batch:
    findings = list(extra or []) + [f for wb in workbooks for f in wb.findings]
    if rules is None:
        rules, param_findings = resolve_rules(workbooks)
        findings += param_findings
    explicit = bool(month)
    if not explicit:
        seen: Counter = Counter()
        for workbook in workbooks:
            seen.update(_months(workbook))
        month = "、".join(sorted(m for m in seen if m))
    if explicit:
        workbooks, skipped = _this_month(workbooks, month)
        findings += skipped
    batch = Batch(rules, month, workbooks, findings)
    batch.changed_parameters = _changed(rules)
    by_scheme: dict[str, list[PersonForm]] = {}
    tables: list[tuple[WorkbookRead, SheetRead]] = []
    for wb in workbooks:
        if wb.readable and not wb.sheets and not any(f.severity == ERROR for f in wb.findings):
            findings.append(Finding(wb.name, "", "", "没有找到考核表(第 2 行应有「表号」)",
                                    "由 xlpy 模板生成的考核工作簿", WARNING))
        for read in wb.sheets:
            layout = checks.layout_problem(wb.name, read)
            if layout is not None:
                findings.append(layout)
                pid = staff_id(read.reading.identity.get("employee_id")) if read.reading else ""
                if pid:
                    batch.flagged.setdefault(pid, f"{read.form.title}表格结构被改动,未计分")
                continue
            findings += checks.merged_entry_problems(wb.name, read)
            findings += checks.tamper_problems(wb.name, read)
            if read.reading is None or not read.form.per_person:
                tables.append((wb, read))
                continue
            findings += checks.identity_problems(wb.name, read)
            renamed = checks.sheet_name_problem(wb.name, read)
            if renamed is not None:
                findings.append(renamed)
            pid = staff_id(read.reading.identity.get("employee_id"))
            if pid:
                by_scheme.setdefault(read.form.scheme, []).append(PersonForm(wb, read, pid))
    findings += _month_problems(by_scheme)
    batch.people = _people(workbooks, by_scheme, findings)
    for scheme, forms in by_scheme.items():
        forms = _drop_duplicates(forms, findings)
        result = _score(scheme, forms, rules, findings, batch.flagged)
        if result is not None:
            batch.results[scheme] = result
            findings += _cached_mismatches(forms, result)
    _tables(batch, tables, findings)
    from xlpy.ledgers.review import review_ledgers  # lazy: the ledgers use validate's Finding
    batch.ledgers, ledger_findings = review_ledgers(workbooks, batch.month, rules, batch.people,
                                                    by_scheme.get("M", []))
    findings += ledger_findings
    batch.findings = sorted(dict.fromkeys(findings), key=_order)
    return batch


def _order(f: Finding) -> tuple:
    return (f.file, f.sheet, _cell_key(f.cell), f.severity != ERROR, f.problem)


def _cell_key(cell: str) -> tuple[int, int]:
    from xlpy.engines.addresses import parse_a1

    try:
        return parse_a1(cell)
    except ValueError:
        return (-1, -1)


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
            rules = _rules_from(wb.params)
        except RuleError as exc:
            for key, message in exc.problems:
                findings.append(Finding(wb.name, PARAM_SHEET, wb.param_cells.get(key, ""),
                                        f"参数 {key} {message}", "有效的参数值(或恢复默认值)"))
            continue
        if chosen is None:
            chosen, chosen_from = rules, wb.name
        elif rules != chosen:
            findings.append(Finding(wb.name, PARAM_SHEET, "", f"参数与 {chosen_from} 不同",
                                    "同一个月的工作簿使用同一套参数"))
    return chosen or default_rules(), findings


_YES_NO = {"是": True, "否": False}
_RULES_CACHE: dict[tuple, Rules] = {}


def _rules_from(params: dict[str, Any]) -> Rules:
    """Rules of a 参数 sheet. Only values that differ from the shipped defaults are passed as
    overrides (the sheet lists every parameter; unchanged ones are not overrides). Cached: a
    batch of per-person files usually repeats one parameter set."""
    defaults = flatten(default_rules())
    overrides = {}
    for key, value in params.items():
        default = defaults.get(key, _MISSING)
        shown = _YES_NO.get(value, value) if isinstance(default, bool) else value
        if value is None and isinstance(default, (str, list, dict)) and not default:
            continue  # an empty text/list parameter shows as a blank cell
        if default is _MISSING or shown != default:
            overrides[key] = value
    cache_key = tuple(sorted((k, repr(v)) for k, v in overrides.items()))
    if cache_key not in _RULES_CACHE:
        _RULES_CACHE[cache_key] = load_rules(overrides=overrides) if overrides else default_rules()
    return _RULES_CACHE[cache_key]


_MISSING = object()


def _changed(rules: Rules) -> list[tuple[str, Any, Any]]:
    defaults = flatten(default_rules())
    return [(key, defaults.get(key), value) for key, value in flatten(rules).items()
            if defaults.get(key) != value]


# ── people and months ───────────────────────────────────────────────────────────────────────
def _months(workbook: WorkbookRead) -> Counter:
    return Counter(month_text(read.reading.identity.get("month")) for read in workbook.sheets
                   if read.reading is not None and read.reading.identity.get("month") is not None)


def _majority_month(workbooks: list[WorkbookRead]) -> str:
    months: Counter = Counter()
    for workbook in workbooks:
        months.update(_months(workbook))
    return months.most_common(1)[0][0] if months else ""


def _this_month(workbooks: list[WorkbookRead], month: str) -> tuple[list[WorkbookRead], list[Finding]]:
    """A folder may hold several months: workbooks whose forms are (mostly) of another month are
    left out with a warning; their people then show as 缺表 if they have no form this month."""
    kept, findings = [], []
    for workbook in workbooks:
        months = _months(workbook)
        main = months.most_common(1)[0][0] if months else month
        if main != month and len(main) == 7:
            findings.append(Finding(workbook.name, "", "", f"这是 {main} 的考核表,不属于 {month},已跳过",
                                    f"{month} 的考核表", WARNING))
            continue
        kept.append(workbook)
    return kept, findings


def _month_problems(by_scheme: dict[str, list[PersonForm]]) -> list[Finding]:
    """A sheet whose 月份 differs from the rest of its workbook (copied from another month)."""
    findings = []
    for forms in by_scheme.values():
        for pf in forms:
            cell = next((c for c in pf.read.form.identity if c.field == "month"), None)
            value = pf.reading.identity.get("month")
            if cell is None or value is None or len(month_text(value)) != 7:
                continue
            expected = _months(pf.workbook).most_common(1)[0][0]
            if month_text(value) != expected:
                findings.append(Finding(pf.workbook.name, pf.read.sheet, cell.address,
                                        f"月份 {month_text(value)} 与本工作簿其他表({expected})不符",
                                        expected, ERROR, pf.pid))
    return findings


def read_roster(workbooks: list[WorkbookRead]) -> pd.DataFrame | None:
    """The 人员 sheet (工号 / 姓名 / 班组 under a header row), if any workbook has one."""
    for wb in workbooks:
        if wb.book is None or ROSTER_SHEET not in wb.book.sheet_names():
            continue
        grid = wb.book.values(ROSTER_SHEET)
        for top, row in enumerate(grid[:10]):
            labels = [str(v).strip() if v is not None else "" for v in row]
            if "工号" in labels and "姓名" in labels:
                at = {label: labels.index(label) for label in ("工号", "姓名", "班组") if label in labels}
                records = {}
                for line in grid[top + 1:]:
                    values = [line[i] if i < len(line) else None for i in at.values()]
                    entry = dict(zip(at, values))
                    pid = staff_id(entry.get("工号"))
                    if pid:
                        records[pid] = (staff_id(entry.get("姓名")), staff_id(entry.get("班组")))
                if records:
                    return pd.DataFrame.from_dict(records, orient="index", columns=["name", "team"])
    return None


def _people(workbooks, by_scheme: dict[str, list[PersonForm]], findings: list[Finding]) -> pd.DataFrame:
    roster = read_roster(workbooks)
    seen: dict[str, tuple[str, str]] = {}
    for forms in by_scheme.values():
        for pf in forms:
            name = staff_id(pf.reading.identity.get("name"))
            team = staff_id(pf.reading.identity.get("team"))
            seen.setdefault(pf.pid, (name, team))
            if roster is None:
                continue
            id_cell = next(c.address for c in pf.read.form.identity if c.field == "employee_id")
            if pf.pid not in roster.index:
                findings.append(Finding(pf.workbook.name, pf.read.sheet, id_cell,
                                        f"工号 {pf.pid} 不在「{ROSTER_SHEET}」名单中",
                                        "名单中的工号(或先把此人加入名单)", ERROR, pf.pid))
            elif name and roster.at[pf.pid, "name"] and name != roster.at[pf.pid, "name"]:
                name_cell = next(c.address for c in pf.read.form.identity if c.field == "name")
                findings.append(Finding(pf.workbook.name, pf.read.sheet, name_cell,
                                        f"姓名「{name}」与名单中工号 {pf.pid} 的姓名不符",
                                        roster.at[pf.pid, "name"], WARNING, pf.pid))
    if roster is not None:
        return roster
    people = pd.DataFrame.from_dict(seen, orient="index", columns=["name", "team"])
    return people.sort_index() if len(people) else pd.DataFrame(columns=["name", "team"])


def _drop_duplicates(forms: list[PersonForm], findings: list[Finding]) -> list[PersonForm]:
    """A person twice in one month for one form: both copies are errors, neither is scored."""
    def key(pf: PersonForm) -> tuple[str, str]:
        month = month_text(pf.reading.identity.get("month"))
        return (month or _majority_month([pf.workbook]), pf.pid)

    counts = Counter(key(pf) for pf in forms)
    for pf in forms:
        if counts[key(pf)] > 1:
            others = [f"{o.workbook.name} · {o.read.sheet}" for o in forms
                      if key(o) == key(pf) and o is not pf]
            cell = next(c.address for c in pf.read.form.identity if c.field == "employee_id")
            findings.append(Finding(pf.workbook.name, pf.read.sheet, cell,
                                    f"工号 {pf.pid} 本月有两份{pf.read.form.title}(另一份在 "
                                    f"{'、'.join(others)})", "每人每月一份", ERROR, pf.pid))
    return [pf for pf in forms if counts[key(pf)] == 1]


# ── scoring ─────────────────────────────────────────────────────────────────────────────────
def _entry_problem(pf_file: str, read: SheetRead, problem: Problem, pid: str,
                   address: str) -> Finding:
    try:
        label = read.form.entry_cell(problem.column).entry.label
    except KeyError:
        label = problem.column
    typed = (f"填了 {describe_value(problem.value)}" if problem.value is not None
             and not (isinstance(problem.value, float) and math.isnan(problem.value)) else "未填写")
    return Finding(pf_file, read.sheet, address, f"{label}{typed}", problem.expected, ERROR, pid)


def _score(scheme: str, forms: list[PersonForm], rules: Rules, findings: list[Finding],
           flagged: dict[str, str]) -> SchemeResult | None:
    """Score the forms (rows by position); entry problems become findings and their forms are
    left unscored. The result is indexed by 工号 (by position when a multi-month validation
    holds the same person more than once)."""
    if scheme not in SCORERS or not forms:
        return None
    broken = {(f.file, f.sheet) for f in findings if f.severity == ERROR}
    bad = {i for i, pf in enumerate(forms) if (pf.workbook.name, pf.read.sheet) in broken}
    frame = pd.DataFrame([pf.reading.entries for pf in forms], dtype=object)
    try:
        SCORERS[scheme](frame, rules)
    except InvalidEntries as exc:
        for problem in exc.problems:
            pf = forms[problem.row]
            address = pf.reading.addresses.get(problem.column, "")
            findings.append(_entry_problem(pf.workbook.name, pf.read, problem, pf.pid, address))
            bad.add(problem.row)
    for i in bad:
        flagged.setdefault(forms[i].pid, f"{forms[i].read.form.title}有未更正的错误,未计分")
    good = [i for i in range(len(forms)) if i not in bad]
    ids = [forms[i].pid for i in good]
    frame = frame.iloc[good]
    frame.index = pd.Index(ids if len(set(ids)) == len(ids) else good, dtype=object)
    return SCORERS[scheme](frame, rules)


def _same(cached: Any, expected: Any) -> bool:
    if isinstance(expected, (float, np.floating)) and math.isnan(expected):
        return cached in (None, "")
    if isinstance(expected, (int, float, np.floating)) and not isinstance(expected, bool):
        return isinstance(cached, (int, float)) and not isinstance(cached, bool) \
            and abs(float(cached) - float(expected)) <= 1e-6
    return str(cached or "") == str(expected or "")


def _cached_mismatches(forms: list[PersonForm], result: SchemeResult) -> list[Finding]:
    """Cached formula results that disagree with the core (a workbook calculated with other
    parameters, an old add-in, or a broken formula). Never-calculated cells (blank) are skipped."""
    findings = []
    scores = result.scores
    by_pid = scores.index.is_unique and all(isinstance(i, str) for i in scores.index)
    for position, pf in enumerate(forms):
        row = pf.pid if by_pid else position
        if row not in scores.index:
            continue
        for cell in pf.read.form.computed:
            if cell.result is None or cell.result not in scores.columns \
                    or cell.address not in pf.read.formulas:
                continue
            cached = pf.read.cells.get(cell.address)
            if cached is None:
                continue
            expected = scores.at[row, cell.result]
            if not _same(cached, expected):
                shown = describe_value(expected) if not (isinstance(expected, float)
                                                         and math.isnan(expected)) else "空白"
                findings.append(Finding(pf.workbook.name, pf.read.sheet, cell.address,
                                        f"{cell.label}显示 {describe_value(cached)},按规则应为 {shown}",
                                        "重新计算工作簿(汇总以规则计算结果为准)", WARNING, pf.pid))
    return findings


def _tables(batch: Batch, tables: list[tuple[WorkbookRead, SheetRead]], findings: list[Finding]) -> None:
    """The survey (S) rows and the department sheet (D)."""
    rules = batch.rules
    responses: list[tuple[WorkbookRead, FormReading]] = []
    department: tuple[WorkbookRead, SheetRead] | None = None
    for wb, read in tables:
        if read.form.scheme == "S":
            responses += [(wb, row) for row in read.rows]
        elif read.form.scheme == "D" and read.reading is not None:
            department = (wb, read)
    counts: dict[str, Any] = {}
    if department is not None:
        counts = _department_entries(batch, *department, findings)
    if not responses and department is None:
        return
    frame = pd.DataFrame([r.entries for _, r in responses], dtype=object)
    good = _survey_rows(batch, responses, frame, findings)
    survey = frame.loc[good] if len(frame) else frame
    try:
        batch.department = department_scorecard(survey, counts, rules) if len(survey) or counts \
            else None
    except InvalidEntries as exc:
        wb, read = department  # type: ignore[misc]
        from xlpy.forms import department_entries

        labels = {e.column: e.label for e in department_entries(rules)}
        for problem in exc.problems:
            findings.append(Finding(wb.name, read.sheet, read.reading.addresses.get(problem.column, ""),
                                    f"{labels.get(problem.column, problem.column)}填了 "
                                    f"{describe_value(problem.value)}", problem.expected))
    if len(survey):
        batch.satisfaction = engineer_satisfaction(survey, rules)
        batch.survey = survey


def _survey_rows(batch: Batch, responses, frame: pd.DataFrame, findings: list[Finding]) -> list[int]:
    from xlpy.core.survey import question_stats

    bad: set[int] = set()
    if not len(frame):
        return []
    try:
        question_stats(frame, batch.rules)
    except InvalidEntries as exc:
        for problem in exc.problems:
            wb, row = responses[problem.row]
            question = batch.rules.survey.questions.get(problem.column, problem.column)
            findings.append(Finding(wb.name, row.sheet, row.addresses.get(problem.column, ""),
                                    f"第 {row.row} 行「{question}」填了 {describe_value(problem.value)}",
                                    problem.expected))
            bad.add(problem.row)
    known = set(batch.people.index)
    for i, (wb, row) in enumerate(responses):
        pid = staff_id(row.entries.get("engineer_id"))
        cell = row.addresses.get("engineer_id", "")
        if not pid:
            findings.append(Finding(wb.name, row.sheet, cell, f"第 {row.row} 行缺少服务工程师工号",
                                    "服务该客户的工程师工号", ERROR))
            bad.add(i)
        elif known and pid not in known:
            findings.append(Finding(wb.name, row.sheet, cell,
                                    f"第 {row.row} 行的工号 {pid} 不在本月名单中",
                                    "名单中的工号", WARNING))
    return [i for i in range(len(frame)) if i not in bad]


def _department_entries(batch: Batch, wb: WorkbookRead, read: SheetRead,
                        findings: list[Finding]) -> dict[str, Any]:
    from xlpy.core.entries import coerce
    from xlpy.forms import department_entries

    entries = department_entries(batch.rules)
    assert read.reading is not None
    frame = pd.DataFrame([read.reading.entries], dtype=object)
    clean, problems = coerce(frame, entries)
    for problem in problems:
        label = next((e.label for e in entries if e.column == problem.column), problem.column)
        findings.append(Finding(wb.name, read.sheet, read.reading.addresses.get(problem.column, ""),
                                f"{label}填了 {describe_value(problem.value)}", problem.expected))
    bad = {p.column for p in problems}
    counts = {}
    for entry in entries:
        if entry.column.startswith("checklist."):
            index = int(entry.column.split(".")[1])
            if entry.column not in bad and read.reading.entries.get(entry.column) is not None:
                batch.checklist[batch.rules.department.checklist[index]] = bool(clean[entry.column][0])
        elif entry.column not in bad and read.reading.entries.get(entry.column) is not None:
            counts[entry.column] = float(clean[entry.column][0])
    return counts
