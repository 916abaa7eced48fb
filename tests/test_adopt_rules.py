"""xlpy adopt --rules: a department's own items (a rules file adding M12) are recognised by their
names in its workbook, and the layout file carries the rules file to validate and consolidate."""

from __future__ import annotations

from pathlib import Path

import pytest
from adopt_books import kpi_scored, paper_counts, with_vba
from forms_helpers import M12_RULES
from lo_convert import soffice_csv
from openpyxl import load_workbook
from xlpy_cli import run_xlpy

from xlpy.adopt import layout_path, layouts_for, read_layout
from xlpy.adopt.copy import copy_path
from xlpy.consolidate.history import SavedSummary
from xlpy.validate.job import validate_files

MONTH = "2026-11"


def rules_file(folder: Path) -> Path:
    path = folder / "rules" / "部门规则.toml"
    path.parent.mkdir()
    path.write_text(M12_RULES, encoding="utf-8")
    return path


def test_an_added_item_is_recognised_and_scored(tmp_path: Path):
    made = paper_counts(tmp_path)  # its 安全生产 row matches no shipped item
    book = load_workbook(made.path)
    book.active["E17"] = 1  # one violation: M12 5 − 1×5 = 0
    book.save(made.path)
    run = run_xlpy("adopt", str(made.path), "--rules", str(rules_file(tmp_path)))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "未能对应" not in run.stdout
    text = layout_path(made.path).read_text(encoding="utf-8")
    assert 'rules = "rules/部门规则.toml"' in text  # relative to the layout file
    [sheet] = read_layout(layout_path(made.path)).sheets
    assert [(e.cell, e.holds) for e in sheet.entries if e.item == "M12"] == [("E17", "count")]
    assert sheet.unmatched == [] and sheet.missing == []

    batch = validate_files([made.path], layouts=layouts_for([made.path]))
    assert batch.errors == [] and list(batch.rules.monthly.items)[-1] == "M12"
    result = batch.results["M"]
    assert result.scores.loc["1001", "total"] == made.totals["1001"]
    assert result.explanations.loc["1001", "M12"] == "M12 安全生产: 5 − 1×5 = 0"
    assert "÷ 90 × 100" in result.explanations.loc["1001", "total"]

    assert run_xlpy("consolidate", str(tmp_path), "--month", MONTH).returncode == 0
    summary = SavedSummary(tmp_path / f"汇总-{MONTH}.xlsx").summary
    assert summary.loc["1001", "M12 安全生产"] == 0
    assert float(summary.loc["1001", "总分"]) == pytest.approx(made.totals["1001"])


def test_without_the_rules_file_the_added_item_is_listed_not_guessed(tmp_path: Path):
    made = paper_counts(tmp_path)
    run = run_xlpy("adopt", str(made.path))
    assert run.returncode == 0 and "安全生产" in run.stdout and "未能对应" in run.stdout
    assert "rules =" not in layout_path(made.path).read_text(encoding="utf-8")


def test_a_rules_file_that_is_gone_or_broken_is_named(tmp_path: Path):
    made = paper_counts(tmp_path)
    rules = rules_file(tmp_path)
    assert run_xlpy("adopt", str(made.path), "--rules", str(rules)).returncode == 0
    rules.write_text(M12_RULES.replace("full = 5", "full = -5"), encoding="utf-8")
    run = run_xlpy("validate", str(made.path))
    assert run.returncode == 1
    assert "班组考核-张三.xlsx · (整个文件) · 布局文件指定的规则文件 部门规则.toml:" in run.stdout
    assert "monthly.items.M12.full" in run.stdout
    rules.unlink()
    run = run_xlpy("validate", str(made.path))
    assert run.returncode == 1 and "部门规则.toml:找不到该文件" in run.stdout
    broken = run_xlpy("adopt", str(made.path), "--rules", str(tmp_path / "无.toml"))
    assert broken.returncode == 2 and "无.toml" in broken.stderr


K6 = """
[kpi.indicators.K6]
name = "备件周转天数"
lower_is_better = true
"""


def test_a_kpi_sheet_with_an_added_kpi_copies_to_the_core_scores(tmp_path: Path):
    made = kpi_scored(tmp_path)
    book = load_workbook(made.path)
    sheet = book["陈二"]
    sheet.insert_rows(10)  # K6 under the five; 业绩得分 now on row 11
    for c, value in enumerate([6, "备件周转天数", "20%", 5, 4, 0], 1):  # 5 ÷ 4 = 125% → 20
        sheet.cell(10, c, value)
    xlsm = with_vba(book, made.path.with_suffix(".xlsm"), {"Calc": "Sub Calc()\r\nEnd Sub\r\n"})
    rules = tmp_path / "K6.toml"
    rules.write_text(K6, encoding="utf-8")
    run = run_xlpy("adopt", str(xlsm), "--rules", str(rules), "--formulas", "native")
    assert run.returncode == 0, run.stdout + run.stderr
    core = validate_files([xlsm], layouts=layouts_for([xlsm])).results["K"].scores.loc["2001"]
    assert core["K6"] == 20 and core["performance"] == pytest.approx((55 + 20) / 120 * 100)
    rows = soffice_csv([copy_path(xlsm)], tmp_path / "csv")[(copy_path(xlsm).stem, "陈二")]
    assert float(rows[9][5]) == 20
    assert float(rows[10][5]) == pytest.approx(core["performance"])  # on 0-100 with six KPIs
    assert float(rows[16][5]) == pytest.approx(core["total"])
