"""The ribbon buttons end to end on real month workbooks, through the file engine: the same
functions Excel calls, the same validation/consolidation/template code as the CLI. Results and
errors come back as Chinese messages, never as a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from adopt_books import paper_counts

from xlpy import ribbon
from xlpy.adopt import adopt, layout_path, write_layout
from xlpy.consolidate.history import SavedSummary
from xlpy.demo.data import MISTAKE
from xlpy.demo.fill import retype
from xlpy.engines import FileWorkbook
from xlpy.forms import PARAM_SHEET, all_forms
from xlpy.forms.params import FIRST_ROW
from xlpy.rules import default_rules
from xlpy.template import load_roster
from xlpy.validate.job import validate_files

MONTH, POSITION, COLUMN, WRONG, RIGHT = MISTAKE


@pytest.fixture
def month_book(demo_typed: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample department's typed month workbook (conftest.py: the demo's
    mistake is in it), alone in its department folder."""
    folder = tmp_path / "部门"
    folder.mkdir()
    target = folder / f"售后考核-{MONTH}.xlsx"
    shutil.copyfile(demo_typed, target)
    return target


def correct_the_mistake(path: Path) -> None:
    forms = all_forms(default_rules())
    person = load_roster(None, [forms["M"]])[POSITION]
    retype(path, forms["M"], forms["M"].sheet_name(person.employee_id, person.name), COLUMN, RIGHT)


def set_parameter(path: Path, key: str, value: object) -> str:
    book = openpyxl.load_workbook(path)
    sheet = book[PARAM_SHEET]
    row = next(r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet[f"A{r}"].value == key)
    sheet.protection.sheet = False
    sheet[f"C{row}"] = value
    book.save(path)
    return f"C{row}"


@pytest.fixture(autouse=True)
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    log = tmp_path / "ribbon.log"
    monkeypatch.setattr(ribbon, "LOG_FILE", log)
    return log


def test_validate_marks_the_mistake_in_a_copy_and_names_the_cell(month_book: Path) -> None:
    before = month_book.read_bytes()
    result = ribbon.validate_sheet(FileWorkbook(month_book))
    assert not result.ok
    assert result.message.startswith("发现 1 个错误、0 个警告")
    assert f"填了 “{WRONG}”" in result.message and "应为 不小于 0 的整数" in result.message
    assert month_book.read_bytes() == before  # the file engine never writes the source
    assert result.written == month_book.with_name(f"售后考核-{MONTH}-标记.xlsx")
    cli = validate_files([month_book], MONTH)  # the CLI's validation finds the same cell
    (finding,) = cli.errors
    marked = openpyxl.load_workbook(result.written)[finding.sheet][finding.cell]
    assert marked.fill.fgColor.rgb == "FFFF9999" and "应为" in marked.comment.text


def test_validate_passes_once_corrected(month_book: Path) -> None:
    correct_the_mistake(month_book)
    result = ribbon.validate_sheet(FileWorkbook(month_book))
    assert result.ok and result.written is None
    assert result.message.startswith(f"校验通过:售后考核-{MONTH}.xlsx 的")


def test_consolidate_refuses_with_errors_then_writes_the_summary(month_book: Path) -> None:
    refused = ribbon.consolidate_month(FileWorkbook(month_book))
    assert not refused.ok and f"{MONTH} 有 1 个录入错误,未汇总" in refused.message
    summary = month_book.parent / f"汇总-{MONTH}.xlsx"
    assert not summary.exists()

    correct_the_mistake(month_book)
    done = ribbon.consolidate_month(FileWorkbook(month_book))
    assert done.ok, done.message
    assert done.written == summary and summary.is_file()
    assert f"已汇总 {MONTH}:1 个工作簿,12 人" in done.message
    grid = FileWorkbook(summary).values("汇总")
    totals = {row[0]: row[grid[2].index("总分")] for row in grid[3:] if row and row[0]}
    assert list(totals) == [p.employee_id for p in load_roster(None, [])]
    assert all(isinstance(total, float) for total in totals.values()), totals
    again = ribbon.consolidate_month(FileWorkbook(month_book))
    assert again.ok and again.written == summary and "汇总文件未改动" in again.message


