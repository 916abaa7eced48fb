"""``xlpy template --ledgers``: the month workbook gains the ledger sheets, staff type a month of
ledgers into it (openpyxl, as Excel would save them), and the ledgers read back clean."""

import openpyxl
from xlpy_cli import run_xlpy

from xlpy.engines import FileWorkbook
from xlpy.ledgers.book import ledger_month
from xlpy.ledgers.catalog import LEDGERS
from xlpy.ledgers.fill import fill_ledgers
from xlpy.ledgers.sample import sample_headers, sample_ledgers
from xlpy.ledgers.sheets import ledger_form

MONTH = "2026-11"


def test_template_adds_every_ledger_sheet_after_the_department_sheets(ledgers_book, tmp_path):
    book = openpyxl.load_workbook(ledgers_book)
    names = book.sheetnames
    ledgers = [lg.sheet for lg in LEDGERS.values()]
    assert names[-len(ledgers) :] == ledgers
    assert "部门评价" in names[: -len(ledgers)]
    fee = book["服务费收取记录"]
    form = ledger_form("fee_log")
    assert fee["A1"].value == "服务费收取记录" and fee["B3"].value == MONTH
    rules = {str(dv.sqref): dv.formula1 for dv in fee.data_validations.dataValidation}
    first, last = form.table.first_row, form.table.last_row
    assert rules[f"B{first}:B{last}"] == "staff_names"  # engineers from the 人员 sheet
    assert fee[f"A{first}"].number_format == "yyyy-mm-dd"
    assert fee[f"D{first}"].number_format == "#,##0.00"
    assert fee.protection.sheet and not fee[f"A{first}"].protection.locked
    assert book["零配件销货卡"]["A2"].value == "表号 SH/BD-01"
    no_ledgers = run_xlpy("template", "--month", MONTH, "-o", str(tmp_path / "plain.xlsx"))
    assert no_ledgers.returncode == 0
    plain = openpyxl.load_workbook(tmp_path / "plain.xlsx")
    assert "服务费收取记录" not in plain.sheetnames


def test_typed_ledgers_in_the_month_workbook_read_back_clean(ledgers_book, tmp_path):
    book = openpyxl.load_workbook(ledgers_book)
    names = [c.value for c in book["人员"]["B"][1:] if c.value]
    filled = fill_ledgers(book, sample_ledgers(MONTH, names), sample_headers())
    assert len(filled) == len(LEDGERS)
    path = tmp_path / "filled.xlsx"
    book.save(path)
    month = ledger_month(FileWorkbook(path), MONTH, names)
    assert month.problems == []
    assert month.report.quota == 3000
    assert month.evidence.counts.sum().to_dict() == {"M02.late_days": 3, "M05.unclear_account": 1}
