"""Forms as data: a rules file adds, removes or re-points items without code. The template (both
formula variants), the formulas LibreOffice recalculates and the core all follow it; a change
that cannot work is refused naming its key."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from forms_helpers import M12_RULES, PEOPLE, mismatches, sheet_values, soffice, write_roster

from xlpy.consolidate.job import consolidate
from xlpy.core.monthly import score_monthly
from xlpy.core.scheme_entries import full_total
from xlpy.forms import all_forms
from xlpy.rules import RuleError, default_rules, load_rules
from xlpy.template import generate

WITHOUT_M04 = 'remove = ["monthly.items.M04"]\n'
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")


def rules_file(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def item_rows(path: Path, sheet: str) -> dict[str, tuple]:
    """Item code (column B) → the row's 项目 and 考核内容 as written in the workbook."""
    ws = openpyxl.load_workbook(path)[sheet]
    return {
        row[1].value: (row[2].value, row[3].value)
        for row in ws.iter_rows(min_row=5)
        if isinstance(row[1].value, str) and row[1].value[:1] == "M"
    }


def test_an_added_item_is_scored_and_counts_in_the_full_total(tmp_path):
    rules = load_rules(rules_file(tmp_path, M12_RULES))
    assert list(rules.monthly.items)[-1] == "M12"
    assert full_total(default_rules()) == 85 and full_total(rules) == 90
    entries = pd.DataFrame(
        [{"M12.violation": 1, "M09": "强", "M10": "多", "M11": "否"}], index=["1001"]
    )
    result = score_monthly(entries, rules)
    assert result.scores.loc["1001", "M12"] == 0  # 5 − 1×5
    assert result.scores.loc["1001", "total"] == 85  # 90 full, 5 lost on M12
    assert result.explanations.loc["1001", "M12"] == "M12 安全生产: 5 − 1×5 = 0"


def test_a_removed_item_leaves_every_output(tmp_path):
    rules = load_rules(rules_file(tmp_path, WITHOUT_M04))
    assert "M04" not in rules.monthly.items and full_total(rules) == 80
    roster = write_roster(tmp_path / "roster.csv")
    [book] = generate("2026-11", tmp_path / "book.xlsx", roster, rules=rules, variant="native")
    sheet = all_forms(rules)["M"].sheet_name(*PEOPLE[0][:2])
    assert "M04" not in item_rows(book, sheet) and "M05" in item_rows(book, sheet)


@pytest.mark.parametrize("variant", ["addin", "native"])
def test_the_template_writes_the_added_item_in_both_variants(tmp_path, variant):
    rules = load_rules(rules_file(tmp_path, M12_RULES))
    roster = write_roster(tmp_path / "roster.csv")
    [book] = generate("2026-11", tmp_path / f"{variant}.xlsx", roster, rules=rules, variant=variant)
    sheet = all_forms(rules)["M"].sheet_name(*PEOPLE[0][:2])
    assert item_rows(book, sheet)["M12"] == ("安全生产", "遵守安全操作规程,现场作业佩戴防护用品。")