def test_consolidate_names_the_other_workbook_that_has_errors(
    month_book: Path, demo_typed: Path
) -> None:
    correct_the_mistake(month_book)
    # a second copy, uncorrected
    shutil.copyfile(demo_typed, month_book.with_name("二班-补录.xlsx"))
    refused = ribbon.consolidate_month(FileWorkbook(month_book))
    assert not refused.ok and "未汇总" in refused.message
    assert "· 二班-补录.xlsx · 月考核-" in refused.message  # other files are named
    assert "本月有两份售后服务人员月考核表" in refused.message
    assert "另有" in refused.message and "未列出" in refused.message


def test_new_month_keeps_parameters_people_and_forms(month_book: Path) -> None:
    cell = set_parameter(month_book, "grade.bands.excellent.min", 95)
    result = ribbon.new_month(FileWorkbook(month_book))
    assert result.ok, result.message
    following = month_book.parent / "售后考核-2026-04.xlsx"
    assert result.written == following
    new = FileWorkbook(following)
    old = FileWorkbook(month_book)
    person_sheets = [s for s in old.sheet_names() if s.startswith(("月考核-", "考核评分-"))]
    assert person_sheets and set(person_sheets) <= set(new.sheet_names())
    params = {row[0]: row[2] for row in new.values(PARAM_SHEET)[FIRST_ROW - 1 :] if row[0]}
    assert params["grade.bands.excellent.min"] == 95
    assert cell.startswith("C")
    again = ribbon.new_month(FileWorkbook(month_book))
    assert not again.ok and "已存在,未覆盖" in again.message


def test_new_month_takes_its_people_from_the_roster_sheet_whatever_it_is_called(
    month_book: Path,
) -> None:
    book = openpyxl.load_workbook(month_book)
    roster = book["人员"]
    roster.title = "名单"
    roster.insert_rows(1)  # a title line above the header row
    roster["A1"] = "二〇二六年售后服务部人员"
    last = roster.max_row + 1
    for column, value in zip("ABC", ("3001", "周新", "二班"), strict=True):
        roster[f"{column}{last}"] = value  # someone who joined this month
    book.save(month_book)
    result = ribbon.new_month(FileWorkbook(month_book))
    assert result.ok, result.message
    sheets = FileWorkbook(month_book.parent / "售后考核-2026-04.xlsx").sheet_names()
    assert "月考核-3001-周新" in sheets


def test_update_parameters_lists_changes_and_marks_a_bad_value(month_book: Path) -> None:
    set_parameter(month_book, "grade.bands.excellent.min", 95)
    ok = ribbon.update_parameters(FileWorkbook(month_book))
    assert ok.ok and "与默认值不同的参数(1 项):grade.bands.excellent.min" in ok.message

    cell = set_parameter(month_book, "grade.bands.good.coefficient", "一点五")
    bad = ribbon.update_parameters(FileWorkbook(month_book))
    assert not bad.ok and "参数有 1 处问题" in bad.message
    assert f"{PARAM_SHEET}!{cell} · 参数 grade.bands.good.coefficient" in bad.message
    marked = month_book.with_name(f"售后考核-{MONTH}-标记.xlsx")
    assert openpyxl.load_workbook(marked)[PARAM_SHEET][cell].fill.fgColor.rgb == "FFFF9999"
    refused = ribbon.new_month(FileWorkbook(month_book))
    assert not refused.ok and "“参数”表有误" in refused.message


def rename_sheet(path: Path, old: str, new: str) -> None:
    """As Excel renames a sheet: the defined names referring to it follow (openpyxl alone
    leaves them on the old name, where the sheet's formulas would show #REF!)."""
    book = openpyxl.load_workbook(path)
    book[old].title = new
    for name in book.defined_names.values():
        name.attr_text = name.attr_text.replace(f"'{old}'!", f"'{new}'!")
    book.save(path)


