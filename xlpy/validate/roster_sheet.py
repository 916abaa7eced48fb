"""The 人员 sheet of a workbook, read by its header row: who is on the list (each person by the
text the cells show), where each 工号 stands, and what is wrong with a row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlpy.forms.roster import WORDS, find_header, repeated_columns
from xlpy.shared.addresses import a1
from xlpy.shared.findings import Finding
from xlpy.validate import checks
from xlpy.words import same_id_note


@dataclass
class RosterSheet:
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # 工号 -> (姓名, 班组)
    cells: dict[str, str] = field(default_factory=dict)  # 工号 -> its cell
    findings: list[Finding] = field(default_factory=list)


def read_roster(grid: list[list[Any]], file: str, sheet: str) -> RosterSheet | None:
    """The roster under the sheet's header row (None: the sheet has none). A cell holding
    invisible characters is an error on it (the sheet's own lookups would miss it); so are a
    工号 listed twice, in any case, and a row with a name or team but no 工号 (the sheet's
    lookups find the first row only, and the person would vanish from the month)."""
    header = find_header(grid)
    if header is None:
        return None
    top, at = header
    found = RosterSheet()
    for word, (first, second, *_) in repeated_columns(grid[top]).items():
        problem = f"表头中「{word}」出现不止一次,按第一列({a1(top, first)})读取"
        found.findings.append(Finding(file, sheet, a1(top, second), problem, "每个列名只写一次"))
    listed: dict[str, str] = {}  # 工号 without regard to case -> as first listed
    for row, line in enumerate(grid[top + 1 :], start=top + 1):
        entry = {name: line[i] if i < len(line) else None for name, i in at.items()}
        for name, column in at.items():
            problem = checks.hidden_characters_problem(entry[name], WORDS[name])
            if problem is not None:
                found.findings.append(Finding(file, sheet, a1(row, column), *problem))
        pid = checks.identity_text(entry.get("employee_id"))
        name, team = (checks.identity_text(entry.get(k)) for k in ("name", "team"))
        cell = a1(row, at["employee_id"])
        if not pid and (name or team):
            found.findings.append(
                Finding(file, sheet, cell, "此行有姓名或班组,但工号为空", "此人的工号")
            )
        elif pid.casefold() in listed:
            first = listed[pid.casefold()]
            found.findings.append(
                Finding(
                    file,
                    sheet,
                    cell,
                    f"工号 {pid} 在名单中重复(与 {found.cells[first]} {same_id_note(first, pid)})",
                    "每个工号只列一行",
                )
            )
        elif pid:
            found.people[pid] = (name, team)
            listed[pid.casefold()] = pid
            found.cells[pid] = cell
    return found
