"""Roster names as Excel and Windows count and compare them: sheet names are at most 31 UTF-16
code units, sheet and file names are compared without case; a roster that breaks either is
refused with a message naming its row, and nothing is written."""

from __future__ import annotations

import pytest
from forms_helpers import write_roster

from xlpy.errors import XlpyError
from xlpy.forms import sheet_name_problem
from xlpy.forms.model import SHEET_NAME_MAX
from xlpy.template import generate

RARE = "𠮷"  # CJK Extension B: one character, two UTF-16 code units
FIXED = len("月考核-1001-")  # what the M sheet name adds to a roster name


def _refused(tmp_path, rows, split=False, **kwargs) -> str:
    roster = write_roster(tmp_path / "roster.csv", rows)
    target = tmp_path / ("out" if split else "out.xlsx")
    with pytest.raises(XlpyError) as raised:
        generate("2026-11", target, roster, split=split, **kwargs)
    assert not target.exists() and not any(p.name.startswith(".out") for p in tmp_path.iterdir())
    return str(raised.value)


def test_sheet_names_are_counted_in_utf16_units_as_excel_counts():
    fits = "月考核-1001-" + "长" * (SHEET_NAME_MAX - FIXED)
    assert sheet_name_problem(fits) is None
    count = (SHEET_NAME_MAX - FIXED) // 2 + 1
    rare = "月考核-1001-" + RARE * count
    assert len(rare) <= SHEET_NAME_MAX  # fits in Python characters, not in Excel's count
    problem = sheet_name_problem(rare)
    assert f"有 {FIXED + 2 * count} 个字符" in problem and str(SHEET_NAME_MAX) in problem
    assert sheet_name_problem("月考核-1001-张" + "😀" * 12) is not None


def test_a_rare_character_name_too_long_for_excel_is_refused_naming_its_row(tmp_path):
    name = RARE * ((SHEET_NAME_MAX - FIXED) // 2 + 1)
    message = _refused(tmp_path, [("1001", "张伟", "一班"), ("1002", name, "一班")])
    assert "第 3 行" in message and name in message and "31" in message


def test_ids_differing_only_in_case_are_one_id(tmp_path):
    message = _refused(tmp_path, [("a100001", "张三", "一班"), ("A100001", "李四", "一班")])
    assert "第 3 行" in message and "A100001" in message and "第 2 行" in message
    assert "大小写" in message


def test_split_files_differing_only_in_case_are_refused(tmp_path):
    message = _refused(
        tmp_path, [("a100001", "张三", "一班"), ("A100001", "张三", "一班")], split=True
    )
    assert "第 3 行" in message and "第 2 行" in message


def test_a_name_windows_cannot_use_as_a_file_name_is_refused_with_split(tmp_path):
    message = _refused(tmp_path, [("1001", "张<伟>", "一班")], split=True)
    assert "第 2 行" in message and "<" in message
    generate(
        "2026-11",
        tmp_path / "one.xlsx",
        write_roster(tmp_path / "ok.csv", [("1001", "张<伟>", "一班")]),
    )
    assert (tmp_path / "one.xlsx").exists()  # a sheet name may hold < >
