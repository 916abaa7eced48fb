"""``xlpy period``: quarter results from monthly summaries made by the real consolidate.

The sample quarter 2026Q1: in January everyone is scored; in February 3002 is not on the
roster (a missing month for one person) and 3003 is cancelled by the veto; March has no
summary at all. Expected figures are worked out by hand from the entries (85 points in all).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from period_months import month_summary
from typer.testing import CliRunner

from xlpy.cli import app
from xlpy.engines import FileWorkbook
from xlpy.period import parse_period, run_period
from xlpy.period.reading import read_summary
from xlpy.rules import load_rules

Q1 = parse_period("2026Q1", None)


@pytest.fixture(scope="module")
def months(tmp_path_factory):
    folder = tmp_path_factory.mktemp("q1")
    month_summary(
        folder,
        "2026-01",
        {
            "3001": {"M01.unreachable": 2},  # 83 points
            "3002": {},  # 85
            "3003": {"M01.unreachable": 1},
        },
    )  # 84
    month_summary(
        folder,
        "2026-02",
        {
            "3001": {"M01.unreachable": 7},  # M01 floors at 0: 80
            "3003": {"M11": "是"},
        },  # cancelled
        parameters={"grade.guideline.excellent_share_max": 0.3},
    )
    return folder


def _rows(path):
    grid = FileWorkbook(path).values("汇总")
    header = grid[2]
    return {row[0]: dict(zip(header, row, strict=True)) for row in grid[3:] if row and row[0]}


def _copy(months, tmp_path):
    folder = tmp_path / "months"
    folder.mkdir()
    for path in months.glob("汇总-2026-0*.xlsx"):
        shutil.copy(path, folder / path.name)
    return folder


def test_quarter_means_by_hand(months, tmp_path):
    outcome = run_period(months, Q1, tmp_path / "q.xlsx")
    rows = _rows(outcome.path)
    assert rows["3001"]["2026-01 百分制"] == pytest.approx(83 / 85 * 100)
    assert rows["3001"]["2026-02 百分制"] == pytest.approx(80 / 85 * 100)
    assert rows["3001"]["2026-03 百分制"] is None
    assert rows["3001"]["百分制"] == pytest.approx((83 + 80) / 2 / 85 * 100)  # 95.88
    assert rows["3002"]["百分制"] == pytest.approx(100.0)  # January only
    assert rows["3003"]["2026-02 百分制"] == 0
    assert rows["3003"]["百分制"] == pytest.approx((84 / 85 * 100 + 0) / 2)  # 49.41
    assert [rows[p]["等级"] for p in ("3001", "3002", "3003")] == ["优秀", "优秀", "不合格"]
    assert [rows[p]["绩效系数"] for p in ("3001", "3002", "3003")] == [1.2, 1.2, 0.5]
    assert [rows[p]["部门排名"] for p in ("3002", "3001", "3003")] == [1, 2, 3]
    assert [rows[p]["班组排名"] for p in ("3002", "3001", "3003")] == [1, 2, 1]
    assert rows["3001"]["算式"] == "(97.65 + 94.12) ÷ 2 = 95.88"
    assert rows["3002"]["状态"] == "缺月" and "2026-02 缺(不计入)" in rows["3002"]["备注"]
    assert "2026-02 取消(计0分)" in rows["3003"]["备注"]
    assert outcome.missing == ["2026-03"]
    assert any("缺少 2026-03 的月度汇总" in f.line() for f in outcome.findings)


def test_counting_rules_are_parameters(months, tmp_path):
    rules = load_rules(overrides={"period.cancelled": "不计入"})
    rows = _rows(run_period(months, Q1, tmp_path / "q.xlsx", rules).path)
    assert rows["3003"]["百分制"] == pytest.approx(84 / 85 * 100)  # February left out
    rules = load_rules(overrides={"period.missing": "计0分"})
    rows = _rows(run_period(months, Q1, tmp_path / "q.xlsx", rules).path)
    assert rows["3003"]["百分制"] == pytest.approx(84 / 85 * 100 / 3)  # March counts 0 too
    # every month without a score (March for all, February for 3002) counts as 0
    assert rows["3001"]["百分制"] == pytest.approx((83 + 80) / 3 / 85 * 100)
    assert rows["3002"]["百分制"] == pytest.approx(100 / 3)


def test_differing_parameters_are_flagged_and_audited(months, tmp_path):
    outcome = run_period(months, Q1, tmp_path / "q.xlsx")
    assert list(outcome.differing) == ["2026-01"]
    audit = FileWorkbook(outcome.path).values("审计")
    used = {row[0]: row for row in audit if row and row[0] in ("2026-01", "2026-02")}
    for month in ("2026-01", "2026-02"):
        data = (months / f"汇总-{month}.xlsx").read_bytes()
        assert used[month][1] == f"汇总-{month}.xlsx"
        assert used[month][2] == hashlib.sha256(data).hexdigest()
    assert used["2026-01"][4].startswith("与 2026-02 不同")
    assert used["2026-02"][4] == "一致"
    # the month's parameters are read back from its audit (what the slips use for full points)
    february = read_summary(months / "汇总-2026-02.xlsx")
    assert february.changed == {"grade.guideline.excellent_share_max": "0.3"}
    assert february.rules().grade.guideline.excellent_share_max == 0.3


def test_rerun_is_byte_identical(months, tmp_path):
    first = run_period(months, Q1, tmp_path / "a.xlsx").path.read_bytes()
    second = run_period(months, Q1, tmp_path / "b.xlsx")
    assert second.path.read_bytes() == first
    assert run_period(months, Q1, tmp_path / "a.xlsx").unchanged


def test_trend_has_a_line_chart_per_team(months, tmp_path):
    path = run_period(months, Q1, tmp_path / "q.xlsx").path
    with zipfile.ZipFile(path) as package:
        charts = [package.read(n) for n in package.namelist() if n.startswith("xl/charts/chart")]
    lines = [c for c in charts if b"<c:lineChart>" in c]
    assert len(lines) == 2  # 一班, 二班
    assert sum(c.count(b"<c:ser>") for c in lines) == 3  # one series per person
    assert "分布" in FileWorkbook(path).sheet_names()


def test_foreign_and_damaged_summaries_are_named_and_skipped(months, tmp_path):
    folder = _copy(months, tmp_path)
    book = openpyxl.load_workbook(folder / "汇总-2026-02.xlsx")
    book["汇总"]["A1"] = "销售部月度考核汇总 · 2026-02"
    book.save(folder / "汇总-2026-02.xlsx")
    (folder / "汇总-2026-03.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    outcome = run_period(folder, Q1)
    lines = [f.line() for f in outcome.findings]
    assert any(
        line.startswith("汇总-2026-02.xlsx · 汇总!A1 · 标题为“销售部月度考核汇总 · 2026-02”")
        for line in lines
    ), lines
    assert any(line.startswith("汇总-2026-03.xlsx · (整个文件)") for line in lines), lines
    assert outcome.missing == ["2026-02", "2026-03"]
    assert _rows(outcome.path)["3001"]["百分制"] == pytest.approx(83 / 85 * 100)


def test_a_text_score_is_named_by_cell(months, tmp_path):
    folder = _copy(months, tmp_path)
    book = openpyxl.load_workbook(folder / "汇总-2026-02.xlsx")
    sheet = book["汇总"]
    column = next(c.column_letter for c in sheet[3] if c.value == "百分制")
    sheet[f"{column}4"] = "九十"
    book.save(folder / "汇总-2026-02.xlsx")
    outcome = run_period(folder, Q1)
    wrong = f"汇总-2026-02.xlsx · 汇总!{column}4 · 工号 3001 的百分制为“九十”"
    assert any(f.line().startswith(wrong) for f in outcome.findings)
    assert "2026-02" in outcome.missing


def test_cli(months, tmp_path):
    runner = CliRunner()
    out = tmp_path / "q.xlsx"
    result = runner.invoke(app, ["period", "--quarter", "2026Q1", str(months), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "缺少的月份:2026-03" in result.output and out.is_file()
    year = runner.invoke(
        app, ["period", "--year", "2026", str(months), "-o", str(tmp_path / "y.xlsx")]
    )
    assert year.exit_code == 0, year.output
    assert set(_rows(tmp_path / "y.xlsx")) == {"3001", "3002", "3003"}
    header = FileWorkbook(tmp_path / "y.xlsx").values("汇总")[2]
    assert [h for h in header if h.endswith(" 百分制")][-1] == "2026-12 百分制"


def test_cli_refuses_a_bad_quarter_in_chinese(months):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from xlpy.cli import main; main()",
            "period",
            "--quarter",
            "2026Q5",
            str(months),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "季度「2026Q5」格式不对 · 应为 YYYYQn" in result.stderr
    assert "Traceback" not in result.stderr


def test_libreoffice_opens_it_and_recounts_the_distribution(months, tmp_path):
    from lo_convert import header_table, soffice_csv

    path = run_period(months, Q1, tmp_path / "汇总-2026Q1.xlsx").path
    tables = soffice_csv([path], tmp_path / "csv")
    rows = header_table(tables[(path.stem, "汇总")], "工号")
    assert [r["百分制"][:6] for r in rows] == ["95.882", "100", "49.411"]
    counts = {r["等级"]: r for r in header_table(tables[(path.stem, "分布")], "等级")}
    assert counts["优秀"]["全部门"] == "2" and counts["优秀"]["一班"] == "2"
    assert counts["不合格"]["二班"] == "1" and counts["已评级人数"]["全部门"] == "3"
