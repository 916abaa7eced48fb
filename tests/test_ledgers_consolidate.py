"""The ledgers inside ``xlpy validate`` and ``xlpy consolidate`` (real CLI, real files): ledger
problems with their cells, suggested M02/M05 counts beside the supervisors' entries, warnings on
disagreements, the supervisor's entry still scoring, and the summary's 月报表 / 台账核对 sheets
read back by LibreOffice."""

import json
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from lo_convert import soffice_csv
from xlpy_cli import run_xlpy

from xlpy.forms import all_forms
from xlpy.ledgers.fill import fill_ledgers
from xlpy.ledgers.sample import sample_headers, sample_ledgers
from xlpy.ledgers.sheets import ledger_form
from xlpy.rules import default_rules

MONTH = "2026-11"


def month_workbook(blank: Path, folder: Path, bad_expense: bool = False) -> Path:
    """The blank ledgers month workbook (conftest.ledgers_book), typed in, saved in ``folder``."""
    path = folder / blank.name
    book = openpyxl.load_workbook(blank)
    form = all_forms(default_rules())["M"]
    people = [(r[0].value, r[1].value) for r in book["人员"].iter_rows(min_row=2) if r[0].value]
    for pid, name in people:
        sheet = book[form.sheet_name(pid, name)]
        for column, value in (("M09", "强"), ("M10", "多"), ("M11", "否")):
            sheet[form.entry_cell(column).address] = value
    # 刘洋 (1003): supervisor enters 2 late days, the fee log shows 3; 李娜 (1002): supervisor
    # enters no unclear account, the parts log shows a part never returned.
    book[form.sheet_name(*people[2])][form.entry_cell("M02.late_days").address] = 2
    data = sample_ledgers(MONTH, [name for _, name in people[:3]])
    if bad_expense:
        data["expense_book"].loc[0, "amount"] = "820元"
        data["expense_book"].loc[1, "date"] = date(2026, 10, 30)
    fill_ledgers(book, data, sample_headers())
    book.save(path)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory, ledgers_book) -> Path:
    folder = tmp_path_factory.mktemp("month")
    month_workbook(ledgers_book, folder)
    return folder


def test_validate_reports_disagreements_on_the_supervisors_cells(folder):
    result = run_xlpy("validate", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["problems"]
    warnings = {(f["sheet"], f["cell"]): f["problem"] for f in findings}
    form = all_forms(default_rules())["M"]
    late = form.entry_cell("M02.late_days").address
    unclear = form.entry_cell("M05.unclear_account").address
    assert warnings[("月考核-1003-刘洋", late)].startswith(
        "M02 服务费上交·延迟天数填报 2,台账记录为 3"
    )
    assert warnings[("月考核-1002-李娜", unclear)].startswith(
        "M05 配件管理·账目不清填报 0,台账记录为 1"
    )
    assert all(f["severity"] == "warning" for f in findings) and len(findings) == 2


def test_ledger_errors_stop_nothing_but_are_listed_with_cells(ledgers_book, tmp_path):
    path = month_workbook(ledgers_book, tmp_path, bad_expense=True)
    result = run_xlpy("validate", str(path))
    first = ledger_form("expense_book").table.first_row
    assert f"费用开支登记簿!E{first} · 金额 “820元”:是文字,不是金额" in result.stdout
    assert (
        f"费用开支登记簿!A{first + 1} · 日期 “2026-10-30”:日期不在本月(2026年11月)内"
        in result.stdout
    )
    assert result.returncode != 0


def test_parameter_sheet_changes_the_late_day_count(ledgers_book, tmp_path):
    from xlpy.forms import param_rows

    path = month_workbook(ledgers_book, tmp_path)
    book = openpyxl.load_workbook(path)
    row = next(r.row for r in param_rows(default_rules()) if r.key == "ledgers.approved_days")
    assert book["参数"][f"A{row}"].value == "ledgers.approved_days"
    book["参数"][f"C{row}"] = 0  # no extra day for an approved next-day hand-in
    book.save(path)
    findings = json.loads(run_xlpy("validate", str(path), "--json").stdout)["problems"]
    late = [f["problem"] for f in findings if f["problem"].startswith("M02")]
    # 李娜's approved Fri→Sat hand-in and 刘洋's approved Thu→Fri one now count 1 day each
    note = "(见汇总「台账核对」);计分仍以填报为准"
    assert late == [
        f"M02 服务费上交·延迟天数填报 0,台账记录为 1{note}",
        f"M02 服务费上交·延迟天数填报 2,台账记录为 4{note}",
    ]


def sheets_as_csv(path: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet of one workbook as LibreOffice exports it to CSV, by sheet name."""
    return {sheet: rows for (_, sheet), rows in soffice_csv([path], outdir).items()}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")
def test_consolidated_summary_has_the_month_report_and_the_evidence(folder, tmp_path):
    out = tmp_path / "汇总-2026-11.xlsx"
    result = run_xlpy("consolidate", str(folder), "--month", MONTH, "-o", str(out))
    assert result.returncode == 0, result.stderr
    sheets = sheets_as_csv(out, tmp_path / "csv")
    report = sheets["月报表"]
    assert report[0][0] == "SH/BD-06 进销存及资金使用情况月报表  2026-11"
    stock = {row[0]: row[2:8] for row in report if row and row[0].startswith("P-")}
    assert stock["P-100"] == ["20", "10", "11", "0", "0", "19"]
    assert stock["P-400"] == ["8", "6", "4", "0", "2", "8"]
    evidence = sheets["台账核对"]
    rows = {(r[0], r[2][:3]): r for r in evidence if len(r) > 6 and r[0].isdigit()}
    assert rows[("1003", "M02")][3:6] == ["2", "3", "否"]
    assert rows[("1002", "M05")][3:6] == ["0", "1", "否"]
    assert rows[("1001", "M02")][3:6] == ["0", "0", "是"]
    ledgers = ("服务费收取记录", "保修配件更换记录")
    listed = [r for r in evidence if r and r[-2:] and r[-2] in ledgers]
    assert sorted((r[0], r[3]) for r in listed) == sorted([("李娜", "1"), ("刘洋", "3")])
    # the supervisor's entry keeps scoring: 刘洋's M02 is 5 − 2×1 = 3, not 5 − 3
    explained = [
        cell
        for row in sheets["明细"]
        if row[:2] == ["1003", "刘洋"]
        for cell in row
        if cell.startswith("M02 服务费上交:")
    ]
    assert explained == ["M02 服务费上交: 5 − 2×1 = 3"]


def test_demo_latest_month_carries_sample_ledgers(demo_quarter):
    from xlpy.demo.data import MONTHS
    from xlpy.engines import FileWorkbook

    run = demo_quarter.run
    latest = FileWorkbook(run.summaries[MONTHS[-1]])
    assert {"月报表", "台账核对"} <= set(latest.sheet_names())
    report = latest.values("月报表")
    stock = {row[0]: row[2:8] for row in report if row and str(row[0]).startswith("P-")}
    assert stock["P-100"] == [20, 10, 11, 0, 0, 19]
    evidence = {
        (r[0], r[2][:3]): r[3:6]
        for r in latest.values("台账核对")
        if r and isinstance(r[0], str) and r[0].isdigit() and len(r) > 5
    }
    assert evidence[("2006", "M02")] == [2, 3, "否"]  # data.EVENTS: 2 entered; the fee log: 3
    assert evidence[("1002", "M05")] == [1, 1, "是"]
    earlier = FileWorkbook(run.summaries[MONTHS[0]])
    assert "月报表" not in earlier.sheet_names()