@needs_soffice
def test_libreoffice_recalculates_the_added_item_as_the_core_scores_it(tmp_path):
    rules = load_rules(rules_file(tmp_path, M12_RULES))
    form = all_forms(rules)["M"]
    roster = write_roster(tmp_path / "roster.csv")
    [book] = generate("2026-11", tmp_path / "native.xlsx", roster, rules=rules, variant="native")
    typed = {
        pid: {"M12.violation": i % 2, "M01.unreachable": i, "M09": "较好", "M10": "多", "M11": "否"}
        for i, (pid, *_rest) in enumerate(PEOPLE)
    }
    workbook = openpyxl.load_workbook(book)
    for pid, name, *_rest in PEOPLE:
        for column, value in typed[pid].items():
            workbook[form.sheet_name(pid, name)][form.entry_cell(column).address] = value
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    out = tmp_path / "lo"
    out.mkdir()
    soffice("xlsx", [filled], out)
    scores = score_monthly(pd.DataFrame.from_dict(typed, orient="index"), rules).scores
    want = {
        form.sheet_name(pid, name): {
            c.address: scores.loc[pid, c.result] for c in form.computed if c.result is not None
        }
        for pid, name, *_rest in PEOPLE
    }
    got = sheet_values(out / "filled.xlsx", list(want))
    assert mismatches(want, got) == []
    assert {scores.loc[pid, "M12"] for pid, *_rest in PEOPLE} == {0.0, 5.0}


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (
            '[monthly.items.M13]\ncategory = "daily"\nname = "x"\nfull = 5\n',
            "monthly.items.M13",
            "扣分项、评级项或否决项之一",
        ),
        (
            '[monthly.items.M13]\ncategory = "safety"\nname = "x"\nfull = 5\n'
            'deductions.v = { label = "违规", per = 5 }\n',
            "monthly",
            "类别 safety 未定义",
        ),
        (
            'remove = ["monthly.items.M09", "monthly.items.M10", "monthly.items.M11"]\n',
            "monthly",
            "类别 conduct 没有任何考核项",
        ),
        (
            '[performance.dimensions.P7]\nname = "创新"\nweight = 10\n',
            "performance",
            "之和为 110,应为 100",
        ),
        (
            '[kpi.indicators.M01]\nname = "重复"\nlower_is_better = false\n',
            "(全部)",
            "M01 在多张表中重复",
        ),
        (
            '[monthly.items.m13]\ncategory = "daily"\nname = "x"\nfull = 5\n'
            'deductions.v = { label = "违规", per = 5 }\n',
            "monthly",
            "m13 无效",
        ),
        ('remove = ["monthly.full"]\n', "remove: monthly.full", "不是可删除的项目"),
    ],
    ids=[
        "unknown-kind",
        "unknown-category",
        "empty-category",
        "weights-not-100",
        "duplicate-code",
        "bad-code",
        "not-removable",
    ],
)
def test_a_change_that_cannot_work_is_refused_naming_its_key(tmp_path, text, key, words):
    with pytest.raises(RuleError) as caught:
        load_rules(rules_file(tmp_path, text))
    assert any(k == key and words in message for k, message in caught.value.problems), (
        caught.value.problems
    )


@pytest.mark.parametrize(
    ("text", "present", "absent", "total"),
    [
        (M12_RULES, "M12 安全生产", None, 85.0),  # 90 full, 5 lost on M12
        (WITHOUT_M04, "M05 配件管理", "M04 维修工具保管", 80.0),
    ],
    ids=["added-M12", "removed-M04"],
)
def test_the_workbook_carries_its_structure_to_the_summary(tmp_path, text, present, absent, total):
    """The 参数 sheet lists the forms' structure: validate and consolidate rebuild the same rules
    from it (new items' rows added, dropped ones left out) without being given the rules file."""
    rules = load_rules(rules_file(tmp_path, text))
    form = all_forms(rules)["M"]
    roster = write_roster(tmp_path / "roster.csv", PEOPLE[:2])
    [book] = generate("2026-11", tmp_path / "book.xlsx", roster, rules=rules, variant="native")
    workbook = openpyxl.load_workbook(book)
    typed = {"M09": "强", "M10": "多", "M11": "否"}
    if "M12" in text:
        typed["M12.violation"] = 1
    for pid, name, *_rest in PEOPLE[:2]:
        for column, value in typed.items():
            workbook[form.sheet_name(pid, name)][form.entry_cell(column).address] = value
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    source = filled.read_bytes()
    outcome = consolidate([filled], "2026-11", tmp_path / "汇总-2026-11.xlsx")
    assert not outcome.refused and outcome.batch.errors == []
    table = outcome.table
    assert present in table.columns and (absent is None or absent not in table.columns)
    assert list(table["总分"]) == [total, total]
    assert filled.read_bytes() == source
