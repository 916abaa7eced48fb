"""``xlpy demo`` end to end: its summaries, opened by LibreOffice and exported to CSV, hold exactly
the scoring core's numbers, computed here straight from the demo's data (not from the files)."""

from __future__ import annotations

import math
import subprocess

import openpyxl
import pandas as pd
import pytest
from lo_convert import header_table, soffice_csv
from xlpy_cli import run_xlpy

from xlpy.core.kpi import attach_survey, score_kpi
from xlpy.core.monthly import score_monthly
from xlpy.core.survey import engineer_satisfaction
from xlpy.demo.data import MISTAKE, MONTHS, build
from xlpy.engines import FileWorkbook, cell_value
from xlpy.forms import all_forms
from xlpy.rules import default_rules
from xlpy.shared.addresses import parse_a1
from xlpy.template import load_roster

RULES = default_rules()


@pytest.fixture(scope="module")
def demo(demo_quarter):
    return demo_quarter.run, demo_quarter.output


def _expected(month: str) -> tuple[pd.DataFrame, dict, pd.Series, pd.Series]:
    """The core's results for one demo month, from the demo data (mistake corrected)."""
    people = load_roster(None, [])
    ids = [p.employee_id for p in people]
    data = next(m for m in build(ids) if m.month == month)
    mistake_month, position, column, _, right = MISTAKE
    if month == mistake_month:
        data.monthly[ids[position]][column] = right
    monthly = score_monthly(pd.DataFrame.from_dict(data.monthly, orient="index"), RULES)
    survey = engineer_satisfaction(pd.DataFrame(data.survey), RULES)
    kpi_entries = pd.DataFrame.from_dict(data.kpi, orient="index")
    kpi = score_kpi(attach_survey(kpi_entries, survey, RULES), RULES)  # K5 from the survey
    return monthly.scores, monthly.labels, kpi.scores["total"], survey["rate"]


def _mistake_cell(path):
    """The cell of the demo's deliberate mistake in a month workbook (openpyxl)."""
    _, position, column, _, _ = MISTAKE
    person = load_roster(None, [])[position]
    form = all_forms(RULES)["M"]
    return openpyxl.load_workbook(path)[form.sheet_name(person.employee_id, person.name)][
        form.entry_cell(column).address
    ]


def _number(text: str) -> float:
    if text == "":
        return math.nan
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def test_demo_story_is_told(demo):
    run, output = demo
    assert set(run.summaries) == set(MONTHS)
    assert "通讯畅通·联系不上填了 “两次”" in output  # the deliberate mistake is caught …
    assert run.marked and _mistake_cell(run.marked[0]).fill.fgColor.rgb == "FFFF9999"  # … marked …
    latest = run.outcomes[MONTHS[-1]]
    assert latest.backup is not None and latest.batch.errors == []  # … corrected, re-consolidated
    assert "汇总" in output and str(run.summaries[MONTHS[-1]]) in output
    changes = FileWorkbook(run.summaries[MONTHS[-1]]).values("更正记录")
    assert any(row and row[3] == "M01 通讯畅通" for row in changes)


def test_libreoffice_reads_the_core_numbers(demo, tmp_path):
    run, _ = demo
    files = [run.summaries[m] for m in MONTHS]
    tables = soffice_csv(files, tmp_path)
    veto_seen = False
    for month, path in zip(MONTHS, files, strict=True):
        scores, labels, kpi_total, satisfaction = _expected(month)
        rows = header_table(tables[(path.stem, "汇总")], "工号")
        assert [r["工号"] for r in rows] == list(scores.index)
        for row in rows:
            pid = row["工号"]
            for column in scores.columns:
                if column in ("grade", "status"):
                    assert row[labels[column]] == scores.at[pid, column], (month, pid, column)
                else:
                    assert _number(row[labels[column]]) == pytest.approx(
                        scores.at[pid, column], abs=1e-9, nan_ok=True
                    ), (month, pid, column)
            assert _number(row["KPI考核·总分"]) == pytest.approx(kpi_total[pid], abs=1e-9)
            expected_rate = satisfaction.get(pid, math.nan)
            assert _number(row["客户满意度"]) == pytest.approx(expected_rate, abs=1e-9, nan_ok=True)
            veto_seen |= row["状态"] == "取消"
        distribution = {
            r[0]: int(r[1])
            for r in tables[(path.stem, "分布")]
            if r and r[0] in scores["grade"].unique()
        }
        assert distribution == scores["grade"].value_counts().to_dict()
    assert veto_seen  # the veto month shows 取消, not only a zero


def test_demo_command_runs_offline(tmp_path):
    run = run_xlpy("demo", str(tmp_path / "示例"), timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    summary = FileWorkbook(tmp_path / "示例" / "汇总-2026-03.xlsx").values("汇总")
    ids = [row[0] for row in summary[3:] if row and row[0]]
    assert ids == [p.employee_id for p in load_roster(None, [])]
    assert "文件位置" in run.stdout


def test_libreoffice_recalculation_agrees_with_the_core(demo, tmp_path):
    """LibreOffice recalculates the demo workbooks' native formulas; validation then compares
    every cached result with the core: none may disagree (and there must be results to compare)."""
    run, _ = demo
    inputs = tmp_path / "in"
    inputs.mkdir()
    sources = []
    for month, path in run.workbooks.items():
        sources.append(inputs / f"m-{month}.xlsx")
        sources[-1].write_bytes(path.read_bytes())
    out = tmp_path / "out"
    profile = (tmp_path / "lo-profile").as_uri()  # its own: another run may convert at once
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    from xlpy.validate.job import validate_files

    for source in sources:
        recalculated = out / source.name
        batch = validate_files([recalculated])
        assert [f.line() for f in batch.findings if "按规则应为" in f.problem] == []
        book = FileWorkbook(recalculated)
        sheet = next(s for s in book.sheet_names() if s.startswith("月考核"))
        row, col = parse_a1(all_forms(RULES)["M"].computed_cell("total").address)
        assert isinstance(cell_value(book.values(sheet), row, col), float)  # a result was compared


def test_month_on_month_sheet(demo):
    run, _ = demo
    previous, _, _, _ = _expected(MONTHS[0])
    current, _, _, _ = _expected(MONTHS[1])
    grid = FileWorkbook(run.summaries[MONTHS[1]]).values("环比")
    header = grid[2]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in grid[3:] if r and r[0]}
    assert set(rows) == set(current.index)
    for pid, row in rows.items():
        assert row["上月百分制"] == pytest.approx(previous.at[pid, "percent"], nan_ok=True)
        assert row["本月百分制"] == pytest.approx(current.at[pid, "percent"], nan_ok=True)
        change = current.at[pid, "percent"] - previous.at[pid, "percent"]
        assert row["变化"] == pytest.approx(change, nan_ok=True)
