"""Ledger sheets on real files: laid out by ``xlpy template --ledgers`` (what staff receive),
typed into with openpyxl, read back with the file engine (calamine), validated with cell
addresses; their date validations as LibreOffice reads them; the 月报表 read back by LibreOffice;
slips printed to PDF by LibreOffice, one page per copy with its label."""

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lo_convert import soffice_csv, soffice_xlsx
from openpyxl.utils.datetime import from_excel
from xlpy_cli import run_xlpy

from xlpy.consolidate.writer import open_book
from xlpy.engines import FileWorkbook
from xlpy.ledgers.book import ledger_month
from xlpy.ledgers.catalog import LEDGERS, Col, copy_label
from xlpy.ledgers.evidence import LATE, UNCLEAR, compare_with_entries
from xlpy.ledgers.fill import fill_ledgers
from xlpy.ledgers.report_sheet import (
    EVIDENCE_SHEET,
    REPORT_SHEET,
    write_evidence,
    write_month_report,
)
from xlpy.ledgers.sample import PARTS, QUOTA, sample_headers, sample_ledgers
from xlpy.ledgers.sheets import ledger_form

MONTH = "2026-11"
ROSTER = ["张三", "李四", "王五"]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")


@pytest.fixture(scope="module")
def blank_book(tmp_path_factory) -> Path:
    """What ``xlpy template --month 2026-11 --ledgers`` writes for a department of three."""
    folder = tmp_path_factory.mktemp("template")
    roster = folder / "人员.csv"
    roster.write_text(
        "工号,姓名,班组\n" + "".join(f"100{i},{n},一组\n" for i, n in enumerate(ROSTER, 1)),
        encoding="utf-8",
    )
    out = folder / f"售后考核-{MONTH}.xlsx"
    result = run_xlpy(
        "template", "--month", MONTH, "--ledgers", "--roster", str(roster), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def write_book(blank_book):
    """The template's ledger sheets with ``data`` and ``headers`` typed in, saved at ``path``."""

    def write(path: Path, data=None, headers=None) -> Path:
        book = openpyxl.load_workbook(blank_book)
        fill_ledgers(book, data or {}, headers)
        book.save(path)
        return path

    return write


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory, write_book) -> Path:
    path = tmp_path_factory.mktemp("ledgers") / "台账-2026-11.xlsx"
    return write_book(path, sample_ledgers(MONTH, ROSTER), sample_headers())


@pytest.fixture(scope="module")
def month(sample_book):
    return ledger_month(FileWorkbook(sample_book), MONTH, ROSTER)


def test_every_ledger_sheet_is_written_and_read_back(sample_book, month):
    book = openpyxl.load_workbook(sample_book)
    assert book.sheetnames[-len(LEDGERS) :] == [lg.sheet for lg in LEDGERS.values()]
    card = book["零配件销货卡"]
    assert card["A1"].value == "零配件销货卡" and card["A2"].value == "表号 SH/BD-01"
    assert book["费用开支登记簿"]["A2"].value == "表号 SH/BD-07"
    assert book["经济核算日报"]["A2"].value == "表号 SH/BD-05"
    expense = ledger_form("expense_book")
    quota_cell = expense.entries[1].address
    assert book["费用开支登记簿"][quota_cell].value == QUOTA
    # data validation derived from the description: the 人员 sheet's names, 是/否
    fee_form = ledger_form("fee_log")
    rules = {str(dv.sqref): dv for dv in book["服务费收取记录"].data_validations.dataValidation}
    first, last = fee_form.table.first_row, fee_form.table.last_row
    assert rules[f"B{first}:B{last}"].formula1 == "staff_names"
    assert book.defined_names["staff_names"].attr_text == "'人员'!$B$2:$B$4"
    assert rules[f"E{first}:E{last}"].formula1 == '"是,否"'
    assert month.problems == []
    assert {k: len(r.rows) for k, r in month.readings.items()} == {
        k: len(v) for k, v in sample_ledgers(MONTH, ROSTER).items()
    }
    assert month.report.quota == QUOTA


