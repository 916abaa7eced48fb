"""xlpy recalc: the add-in variant, filled with sample entries and evaluated headlessly by the
formula engine with the udfs registered, equals the scoring core for every person and form."""

from __future__ import annotations

import json
import time

import openpyxl
import pandas as pd
import pytest
from forms_helpers import FORMS, PEOPLE, RULES, expected, mismatches, write_roster
from xlpy_cli import run_xlpy

from xlpy.core.monthly import score_monthly
from xlpy.errors import XlpyError
from xlpy.forms import Cells, param_rows, read_params
from xlpy.recalc import RecalcLimit, recalculate, write_values
from xlpy.rules import load_rules
from xlpy.template import generate


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """One person, form M only: quick to evaluate for the CLI and error cases."""
    folder = tmp_path_factory.mktemp("small")
    roster = write_roster(folder / "roster.csv", PEOPLE[:1])
    [book] = generate("2026-11", folder / "small.xlsx", roster)
    workbook = openpyxl.load_workbook(book)
    form = FORMS["M"]
    ws = workbook[form.sheet_name(*PEOPLE[0][:2])]
    for column, value in {"M05.unclear_account": 1, "M09": "较好", "M10": "多"}.items():
        ws[form.entry_cell(column).address] = value
    workbook.save(folder / "filled.xlsx")
    return folder / "filled.xlsx"


@pytest.fixture(scope="module")
def recalculated(filled_addin):
    path, _ = filled_addin
    return recalculate(path)


@pytest.mark.parametrize("scheme", ["M", "K", "T", "P", "D"])
def test_addin_formulas_equal_the_core_for_every_person(recalculated, filled_addin, scheme):
    _, data = filled_addin
    want = expected(scheme, data)
    assert sum(len(v) for v in want.values()) >= 4
    assert mismatches(want, recalculated.values) == []


def test_addin_workbook_calls_the_udfs_and_no_cell_errs(recalculated, filled_addin):
    path, _ = filled_addin
    sheet = FORMS["M"].sheet_name(*PEOPLE[0][:2])
    formulas = openpyxl.load_workbook(path)[sheet]
    m05 = FORMS["M"].computed_cell("M05")
    anchor = formulas[m05.array.split(":")[0]].value  # one array formula scores M01-M08
    assert m05.array == "I5:I12" and anchor.ref == m05.array
    assert anchor.text.startswith("=ITEM_SCORE(")
    assert recalculated.errors() == []
    roster_names = recalculated.sheet(FORMS["S"].sheet_name())
    assert "张伟" in roster_names.values()  # the 工号 → 姓名 look-up on 客户评价


def test_recalc_writes_a_values_copy_and_json_and_never_touches_the_source(small, tmp_path):
    before = small.read_bytes()
    result = recalculate(small)
    copy = write_values(small, result, tmp_path / "values.xlsx")
    sheet = FORMS["M"].sheet_name(*PEOPLE[0][:2])
    ws = openpyxl.load_workbook(copy)[sheet]
    total = FORMS["M"].computed_cell("total").address
    assert ws[total].value == 85 - 5 - 2  # M05 one unclear account, M09 较好 = 3 of 5
    assert ws[FORMS["M"].computed_cell("grade").address].value == "优秀"
    with pytest.raises(XlpyError):
        write_values(small, result, small)
    assert small.read_bytes() == before
    path = small

    run = run_xlpy("recalc", str(path), "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["values"][sheet][total] == ws[total].value
    assert report["errors"] == []


def test_a_bad_entry_shows_an_error_cell_with_the_udf_message(small, tmp_path):
    path = small
    workbook = openpyxl.load_workbook(path)
    form = FORMS["M"]
    sheet = form.sheet_name(*PEOPLE[0][:2])
    workbook[sheet][form.entry_cell("M01.unreachable").address] = "两次"
    bad = tmp_path / "bad.xlsx"
    workbook.save(bad)
    result = recalculate(bad)
    assert f"{sheet}!{form.computed_cell('M01').address} = #VALUE!" in result.errors()
    assert any("ITEM_SCORE" in m and "两次" in m for m in result.messages)


def test_unreadable_file_is_a_chinese_error(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    with pytest.raises(XlpyError, match=r"junk\.xlsx · 不是 Excel 工作簿"):
        recalculate(junk)


def test_live_cells_follow_the_parameter_sheet_as_the_core_follows_read_params(small, tmp_path):
    rows = {r.key: r.row for r in param_rows(RULES)}
    workbook = openpyxl.load_workbook(small)
    params = workbook["参数"]
    params[f"C{rows['monthly.items.M05.deductions.unclear_account.per']}"] = 2
    params[f"C{rows['grade.bands.excellent.min']}"] = 96
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)

    result = recalculate(edited)
    form = FORMS["M"]
    sheet = result.sheet(form.sheet_name(*PEOPLE[0][:2]))
    assert sheet[form.computed_cell("M05").address] == 8
    assert sheet[form.computed_cell("total").address] == 85 - 2 - 2
    assert sheet[form.computed_cell("grade").address] == "良好"  # 81/85 = 95.3 < 96

    rules = load_rules(
        overrides=read_params(Cells.from_openpyxl(openpyxl.load_workbook(edited)["参数"]))
    )
    core = score_monthly(
        pd.DataFrame([{"M05.unclear_account": 1, "M09": "较好", "M10": "多"}]), rules
    ).scores.iloc[0]
    assert (core["total"], core["grade"]) == (81, "良好")


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    """A valid sheet of 20,000 formulas: within the cell guard, but the formula engine needs
    about a minute and hundreds of MB for it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "大表"
    for row in range(1, 10_001):
        sheet.cell(row, 1, row)
        sheet.cell(row, 2, f"=A{row}*2")
        sheet.cell(row, 3, f"=B{row}+A{row}")
    path = tmp_path_factory.mktemp("huge") / "huge.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    "limit, message",
    [
        (["--time-limit", "1"], "计算超过 1 秒仍未完成,已停止"),
        (["--memory-limit", "40"], "计算所需内存超过 40 MB,已停止"),
    ],
    ids=["time", "memory"],
)
def test_a_huge_sheet_stops_at_its_bound_with_a_chinese_message(huge, limit, message):
    before = huge.read_bytes()
    started = time.monotonic()
    run = run_xlpy("recalc", str(huge), *limit, timeout=120)
    assert time.monotonic() - started < 60  # the bound, not the engine, decides
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"huge.xlsx · {message}" in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr  # nothing from the child
    assert "MemoryError" not in run.stdout + run.stderr
    assert huge.read_bytes() == before


def test_the_bounds_are_parameters_of_recalculate(huge):
    with pytest.raises(RecalcLimit, match="计算所需内存超过 40 MB"):
        recalculate(huge, memory_limit=40)
