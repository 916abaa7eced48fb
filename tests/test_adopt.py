"""xlpy adopt: department workbooks laid out in ways our template never writes are recognised by
their words, read through the layout file, and consolidated to the scores worked out by hand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from adopt_books import (
    FULL,
    KINDS,
    Book,
    deducted_points,
    grid,
    grid_deducted,
    paper_counts,
    percent_deducted,
    through_libreoffice,
)
from openpyxl import load_workbook
from xlpy_cli import run_xlpy

from xlpy.adopt import (
    adopt,
    find_layout,
    layout_path,
    layouts_for,
    read_layout,
    validate_adopted_book,
    write_layout,
)
from xlpy.consolidate.history import SavedSummary
from xlpy.core.monthly import score_monthly
from xlpy.engines import FileWorkbook
from xlpy.errors import XlpyError
from xlpy.rules import default_rules
from xlpy.validate.job import validate_files

MONTH = "2026-11"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


CASES = [
    *KINDS,
    "paper_counts+libreoffice",
    "grid+libreoffice",
    "deducted_points+libreoffice",
    "grid_deducted+libreoffice",
]


@pytest.fixture(params=CASES)
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Book:
    kind, _, saved_by = request.param.partition("+")
    made = KINDS[kind](tmp_path)
    return through_libreoffice(made, tmp_path / "lo") if saved_by else made


def test_adopted_without_help_and_scored_as_by_hand(book: Book):
    before = _digest(book.path)
    run = run_xlpy("adopt", str(book.path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert _digest(book.path) == before  # the source is never modified
    layout = read_layout(layout_path(book.path))
    assert not any(sheet.missing for sheet in layout.sheets)
    unmatched = [text for sheet in layout.sheets for text in sheet.unmatched]
    assert all("安全生产" in text for text in unmatched)  # the one row no rule has
    assert not any("分值" in entry.note for sheet in layout.sheets for entry in sheet.entries)
    batch = validate_files([book.path], layouts=layouts_for([book.path]))
    assert batch.errors == []
    scores = batch.results["M"].scores
    assert scores["total"].to_dict() == pytest.approx(book.totals)
    for pid, items in book.items.items():
        assert scores.loc[pid, list(items)].to_dict() == pytest.approx(items)
    assert batch.month == MONTH


def test_consolidate_uses_the_layout_beside_the_workbook(tmp_path: Path):
    books = [paper_counts(tmp_path), percent_deducted(tmp_path)]
    for made in books:
        assert run_xlpy("adopt", str(made.path)).returncode == 0
    digests = [_digest(made.path) for made in books]
    run = run_xlpy("consolidate", str(tmp_path), "--month", MONTH)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = SavedSummary(tmp_path / f"汇总-{MONTH}.xlsx").summary
    totals = {pid: total for made in books for pid, total in made.totals.items()}
    assert summary.loc[list(totals), "总分"].astype(float).to_dict() == pytest.approx(totals)
    assert [_digest(made.path) for made in books] == digests


def test_review_lists_what_it_could_not_match(tmp_path: Path):
    made = paper_counts(tmp_path)
    run = run_xlpy("adopt", str(made.path))
    assert "安全生产" in run.stdout and "未能对应" in run.stdout
    text = layout_path(made.path).read_text(encoding="utf-8")
    assert "安全生产" in text  # listed in the layout file too, for whoever edits it
    assert "另有「转运损伤」未计" in text  # one cell, two kinds of deduction: said, not hidden


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice"])
def test_deducted_points_are_scored_and_explained_in_the_summary(tmp_path: Path, saved_by: str):
    folder = tmp_path / "month"
    folder.mkdir(exist_ok=True)
    books = [deducted_points(tmp_path), grid_deducted(tmp_path), percent_deducted(tmp_path)]
    if saved_by == "libreoffice":
        books = [through_libreoffice(made, folder) for made in books]
    else:
        for made in books:
            made.path = made.path.rename(folder / made.path.name)
    for made in books:
        assert run_xlpy("adopt", str(made.path)).returncode == 0
    run = run_xlpy("consolidate", str(folder), "--month", MONTH)
    assert run.returncode == 0, run.stdout + run.stderr
    saved = SavedSummary(folder / f"汇总-{MONTH}.xlsx")
    totals = {pid: total for made in books for pid, total in made.totals.items()}
    assert saved.summary.loc[list(totals), "总分"].astype(float).to_dict() == pytest.approx(totals)
    detail = {key: text for key, text in saved.detail.items() if key[1].startswith("M0")}
    assert detail[("1006", "M03 维修记录单")] == "M03 维修记录单: 5 − 1.5(扣分) = 3.5"
    assert detail[("1006", "M05 配件管理")] == "M05 配件管理: 10 − 6(扣分) = 4"
    assert detail[("1006", "M08 维修技能")] == "M08 维修技能: 20 − 20(扣分) = 0"
    assert detail[("1007", "M03 维修记录单")] == "M03 维修记录单: 5 − 1.5(扣分) = 3.5"
    assert detail[("1007", "M08 维修技能")] == "M08 维修技能: 20 − 2.5(扣分) = 17.5"
    assert detail[("1002", "M03 维修记录单")] == "M03 维修记录单: 5 − 1.5(扣分) = 3.5"
    assert detail[("1002", "M01 通讯畅通")] == "M01 通讯畅通: 5,无扣分 = 5"


def test_bad_deducted_points_are_refused_naming_the_department_cell(tmp_path: Path):
    made = percent_deducted(tmp_path)
    write_layout(adopt(made.path), layout_path(made.path))
    book = load_workbook(made.path)
    book["李四"]["B12"] = 11  # M05: more than its 10 points
    book["李四"]["B10"] = -1  # M03
    book["李四"]["B9"] = "1分"  # M02: text the sheet's own SUM would not count
    book.save(made.path)
    run = run_xlpy("validate", str(made.path))
    assert run.returncode == 1
    lines = [line for line in run.stdout.splitlines() if "李四!" in line]
    expected = {
        "B12": "配件管理·扣分填了 11 · 应为 0 到 10 之间的扣分(空白视为 0)",
        "B10": "维修记录单·扣分填了 -1 · 应为 0 到 5 之间的扣分(空白视为 0)",
        "B9": "服务费上交·扣分填了 “1分” · 应为 0 到 5 之间的扣分(空白视为 0)",
    }
    for cell, text in expected.items():
        assert any(f"李四.xlsx · 李四!{cell} · {text}" in line for line in lines), run.stdout
    batch = validate_files([made.path], layouts=layouts_for([made.path]))
    assert {f.cell for f in batch.errors} == set(expected)
    assert "M" not in batch.results or "1002" not in batch.results["M"].scores.index


def test_points_deducted_of_one_kind_must_be_whole_occurrences(tmp_path: Path):
    """A grid column of points deducted for one kind of deduction (M05 转运损伤, −1 each) is read
    as that many occurrences; an amount no whole number of them reaches names the cell."""
    made = grid(tmp_path)
    book = load_workbook(made.path)
    sheet = book.active
    column = next(c for c in sheet[3] if c.value and "转运损伤" in str(c.value)).column_letter
    sheet[f"{column}3"] = "M05 转运损伤(扣分)"
    sheet[f"{column}4"] = 1.5
    book.save(made.path)
    write_layout(adopt(made.path), layout_path(made.path))
    batch = validate_files([made.path], layouts=layouts_for([made.path]))
    assert [(f.cell, f.problem, f.expected) for f in batch.errors] == [
        (f"{column}4", "M05 扣 1.5 分不能换算成转运损伤次数(每次 1 分)", "1 分的整数倍")
    ]
    assert batch.results["M"].scores["total"].to_dict() == {"1005": 0.0}
    assert "1004" in batch.flagged


def test_a_bad_cell_on_a_grid_leaves_only_its_person_unscored(tmp_path: Path):
    made = grid_deducted(tmp_path)
    book = load_workbook(made.path)
    sheet = book.active
    sheet["E4"] = 6  # 吴十's M03: more than its 5 points
    for cell in sheet[5]:  # 郑一 typed twice
        sheet.cell(6, cell.column, cell.value)
    book.save(made.path)
    write_layout(adopt(made.path), layout_path(made.path))
    batch = validate_files([made.path], layouts=layouts_for([made.path]))
    assert sorted((f.cell, f.person) for f in batch.errors) == [
        ("A5", "1009"),
        ("A6", "1009"),
        ("E4", "1008"),
    ]
    assert batch.results["M"].scores["total"].to_dict() == pytest.approx(
        {"1007": made.totals["1007"]}
    )
    assert set(batch.flagged) == {"1008"}  # 郑一's two rows are each an error of their own
    run = run_xlpy("validate", str(made.path))
    assert "扣分登记表.xlsx · 扣分登记!E4 · 维修记录单·扣分填了 6" in run.stdout


def test_a_bad_count_names_the_department_cell(tmp_path: Path):
    made = paper_counts(tmp_path)
    write_layout(adopt(made.path), layout_path(made.path))
    book = load_workbook(made.path)
    book["张三"]["E6"] = "两次"
    book.save(made.path)
    run = run_xlpy("validate", str(made.path))
    assert run.returncode == 1
    assert "班组考核-张三.xlsx · 张三!E6 · 通讯畅通·联系不上填了 “两次”" in run.stdout


def test_layout_option_and_broken_layout(tmp_path: Path):
    made = percent_deducted(tmp_path)
    elsewhere = tmp_path / "layouts" / "mine.toml"
    write_layout(adopt(made.path), elsewhere)
    run = run_xlpy("validate", str(made.path), "--layout", str(elsewhere))
    assert run.returncode == 0, run.stdout + run.stderr
    elsewhere.write_text(
        'workbook = "李四.xlsx"\n[[sheet]]\nname = "李四"\nkind = "table"\n', encoding="utf-8"
    )
    run = run_xlpy("validate", str(made.path), "--layout", str(elsewhere))
    assert run.returncode == 2 and "mine.toml · 布局文件内容有误" in run.stderr
    elsewhere.write_text('workbook = "李四.xlsx"\nworkbook = "张三.xlsx"\n', encoding="utf-8")
    run = run_xlpy("validate", str(made.path), "--layout", str(elsewhere))
    assert run.returncode == 2, run.stderr
    assert "mine.toml · 布局文件格式有误:第 2 行" in run.stderr and "重复" in run.stderr
    assert "Cannot" not in run.stderr and "overwrite" not in run.stderr


def test_no_form_found_is_said(tmp_path: Path):
    path = tmp_path / "空.xlsx"
    book = load_workbook(paper_counts(tmp_path).path)
    book["张三"].delete_rows(1, 40)
    book.save(path)
    run = run_xlpy("adopt", str(path))
    assert run.returncode == 1 and "没有识别出考核表" in run.stdout
    assert not layout_path(path).exists()


def test_the_books_use_the_shipped_items():
    """The hand-worked scores assume the shipped items and full points."""
    items = default_rules().monthly.items
    assert {code: item.full for code, item in items.items()} == FULL


def test_points_deducted_and_counts_of_one_item_add_up_and_floor_at_zero():
    """The core's points-deducted entry beside counts: both deduct, 扣完为止, and an occurrence that
    zeroes the item still zeroes it."""
    frame = pd.DataFrame(
        {
            "M05:deducted": [2, 8, None],
            "M05.unclear_account": [1, 1, 0],
            "M03:deducted": [None, 1, 1],
            "M03.falsified": [0, 0, 1],
        },
        index=["a", "b", "c"],
        dtype=object,
    )
    result = score_monthly(frame)
    assert result.scores["M05"].tolist() == [3, 0, 10]
    assert result.scores["M03"].tolist() == [5, 4, 0]
    assert result.explanations["M05"].tolist() == [
        "M05 配件管理: 10 − 1×5 − 2(扣分) = 3",
        "M05 配件管理: 10 − 1×5 − 8(扣分) = −3 → 0(扣完为止)",
        "M05 配件管理: 10,无扣分 = 10",
    ]
    assert result.explanations.loc["c", "M03"] == "M03 维修记录单: 造假 1 次 → 0"


def test_the_ribbon_finds_the_layout_and_validates_the_open_workbook_by_it(tmp_path: Path):
    """The ribbon's 校验 on a department's own workbook: ``find_layout`` finds the layout beside
    it, ``validate_adopted_book`` reads the open workbook (here through the file engine's port)
    by it, as validate reads the file."""
    made = grid_deducted(tmp_path)
    assert find_layout(made.path) is None
    write_layout(adopt(made.path), layout_path(made.path))
    batch = validate_adopted_book(FileWorkbook(made.path), find_layout(made.path))
    assert batch.errors == [] and batch.month == MONTH
    assert batch.results["M"].scores["total"].to_dict() == pytest.approx(made.totals)
    layout_path(made.path).write_text("workbook = 1\n[[sheet]]\n", encoding="utf-8")
    with pytest.raises(XlpyError, match="布局文件内容有误"):
        find_layout(made.path)


def test_a_blank_rating_is_warned_at_the_department_cell(tmp_path: Path):
    made = paper_counts(tmp_path)
    write_layout(adopt(made.path), layout_path(made.path))
    book = load_workbook(made.path)
    book["张三"]["E14"] = None  # M09 企业荣誉感, rated 较好 when adopted
    book.save(made.path)
    batch = validate_files([made.path], layouts=layouts_for([made.path]))
    [warning] = [f for f in batch.findings if "未填写" in f.problem]
    assert (warning.sheet, warning.cell) == ("张三", "E14")
    assert warning.problem == "企业荣誉感未填写,总分因此空缺"


def test_a_cached_error_in_a_count_is_refused_not_read_as_blank(tmp_path: Path):
    """A count whose formula LibreOffice cached as #DIV/0! must not score as a blank count
    (full marks): the department's cell is named."""
    made = paper_counts(tmp_path)
    book = load_workbook(made.path)
    book["张三"]["E6"] = "=1/0"
    book.save(made.path)
    saved = through_libreoffice(made, tmp_path / "lo")
    write_layout(adopt(saved.path), layout_path(saved.path))
    run = run_xlpy("validate", str(saved.path))
    assert run.returncode == 1, run.stdout
    assert "张三!E6" in run.stdout and "#DIV/0!" in run.stdout
