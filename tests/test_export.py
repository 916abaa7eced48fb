"""``xlpy export SUMMARY --payroll``: the pay hand-off, opened by LibreOffice in both encodings."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import uuid

import openpyxl
import pytest
from lo_convert import CSV_FILTER
from period_months import month_summary

from xlpy.engines import FileWorkbook
from xlpy.errors import XlpyError
from xlpy.export import export_payroll
from xlpy.period import parse_period, run_period

PEOPLE = {"3001": ("甲一", "一班"), "3002": ("欧阳明远", "一班"), "3003": ("张伟", "二班")}
HEADER = ["工号", "姓名", "班组", "月份", "百分制", "等级", "绩效系数", "状态"]
LO_CHARSET = {"utf-8-sig": 76, "gbk": 67}  # LibreOffice's rtl_TextEncoding numbers


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pay")
    path = month_summary(
        folder,
        "2026-01",
        {"3001": {"M01.unreachable": 2}, "3002": {}, "3003": {"M11": "是"}},
        people=PEOPLE,
    )
    # A name beginning with "=", stored as text in the summary. (Through the roster it cannot
    # be done yet: the template writes such a name into the form as a formula.)
    book = openpyxl.load_workbook(path)
    cell = book["汇总"]["B4"]
    assert cell.value == "甲一"
    cell.value, cell.data_type = "=1+1", "s"
    book.save(path)
    return path


def _libreoffice(path, charset: int, outdir):
    """Open the CSV in LibreOffice (the given charset) and save it again as UTF-8 CSV."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = f"/tmp/lo-xlpy-{uuid.uuid4().hex}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            f"--infilter=CSV:44,34,{charset},1",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.rmtree(profile, ignore_errors=True)
    converted = next(outdir.glob(f"{path.stem}*.csv"))
    with converted.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_payroll_csv_opens_in_libreoffice_with_chinese_intact(summary, tmp_path, encoding):
    path, _ = export_payroll(summary, tmp_path / "pay.csv", encoding)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    rows = _libreoffice(path, LO_CHARSET[encoding], tmp_path / "lo")
    assert rows[0] == HEADER
    by_id = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert by_id["3002"]["姓名"] == "欧阳明远" and by_id["3002"]["班组"] == "一班"
    assert by_id["3001"]["姓名"] == "'=1+1"  # arrives as text, never evaluated to 2
    assert by_id["3001"]["百分制"] == "97.65" and by_id["3001"]["等级"] == "优秀"
    assert by_id["3001"]["绩效系数"] == "1.2" and by_id["3001"]["月份"] == "2026-01"
    assert by_id["3003"]["状态"] == "取消" and by_id["3003"]["绩效系数"] == "0.5"
    assert by_id["3002"]["百分制"] == "100"


def test_payroll_xlsx_has_only_the_pay_columns(summary, tmp_path):
    path, _ = export_payroll(summary, tmp_path / "pay.xlsx")
    book = FileWorkbook(path)
    grid = book.values(book.sheet_names()[0])
    assert grid[0] == HEADER
    rows = {row[0]: row for row in grid[1:]}
    assert rows["3001"][1] == "=1+1"  # the name as on the roster, a quote-prefixed text cell
    assert not book.formula_cells(book.sheet_names()[0])
    cell = openpyxl.load_workbook(path).active.cell(2 + list(rows).index("3001"), 2)
    assert cell.data_type == "s" and cell.quotePrefix
    assert rows["3001"][4] == 97.65 and rows["3003"][7] == "取消"


def test_period_summary_exports_its_period(summary, tmp_path):
    outcome = run_period(
        summary.parent, parse_period("2026Q1", None), tmp_path / "汇总-2026Q1.xlsx"
    )
    _, table = export_payroll(outcome.path, tmp_path / "q.csv")
    assert list(table.columns) == [*HEADER[:3], "期间", *HEADER[4:]]
    assert set(table["期间"]) == {"2026Q1"}


def test_gbk_refuses_a_character_it_cannot_hold(tmp_path):
    path = month_summary(tmp_path, "2026-02", {"3001": {}}, people={"3001": ("吉𠮷", "一班")})
    refusal = "工号 3001(吉𠮷)含 GBK 无法表示的字符“𠮷” · 应为 改用"
    with pytest.raises(XlpyError, match=re.escape(refusal)):
        export_payroll(path, tmp_path / "pay.csv", "gbk")
    assert not (tmp_path / "pay.csv").exists()


def test_cli_exports_and_refuses_a_non_summary(summary, tmp_path):
    def xlpy(*args):
        return subprocess.run(
            [sys.executable, "-c", "from xlpy.cli import main; main()", *args],
            check=False,
            capture_output=True,
            text=True,
        )

    result = xlpy("export", str(summary), "--payroll", "-o", str(tmp_path / "p.csv"))
    assert result.returncode == 0 and "已导出 3 人" in result.stdout, result.stderr
    junk = tmp_path / "汇总-2026-05.xlsx"
    junk.write_bytes(b"")
    result = xlpy("export", str(junk), "--payroll")
    assert result.returncode == 2 and "汇总-2026-05.xlsx · (整个文件) · 文件为空" in result.stderr
    assert "Traceback" not in result.stderr
