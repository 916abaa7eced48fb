"""Files other programs wrote: the committed LibreOffice fixtures (tests/files/README.md), the
demo month re-saved by LibreOffice, and cells LibreOffice cannot make (a formula saved without
its result, by openpyxl)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from xlpy.demo.data import build
from xlpy.demo.fill import fill_month
from xlpy.forms import all_forms
from xlpy.rules import default_rules
from xlpy.shared.findings import ERROR, WARNING
from xlpy.template import generate
from xlpy.template.roster import load_roster
from xlpy.validate.job import validate_files

FILES = Path(__file__).parent / "files"
FORMS = all_forms(default_rules())
LI = FORMS["M"].sheet_name("1002", "李娜")
EXPECTED = {"1001": (76.0, "良好", 1.0), "1002": (85.0, "优秀", 1.2)}


def _scores(batch) -> dict:
    scores = batch.results["M"].scores
    return {
        pid: (scores.at[pid, "total"], scores.at[pid, "grade"], scores.at[pid, "coefficient"])
        for pid in scores.index
    }


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_shifted_fixture_reads_every_cell_where_it_now_is():
    path = FILES / "lo-native-shifted.xlsx"
    before = _sha(path)
    batch = validate_files([path])
    assert [f.line() for f in batch.findings] == []
    assert _scores(batch) == EXPECTED
    zhang = next(r for r in batch.workbooks[0].forms if r.identity.get("employee_id") == "1001")
    assert zhang.addresses["M01.unreachable"] == "H5"  # column inserted at A
    li = next(r for r in batch.workbooks[0].forms if r.identity.get("employee_id") == "1002")
    assert li.addresses["M11"] == "G16"  # row inserted above
    assert batch.survey is not None and len(batch.survey) == 2
    assert _sha(path) == before


def test_workbook_made_before_a_parameter_existed_names_the_missing_row():
    """The 参数 sheet of a month made with the template of 2026-12-01 has no row for K5's
    source (added later): xlpy would take the new default silently, so it is an error on the
    row where it belongs, the scores being computed as before."""
    path = FILES / "lo-made-before-k5.xlsx"
    before = _sha(path)
    batch = validate_files([path])
    (finding,) = batch.findings
    assert (finding.severity, finding.sheet, finding.cell) == (ERROR, "参数", "C139")
    assert "参数表中缺少 kpi.indicators.K5.from_survey" in finding.problem
    assert "值 “是”" in finding.expected
    assert _scores(batch) == EXPECTED
    assert _sha(path) == before


def test_addin_fixture_warns_once_and_scores_from_the_entries():
    batch = validate_files([FILES / "lo-addin-filled.xlsx"])
    assert [f.severity for f in batch.findings] == [WARNING]
    assert "加载项没有运行" in batch.findings[0].problem and batch.findings[0].cell == ""
    assert _scores(batch) == EXPECTED


def test_trailing_space_fixture_is_an_error_on_its_cell():
    batch = validate_files([FILES / "lo-veto-trailing-space.xlsx"])
    (finding,) = batch.errors
    assert (finding.sheet, finding.cell, finding.expected) == (LI, "G15", "是")
    assert "“是 ”(末尾有空格" in finding.problem
    assert "1002" not in batch.results["M"].scores.index  # unscored, never cancelled silently


def test_formula_without_a_cached_result_in_an_entry_cell(tmp_path):
    source = FILES / "lo-native-shifted.xlsx"
    book = openpyxl.load_workbook(source)
    book[LI]["G10"] = "=1+1"  # openpyxl writes no cached result
    path = tmp_path / "no-result.xlsx"
    book.save(path)
    errors = validate_files([path]).errors
    assert [(f.sheet, f.cell) for f in errors] == [(LI, "G10")]
    assert "没有它的数值结果" in errors[0].problem


def test_demo_month_resaved_by_libreoffice_reads_the_same(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    people = load_roster(None, [FORMS[s] for s in ("M", "K")])
    demo = build([p.employee_id for p in people])[0]
    blank = generate(
        demo.month, tmp_path / "blank.xlsx", None, schemes=("M", "K"), variant="native"
    )[0]
    ours = fill_month(
        blank, tmp_path / "demo.xlsx", demo, FORMS, [(p.employee_id, p.name) for p in people]
    )
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc Office Open XML",
            "--outdir",
            str(out),
            str(ours),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    theirs = out / ours.name
    first, second = validate_files([ours]), validate_files([theirs])
    assert [
        f.line().replace(theirs.name, ours.name) for f in second.findings if f.severity == ERROR
    ] == [f.line() for f in first.findings if f.severity == ERROR]
    for scheme in first.results:
        left, right = first.results[scheme].scores, second.results[scheme].scores
        assert left.equals(right), scheme
    assert second.department is not None and first.department.equals(second.department)
