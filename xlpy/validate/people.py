"""People and months across a batch: whose form is whose, which month each workbook holds,
who is on the roster, and forms handed in twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from xlpy.core.registry import ranking_scheme
from xlpy.forms import Form
from xlpy.forms.reader import placed
from xlpy.forms.roster import REQUIRED, ROSTER_SHEET, WORDS
from xlpy.shared.findings import ERROR, WARNING, Finding
from xlpy.validate.checks import identity_text
from xlpy.validate.reading import FormRead, WorkbookRead
from xlpy.words import MISSING_FORM, is_month, month_text

NO_ROSTER = (
    f"本批文件中没有找到人员表(表头含 {' / '.join(REQUIRED)} 的工作表):无法核对名单,"
    "名单上有而没交表的人不会列为缺表"
)
NO_ROSTER_FIX = f"一并校验含「{ROSTER_SHEET}」表的月度工作簿(或保留模板中的「{ROSTER_SHEET}」表)"


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
        """Where the field was read: the department's own cell for an adopted workbook (its
        reader records identity cells among the addresses), else the form's."""
        own = self.read.addresses.get(field_name)
        return own or next((c.address for c in self.form.identity if c.field == field_name), "")


def months(workbook: WorkbookRead) -> Counter:
    return Counter(
        month_text(read.identity.get("month"))
        for read in workbook.forms
        if identity_text(read.identity.get("month"))
    )


def majority(workbook: WorkbookRead) -> str:
    counted = months(workbook)
    return counted.most_common(1)[0][0] if counted else ""


def this_month(
    workbooks: list[WorkbookRead], month: str
) -> tuple[list[WorkbookRead], list[Finding]]:
    """A folder may hold several months: workbooks whose forms are (mostly) of another month are
    left out with a warning; their people then show as 缺表 if they have no form this month."""
    kept, findings = [], []
    for workbook in workbooks:
        main = majority(workbook)
        if main and main != month and is_month(main):
            findings.append(
                Finding(
                    workbook.name,
                    "",
                    "",
                    f"这是 {main} 的考核表,不属于 {month},已跳过",
                    f"{month} 的考核表",
                    WARNING,
                )
            )
            continue
        kept.append(workbook)
    return kept, findings


def month_problems(by_scheme: dict[str, list[PersonForm]]) -> list[Finding]:
    """A sheet whose 月份 differs from the rest of its workbook (copied from another month)."""
    findings = []
    for person_forms in by_scheme.values():
        for pf in person_forms:
            value = pf.read.identity.get("month")
            if not pf.cell("month") or value is None or not is_month(month_text(value)):
                continue
            expected = majority(pf.workbook)
            if month_text(value) != expected:
                findings.append(
                    Finding(
                        pf.workbook.name,
                        pf.read.sheet,
                        pf.cell("month"),
                        f"月份 {month_text(value)} 与本工作簿其他表({expected})不符",
                        expected,
                        ERROR,
                        pf.pid,
                    )
                )
    return findings


def people(
    workbooks: list[WorkbookRead], by_scheme: dict[str, list[PersonForm]], findings: list[Finding]
) -> pd.DataFrame:
    """Everyone on the 人员 sheets of the batch (a per-person file lists only its person), in
    roster order; without any 人员 sheet, everyone who handed in a form, by 工号."""
    roster: dict[str, tuple[str, str]] | None = None
    for wb in workbooks:
        if wb.roster is not None:
            roster = roster or {}
            for pid, record in wb.roster.items():
                roster.setdefault(pid, record)
    seen: dict[str, tuple[str, str]] = {}
    by_case = {pid.casefold(): pid for pid in reversed(roster or {})}  # the first listed wins
    for person_forms in by_scheme.values():
        for pf in person_forms:
            name = identity_text(pf.read.identity.get("name"))
            seen.setdefault(pf.pid, (name, identity_text(pf.read.identity.get("team"))))
            if roster is None:
                continue
            if pf.pid not in roster:
                listed = by_case.get(pf.pid.casefold())  # the sheet's lookups would find it
                findings.append(
                    Finding(
                        pf.workbook.name,
                        pf.read.sheet,
                        pf.cell("employee_id"),
                        f"工号 {pf.pid} 不在「{ROSTER_SHEET}」名单中"
                        + (f"(名单中有 {listed},大小写不同)" if listed else ""),
                        listed or "名单中的工号(或先把此人加入名单)",
                        ERROR,
                        pf.pid,
                    )
                )
            else:
                findings += _unlike_roster(pf, roster[pf.pid])
    if roster is None and seen:  # one line for the batch, as for a missing 参数 table
        first = next(pf for forms in by_scheme.values() for pf in forms)
        findings.append(Finding(first.workbook.name, "", "", NO_ROSTER, NO_ROSTER_FIX, WARNING))
    if roster is not None:
        findings += _missing_forms(roster, workbooks, by_scheme)
    source = roster if roster is not None else dict(sorted(seen.items()))
    if not source:
        return pd.DataFrame(columns=["name", "team"])
    return pd.DataFrame.from_dict(source, orient="index", columns=["name", "team"])


