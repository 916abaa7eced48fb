"""xlpy adopt on a department .xlsm: its macros listed with what takes over each, and a
macro-free copy whose score formulas, recalculated by LibreOffice, equal the core."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from adopt_books import kpi_grid, kpi_scored, paper_counts, with_vba
from lo_convert import soffice_csv
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from xlpy_cli import run_xlpy

from xlpy.adopt import layout_path, layouts_for
from xlpy.adopt.copy import copy_path
from xlpy.recalc import recalculate
from xlpy.validate.job import validate_files

MODULES = {
    "Scoring": (
        "Sub CalcScores()\r\n  Dim r As Long\r\n  For r = 6 To 16\r\n"
        "    Cells(r, 6).Value = Application.Max(0, Cells(r, 4).Value - Cells(r, 5))\r\n"
        "  Next r\r\nEnd Sub\r\n"
    ),
    "Summary": (
        "Public Sub CollectMonth()\r\n  Dim ws As Worksheet\r\n"
        "  For Each ws In ThisWorkbook.Worksheets\r\n    Debug.Print ws.Name\r\n"
        "  Next ws\r\nEnd Sub\r\n"
    ),
    "Checks": (
        "Private Function CheckEntries() As Boolean\r\n"
        '  If Not IsNumeric(Range("E6").Value) Then MsgBox "次数有误"\r\n'
        "End Function\r\n\r\nSub Tidy()\r\n  ActiveSheet.Calculate\r\nEnd Sub\r\n"
    ),
}
EXPECTED_JOBS = {
    "CalcScores": "计分",
    "CollectMonth": "汇总",
    "CheckEntries": "校验",
    "Tidy": "未能识别",
}


def _with_macros(book: Workbook, path: Path) -> Path:
    return with_vba(book, path, MODULES)


@pytest.fixture
def xlsm(tmp_path: Path) -> Path:
    made = paper_counts(tmp_path)
    book = load_workbook(made.path)
    sheet = book["张三"]
    sheet["A2"].font = Font(bold=True, size=16)
    sheet["B5"].fill = PatternFill("solid", fgColor="FFDDEEFF")
    sheet.column_dimensions["C"].width = 40
    made.path.unlink()
    return _with_macros(book, tmp_path / "部门考核.xlsm")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_macros_listed_and_copy_recalculates_to_the_core(xlsm: Path, tmp_path: Path):
    before = _digest(xlsm)
    run = run_xlpy("adopt", str(xlsm), "--formulas", "native")
    assert run.returncode == 0, run.stdout + run.stderr
    assert _digest(xlsm) == before
    for procedure, job in EXPECTED_JOBS.items():
        line = next(line for line in run.stdout.splitlines() if procedure in line)
        assert job in line, line
    copy = copy_path(xlsm)
    assert copy.name == "部门考核-xlpy.xlsx"
    with zipfile.ZipFile(copy) as package:
        assert not any("vbaproject" in name.lower() for name in package.namelist())
        assert "macroEnabled" not in package.read("[Content_Types].xml").decode()
    sheet = load_workbook(copy)["张三"]
    assert sheet["A2"].font.bold and sheet["A2"].font.size == 16  # styles and layout kept
    assert sheet["B5"].fill.fgColor.rgb == "FFDDEEFF"
    assert sheet.column_dimensions["C"].width == 40
    assert sheet["C6"].value.startswith("售服人员24小时")  # values kept
    assert sheet["F8"].value == "=MAX(0,5-E8*0.5)"

    core = validate_files([xlsm], layouts=layouts_for([xlsm])).results["M"].scores.loc["1001"]
    rows = soffice_csv([copy], tmp_path / "csv")[(copy.stem, "张三")]
    shown = {f"M{i:02d}": float(rows[5 + i - 1][5]) for i in range(1, 12)}
    assert shown == pytest.approx(core[list(shown)].astype(float).to_dict())
    assert float(rows[17][5]) == pytest.approx(core["total"]) == pytest.approx(72.5)
    again = validate_files([copy], layouts=layouts_for([copy]))  # the copy has its own layout
    assert again.results["M"].scores.loc["1001", "total"] == pytest.approx(72.5)


def test_copy_calls_the_xlpy_functions_by_default(xlsm: Path):
    assert run_xlpy("adopt", str(xlsm)).returncode == 0
    sheet = load_workbook(copy_path(xlsm))["张三"]
    assert sheet["F6"].value == "=ITEM_SCORE(5,E6,1)"
    assert sheet["F18"].value == "=MONTHLY_TOTAL(F6:F16,E16)"
    assert sheet["F14"].value == (
        '=IF(E14="强",5,IF(E14="较好",3,IF(E14="一般",2,IF(E14="差",0,""))))'
    )
    assert layout_path(xlsm).exists()


@pytest.mark.parametrize("variant", ["native", "addin"])
def test_a_kpi_sheet_copy_computes_the_core_scores(tmp_path: Path, variant: str):
    made = kpi_scored(tmp_path)
    book = load_workbook(made.path)
    made.path.unlink()
    xlsm = _with_macros(book, tmp_path / "陈二-KPI.xlsm")
    before = _digest(xlsm)
    run = run_xlpy("adopt", str(xlsm), "--formulas", variant)
    assert run.returncode == 0, run.stdout + run.stderr
    assert _digest(xlsm) == before
    assert "15 个得分格改为公式" in run.stdout  # 5 得分, 5 完成率, 业绩, 2 行为, 行为得分, 总分
    sheet = load_workbook(copy_path(xlsm))["陈二"]
    assert sheet["B7"].value == "客户信息管理" and sheet["D7"].value == 100  # values kept
    core = validate_files([xlsm], layouts=layouts_for([xlsm])).results["K"].scores.loc["2001"]
    if variant == "addin":  # the xlpy functions, with the rules' numbers (no 参数 sheet)
        assert sheet["F5"].value == '=TARGET_SCORE(E5,D5,"否",20,{1,20;0.8,10;0.75,5})'
        assert sheet["F12"].value == "=BEHAVIOR_SCORE(D12,E12,0.3)"
        assert sheet["F14"].value == '=IF(COUNT(F12:F13)<2,"",WEIGHTED_TOTAL(F12:F13,{0.5;0.5}))'
        values = recalculate(copy_path(xlsm)).values["陈二"]  # the functions, evaluated headless
        assert [values[f"F{r}"] for r in (7, 9, 5, 8, 6)] == pytest.approx(
            [core[code] for code in ("K1", "K2", "K3", "K4", "K5")]
        )
        assert [values[cell] for cell in ("F10", "F12", "F13", "F14", "F16")] == pytest.approx(
            [core[key] for key in ("performance", "B1", "B2", "behavior", "total")]
        )
        return
    rows = soffice_csv([copy_path(xlsm)], tmp_path / "csv")[(copy_path(xlsm).stem, "陈二")]
    shown = {row[1]: float(row[5]) for row in rows[4:9]}
    by_name = {"客户回访率": "K3", "客户满意度": "K5", "客户信息管理": "K1"}
    by_name |= {"投诉处理": "K4", "客户档案管理": "K2"}
    assert {by_name[n]: v for n, v in shown.items()} == pytest.approx(
        core[list(by_name.values())].astype(float).to_dict()
    )
    assert [float(row[6]) for row in rows[4:9]] == pytest.approx([1, 0.9, 0.76, 0.7, 1.25])
    assert float(rows[9][5]) == pytest.approx(core["performance"]) == pytest.approx(55)
    assert [float(rows[r][5]) for r in (11, 12)] == pytest.approx([core["B1"], core["B2"]])
    assert float(rows[13][5]) == pytest.approx(core["behavior"]) == pytest.approx(84)
    assert float(rows[15][5]) == pytest.approx(core["total"]) == pytest.approx(made.totals["2001"])


def test_a_kpi_grid_copy_computes_the_core_scores_row_by_row(tmp_path: Path):
    made = kpi_grid(tmp_path)
    book = load_workbook(made.path)
    made.path.unlink()
    xlsm = _with_macros(book, tmp_path / "KPI汇总.xlsm")
    run = run_xlpy("adopt", str(xlsm), "--formulas", "native")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "20 个得分格改为公式" in run.stdout  # 7 得分, 业绩, 行为, 总分 on each of 2 rows
    core = validate_files([xlsm], layouts=layouts_for([xlsm])).results["K"].scores
    rows = soffice_csv([copy_path(xlsm)], tmp_path / "csv")[(copy_path(xlsm).stem, "KPI汇总")]
    columns = {"K1": 4, "K2": 7, "K3": 10, "K4": 13, "K5": 16, "B1": 19, "B2": 22}
    columns |= {"performance": 23, "behavior": 24, "total": 25}
    for row in rows[3:5]:
        shown = {key: float(row[c]) for key, c in columns.items()}
        assert shown == pytest.approx(core.loc[row[0], list(columns)].astype(float).to_dict())
        assert shown["total"] == pytest.approx(made.totals[row[0]])
