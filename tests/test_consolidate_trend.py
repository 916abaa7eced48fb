"""环比 across months: two months consolidated into one folder, the second with other forms (an
item added by a rules file, one removed); and a previous month's summary that cannot be used
(damaged, not a summary, another month's, another department's) is named in a warning while
this month's summary is still written, with 环比 empty."""

from __future__ import annotations

import math
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from forms_helpers import PEOPLE, write_roster

from xlpy.consolidate.history import SavedSummary
from xlpy.consolidate.history_compare import compare_forms
from xlpy.consolidate.job import consolidate
from xlpy.core.monthly import score_monthly
from xlpy.engines import FileWorkbook
from xlpy.forms import all_forms
from xlpy.forms import summary as summary_book
from xlpy.rules import Rules, default_rules, fingerprint, load_rules
from xlpy.template import generate

FIRST, SECOND = "2026-10", "2026-11"
M12 = """
[monthly.items.M12]
category = "daily"
name = "安全生产"
full = 5
deductions.violation = { label = "违规", per = 5 }
"""
WITHOUT_M04 = 'remove = ["monthly.items.M04"]\n'
STAFF = PEOPLE[:3]
TYPED = {  # the same entries both months (M12 only where the month has it)
    "1001": {"M01.unreachable": 2, "M04.damaged": 1, "M09": "强", "M10": "多", "M11": "否"},
    "1002": {"M05.unclear_account": 1, "M09": "较好", "M10": "较好", "M11": "否"},
    "1003": {"M08.skill_complaint": 1, "M09": "一般", "M10": "多", "M11": "否"},
}
SECOND_MONTH = {"1001": {"M12.violation": 1}, "1002": {"M01.unreachable": 1}, "1003": {}}


def _filled(folder: Path, month: str, rules: Rules, typed: dict[str, dict], staff=STAFF) -> Path:
    """A month workbook from the template (native formulas), filled as staff would."""
    folder.mkdir(parents=True, exist_ok=True)
    roster = write_roster(folder / f"roster-{month}.csv", staff)
    [book] = generate(month, folder / f"blank-{month}.xlsx", roster, rules=rules, variant="native")
    form = all_forms(rules)["M"]
    workbook = openpyxl.load_workbook(book)
    for pid, name, *_rest in staff:
        for column, value in typed[pid].items():
            if column.split(".")[0] in rules.monthly.items:
                workbook[form.sheet_name(pid, name)][form.entry_cell(column).address] = value
    path = folder / f"月考核-{month}.xlsx"
    workbook.save(path)
    book.unlink()
    return path


