"""``xlpy feedback``: the demo quarter's last month, one slip per person, printed by LibreOffice.

The demo's survey holds customer names, phone numbers and e-mail addresses (planted by its
data); none may reach a slip. Every number on a slip must be the summary's own value."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import zipfile

import pytest

from xlpy.demo.data import MONTHS, build
from xlpy.engines import FileWorkbook
from xlpy.feedback import run_feedback
from xlpy.period import parse_period, run_period
from xlpy.period.reading import read_monthly
from xlpy.template import load_roster

LAST = MONTHS[-1]


@pytest.fixture(scope="module")
def demo(demo_quarter):
    return demo_quarter.run, demo_quarter.output


@pytest.fixture(scope="module")
def slips(demo, tmp_path_factory):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler (pdftotext) are needed")
    run, _ = demo
    return run, run_feedback(run.summaries[LAST], tmp_path_factory.mktemp("slips"), pdf=True)


def _pdf_text(path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _pairs(grid) -> dict[str, object]:
    """Label -> value of the slip's label/value cells (A:B, C:D, E:F) above the item tables."""
    pairs = {}
    for row in grid[3:12]:
        for c in (0, 2, 4):
            if c + 1 < len(row) and isinstance(row[c], str) and row[c]:
                pairs[row[c]] = row[c + 1]
    return pairs


def _items(grid) -> dict[str, tuple[object, object, object]]:
    """项目 -> (满分, 得分, 计算明细) of the item tables."""
    items, inside = {}, False
    for row in grid:
        if row[:3] == ["项目", "满分", "得分"]:
            inside = True
        elif inside and row and isinstance(row[0], str) and row[0] and row[1] is not None:
            items[row[0]] = (row[1], row[2], row[3])
        elif inside:
            inside = False
    return items


def _same(got, want) -> bool:
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got is None or got == ""
    return got == want


def test_one_page_per_person(slips):
    _, outcome = slips
    everyone, *personal = outcome.pdfs
    assert _pages(everyone) == len(outcome.slips) == 12
    assert len(personal) == 12 and all(_pages(p) == 1 for p in personal)
    assert len(FileWorkbook(outcome.workbook).sheet_names()) == 12


def test_every_number_is_the_summary_s(slips):
    run, outcome = slips
    summary = read_monthly(run.summaries[LAST])
    book = FileWorkbook(outcome.workbook)
    checked = 0
    for sheet in book.sheet_names():
        pid = sheet.split()[0]
        row = summary.table.loc[pid]
        grid = book.values(sheet)
        pairs = _pairs(grid)
        for label in (
            "总分",
            "百分制",
            "等级",
            "绩效系数",
            "部门排名",
            "班组排名",
            "客户满意度",
            "评价份数",
        ):
            assert _same(pairs[label], row[label]), (sheet, label, pairs[label], row[label])
            checked += 1
        for label in ("总分", "等级", "绩效系数"):
            assert _same(pairs[f"KPI{label}"], row[f"KPI考核·{label}"]), (sheet, label)
        items = _items(grid)
        for code in (
            "M01 通讯畅通",
            "M05 配件管理",
            "M10 信息收集",
            "M11 职业道德",
            "日常管理",
            "品德",
        ):
            assert _same(items[code][1], row[code]), (sheet, code)
        for code in ("K1 客户信息管理", "K5 客户满意度", "B2 以客户为中心"):
            assert _same(items[code][1], row[f"KPI考核·{code}"]), (sheet, code)
            assert items[code][2] == summary.detail[(pid, f"KPI考核·{code}")]
        assert items["M05 配件管理"][2] == summary.detail[(pid, "M05 配件管理")]
        history = {
            r[0]: r[1]
            for r in grid
            if r and isinstance(r[0], str) and r[0][:4] == "2026" and len(r[0]) == 7
        }
        for month in MONTHS:
            assert history[month] == read_monthly(run.summaries[month]).score(pid)
    assert checked == 12 * 8


def test_cancelled_month_shows_the_reason_and_strengths_follow_full_points(slips):
    _, outcome = slips
    cancelled = next(s for s in outcome.slips if s.status.startswith("取消"))
    grid = FileWorkbook(outcome.workbook).values(f"{cancelled.pid} {cancelled.name}")
    status = next(r[1] for r in grid if r and r[0] == "状态")
    assert status == "取消(职业道德否决 → 当月考核取消,总分 0)"
    for slip in outcome.slips:
        assert all(line.score == line.full for line in slip.strengths)
        assert all(line.score < line.full for line in slip.shortfalls)
        assert len(slip.strengths) + len(slip.shortfalls) == len(slip.items) + len(slip.kpi)


def test_no_other_person_and_no_customer_data(slips):
    run, outcome = slips
    names = {s.name for s in outcome.slips}
    ids = [p.employee_id for p in load_roster(None, [])]
    survey = next(m for m in build(ids) if m.month == LAST).survey
    contacts = {r[k] for r in survey for k in ("customer_name", "customer_phone", "customer_email")}
    source = FileWorkbook(run.workbooks[LAST])
    typed = {str(v) for sheet in source.sheet_names() for row in source.values(sheet) for v in row}
    assert contacts <= typed  # planted in the month's survey
    everyone, *personal = outcome.pdfs
    for page, (slip, pdf) in enumerate(zip(outcome.slips, personal, strict=True), start=1):
        for text in (_pdf_text(pdf), _pdf_text(everyone, page)):
            assert slip.name in text and slip.pid in text
            assert not [n for n in names - {slip.name} if n in text], (slip.name, page)
            assert not [c for c in contacts if c in text]
            assert "@" not in text
    with zipfile.ZipFile(outcome.workbook) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    assert not [c for c in contacts if c in xml]
    book = FileWorkbook(outcome.workbook)
    for sheet in book.sheet_names():
        text = " ".join(str(v) for row in book.values(sheet) for v in row if v is not None)
        own = sheet.split()[1]
        assert not [n for n in names - {own} if n in text], sheet


def test_rerun_is_byte_identical_and_cli(slips, tmp_path):
    run, outcome = slips
    again = run_feedback(run.summaries[LAST], tmp_path / "again")
    assert again.workbook.read_bytes() == outcome.workbook.read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from xlpy.cli import main; main()",
            "feedback",
            str(run.summaries[LAST]),
            "-o",
            str(tmp_path / "cli"),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "已写出 12 人的反馈单" in result.stdout.replace("\n", "")
    quarter = run_period(run.folder, parse_period("2026Q1", None), tmp_path / "汇总-2026Q1.xlsx")
    result = subprocess.run(
        [sys.executable, "-c", "from xlpy.cli import main; main()", "feedback", str(quarter.path)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "这是期间汇总,不是月度汇总" in result.stderr


def test_demo_writes_the_quarter_and_the_last_month_s_slips(demo):
    run, output = demo
    assert run.quarter == run.folder / "汇总-2026Q1.xlsx"
    assert f"季度汇总:{run.quarter}" in output and f"反馈单:{run.slips}" in output
    quarter = FileWorkbook(run.quarter).values("汇总")
    assert quarter[2][3:6] == [f"{m} 百分制" for m in MONTHS]
    assert len([r for r in quarter[3:] if r and r[0]]) == 12
    assert len(FileWorkbook(run.slips).sheet_names()) == 12