def _unlike_roster(pf: PersonForm, listed: tuple[str, str]) -> list[Finding]:
    """The form's 姓名 and 班组 where they differ from the 人员 list's (the summary shows the
    list's), each a warning on its cell."""
    findings = []
    for part, on_list in zip(("name", "team"), listed, strict=True):
        typed = identity_text(pf.read.identity.get(part))
        if typed and on_list and typed != on_list:
            word = WORDS[part]
            findings.append(
                Finding(
                    pf.workbook.name,
                    pf.read.sheet,
                    pf.cell(part),
                    f"{word}「{typed}」与名单中工号 {pf.pid} 的{word}不符(汇总按名单)",
                    on_list,
                    WARNING,
                    pf.pid,
                )
            )
    return findings


def _missing_forms(
    roster: dict[str, tuple[str, str]],
    workbooks: list[WorkbookRead],
    by_scheme: dict[str, list[PersonForm]],
) -> list[Finding]:
    """Everyone on the 人员 list without a form of the ranking scheme in the batch (a sheet
    deleted, a file not handed in): the summary lists them as 缺表, and validate says so first.
    A per-person file lists only its own person, so a batch of such files warns of nobody. Each
    warning is on the person's row of the first 人员 sheet that lists them."""
    scheme = ranking_scheme([s for s, forms in by_scheme.items() if forms])
    if scheme is None:
        return []
    handed_in = {pf.pid for pf in by_scheme[scheme]}
    title = by_scheme[scheme][0].form.title
    findings = []
    for pid, (name, _) in roster.items():
        if pid in handed_in:
            continue
        wb = next(wb for wb in workbooks if pid in (wb.roster or ()))
        findings.append(
            Finding(
                wb.name,
                wb.roster_sheet,
                wb.roster_cells[pid],
                f"名单上的 {pid} {name} 本批文件中没有{title},汇总中将列为{MISSING_FORM}",
                f"交来此人的{title}(或确认此人本月不考核)",
                WARNING,
                pid,
            )
        )
    return findings


def drop_duplicates(person_forms: list[PersonForm], findings: list[Finding]) -> list[PersonForm]:
    """A person twice in one month for one form: every copy is an error, none is scored."""

    def key(pf: PersonForm) -> tuple[str, str]:
        return (month_text(pf.read.identity.get("month")) or majority(pf.workbook), pf.pid)

    counts = Counter(key(pf) for pf in person_forms)
    for pf in person_forms:
        if counts[key(pf)] > 1:
            others = [
                f"{o.workbook.name} · {o.read.sheet}"
                for o in person_forms
                if key(o) == key(pf) and o is not pf
            ]
            findings.append(
                Finding(
                    pf.workbook.name,
                    pf.read.sheet,
                    pf.cell("employee_id"),
                    f"工号 {pf.pid} 本月有两份{pf.form.title}(另一份在 {'、'.join(others)})",
                    "每人每月一份",
                    ERROR,
                    pf.pid,
                )
            )
    return [pf for pf in person_forms if counts[key(pf)] == 1]


def months_found(workbooks: list[WorkbookRead]) -> str:
    """Every month the batch's forms name, sorted, joined with 、 (a multi-month validation)."""
    seen: Counter = Counter()
    for workbook in workbooks:
        seen.update(months(workbook))
    return "、".join(sorted(m for m in seen if m))


def sort_forms(
    workbooks: list[WorkbookRead],
    forms: dict[str, Form],
    findings: list[Finding],
    flagged: dict[str, str],
) -> tuple[dict[str, list[PersonForm]], list[tuple[WorkbookRead, FormRead]]]:
    """Per-person forms by scheme (those with a 工号) and the table sheets. A form whose layout
    was changed is left out, its person flagged; a readable workbook with no form is named."""
    by_scheme: dict[str, list[PersonForm]] = {}
    tables: list[tuple[WorkbookRead, FormRead]] = []
    for wb in workbooks:
        if wb.readable and not wb.forms and not any(f.severity == ERROR for f in wb.findings):
            findings.append(
                Finding(
                    wb.name,
                    "",
                    "",
                    "没有找到考核表(第 2 行应有「表号」)",
                    "由 xlpy 模板生成的考核工作簿",
                    WARNING,
                )
            )
        for read in wb.forms:
            form = placed(forms[read.scheme], read.shift)  # at the cells it was found at
            pid = identity_text(read.identity.get("employee_id"))
            if not read.intact:
                if pid:
                    flagged.setdefault(pid, f"{form.title}表格结构被改动,未计分")
                continue
            if not form.per_person:
                tables.append((wb, read))
            elif pid:
                by_scheme.setdefault(read.scheme, []).append(PersonForm(wb, read, form, pid))
    return by_scheme, tables