def _entries(rules: Rules, typed: dict[str, dict]) -> pd.DataFrame:
    rows = {
        pid: {k: v for k, v in entries.items() if k.split(".")[0] in rules.monthly.items}
        for pid, entries in typed.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def _trend(path: Path) -> tuple[str, dict[str, dict]]:
    grid = FileWorkbook(path).values(summary_book.TREND)
    if len(grid) <= summary_book.HEADER_ROW:  # no table: nothing to compare with
        return grid[summary_book.NOTE_ROW][0] or "", {}
    header = grid[summary_book.HEADER_ROW]
    rows = {r[0]: dict(zip(header, r)) for r in grid[summary_book.HEADER_ROW + 1 :] if r and r[0]}
    return grid[summary_book.NOTE_ROW][0] or "", rows


def _two_months(tmp_path: Path, second_rules: Rules) -> tuple[Path, Path]:
    first = _filled(tmp_path / "in1", FIRST, default_rules(), TYPED)
    typed = {pid: TYPED[pid] | SECOND_MONTH[pid] for pid in TYPED}
    second = _filled(tmp_path / "in2", SECOND, second_rules, typed)
    out = tmp_path / "out"
    out.mkdir()
    for source, month in ((first, FIRST), (second, SECOND)):
        outcome = consolidate([source], month, out / summary_book.file_name(month))
        assert not outcome.refused and outcome.batch.errors == [], outcome.batch.findings
    return out / summary_book.file_name(FIRST), out / summary_book.file_name(SECOND)


def _expected(rules: Rules, typed: dict[str, dict]) -> pd.DataFrame:
    return score_monthly(_entries(rules, typed), rules).scores


def test_an_added_item_is_named_and_the_shared_scores_are_compared(tmp_path):
    rules = load_rules(_rules_file(tmp_path, M12))
    _, second = _two_months(tmp_path, rules)
    before = _expected(default_rules(), TYPED)
    after = _expected(rules, {pid: TYPED[pid] | SECOND_MONTH[pid] for pid in TYPED})
    note, rows = _trend(second)
    assert "本月新增考核项 M12 安全生产" in note
    assert "满分不同" in note and "总分 85 → 90" in note and "日常管理 30 → 35" in note
    assert "业绩 65 → 70" in note and "取消" not in note
    for pid, row in rows.items():
        assert row["上月百分制"] == pytest.approx(before.at[pid, "percent"])
        assert row["本月百分制"] == pytest.approx(after.at[pid, "percent"])
        assert row["变化"] == pytest.approx(after.at[pid, "percent"] - before.at[pid, "percent"])
        for code in ("M01", "M05", "M08"):
            label = f"{code} {rules.monthly.items[code].name}"
            change = after.at[pid, code] - before.at[pid, code]
            assert row[f"{label}·变化"] == pytest.approx(change)
        for subtotal in ("客户现场维修", "品德"):  # same items, same full points
            assert row[f"{subtotal}·变化"] == pytest.approx(0.0)
    assert rows["1002"]["M01 通讯畅通·变化"] == -1.0
    columns = set(next(iter(rows.values())))
    assert {"总分·变化", "日常管理·变化", "业绩·变化", "M12 安全生产·变化"}.isdisjoint(columns)
    summary_note = FileWorkbook(second).values(summary_book.SUMMARY)[summary_book.NOTE_ROW][0]
    assert "与上月不同,见「环比」" in summary_note


def test_a_removed_item_is_named_and_totals_on_other_full_points_are_not_compared(tmp_path):
    rules = load_rules(_rules_file(tmp_path, WITHOUT_M04))
    _, second = _two_months(tmp_path, rules)
    note, rows = _trend(second)
    assert "本月取消考核项 M04 维修工具保管" in note and "总分 85 → 80" in note
    assert "新增" not in note
    before = _expected(default_rules(), TYPED)
    after = _expected(rules, {pid: TYPED[pid] | SECOND_MONTH[pid] for pid in TYPED})
    # 1001 lost M04's 5 points last month: on 百分制 the month without M04 compares fairly
    assert rows["1001"]["变化"] == pytest.approx(
        after.at["1001", "percent"] - before.at["1001", "percent"]
    )
    assert "M04 维修工具保管·变化" not in rows["1001"]
    assert rows["1001"]["M01 通讯畅通·变化"] == 0.0


def test_same_forms_compare_every_score_and_say_nothing_changed(tmp_path):
    _, second = _two_months(tmp_path, default_rules())
    note, rows = _trend(second)
    assert note == f"上月汇总:{summary_book.file_name(FIRST)}"
    assert rows["1001"]["总分·变化"] == 0.0 and rows["1002"]["总分·变化"] == -1.0
    audit = FileWorkbook(second).values(summary_book.AUDIT)
    fulls = {r[0]: r[1] for r in audit if r and r[0] in ("总分", "日常管理", "M05 配件管理")}
    assert fulls == {"总分": 85.0, "日常管理": 30.0, "M05 配件管理": 10.0}


def _rules_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ── a previous month's summary that cannot be used ─────────────────────────────────────────
def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _not_a_summary(path: Path) -> None:
    """Someone's own list, saved under last month's summary name: a 汇总 sheet, a 工号 column."""
    book = openpyxl.Workbook()
    book.active.title = "汇总"
    book.active.append(["本月加班统计"])
    book.active.append([])
    book.active.append(["工号", "姓名", "加班小时"])
    book.active.append(["1001", "张伟", 12])
    book.save(path)


def _another_month(path: Path) -> None:
    """A summary of ours, but of another month, saved under last month's name."""
    with zipfile.ZipFile(path) as package:
        parts = {n: package.read(n) for n in package.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/") and FIRST.encode() in data:
            parts[name] = data.replace(FIRST.encode(), b"2025-07")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def _far_cell(path: Path) -> None:
    """Our summary with one cell at the sheet's last row and column (a grid of 17 billion cells
    for a reader that builds one): the file engine's guard refuses it."""
    with zipfile.ZipFile(path) as package:
        parts = {n: package.read(n) for n in package.namelist()}
    far = b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row></sheetData>"
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"].replace(
        b"</sheetData>", far
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def _another_department(path: Path, tmp_path: Path) -> None:
    """A real summary of the same month with none of this month's people."""
    others = [("9001", "外人", "外组", "某主管", "售后服务员")]
    folder = tmp_path / "other"
    typed = {"9001": {"M09": "强", "M10": "多", "M11": "否"}}
    book = _filled(folder, FIRST, default_rules(), typed, others)
    outcome = consolidate([book], FIRST, folder / path.name)
    assert outcome.path is not None
    shutil.copyfile(outcome.path, path)


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        ("truncated", "文件已损坏"),
        ("not-a-summary", "不是 xlpy 生成的月度汇总(「审计」表中没有月份)"),
        ("another-month", "它是 2025-07 的汇总,不是 2026-10 的"),
        ("another-department", "其中没有本月的任何人员"),
        ("far-cell", "XFD1048576"),
    ],
)
def test_an_unusable_previous_summary_is_named_and_the_month_still_completes(tmp_path, damage, why):
    first, _ = _two_months(tmp_path, default_rules())
    second = first.with_name(summary_book.file_name(SECOND))
    second.unlink()
    if damage == "truncated":
        _truncated(first)
    elif damage == "not-a-summary":
        _not_a_summary(first)
    elif damage == "another-month":
        _another_month(first)
    elif damage == "far-cell":
        _far_cell(first)
    else:
        _another_department(first, tmp_path)
    before = first.read_bytes()
    source = tmp_path / "in2" / f"月考核-{SECOND}.xlsx"
    outcome = consolidate([source], SECOND, second)
    assert outcome.path == second and second.is_file()
    [warning] = [f for f in outcome.batch.findings if "上月汇总无法使用" in f.problem]
    assert warning.severity == "warning" and warning.file == first.name
    assert why in warning.problem, warning.problem
    note, rows = _trend(second)
    assert first.name in note and "不做环比" in note and rows == {}
    audit = FileWorkbook(second).values(summary_book.AUDIT)
    facts = {r[0]: r[1] for r in audit if r and r[0]}
    assert facts["上月汇总"] == warning.line()
    assert [r[3] for r in audit if len(r) > 3 and r[1] == first.name] == [warning.problem]
    assert first.read_bytes() == before
    assert not math.isnan(outcome.table.set_index("工号").at["1001", "总分"])


