"""xlpy adopt: department workbooks laid out in ways our template never writes are recognised by
their words, read through the layout file, and consolidated to the scores worked out by hand."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from adopt_books import FULL, KINDS, Book, paper_counts, percent_deducted
from openpyxl import load_workbook
from xlpy_cli import run_xlpy

from xlpy.adopt import adopt, layout_path, layouts_for, read_layout, write_layout
from xlpy.consolidate.history import SavedSummary
from xlpy.rules import default_rules
from xlpy.validate import validate_files

MONTH = "2026-11"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def through_libreoffice(book: Book, folder: Path) -> Book:
    """The same workbook opened and saved again by LibreOffice (its own xlsx writer)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder.mkdir()
    profile = f"file:///tmp/lo-xlpy-{uuid.uuid4().hex}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder),
            str(book.path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return Book(folder / book.path.name, book.totals, book.items)


CASES = [*KINDS, "paper_counts+libreoffice", "grid+libreoffice"]


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


def test_deducted_points_explain_themselves(tmp_path: Path):
    made = percent_deducted(tmp_path)
    write_layout(adopt(made.path), layout_path(made.path))
    result = validate_files([made.path], layouts=layouts_for([made.path])).results["M"]
    assert result.explanations.loc["1002", "M03"] == "M03 维修记录单: 5 − 3×0.5 = 3.5"
    assert result.explanations.loc["1002", "M05"] == "M05 配件管理: 10 − 3×1 = 7"


def test_inexact_deduction_is_refused_naming_the_department_cell(tmp_path: Path):
    made = percent_deducted(tmp_path)
    write_layout(adopt(made.path), layout_path(made.path))
    book = load_workbook(made.path)
    book["李四"]["B12"] = 6  # M05: 1×5 + 1×1 or 6×1 — which, the sheet does not say
    book["李四"]["B10"] = 1.2  # M03: not a multiple of 0.5
    book.save(made.path)
    batch = validate_files([made.path], layouts=layouts_for([made.path]))
    lines = {f.cell: f.line() for f in batch.errors}
    assert set(lines) == {"B10", "B12"}
    assert "李四.xlsx · 李四!B12 · M05 扣 6 分不能唯一换算成次数" in lines["B12"]
    assert "李四!B10 · M03 扣 1.2 分不能换算成扣分次数" in lines["B10"]
    assert "M" not in batch.results or "1002" not in batch.results["M"].scores.index


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
