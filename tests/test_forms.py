"""Form descriptions: complete, consistent with the core, and readable back from real files."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xlpy.core.scheme_entries import (
    kpi_entries,
    monthly_entries,
    performance_entries,
    survey_entries,
    tech_entries,
)
from xlpy.forms import (
    PARAM_SHEET,
    Cells,
    all_forms,
    defined_names,
    department_entries,
    identify,
    param_rows,
    read_form,
    read_params,
    read_table,
    sheet_name_problem,
)
from xlpy.forms.params import HEADER_ROW, HEADERS
from xlpy.rules import RuleError, default_rules, flatten, load_rules

RULES = default_rules()
FORMS = all_forms(RULES)
CORE_ENTRIES = {
    "M": monthly_entries,
    "K": kpi_entries,
    "T": tech_entries,
    "P": performance_entries,
    "S": survey_entries,
    "D": lambda r: department_entries(r),
}


def _entry_columns(form):
    if form.table is not None:
        return [c.entry.column for c in form.table.columns if c.entry is not None]
    return [c.entry.column for c in form.entries]


@pytest.mark.parametrize("scheme", list(FORMS))
def test_every_core_entry_has_exactly_one_cell(scheme):
    form = FORMS[scheme]
    assert sorted(_entry_columns(form)) == sorted(e.column for e in CORE_ENTRIES[scheme](RULES))


@pytest.mark.parametrize("scheme", list(FORMS))
def test_no_two_things_share_a_cell_and_formulas_name_only_known_names(scheme):
    form = FORMS[scheme]
    used = [c.address for c in form.entries] + [c.address for c in form.computed]
    used += [c.address for c in form.identity] + [t.address for t in form.texts if t.text]
    assert len(used) == len(set(used)), [a for a in used if used.count(a) > 1]
    names = set(defined_names(RULES)) | {"staff_ids", "staff_names"}
    formulas = [c.addin for c in form.computed] + [c.native for c in form.computed]
    if form.table:
        formulas += [c.addin for c in form.table.columns]
    for formula in formulas:
        for name in re.findall(r"\b(prm_\w+|staff_\w+)", formula):
            assert name in names, (formula, name)


def test_native_formulas_call_no_addin_function():
    addin = re.compile(
        r"\b(TECH_SCORE|TECH_LEVEL|GRADE_LEVEL|ITEM_SCORE|DEDUCTION|RATING_POINTS|"
        r"MONTHLY_TOTAL|TARGET_SCORE|BEHAVIOR_SCORE|WEIGHTED_TOTAL|SATISFACTION)\("
    )
    for form in FORMS.values():
        for cell in form.computed:
            assert not addin.search(cell.native), (form.scheme, cell.address, cell.native)
    assert any(addin.search(c.addin) for c in FORMS["M"].computed)


def test_sheet_names_follow_the_paper_title_and_bad_names_are_explained():
    assert FORMS["M"].sheet_name("1001", "张伟") == "月考核-1001-张伟"
    assert FORMS["S"].sheet_name() == "客户评价"
    assert sheet_name_problem("月考核-1001-张伟") is None
    assert "31" in sheet_name_problem("月考核-1001-" + "长" * 30)
    assert "/" in sheet_name_problem("月考核-1001-张/伟")


def _write_sheet(path: Path, form, values: dict[str, object], title: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for text in form.texts:
        ws[text.address] = text.text or None
    for address, value in values.items():
        ws[address] = value
    wb.save(path)


def test_reader_returns_identity_entries_and_addresses_from_openpyxl_and_calamine(tmp_path):
    form = FORMS["M"]
    values = {
        form.identity_cell("employee_id").address: 1001,
        form.identity_cell("name").address: "张伟",
        form.entry_cell("M05.unclear_account").address: 2,
        form.entry_cell("M09").address: "较好",
    }
    path = tmp_path / "m.xlsx"
    _write_sheet(path, form, values, "月考核-1001-张伟")

    ws = openpyxl.load_workbook(path)["月考核-1001-张伟"]
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("月考核-1001-张伟")
    for cells in (Cells.from_openpyxl(ws), Cells.from_grid(sheet.to_python(), sheet.start)):
        assert identify(cells, FORMS) is form
        reading = read_form(cells, form, "月考核-1001-张伟")
        assert reading.identity["employee_id"] == 1001
        assert reading.identity["name"] == "张伟"
        assert reading.entries["M05.unclear_account"] == 2
        assert reading.entries["M09"] == "较好"
        assert reading.entries["M01.unreachable"] is None
        assert (
            reading.where("M05.unclear_account")
            == "月考核-1001-张伟!" + form.entry_cell("M05.unclear_account").address
        )


def test_identify_uses_the_code_cell_not_the_sheet_name(tmp_path):
    path = tmp_path / "k.xlsx"
    _write_sheet(path, FORMS["K"], {}, "随便什么名字")
    cells = Cells.from_openpyxl(openpyxl.load_workbook(path).active)
    assert identify(cells, FORMS) is FORMS["K"]
    assert identify(Cells.from_grid([["别的表"], ["表号 SH/XX-99"]]), FORMS) is None


def test_table_reader_skips_blank_rows_and_reports_sheet_rows(tmp_path):
    form = FORMS["S"]
    letter = {c.entry.column: c.letter for c in form.table.columns if c.entry}
    first = form.table.first_row
    values = {
        f"{letter['engineer_id']}{first}": "1001",
        f"{letter['S1']}{first}": 5,
        f"{letter['engineer_id']}{first + 2}": "1002",
        f"{letter['S3']}{first + 2}": 2,
        f"{letter['S2']}{form.table.last_row + 3}": 4,
    }  # typed below the prepared rows
    path = tmp_path / "s.xlsx"
    _write_sheet(path, form, values, "客户评价")
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("客户评价")
    rows = read_table(Cells.from_grid(sheet.to_python(), sheet.start), form)
    assert [r.row for r in rows] == [first, first + 2, form.table.last_row + 3]
    assert rows[0].entries["S1"] == 5 and rows[1].entries["engineer_id"] == "1002"
    assert rows[1].where("S3") == f"客户评价!{letter['S3']}{first + 2}"


def test_param_rows_cover_every_scalar_parameter_and_read_back_into_rules(tmp_path):
    rows = param_rows(RULES)
    scalars = {k for k, v in flatten(RULES).items() if not isinstance(v, (dict, list, type(None)))}
    assert {r.key for r in rows} == scalars
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PARAM_SHEET
    for column, header in zip("ABCD", HEADERS, strict=True):
        ws[f"{column}{HEADER_ROW}"] = header
    for r in rows:
        ws[f"A{r.row}"], ws[f"C{r.row}"] = r.key, r.value
    ws[f"C{next(r.row for r in rows if r.key == 'monthly.items.M05.full')}"] = 12
    path = tmp_path / "p.xlsx"
    wb.save(path)
    overrides = read_params(Cells.from_openpyxl(openpyxl.load_workbook(path)[PARAM_SHEET]))
    rules = load_rules(overrides=overrides)
    assert rules.monthly.items["M05"].full == 12
    assert rules.kpi.indicators["K1"].lower_is_better is False
    assert rules.tech.dimensions == RULES.tech.dimensions

    overrides["grade.bands.good.min"] = "很多"
    with pytest.raises(RuleError) as error:
        load_rules(overrides=overrides)
    assert "grade.bands.good.min" in str(error.value)