def test_a_renamed_item_is_compared_by_its_code(tmp_path):
    rules = load_rules(_rules_file(tmp_path, '[monthly.items.M05]\nname = "配件与备件管理"\n'))
    _, second = _two_months(tmp_path, rules)
    note, rows = _trend(second)
    assert "考核项改名 M05 配件管理 → M05 配件与备件管理" in note
    assert "新增" not in note and "取消" not in note and "满分不同" not in note
    assert rows["1002"]["M05 配件与备件管理·变化"] == 0.0
    assert rows["1002"]["总分·变化"] == -1.0  # same full points: raw totals compared


def test_a_summary_that_recorded_no_full_points_is_compared_only_when_the_rules_are_the_same(
    tmp_path,
):
    """Summaries written before the full points were recorded: the parameter fingerprint
    decides, so a month with other forms compares 百分制 and grade only."""
    first, second = _two_months(tmp_path, load_rules(_rules_file(tmp_path, M12)))
    previous = SavedSummary(first)
    previous.fulls = {}
    table = SavedSummary(second).summary.reset_index(drop=True)
    rules = load_rules(_rules_file(tmp_path, M12))
    other = compare_forms(previous, table, column_fulls_of(rules), fingerprint(rules), "百分制")
    assert other.pairs == [] and "上月汇总没有记录各列满分且参数不同" in other.note
    same = compare_forms(
        previous, table, column_fulls_of(default_rules()), previous.fingerprint, "百分制"
    )
    assert ("M01 通讯畅通", "M01 通讯畅通") in same.pairs and ("总分", "总分") in same.pairs


def column_fulls_of(rules: Rules) -> dict[str, float]:
    from xlpy.core.full_points import full_points

    labels = score_monthly(_entries(rules, TYPED), rules).labels
    return {labels[column]: full for column, full in full_points("M", rules).items()}


def test_a_person_whose_id_and_name_look_like_formulas_is_matched_with_last_month(tmp_path):
    """工号 -7, 姓名 =x, 班组 -: written as quote-prefixed text exactly as typed (a ' put in
    front once made last month's -7 a different person, and 环比 empty for them)."""
    staff = [("-7", "=x", "-", "王建国", "售后服务员"), *STAFF[1:]]
    typed = {"-7": TYPED["1001"], **{pid: TYPED[pid] for pid, *_ in STAFF[1:]}}
    out = tmp_path / "out"
    out.mkdir()
    for month in (FIRST, SECOND):
        source = _filled(tmp_path / month, month, default_rules(), typed, staff)
        outcome = consolidate([source], month, out / summary_book.file_name(month))
        assert not outcome.refused and outcome.batch.errors == [], outcome.batch.findings
    _, rows = _trend(out / summary_book.file_name(SECOND))
    assert rows["-7"]["姓名"] == "=x" and rows["-7"]["班组"] == "-"
    assert rows["-7"]["上月百分制"] == pytest.approx(rows["-7"]["本月百分制"])
    assert rows["-7"]["变化"] == 0.0
