"""The bad-input corpus: one workbook per kind of mistake staff (or their computers) make.

``build(folder)`` writes a valid month workbook for three people, then one file per kind, each
derived from it with a single defect, and returns the cases with the message each must produce.
Generated (not committed) so the corpus follows the templates; only the legacy .xls is a
committed fixture (nothing here can write that format)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from xlpy.demo.data import DemoMonth
from xlpy.demo.fill import fill_month
from xlpy.forms import all_forms
from xlpy.rules import default_rules
from xlpy.template import generate

HERE = Path(__file__).parent
MONTH = "2026-03"
PEOPLE = [("1001", "张伟", "一班"), ("1002", "李娜", "一班"), ("2001", "黄敏", "二班")]
FORMS = all_forms(default_rules())
M = FORMS["M"]


def sheet_of(index: int) -> str:
    pid, name, _ = PEOPLE[index]
    return M.sheet_name(pid, name)


@dataclass(frozen=True)
class Case:
    kind: str
    file: Path
    message: str  # a substring of the problem text
    sheet: str = ""  # expected sheet ("" = the whole file)
    cell: str = ""
    severity: str = "error"


def _entries() -> DemoMonth:
    demo = DemoMonth(MONTH)
    for pid, _, _ in PEOPLE:
        demo.monthly[pid] = {"M01.unreachable": 1, "M02.late_days": 0, "M09": "较好", "M10": "多",
                             "M11": "否"}
    demo.survey = [{"engineer_id": PEOPLE[i % 3][0], "customer_phone": "13900001111",
                    "S1": 5, "S2": 4, "S3": 4, "S4": 5, "S5": 4} for i in range(4)]
    demo.department = {"complaints_received": 3, "complaints_resolved": 2,
                       "followups_planned": 10, "followups_made": 9}
    return demo


def base_workbook(folder: Path) -> Path:
    roster = folder / "roster.csv"
    roster.write_text("工号,姓名,班组\n" + "".join(f"{p},{n},{t}\n" for p, n, t in PEOPLE),
                      encoding="utf-8")
    blank = generate(MONTH, folder / "blank.xlsx", roster, schemes=("M",), variant="native")[0]
    good = fill_month(blank, folder / "good.xlsx", _entries(), FORMS,
                      [(p, n) for p, n, _ in PEOPLE])
    blank.unlink()
    roster.unlink()
    return good


def _edit(base: Path, target: Path, change: Callable[[Any], None]) -> Path:
    book = openpyxl.load_workbook(base)
    change(book)
    book.save(target)
    return target


def _cell(sheet: str, address: str, value: Any) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        book[sheet][address] = value
    return change


def _zip_edit(base: Path, target: Path, member: str, edit: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item, edit(data) if item.filename == member else data)
    return target


def _sheet_member(path: Path, sheet: str) -> str:
    from xlpy.engines import FileWorkbook

    return FileWorkbook(path)._parts[sheet]


def build(folder: Path) -> tuple[Path, list[Case]]:
    folder.mkdir(parents=True, exist_ok=True)
    base = base_workbook(folder)
    s0, s1, s2 = sheet_of(0), sheet_of(1), sheet_of(2)
    count_cell = M.entry_cell("M01.unreachable").address
    rating_cell = M.entry_cell("M09").address
    veto_cell = M.entry_cell("M11").address
    ident = {c.field: c.address for c in M.identity}
    score_cell = M.computed_cell("M05").address
    survey, department = FORMS["S"], FORMS["D"]
    s_row = survey.table.first_row
    cases: list[Case] = []

    def add(kind: str, change: Callable[[Any], None], message: str, sheet: str = "",
            cell: str = "", severity: str = "error") -> None:
        path = _edit(base, folder / f"{kind}.xlsx", change)
        cases.append(Case(kind, path, message, sheet, cell, severity))

    add("text-in-count", _cell(s0, count_cell, "两次"), "填了 “两次”", s0, count_cell)
    add("negative-count", _cell(s0, count_cell, -1), "填了 -1", s0, count_cell)
    add("fractional-count", _cell(s1, count_cell, 1.5), "填了 “1.5”", s1, count_cell)
    add("rating-outside-list", _cell(s0, rating_cell, "很好"), "填了 “很好”", s0, rating_cell)
    add("blank-rating", _cell(s1, rating_cell, None), "未填写,总分因此空缺", s1, rating_cell,
        "warning")
    add("veto-not-yes-no", _cell(s2, veto_cell, "可能"), "填了 “可能”", s2, veto_cell)
    add("missing-id", _cell(s0, ident["employee_id"], None), "缺少工号", s0, ident["employee_id"])
    add("missing-name", _cell(s1, ident["name"], None), "缺少姓名", s1, ident["name"])
    add("missing-month", _cell(s1, ident["month"], None), "缺少月份", s1, ident["month"])
    add("month-of-another-sheet", _cell(s2, ident["month"], "2026-02"), "与本工作簿其他表",
        s2, ident["month"])
    add("same-person-twice", _cell(s1, ident["employee_id"], "1001"), "本月有两份", s0,
        ident["employee_id"])
    add("person-not-in-roster", _cell(s2, ident["employee_id"], "9999"), "不在「人员」名单中", s2,
        ident["employee_id"])
    add("number-over-formula", _cell(s0, score_cell, 10), "公式被改成了固定值 10", s0, score_cell)

    def delete_row(book: Any) -> None:
        book[s1].delete_rows(6)
    add("deleted-row", delete_row, "表格结构被改动", s1)

    def merge(book: Any) -> None:
        book[s0].merge_cells(f"{count_cell}:{chr(ord(count_cell[0]) + 1)}{count_cell[1:]}")
    add("merged-entry-cell", merge, "被合并", s0, count_cell)

    def rename(book: Any) -> None:
        book[s2].title = "黄敏的表"
    add("renamed-sheet", rename, "工作表名称与表内工号", "黄敏的表", "", "warning")

    letters = {c.entry.column: c.letter for c in survey.table.columns if c.entry is not None}
    add("survey-score-out-of-range", _cell(survey.sheet_name(), f"{letters['S1']}{s_row}", 6),
        "「问题解决的及时性」填了 6", survey.sheet_name(), f"{letters['S1']}{s_row}")
    add("survey-without-engineer", _cell(survey.sheet_name(), f"{letters['engineer_id']}{s_row}",
                                         None), "缺少服务工程师工号", survey.sheet_name(),
        f"{letters['engineer_id']}{s_row}")
    resolved = department.entry_cell("complaints_resolved").address
    add("department-resolved-over-received", _cell(department.sheet_name(), resolved, 5),
        "投诉处理·已解决填了 5", department.sheet_name(), resolved)

    def bad_param(book: Any) -> None:
        sheet = book["参数"]
        for row in sheet.iter_rows(min_row=4):
            if row[0].value == "monthly.items.M05.full":
                row[2].value = "十分"
    add("parameter-not-a-number", bad_param, "monthly.items.M05.full", "参数")

    def foreign(book: Any) -> None:
        for name in book.sheetnames[1:]:
            del book[name]
        book[book.sheetnames[0]]["A2"] = "随便什么表"
        book[book.sheetnames[0]]["A1"] = "随便什么表"
    add("no-form-in-workbook", foreign, "没有找到考核表", "", "", "warning")

    # Cached result that disagrees with the core: another program calculated 99 into the total.
    member = _sheet_member(base, s0)
    total = M.computed_cell("total").address
    pattern = re.compile(rb'(<c r="' + total.encode() + rb'"[^>]*>\s*<f>.*?</f>)\s*<v\s*/?>(</v>)?')
    _zip_edit(base, folder / "cached-value-disagrees.xlsx", member,
              lambda xml: pattern.sub(rb"\1<v>99</v>", xml, count=1))
    cases.append(Case("cached-value-disagrees", folder / "cached-value-disagrees.xlsx",
                      "显示 99", s0, total, "warning"))

    # Broken files.
    good = base.read_bytes()
    (folder / "truncated-zip.xlsx").write_bytes(good[: len(good) // 3])
    cases.append(Case("truncated-zip", folder / "truncated-zip.xlsx", "文件已损坏"))
    (folder / "empty-file.xlsx").write_bytes(b"")
    cases.append(Case("empty-file", folder / "empty-file.xlsx", "文件为空"))
    shutil.copy(HERE / "legacy-excel97.xls", folder / "legacy-excel97.xls")
    cases.append(Case("legacy-xls", folder / "legacy-excel97.xls", "旧版 Excel 97-2003"))
    (folder / "csv-renamed.xlsx").write_text("工号,姓名\n1001,张伟\n", encoding="utf-8")
    cases.append(Case("not-xlsx", folder / "csv-renamed.xlsx", "不是 Excel 工作簿"))
    (folder / "web-page.xls").write_text("<html><table><tr><td>1</td></tr></table></html>")
    cases.append(Case("html-renamed", folder / "web-page.xls", "网页"))
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    with base.open("rb") as handle:
        OOXMLFile(handle).encrypt("密码", encrypted)
    (folder / "encrypted.xlsx").write_bytes(encrypted.getvalue())
    cases.append(Case("encrypted", folder / "encrypted.xlsx", "已加密"))
    add("huge-sheet", _cell(s1, "XFD1048576", "x"), "工作表过大", s1, "XFD1048576")
    return base, cases
