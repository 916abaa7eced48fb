"""xlpy adopt on a department .xlsm: its macros listed with what takes over each, and a
macro-free copy whose score formulas, recalculated by LibreOffice, equal the core."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from adopt_books import paper_counts
from lo_convert import soffice_csv
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from pyopenvba import ExcelFile, VBAModuleKind
from xlpy_cli import run_xlpy

from xlpy.adopt import layout_path, layouts_for
from xlpy.adopt.copy import copy_path
from xlpy.validate import validate_files

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


@pytest.fixture
def xlsm(tmp_path: Path) -> Path:
    made = paper_counts(tmp_path)
    book = load_workbook(made.path)
    sheet = book["张三"]
    sheet["A2"].font = Font(bold=True, size=16)
    sheet["B5"].fill = PatternFill("solid", fgColor="FFDDEEFF")
    sheet.column_dimensions["C"].width = 40
    path = tmp_path / "部门考核.xlsm"
    book.save(path)
    with ExcelFile(path) as vba:
        project = vba.add_vba_project()
        for name, code in MODULES.items():
            project.add_module(
                name, f'Attribute VB_Name = "{name}"\r\n{code}', kind=VBAModuleKind.standard
            )
        vba.save()
    made.path.unlink()
    return path


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
