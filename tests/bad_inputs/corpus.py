"""The bad-input corpus: one workbook per kind of mistake staff (or their computers) make.

``CASES`` lists the kinds and the message, sheet, cell and severity each must produce; it is
known without building anything, so tests can be parametrised by kind at collection time.
``build_corpus(folder)`` writes a valid month workbook for three people, then one file per case,
each derived from it with a single defect. Generated (not committed) so the corpus follows the
templates; only the legacy .xls is a committed fixture (nothing here can write that format)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from forms_helpers import write_roster

from xlpy.demo.data import DemoMonth
from xlpy.demo.fill import fill_month
from xlpy.forms import PARAM_SHEET, all_forms, derived_tables, param_name, param_rows
from xlpy.rules import default_rules
from xlpy.template import generate

HERE = Path(__file__).parent
MONTH = "2026-03"
BOUND = 120  # seconds any one hostile case may take here (each takes ~2 s; the machine is shared)
PEOPLE = [("1001", "张伟", "一班"), ("1002", "李娜", "一班"), ("2001", "黄敏", "二班")]
ROSTER_HEADER = "工号,姓名,班组"
RULES = default_rules()
FORMS = all_forms(RULES)
M = FORMS["M"]

Maker = Callable[[Path, Path], None]  # (the good workbook, the file to write)


XLPY = [str(Path(sys.executable).with_name("xlpy"))]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process (a crash or a hang there cannot take the test run down):
    within :data:`BOUND`, no traceback, one of the documented exit codes."""
    started = time.monotonic()
    done = subprocess.run(
        [*XLPY, *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        cwd=cwd,
        check=False,
        env={**os.environ, "COLUMNS": "1000"},
    )
    assert time.monotonic() - started < BOUND
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-2000:]
    assert done.returncode in (0, 1, 2), (done.returncode, done.stderr[-2000:])
    return done


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rezip(source: Path, target: Path, member: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of the package ``source`` at ``target`` with one member's bytes edited."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item.filename, edit(data) if item.filename == member else data)
    return target


def sheet_of(index: int) -> str:
    pid, name, _ = PEOPLE[index]
    return M.sheet_name(pid, name)


@dataclass(frozen=True)
class Case:
    kind: str
    make: Maker = field(repr=False, compare=False)
    message: str  # a substring of the problem text
    sheet: str = ""  # expected sheet ("" = the whole file)
    cell: str = ""
    severity: str = "error"
    file_name: str = ""  # "" = <kind>.xlsx

    @property
    def name(self) -> str:
        return self.file_name or f"{self.kind}.xlsx"


@dataclass(frozen=True)
class Corpus:
    folder: Path
    base: Path  # the good workbook every case derives from

    def file(self, kind: str) -> Path:
        return self.folder / case_of(kind).name


def _entries() -> DemoMonth:
    demo = DemoMonth(MONTH)
    for pid, _, _ in PEOPLE:
        demo.monthly[pid] = {
            "M01.unreachable": 1,
            "M02.late_days": 0,
            "M09": "较好",
            "M10": "多",
            "M11": "否",
        }
    demo.survey = [
        {
            "engineer_id": PEOPLE[i % 3][0],
            "customer_phone": "13900001111",
            "S1": 5,
            "S2": 4,
            "S3": 4,
            "S4": 5,
            "S5": 4,
        }
        for i in range(4)
    ]
    demo.department = {
        "complaints_received": 3,
        "complaints_resolved": 2,
        "followups_planned": 10,
        "followups_made": 9,
    }
    return demo


def base_workbook(folder: Path) -> Path:
    roster = write_roster(folder / "roster.csv", PEOPLE, ROSTER_HEADER)
    blank = generate(MONTH, folder / "blank.xlsx", roster, schemes=("M",), variant="native")[0]
    good = fill_month(
        blank, folder / "good.xlsx", _entries(), FORMS, [(p, n) for p, n, _ in PEOPLE]
    )
    blank.unlink()
    roster.unlink()
    return good


def _edited(change: Callable[[Any], None]) -> Maker:
    def make(base: Path, target: Path) -> None:
        book = openpyxl.load_workbook(base)
        change(book)
        book.save(target)

    return make


def _cell(sheet: str, address: str, value: Any) -> Maker:
    def change(book: Any) -> None:
        book[sheet][address] = value

    return _edited(change)


def _bytes(content: bytes) -> Maker:
    def make(_: Path, target: Path) -> None:
        target.write_bytes(content)

    return make


def _sheet_member(path: Path, sheet: str) -> str:
    from xlpy.engines import FileWorkbook

    return FileWorkbook(path)._parts[sheet]


def _delete_row(book: Any) -> None:
    book[S1].delete_rows(int(M02_CODE_CELL[1:]))


def _merge(book: Any) -> None:
    book[S0].merge_cells(f"{COUNT_CELL}:{chr(ord(COUNT_CELL[0]) + 1)}{COUNT_CELL[1:]}")


def _rename(book: Any) -> None:
    book[S2].title = "黄敏的表"


def _foreign(book: Any) -> None:
    for name in book.sheetnames[1:]:
        del book[name]
    book[book.sheetnames[0]]["A2"] = "随便什么表"
    book[book.sheetnames[0]]["A1"] = "随便什么表"


def _cached_total_99(base: Path, target: Path) -> None:
    """Another program calculated 99 into the total: the cached result disagrees with the core."""
    pattern = re.compile(
        rb'(<c r="' + TOTAL_CELL.encode() + rb'"[^>]*>\s*<f>.*?</f>)\s*<v\s*/?>'
        rb"(</v>)?"
    )
    rezip(base, target, _sheet_member(base, S0), lambda xml: pattern.sub(rb"\1<v>99</v>", xml, 1))


def _stored(sheet: str, address: str, value: bytes) -> Maker:
    """The cell's stored value written as ``value`` in the sheet's XML (NaN, inf: what no
    spreadsheet program writes, and python-calamine reads as a float)."""
    pattern = re.compile(rb'(<c r="' + address.encode() + rb'"[^>]*>)\s*<v>[^<]*</v>')

    def make(base: Path, target: Path) -> None:
        def edit(xml: bytes) -> bytes:
            edited, found = pattern.subn(rb"\1<v>" + value + rb"</v>", xml, 1)
            assert found == 1
            return edited

        rezip(base, target, _sheet_member(base, sheet), edit)

    return make


def _stored_error(sheet: str, address: str, error: bytes) -> Maker:
    """The cell's cached value an error, as Excel saves one (``t="e"``; its formula kept)."""
    pattern = re.compile(rb'<c r="' + address.encode() + rb'"([^>]*?)(?: t="\w+")?>(.*?)</c>')

    def make(base: Path, target: Path) -> None:
        def edit(xml: bytes) -> bytes:
            def cell(found: re.Match[bytes]) -> bytes:
                formula = re.search(rb"<f>.*?</f>", found.group(2))
                kept = formula.group(0) if formula else b""
                head = b'<c r="' + address.encode() + b'"' + found.group(1) + b' t="e">'
                return head + kept + b"<v>" + error + b"</v></c>"

            edited, count = pattern.subn(cell, xml, 1)
            assert count == 1
            return edited

        rezip(base, target, _sheet_member(base, sheet), edit)

    return make


def _cell_xml(sheet: str, address: str, edit: Callable[[bytes], bytes]) -> Maker:
    """The cell element of ``address`` (``<c r="…" …>…</c>``) replaced by ``edit`` of it."""
    pattern = re.compile(rb'<c r="' + address.encode() + rb'"[^>]*?(?:/>|>.*?</c>)')

    def make(base: Path, target: Path) -> None:
        def change(xml: bytes) -> bytes:
            edited, count = pattern.subn(lambda found: edit(found.group(0)), xml, 1)
            assert count == 1
            return edited

        rezip(base, target, _sheet_member(base, sheet), change)

    return make


def _param_name(reference: bytes | None) -> Maker:
    """The defined name of PARAM_KEY's 值 cell made to refer to ``reference`` (None: deleted),
    as the name manager would leave it."""
    pattern = re.compile(
        rb'(<definedName name="' + param_name(PARAM_KEY).encode() + rb'">)[^<]*</definedName>'
    )

    def edit(xml: bytes) -> bytes:
        def changed(found: re.Match[bytes]) -> bytes:
            return b"" if reference is None else found.group(1) + reference + b"</definedName>"

        edited, count = pattern.subn(changed, xml, 1)
        assert count == 1
        return edited

    def make(base: Path, target: Path) -> None:
        rezip(base, target, "xl/workbook.xml", edit)

    return make


def _sheet_listed_twice(base: Path, target: Path) -> None:
    """The workbook lists a second sheet named S2 (upper-cased: Excel compares names ignoring
    case; this name has no case), on the same part."""

    def edit(xml: bytes) -> bytes:
        tag = re.search(rb'<sheet name="' + S2.encode() + rb'"[^>]*/>', xml)
        assert tag is not None
        again = (
            tag.group(0)
            .replace(b'sheetId="', b'sheetId="9')
            .replace(S2.encode(), S2.upper().encode())
        )
        return xml.replace(tag.group(0), tag.group(0) + again, 1)

    rezip(base, target, "xl/workbook.xml", edit)


def _truncated(base: Path, target: Path) -> None:
    good = base.read_bytes()
    target.write_bytes(good[: len(good) // 3])


def _legacy(_: Path, target: Path) -> None:
    shutil.copy(HERE / "legacy-excel97.xls", target)


def _encrypted(base: Path, target: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    with base.open("rb") as handle:
        OOXMLFile(handle).encrypt("密码", encrypted)
    target.write_bytes(encrypted.getvalue())


S0, S1, S2 = sheet_of(0), sheet_of(1), sheet_of(2)
COUNT_CELL = M.entry_cell("M01.unreachable").address
BEST_MIN = derived_tables(RULES)[0].cells[0][2]  # 等级表 (F:G of 参数): 优秀's 下限
RATING_CELL = M.entry_cell("M09").address
VETO_CELL = M.entry_cell("M11").address
TOTAL_CELL = M.computed_cell("total").address
SCORE_CELL = M.computed_cell("M05").address
M02_CODE_CELL = next(t.address for t in M.texts if t.text.strip() == "M02")  # B6
IDENT = {c.field: c.address for c in M.identity}
SURVEY = FORMS["S"].sheet_name()
SURVEY_ROW = FORMS["S"].table.first_row
SURVEY_LETTERS = {c.entry.column: c.letter for c in FORMS["S"].table.columns if c.entry is not None}
S1_CELL = f"{SURVEY_LETTERS['S1']}{SURVEY_ROW}"
ENGINEER_CELL = f"{SURVEY_LETTERS['engineer_id']}{SURVEY_ROW}"
PARAM_KEY = "monthly.items.M05.full"
PARAM_CELL = f"C{next(r.row for r in param_rows(RULES) if r.key == PARAM_KEY)}"  # C: 值
DEPARTMENT = FORMS["D"].sheet_name()
RESOLVED_CELL = FORMS["D"].entry_cell("complaints_resolved").address

CASES: tuple[Case, ...] = (
    Case("text-in-count", _cell(S0, COUNT_CELL, "两次"), "填了 “两次”", S0, COUNT_CELL),
    Case(  # a band typed over the 等级表 the add-in's GRADE_LEVEL reads through prm_table_grade
        "grade-table-value-typed",
        _cell(PARAM_SHEET, BEST_MIN, 80),
        "等级表中的这一格是固定值 80",
        PARAM_SHEET,
        BEST_MIN,
    ),
    # TRUE in one count while the others hold 1: Python takes True for 1 (same hash)
    Case("logical-in-count", _cell(S0, COUNT_CELL, True), "逻辑值,不是数字", S0, COUNT_CELL),
    Case("negative-count", _cell(S0, COUNT_CELL, -1), "填了 -1", S0, COUNT_CELL),
    Case("nan-count", _stored(S0, COUNT_CELL, b"NaN"), "值是 NaN,不是数字", S0, COUNT_CELL),
    Case("infinite-count", _stored(S1, COUNT_CELL, b"1e400"), "值是 无穷大", S1, COUNT_CELL),
    Case(  # Excel 365's newer errors: python-calamine refuses a sheet holding one
        "excel365-error-in-count",
        _stored_error(S0, COUNT_CELL, b"#SPILL!"),
        "此单元格显示错误值 #SPILL!",
        S0,
        COUNT_CELL,
    ),
    Case(  # an add-in function still calculating when the file was saved
        "busy-total",
        _stored_error(S1, TOTAL_CELL, b"#BUSY!"),
        "显示 “#BUSY!”",
        S1,
        TOTAL_CELL,
        "warning",
    ),
    Case(  # calamine keeps the second, Excel repairs the file: refused, not guessed
        "cell-given-twice",
        _cell_xml(S1, COUNT_CELL, lambda cell: cell + re.sub(rb"<v>[^<]*</v>", b"<v>9</v>", cell)),
        f"单元格 {COUNT_CELL} 出现了两次",
        S1,
        COUNT_CELL,
    ),
    Case(  # r is optional in OOXML; the XML scans for errors and formulas go by it
        "error-cell-without-address",
        _cell_xml(S2, COUNT_CELL, lambda _: b'<c s="9" t="e"><v>#DIV/0!</v></c>'),
        "有填了内容却没有写明地址的单元格",
        S2,
    ),
    Case("fractional-count", _cell(S1, COUNT_CELL, 1.5), "联系不上填了 1.5", S1, COUNT_CELL),
    Case("rating-outside-list", _cell(S0, RATING_CELL, "很好"), "填了 “很好”", S0, RATING_CELL),
    Case(
        "blank-rating",
        _cell(S1, RATING_CELL, None),
        "未填写,总分因此空缺",
        S1,
        RATING_CELL,
        "warning",
    ),
    Case("veto-not-yes-no", _cell(S2, VETO_CELL, "可能"), "填了 “可能”", S2, VETO_CELL),
    Case("missing-id", _cell(S0, IDENT["employee_id"], None), "缺少工号", S0, IDENT["employee_id"]),
    Case("missing-name", _cell(S1, IDENT["name"], None), "缺少姓名", S1, IDENT["name"]),
    Case("missing-month", _cell(S1, IDENT["month"], None), "缺少月份", S1, IDENT["month"]),
    Case(
        "month-of-another-sheet",
        _cell(S2, IDENT["month"], "2026-02"),
        "与本工作簿其他表",
        S2,
        IDENT["month"],
    ),
    Case(
        "same-person-twice",
        _cell(S1, IDENT["employee_id"], "1001"),
        "本月有两份",
        S0,
        IDENT["employee_id"],
    ),
    Case(
        "person-not-in-roster",
        _cell(S2, IDENT["employee_id"], "9999"),
        "不在「人员」名单中",
        S2,
        IDENT["employee_id"],
    ),
    Case("number-over-formula", _cell(S0, SCORE_CELL, 10), "公式被改成了固定值 10", S0, SCORE_CELL),
    Case(
        "deleted-row",
        _edited(_delete_row),
        "表格结构被改动:售后服务人员月考核表中找不到 「M02」",
        S1,
        M02_CODE_CELL,
    ),
    Case("merged-entry-cell", _edited(_merge), "被合并", S0, COUNT_CELL),
    Case("renamed-sheet", _edited(_rename), "工作表名称与表内工号", "黄敏的表", "", "warning"),
    Case(
        "survey-score-out-of-range",
        _cell(SURVEY, S1_CELL, 6),
        "「S1 问题解决的及时性」的内容无效",
        SURVEY,
        S1_CELL,
    ),
    Case(
        "survey-without-engineer",
        _cell(SURVEY, ENGINEER_CELL, None),
        "缺少服务工程师工号",
        SURVEY,
        ENGINEER_CELL,
    ),
    Case(
        "department-resolved-over-received",
        _cell(DEPARTMENT, RESOLVED_CELL, 5),
        "投诉处理·已解决填了 5",
        DEPARTMENT,
        RESOLVED_CELL,
    ),
    Case(
        "parameter-not-a-number",
        _cell(PARAM_SHEET, PARAM_CELL, "十分"),
        f"参数 {PARAM_KEY} 填了 “十分”(不是数字)",  # text: the sheet's formulas see no number
        PARAM_SHEET,
        PARAM_CELL,
    ),
    Case(  # the sheet's formulas read 参数 through defined names, xlpy by the row's key
        "parameter-name-to-a-constant",
        _param_name(b"99"),
        f"定义名称 {param_name(PARAM_KEY)} 指向 “99”",
        PARAM_SHEET,
        PARAM_CELL,
    ),
    Case(
        "parameter-name-deleted",
        _param_name(None),
        f"工作簿中没有定义名称 {param_name(PARAM_KEY)}",
        PARAM_SHEET,
        PARAM_CELL,
    ),
    Case("no-form-in-workbook", _edited(_foreign), "没有找到考核表", "", "", "warning"),
    Case("cached-value-disagrees", _cached_total_99, "显示 99", S0, TOTAL_CELL, "warning"),
    # Broken files.
    Case("sheet-listed-twice", _sheet_listed_twice, "工作簿中有两个工作表都叫"),
    Case("truncated-zip", _truncated, "文件已损坏"),
    Case("empty-file", _bytes(b""), "文件为空"),
    Case("legacy-xls", _legacy, "旧版 Excel 97-2003", file_name="legacy-excel97.xls"),
    Case(
        "not-xlsx",
        _bytes("工号,姓名\n1001,张伟\n".encode()),
        "不是 Excel 工作簿",
        file_name="csv-renamed.xlsx",
    ),
    Case(
        "html-renamed",
        _bytes(b"<html><table><tr><td>1</td></tr></table></html>"),
        "网页",
        file_name="web-page.xls",
    ),
    Case("encrypted", _encrypted, "已加密"),
    Case("huge-sheet", _cell(S1, "XFD1048576", "x"), "工作表过大", S1, "XFD1048576"),
)
KINDS = tuple(c.kind for c in CASES)
_BY_KIND = {c.kind: c for c in CASES}


def case_of(kind: str) -> Case:
    return _BY_KIND[kind]


def build_corpus(folder: Path) -> Corpus:
    """The good workbook and every case's file, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder, base_workbook(folder))
    for each in CASES:
        each.make(corpus.base, folder / each.name)
    return corpus