def test_update_parameters_finds_the_table_by_its_content_whatever_the_sheet_is_called(
    month_book: Path,
) -> None:
    set_parameter(month_book, "grade.bands.excellent.min", 95)
    rename_sheet(month_book, PARAM_SHEET, "考核规则")
    ok = ribbon.update_parameters(FileWorkbook(month_book))
    assert ok.ok, ok.message
    assert "与默认值不同的参数(1 项):grade.bands.excellent.min" in ok.message

    cell = set_parameter_on(month_book, "考核规则", "grade.bands.good.coefficient", "一点五")
    bad = ribbon.update_parameters(FileWorkbook(month_book))
    assert not bad.ok and f"考核规则!{cell} · 参数 grade.bands.good.coefficient" in bad.message
    marked = month_book.with_name(f"售后考核-{MONTH}-标记.xlsx")
    assert openpyxl.load_workbook(marked)["考核规则"][cell].fill.fgColor.rgb == "FFFF9999"
    refused = ribbon.new_month(FileWorkbook(month_book))  # its 参数 errors, on the renamed sheet
    assert not refused.ok and "“参数”表有误" in refused.message and "考核规则!" in refused.message


def set_parameter_on(path: Path, sheet_name: str, key: str, value: object) -> str:
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    row = next(r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet[f"A{r}"].value == key)
    sheet[f"C{row}"] = value
    book.save(path)
    return f"C{row}"


def test_a_department_workbook_is_read_through_the_layout_beside_it(tmp_path: Path) -> None:
    """As ``xlpy validate`` and ``xlpy consolidate`` do: ``<BOOK>.layout.toml`` is used."""
    folder = tmp_path / "部门"
    folder.mkdir()
    made = paper_counts(folder)
    write_layout(adopt(made.path), layout_path(made.path))
    book = openpyxl.load_workbook(made.path)
    book["张三"]["E6"] = "两次"
    book.save(made.path)
    before = made.path.read_bytes()
    bad = ribbon.validate_sheet(FileWorkbook(made.path))
    assert not bad.ok and f"按布局文件 {layout_path(made.path).name} 读取本工作簿" in bad.message
    assert "张三!E6 · 通讯畅通·联系不上填了 “两次”" in bad.message
    assert openpyxl.load_workbook(bad.written)["张三"]["E6"].fill.fgColor.rgb == "FFFF9999"
    assert made.path.read_bytes() == before

    book["张三"]["E6"] = 2
    book.save(made.path)
    good = ribbon.validate_sheet(FileWorkbook(made.path))
    assert good.ok and "发现 0 个错误" in good.message, good.message  # the 参数 warning only
    done = ribbon.consolidate_month(FileWorkbook(made.path))
    assert done.ok, done.message
    summary = SavedSummary(done.written).summary
    assert summary.loc[list(made.totals), "总分"].astype(float).to_dict() == made.totals


def test_help_names_the_versions(month_book: Path) -> None:
    result = ribbon.show_help(FileWorkbook(month_book))
    assert result.ok and "xlwings 0.37.8" in result.message and month_book.name in result.message


def test_a_workbook_that_is_not_a_month_workbook(tmp_path: Path) -> None:
    other = tmp_path / "其他.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "备忘"
    book.save(other)
    assert "没有找到参数表" in ribbon.update_parameters(FileWorkbook(other)).message
    month = ribbon.consolidate_month(FileWorkbook(other))
    assert not month.ok and "无法确定考核月份(表中没有填写月份)" in month.message


def test_unsaved_workbook_is_asked_to_be_saved(month_book: Path) -> None:
    book = FileWorkbook(month_book)
    month_book.unlink()
    result = ribbon.consolidate_month(book)
    assert not result.ok and "还没有保存 · 请先保存工作簿" in result.message


def test_unexpected_errors_become_a_message_and_a_log_entry(
    month_book: Path, log_file: Path
) -> None:
    class Broken(FileWorkbook):
        def sheet_names(self) -> list[str]:
            raise RuntimeError("disk vanished")

    result = ribbon.update_parameters(Broken(month_book))
    assert not result.ok and "程序内部错误" in result.message and str(log_file) in result.message
    assert "Traceback" not in result.message
    assert "RuntimeError: disk vanished" in log_file.read_text(encoding="utf-8")


def test_pressed_in_excel_without_excel_still_answers_in_chinese(log_file: Path) -> None:
    """What RunPython calls: no argument, so the function asks xlwings for the calling book.
    Without Excel that fails; the user-facing result is still a Chinese message."""
    result = ribbon.show_help()
    assert not result.ok and "程序内部错误" in result.message
    assert "帮助 failed" in log_file.read_text(encoding="utf-8")