def date_rules(path: Path) -> dict[tuple[str, str], tuple[str, date, date]]:
    """Every date validation of a workbook: (sheet, range) → (operator, first day, last day)."""
    found = {}
    for sheet in openpyxl.load_workbook(path):
        for dv in sheet.data_validations.dataValidation:
            if dv.type == "date":
                first, last = (from_excel(float(f)).date() for f in (dv.formula1, dv.formula2))
                found[(sheet.title, str(dv.sqref))] = (dv.operator or "between", first, last)
    return found


def expected_date_rules() -> dict[tuple[str, str], tuple[str, date, date]]:
    """Every date column of every ledger: days of November; late_ok columns December too."""
    expected = {}
    for key, ledger in LEDGERS.items():
        table = ledger_form(key).table
        for column, spec in zip(ledger.columns, table.columns, strict=True):
            if column.kind is Col.DATE:
                cells = f"{spec.letter}{table.first_row}:{spec.letter}{table.last_row}"
                last = date(2026, 12, 31) if column.late_ok else date(2026, 11, 30)
                expected[(ledger.sheet, cells)] = ("between", date(2026, 11, 1), last)
    return expected


def test_every_date_column_staff_receive_accepts_only_its_days(blank_book):
    found, expected = date_rules(blank_book), expected_date_rules()
    assert found == expected
    assert ("服务费收取记录", "G6:G205") in found  # 缴款日期 may fall in the next month
    assert len(expected) >= len(LEDGERS)
    fees = openpyxl.load_workbook(blank_book)["服务费收取记录"]
    paid = next(dv for dv in fees.data_validations.dataValidation if str(dv.sqref) == "G6:G205")
    assert (
        paid.showErrorMessage and paid.error == "缴款日期:应为 2026-11-01 至 2026-12-31 之间的日期"
    )


@needs_soffice
def test_libreoffice_reads_the_same_date_validations(blank_book, tmp_path):
    saved_by_libreoffice = soffice_xlsx(blank_book, tmp_path / "lo")
    assert date_rules(saved_by_libreoffice) == expected_date_rules()


def test_bad_entries_are_reported_with_their_cells(tmp_path, write_book):
    data = sample_ledgers(MONTH, ROSTER)
    headers = {**sample_headers(), "expense_book": {"quota": 1000}}
    expense = data["expense_book"].copy()
    expense.loc[1, "amount"] = 640.555
    expense.loc[2, "date"] = date(2026, 12, 1)
    data["expense_book"] = expense
    fees = data["fee_log"].copy()
    fees.loc[0, "paid_on"] = date(2026, 11, 3)  # before the collection on the 4th
    data["fee_log"] = fees
    path = write_book(tmp_path / "bad.xlsx", data, headers)
    findings = ledger_month(FileWorkbook(path), MONTH, ROSTER).findings(path.name)
    expense_first = ledger_form("expense_book").table.first_row
    fee_first = ledger_form("fee_log").table.first_row
    places = {}
    for f in findings:
        places.setdefault((f.sheet, f.cell), []).append(f.problem)
    assert places[("费用开支登记簿", f"E{expense_first + 1}")] == ["金额 640.555:金额最多两位小数"]
    assert places[("费用开支登记簿", f"A{expense_first + 2}")] == [
        "日期 “2026-12-01”:日期不在本月(2026年11月)内"
    ]
    assert places[("服务费收取记录", f"G{fee_first}")] == [
        "缴款日期 “2026-11-03”:缴款单日期早于收取日期",
        "缴款日期 “2026-11-03”:与缴款单日期 2026-11-04 不符",
    ]
    quota = ledger_form("expense_book").entries[1].address
    # the bad 640.555 is not counted
    assert places[("费用开支登记簿", quota)] == ["本月费用开支 1820 超过费用定额 1000"]
    assert [f.severity for f in findings] == ["error"] * 4 + ["warning"]
    assert all(f.line().startswith("bad.xlsx · ") for f in findings)


