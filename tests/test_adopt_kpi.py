"""xlpy adopt beyond scheme M: a department's own KPI sheet (scheme K: 目标值 / 实际值 over the
KPIs, 自评 / 上级评分 over the behaviours) is recognised by its words and scored as by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from adopt_books import Book, kpi_grid, kpi_scored, kpi_sheet, paper_counts, through_libreoffice
from openpyxl import load_workbook
from xlpy_cli import run_xlpy

from xlpy.adopt import layout_path, layouts_for, read_layout
from xlpy.consolidate.history import SavedSummary
from xlpy.validate.job import validate_files

MONTH = "2026-11"


def _scores_as_by_hand(made: Book) -> None:
    """Validated through the layout beside it: no error, and the K scores worked out by hand."""
    batch = validate_files([made.path], layouts=layouts_for([made.path]))
    assert batch.errors == [] and batch.month == MONTH
    scores = batch.results["K"].scores
    assert scores["total"].to_dict() == pytest.approx(made.totals)
    for pid, items in made.items.items():
        assert scores.loc[pid, list(items)].to_dict() == pytest.approx(items)


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice"])
def test_a_kpi_sheet_is_adopted_and_scored_as_by_hand(tmp_path: Path, saved_by: str):
    made = kpi_sheet(tmp_path)
    if saved_by == "libreoffice":
        made = through_libreoffice(made, tmp_path / "lo")
    run = run_xlpy("adopt", str(made.path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "KPI考核" in run.stdout and "未找到" not in run.stdout
    [sheet] = read_layout(layout_path(made.path)).sheets
    assert sheet.scheme == "K" and sheet.missing == [] and sheet.unmatched == []
    assert {(e.item, e.holds): e.cell for e in sheet.entries if e.item in ("K3", "B2")} == {
        ("K3", "target"): "D5",
        ("K3", "actual"): "E5",
        ("B2", "self"): "D13",
        ("B2", "manager"): "E13",
    }
    _scores_as_by_hand(made)


def test_a_kpi_sheet_and_a_monthly_sheet_consolidate_together(tmp_path: Path):
    books = [kpi_sheet(tmp_path), paper_counts(tmp_path)]
    for made in books:
        assert run_xlpy("adopt", str(made.path)).returncode == 0
    run = run_xlpy("consolidate", str(tmp_path), "--month", MONTH)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = SavedSummary(tmp_path / f"汇总-{MONTH}.xlsx").summary
    assert float(summary.loc["1001", "总分"]) == pytest.approx(books[1].totals["1001"])
    kpi_total = next(c for c in summary.columns if "KPI" in c and c.endswith("总分"))
    assert float(summary.loc["2001", kpi_total]) == pytest.approx(books[0].totals["2001"])


def test_a_bad_kpi_entry_names_the_department_cell(tmp_path: Path):
    made = kpi_sheet(tmp_path)
    assert run_xlpy("adopt", str(made.path)).returncode == 0
    book = load_workbook(made.path)
    book["陈二"]["E6"] = "八十一"
    book["陈二"]["D12"] = 6
    book.save(made.path)
    run = run_xlpy("validate", str(made.path))
    assert run.returncode == 1
    assert "陈二-KPI.xlsx · 陈二!E6 · 客户满意度·实际值填了 “八十一”" in run.stdout
    assert "陈二-KPI.xlsx · 陈二!D12 · 服务细致度·自评填了 6 · 应为 1-5 的整数" in run.stdout


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice"])
def test_a_kpi_grid_is_adopted_and_scored_as_by_hand(tmp_path: Path, saved_by: str):
    made = kpi_grid(tmp_path)
    if saved_by == "libreoffice":
        made = through_libreoffice(made, tmp_path / "lo")
    run = run_xlpy("adopt", str(made.path))
    assert run.returncode == 0, run.stdout + run.stderr
    [sheet] = read_layout(layout_path(made.path)).sheets
    assert (sheet.scheme, sheet.kind, sheet.first_row, sheet.last_row) == ("K", "grid", 4, 5)
    assert sheet.missing == [] and sheet.unmatched == []
    assert {(e.item, e.holds): e.cell for e in sheet.entries if e.item in ("K4", "B1")} == {
        ("K4", "target"): "L",
        ("K4", "actual"): "M",
        ("B1", "self"): "R",
        ("B1", "manager"): "S",
    }
    assert sheet.computed["K4"] == "N" and sheet.computed["behavior"] == "Y"
    assert sheet.total_cell == "Z"
    _scores_as_by_hand(made)


def test_computed_cells_are_in_the_layout_and_a_broken_one_is_refused(tmp_path: Path):
    made = kpi_scored(tmp_path)
    assert run_xlpy("adopt", str(made.path)).returncode == 0
    path = layout_path(made.path)
    [sheet] = read_layout(path).sheets
    assert sheet.computed["K3"] == "F5" and sheet.computed["K3.completion"] == "G5"
    assert (sheet.computed["performance"], sheet.computed["behavior"]) == ("F10", "F14")
    assert sheet.total_cell == "F16"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"K3.completion"', '"K3.rate"'), encoding="utf-8")
    run = run_xlpy("validate", str(made.path))
    assert run.returncode == 2 and "布局文件内容有误('rate')" in run.stderr
