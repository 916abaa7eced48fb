"""The roster (人员): who gets forms. Read from CSV or xlsx, checked row by row before anything
is written, so a bad row stops the job with a message naming it and leaves no file behind."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from xlpy.errors import XlpyError
from xlpy.forms import Form, sheet_name_problem

COLUMNS = {"工号": "employee_id", "姓名": "name", "班组": "team", "主管": "supervisor",
           "岗位": "position"}
REQUIRED = ("工号", "姓名")


@dataclass(frozen=True)
class Person:
    employee_id: str
    name: str
    team: str = ""
    supervisor: str = ""
    position: str = ""


def sample_roster_path() -> Path:
    return Path(str(resources.files("xlpy.samples").joinpath("roster.csv")))


def load_roster(path: str | Path | None, forms: list[Form]) -> list[Person]:
    """People of the roster file (the built-in sample when ``path`` is None), checked against
    the sheet names ``forms`` will give them. Raises XlpyError listing every bad row."""
    source = Path(path) if path is not None else sample_roster_path()
    shown = source.name if path is None else str(path)
    rows = _read_rows(source, shown)
    header, body = rows[0], rows[1:]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise XlpyError(f"人员名单 {shown}: 缺少列 {'、'.join(missing)}(第 1 行应为表头:"
                        f"{','.join(COLUMNS)})")
    index = {COLUMNS[c]: header.index(c) for c in COLUMNS if c in header}
    people: list[Person] = []
    problems: list[str] = []
    first_row_of: dict[str, int] = {}
    for number, values in enumerate(body, start=2):
        if not any(v.strip() for v in values):
            continue
        fields = {key: (values[i].strip() if i < len(values) else "") for key, i in index.items()}
        person = Person(**fields)
        where = f"人员名单 {shown} 第 {number} 行"
        if not person.employee_id:
            problems.append(f"{where}: 工号为空")
        elif person.employee_id in first_row_of:
            problems.append(f"{where}: 工号 {person.employee_id} 重复"
                            f"(与第 {first_row_of[person.employee_id]} 行相同)")
        else:
            first_row_of[person.employee_id] = number
        if not person.name:
            problems.append(f"{where}: 姓名为空")
        if person.employee_id and person.name:
            for form in forms:
                problem = sheet_name_problem(form.sheet_name(person.employee_id, person.name))
                if problem:
                    problems.append(f"{where}({person.name}): {problem},请缩短或改正姓名/工号")
                    break
        people.append(person)
    if problems:
        raise XlpyError("人员名单有误,未生成任何文件:\n" + "\n".join(problems))
    if not people:
        raise XlpyError(f"人员名单 {shown} 没有人员")
    return people


def _read_rows(source: Path, shown: str) -> list[list[str]]:
    try:
        if source.suffix.lower() in (".xlsx", ".xlsm"):
            return _xlsx_rows(source)
        with source.open(encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.reader(handle)]
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as exc:
        raise XlpyError(f"无法读取人员名单 {shown}: {exc}") from None
    if not rows:
        raise XlpyError(f"人员名单 {shown} 是空文件")
    return [[cell.strip() for cell in row] for row in rows]


def _xlsx_rows(source: Path) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0)
    return [[_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()