def sheets_as_csv(path: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet of one workbook as LibreOffice exports it to CSV, by sheet name."""
    return {sheet: rows for (_, sheet), rows in soffice_csv([path], outdir).items()}


def section(rows: list[list[str]], first: str) -> list[list[str]]:
    top = next(i for i, row in enumerate(rows) if row and row[0] == first)
    body = []
    for row in rows[top + 1 :]:
        if not row or not row[0]:
            break
        body.append(row)
    return body


@needs_soffice
def test_month_report_read_back_by_libreoffice_matches_independent_sums(month, tmp_path):
    path = tmp_path / "summary.xlsx"
    book, styles = open_book(path)
    write_month_report(book, styles, month.report)
    entered = pd.DataFrame({LATE: [0, 0, 2], UNCLEAR: [0, 1, 0]}, index=ROSTER)
    write_evidence(book, styles, compare_with_entries(month.evidence, entered), month.evidence)
    book.close()
    sheets = sheets_as_csv(path, tmp_path / "csv")
    report = sheets[REPORT_SHEET]
    raw = sample_ledgers(MONTH, ROSTER)
    for row in section(report, "配件编号"):
        part = row[0]
        opening = PARTS[part][2]
        received = sum(r["qty"] for _, r in raw["receipt_slip"].iterrows() if r["part_no"] == part)
        issued = sum(r["qty"] for _, r in raw["issue_slip"].iterrows() if r["part_no"] == part)
        moved_in = sum(
            r["qty"]
            for _, r in raw["transfer_slip"].iterrows()
            if r["part_no"] == part and r["direction"] == "调入"
        )
        moved_out = sum(
            r["qty"]
            for _, r in raw["transfer_slip"].iterrows()
            if r["part_no"] == part and r["direction"] == "调出"
        )
        closing = opening + received - issued + moved_in - moved_out
        assert [float(v) for v in row[2:9]] == [
            opening,
            received,
            issued,
            moved_in,
            moved_out,
            closing,
            closing,
        ], part
    funds = {row[0]: row[1] for row in section(report, "项目")}
    assert float(funds["费用开支"]) == pytest.approx(820.00 + 640.50 + 1000.00)
    assert float(funds["定额结余"]) == pytest.approx(QUOTA - 2460.50)
    assert float(funds["服务费收入"]) == pytest.approx(sum(raw["fee_log"]["amount"]))
    evidence = sheets[EVIDENCE_SHEET]
    table = {(r[0], r[1][:3]): r for r in section(evidence, "工程师")}
    assert table[("王五", "M02")][2:5] == ["2", "3", "否"]  # entered 2, ledgers say 3
    assert table[("李四", "M05")][2:5] == ["1", "1", "是"]
    ledgers = ("服务费收取记录", "保修配件更换记录")
    rows = [r for r in evidence if r and r[-1].isdigit() and r[-2] in ledgers]
    assert len(rows) == 2 and "迟 3 个工作日" in " ".join(rows[1])


def cli(*args: str) -> subprocess.CompletedProcess:
    """Run the real ``xlpy`` command line in a child process."""
    code = "import xlpy.cli.ledgers; from xlpy.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for i in range(1, count + 1)
    ]


@needs_soffice
def test_print_transfer_slips_one_page_per_copy(sample_book, tmp_path):
    out = tmp_path / "调拨单.pdf"
    result = cli(
        "print", str(sample_book), "调拨单", "--pdf", "--out", str(out), "--company", "XX公司"
    )
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(out)
    ledger = LEDGERS["transfer_slip"]
    assert len(pages) == 2 * 5  # two slips × 一式五联
    for page_no, text in enumerate(pages):
        slip, copy = divmod(page_no, 5)
        label = copy_label(copy, ledger.copies[copy])
        assert label in text
        assert f"售后调字第{['001', '002'][slip]}号" in text
        assert "XX公司调拨单" in text
        others = [copy_label(i, d) for i, d in enumerate(ledger.copies) if i != copy]
        assert not any(o in text for o in others)
    assert "第一联 材料会计联" in pages[0] and "第五联 财务会计部联" in pages[4]
    assert "售后二分部" in pages[0] and "总公司配件库" in pages[5]


@needs_soffice
def test_print_one_receipt_and_goods_receipt_note(sample_book, tmp_path):
    from xlpy.ledgers.book import read_ledger_sheets
    from xlpy.ledgers.printing import print_slips

    readings = read_ledger_sheets(FileWorkbook(sample_book))
    out, pages = print_slips(
        LEDGERS["goods_receipt"],
        readings["goods_receipt"].rows,
        tmp_path / "收货单.pdf",
        number="SH2611-01",
    )
    texts = pdf_pages(out)
    assert pages == len(texts) == 3
    assert [t for t in texts if "第一联 仓库留存联" in t] == [texts[0]]
    assert "本联不发送" in texts[1] and "本联不发送" not in texts[0] + texts[2]
    assert "第三联 财会室联" in texts[2] and "送货人有送货单" in texts[2]


def test_print_errors_are_chinese(sample_book, tmp_path):
    wrong_sheet = cli("print", str(sample_book), "日报")
    assert wrong_sheet.returncode == 2 and "没有工作表 日报" in wrong_sheet.stderr
    not_slip = cli("print", str(sample_book), "费用开支登记簿")
    assert not_slip.returncode == 2 and "不是可按联打印的单据" in not_slip.stderr
    unknown = cli(
        "print", str(sample_book), "入库单", "-n", "RK-404", "-o", str(tmp_path / "x.xlsx")
    )
    assert unknown.returncode == 2 and "没有编号为 RK-404 的单据" in unknown.stderr


def test_print_without_pdf_writes_copies_workbook(sample_book, tmp_path):
    out = tmp_path / "copies.xlsx"
    result = cli("print", str(sample_book), "缴款单", "-n", "JK2611-03", "-o", str(out))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) == 3
    labels = [
        next(
            c.value
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str) and c.value.startswith("第")
        )
        for ws in book
    ]
    assert labels == ["第一联 收款员存根联", "第二联 财会室联", "第三联 营业单位联"]
    assert all(ws.sheet_properties.pageSetUpPr.fitToPage for ws in book)


def test_review_warns_on_month_cell_second_holder_and_unknown_month(sample_book, tmp_path):
    from dataclasses import dataclass

    from xlpy.ledgers.review import review_ledgers
    from xlpy.rules import default_rules

    @dataclass
    class Held:  # what review_ledgers needs of a read workbook: its name and its port
        name: str
        book: FileWorkbook

    book = openpyxl.load_workbook(sample_book)
    book["调拨单"]["B3"] = "2026-10"
    other = tmp_path / "other.xlsx"
    book.save(other)
    people = pd.DataFrame({"name": ROSTER}, index=["1001", "1002", "1003"])
    held = [Held("a.xlsx", FileWorkbook(other)), Held("b.xlsx", FileWorkbook(sample_book))]
    review, findings = review_ledgers(held, MONTH, default_rules(), people)
    assert review is not None and review.file == "a.xlsx"
    lines = [f.line() for f in findings]
    assert "a.xlsx · 调拨单!B3 · 月份 2026-10 与本次核对的月份不符 · 应为 2026-11" in lines
    twice = "b.xlsx · (整个文件) · 台账工作表也出现在 a.xlsx 中"
    assert any(line.startswith(twice) for line in lines)
    assert list(review.comparison["pid"].unique()) == ["1001", "1002", "1003"]
    none, unknown = review_ledgers(held[:1], "2026-10、2026-11", default_rules(), people)
    assert none is None and "无法确定台账所属的月份" in unknown[0].problem
