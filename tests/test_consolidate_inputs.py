"""consolidate's inputs: a folder of per-person files (``xlpy template --split``), a month
workbook plus per-person files together, and the safety of re-runs."""

from __future__ import annotations

import pandas as pd
import pytest

from xlpy.consolidate.job import consolidate
from xlpy.core.monthly import score_monthly
from xlpy.demo.data import DemoMonth
from xlpy.demo.fill import fill_month
from xlpy.engines import FileWorkbook
from xlpy.forms import all_forms
from xlpy.rules import default_rules
from xlpy.template import generate
from xlpy.validate.discovery import collect

MONTH = "2026-05"
PEOPLE = [("3001", "甲一", "一班"), ("3002", "乙二", "一班"), ("3003", "丙三", "二班")]
ENTRIES = {
    "3001": {"M01.unreachable": 2, "M09": "强", "M10": "多"},
    "3002": {"M03.falsified": 1, "M09": "一般", "M10": "较好"},
    "3003": {"M11": "是", "M09": "较好", "M10": "差"},
}
FORMS = all_forms(default_rules())


def _roster(folder, people):
    path = folder / "roster.csv"
    path.write_text(
        "工号,姓名,班组\n" + "".join(f"{p},{n},{t}\n" for p, n, t in people), encoding="utf-8"
    )
    return path


def _demo(pids) -> DemoMonth:
    demo = DemoMonth(MONTH)
    demo.monthly = {pid: ENTRIES[pid] for pid in pids}
    return demo


def _split_folder(folder, people):
    blank = generate(MONTH, folder / "blank", _roster(folder, people), schemes=("M",), split=True)
    target = folder / "files"
    target.mkdir()
    for path in blank:
        fill_month(
            path,
            target / path.name,
            _demo([p for p, _, _ in people]),
            FORMS,
            [(p, n) for p, n, _ in people],
        )
    return target


def _summary_rows(path):
    grid = FileWorkbook(path).values("汇总")
    header = grid[2]
    return {row[0]: dict(zip(header, row)) for row in grid[3:] if row and row[0]}


def _expected(pids):
    scores = score_monthly(pd.DataFrame.from_dict({p: ENTRIES[p] for p in pids}, orient="index"))
    return scores.scores


def test_folder_of_per_person_files(tmp_path):
    folder = _split_folder(tmp_path, PEOPLE)
    files, _ = collect([folder])
    assert len(files) == len(PEOPLE) + 1  # one per person and the department's file
    outcome = consolidate(files, MONTH, folder / f"汇总-{MONTH}.xlsx")
    assert not outcome.refused, [f.line() for f in outcome.batch.errors]
    rows = _summary_rows(outcome.path)
    expected = _expected([p for p, _, _ in PEOPLE])
    assert list(rows) == [p for p, _, _ in PEOPLE]
    for pid, row in rows.items():
        assert row["总分"] == pytest.approx(expected.at[pid, "total"])
        assert row["班组"] == {p: t for p, _, t in PEOPLE}[pid]
    assert rows["3003"]["状态"] == "取消"


def test_month_workbook_and_per_person_files_together(tmp_path):
    month_book = generate(
        MONTH, tmp_path / "month.xlsx", _roster(tmp_path, PEOPLE[:2]), schemes=("M",)
    )[0]
    filled = fill_month(
        month_book,
        tmp_path / "inputs" / "售后考核.xlsx",
        _demo(["3001", "3002"]),
        FORMS,
        [(p, n) for p, n, _ in PEOPLE[:2]],
    )
    single = tmp_path / "single"
    single.mkdir()
    person = _split_folder(single, PEOPLE[2:])
    outcome = consolidate([filled, *collect([person])[0]], MONTH, tmp_path / "汇总.xlsx")
    assert not outcome.refused, [f.line() for f in outcome.batch.errors]
    rows = _summary_rows(outcome.path)
    assert sorted(rows) == ["3001", "3002", "3003"]
    expected = _expected(["3001", "3002", "3003"])
    for pid, row in rows.items():
        assert row["百分制"] == pytest.approx(expected.at[pid, "percent"])


def test_rerun_keeps_file_and_change_makes_backup(tmp_path):
    folder = _split_folder(tmp_path, PEOPLE)
    files, _ = collect([folder])
    target = tmp_path / f"汇总-{MONTH}.xlsx"
    first = consolidate(files, MONTH, target)
    before = target.read_bytes()
    again = consolidate(files, MONTH, target)
    assert again.unchanged and again.backup is None and target.read_bytes() == before
    person = next(p for p in files if "3001" in p.name)
    from xlpy.demo.fill import retype

    retype(person, FORMS["M"], FORMS["M"].sheet_name("3001", "甲一"), "M01.unreachable", 0)
    files, _ = collect([folder])
    third = consolidate(files, MONTH, target)
    assert third.backup is not None and third.backup.read_bytes() == before
    assert first.path == third.path
    changes = FileWorkbook(target).values("更正记录")
    assert any(row[1] == "3001" and row[3] == "M01 通讯畅通" for row in changes if row)


def test_parameter_sheet_value_scores_and_is_audited(tmp_path):
    import openpyxl

    month_book = generate(
        MONTH, tmp_path / "month.xlsx", _roster(tmp_path, PEOPLE), schemes=("M",)
    )[0]
    filled = fill_month(
        month_book,
        tmp_path / "in" / "售后考核.xlsx",
        _demo([p for p, _, _ in PEOPLE]),
        FORMS,
        [(p, n) for p, n, _ in PEOPLE],
    )
    book = openpyxl.load_workbook(filled)
    key = "monthly.items.M01.deductions.unreachable.per"
    row = next(r for r in book["参数"].iter_rows(min_row=4) if r[0].value == key)
    row[2].value = 2
    book.save(filled)
    outcome = consolidate([filled], MONTH, tmp_path / "汇总.xlsx")
    assert not outcome.refused, [f.line() for f in outcome.batch.errors]
    assert _summary_rows(outcome.path)["3001"]["M01 通讯畅通"] == 1  # 5 − 2×2
    audit = FileWorkbook(outcome.path).values("审计")
    assert any(r[:3] == [key, "1", "2"] for r in audit if r and len(r) >= 3)


def test_damaged_existing_summary_is_kept_as_backup(tmp_path):
    folder = _split_folder(tmp_path, PEOPLE)
    files, _ = collect([folder])
    target = tmp_path / f"汇总-{MONTH}.xlsx"
    target.write_bytes(b"not a workbook")
    outcome = consolidate(files, MONTH, target)
    assert outcome.backup is not None and outcome.backup.read_bytes() == b"not a workbook"
    assert any("已有的汇总无法读取" in f.problem for f in outcome.batch.findings)
    assert list(_summary_rows(target)) == [p for p, _, _ in PEOPLE]


def test_wrong_month_is_skipped_and_nothing_is_written(tmp_path):
    from xlpy.errors import XlpyError

    folder = _split_folder(tmp_path, PEOPLE)
    files, _ = collect([folder])
    target = tmp_path / "汇总-2026-06.xlsx"
    with pytest.raises(XlpyError, match="没有找到可汇总的考核表"):
        consolidate(files, "2026-06", target)
    assert not target.exists()
