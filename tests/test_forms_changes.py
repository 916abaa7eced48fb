"""K, P and T items added by a rules file, end to end: a sixth KPI (K6, lower is better), a
seventh P dimension (the weights re-summed to 100) and a sixth 技术能力 sub-item. The template
writes them in both formula variants, LibreOffice recalculates the native variant to the core's
numbers, and consolidate scores them to the totals worked out by hand below."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from forms_helpers import PEOPLE, mismatches, sheet_values, soffice, write_roster

from xlpy.consolidate.job import consolidate
from xlpy.core.scorers import SCORERS
from xlpy.forms import all_forms
from xlpy.rules import Rules, load_rules
from xlpy.template import generate

MONTH = "2026-11"
CHANGES = """
[kpi.indicators.K6]
name = "备件周转天数"
lower_is_better = true

[performance.dimensions.P7]
name = "安全规范"
weight = 10
content = "遵守安全操作规程,现场作业佩戴防护用品。"

[performance.dimensions.P1]
weight = 15

[tech.dimensions.ability]
items = ["产品知识", "维修工具和设备的使用", "故障排除和修复", "交流与客户服务技能",
         "技术培训和知识更新", "远程诊断"]
"""
STAFF = PEOPLE[:2]
KPI = {  # completion → tier points (20 / 10 / 5 / 0)
    "1001": {"K1": (10, 10), "K2": (10, 8), "K3": (20, 15), "K4": (4, 2), "K5": (10, 12),
             "K6": (5, 5)},  # 20, 10, 5, 0, 20; K6 5/5 = 100% → 20
    "1002": {"K1": (10, 10), "K2": (10, 10), "K3": (10, 10), "K4": (10, 10), "K5": (10, 10),
             "K6": (5, 10)},  # all 20; K6 target/actual 5/10 = 50% → 0
}  # fmt: skip
BEHAVIOUR = {"1001": (4, 5, 3, 3), "1002": (5, 5, 5, 5)}  # B1 自评, 上级, B2 自评, 上级
PERFORMANCE = {
    "1001": {"P1": 80, "P2": 90, "P3": 70, "P4": 60, "P5": 100, "P6": 80, "P7": 50},
    "1002": dict.fromkeys(("P1", "P2", "P3", "P4", "P5", "P6", "P7"), 90),
}
TECH = {  # 6 技术能力 ratings, 4 服务态度, 4 业务水平
    "1001": (["优秀"] * 5 + ["不合格"], ["良好"] * 4, ["合格"] * 4),
    "1002": (["优秀"] * 6, ["优秀"] * 4, ["优秀"] * 4),
}
# By hand (SCORING.md with the changes above):
# K  1001 业绩 (20+10+5+0+20+20) = 75 of 120 → 62.5 on 0-100; 行为 B1 (0.3×4+0.7×5)/5×100 = 94,
#         B2 60 → 77; 总分 0.85×62.5 + 0.15×77 = 64.675
#    1002 业绩 100 of 120 → 83.333…; 行为 100; 总分 0.85×83.333… + 15 = 85.8333…
# P  1001 (15×80 + 20×90 + 20×70 + 10×60 + 10×100 + 15×80 + 10×50) / 100 = 77
#    1002 90
# T  1001 技术能力 (5×100 + 40) / 6 = 90, 服务态度 80, 业务水平 60 → 0.5×90 + 0.25×80 + 0.25×60 = 80
#    1002 100
HAND = {
    "K": {"1001": (62.5, 77.0, 64.675), "1002": (250 / 3, 100.0, 0.85 * 250 / 3 + 15)},
    "P": {"1001": 77.0, "1002": 90.0},
    "T": {"1001": 80.0, "1002": 100.0},
}
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Rules:
    path = tmp_path_factory.mktemp("rules") / "rules.toml"
    path.write_text(CHANGES, encoding="utf-8")
    return load_rules(path)


def entries(pid: str) -> dict[str, dict]:
    kpi = {f"{code}.{part}": value for code, pair in KPI[pid].items()
           for part, value in zip(("target", "actual"), pair)}  # fmt: skip
    b1s, b1m, b2s, b2m = BEHAVIOUR[pid]
    kpi |= {"B1.self": b1s, "B1.manager": b1m, "B2.self": b2s, "B2.manager": b2m}
    tech = {
        f"{key}.{i}": rating
        for key, ratings in zip(("ability", "attitude", "business"), TECH[pid])
        for i, rating in enumerate(ratings, start=1)
    }
    return {"K": kpi, "P": PERFORMANCE[pid], "T": tech}


def filled(folder: Path, rules: Rules, variant: str) -> Path:
    roster = write_roster(folder / "roster.csv", STAFF)
    [book] = generate(
        MONTH,
        folder / f"blank-{variant}.xlsx",
        roster,
        schemes=("K", "P"),
        tech=True,
        rules=rules,
        variant=variant,
    )
    forms = all_forms(rules)
    workbook = openpyxl.load_workbook(book)
    for pid, name, *_rest in STAFF:
        for scheme, typed in entries(pid).items():
            form = forms[scheme]
            for column, value in typed.items():
                workbook[form.sheet_name(pid, name)][form.entry_cell(column).address] = value
    path = folder / f"考核-{variant}.xlsx"
    workbook.save(path)
    return path


def core_scores(rules: Rules, scheme: str) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(
        {pid: entries(pid)[scheme] for pid, *_rest in STAFF}, orient="index"
    )
    return SCORERS[scheme](frame, rules).scores


def test_the_core_scores_the_added_items_as_by_hand(rules):
    kpi = core_scores(rules, "K")
    for pid, (achieved, behaviour, total) in HAND["K"].items():
        assert kpi.at[pid, "performance"] == pytest.approx(achieved)
        assert kpi.at[pid, "behavior"] == pytest.approx(behaviour)
        assert kpi.at[pid, "total"] == pytest.approx(total)
    assert kpi.at["1001", "K6"] == 20 and kpi.at["1002", "K6"] == 0
    assert core_scores(rules, "P")["total"].to_dict() == pytest.approx(HAND["P"])
    assert core_scores(rules, "T")["total"].to_dict() == pytest.approx(HAND["T"])


@pytest.mark.parametrize("variant", ["addin", "native"])
def test_the_template_writes_the_added_items(tmp_path, rules, variant):
    book = filled(tmp_path, rules, variant)
    forms = all_forms(rules)
    workbook = openpyxl.load_workbook(book)
    texts = {
        scheme: {c.value for row in workbook[forms[scheme].sheet_name(*STAFF[0][:2])] for c in row}
        for scheme in ("K", "P", "T")
    }
    assert "K6" in texts["K"] and "备件周转天数" in texts["K"]
    assert "安全规范" in texts["P"] and "遵守安全操作规程,现场作业佩戴防护用品。" in texts["P"]
    assert "远程诊断" in texts["T"]


@pytest.mark.parametrize("variant", ["addin", "native"])
def test_consolidate_gives_the_hand_computed_totals_and_columns(tmp_path, rules, variant):
    book = filled(tmp_path, rules, variant)
    source = book.read_bytes()
    outcome = consolidate([book], MONTH, tmp_path / f"汇总-{MONTH}.xlsx")
    assert not outcome.refused and outcome.batch.errors == [], outcome.batch.findings
    table = outcome.table.set_index("工号")
    # K ranks (no M form this month): its columns are headed plainly
    assert {"K6 备件周转天数", "绩效考核·P7 安全规范"} <= set(table.columns)
    assert table["K6 备件周转天数"].to_dict() == {"1001": 20.0, "1002": 0.0}
    assert table["总分"].to_dict() == pytest.approx({p: t[2] for p, t in HAND["K"].items()})
    assert table["业绩得分"].to_dict() == pytest.approx({p: t[0] for p, t in HAND["K"].items()})
    assert table["绩效考核·总分"].to_dict() == pytest.approx(HAND["P"])
    assert table["技术等级·技术得分"].to_dict() == pytest.approx(HAND["T"])
    assert table["技术等级·技术能力"].to_dict() == pytest.approx({"1001": 90.0, "1002": 100.0})
    assert table["等级"].to_dict() == {"1001": "合格", "1002": "良好"}
    explained = outcome.batch.results["K"].explanations.loc["1001", "total"]
    assert explained.startswith("业绩 75 ÷ 120 × 100 = 62.5;总分 (0.85×业绩 62.5 + 0.15×行为 77)")
    assert book.read_bytes() == source


@needs_soffice
def test_libreoffice_recalculates_the_native_variant_as_the_core_scores_it(tmp_path, rules):
    book = filled(tmp_path, rules, "native")
    out = tmp_path / "lo"
    out.mkdir()
    soffice("xlsx", [book], out)
    forms = all_forms(rules)
    want = {}
    for scheme in ("K", "P", "T"):
        scores, form = core_scores(rules, scheme), forms[scheme]
        for pid, name, *_rest in STAFF:
            want[form.sheet_name(pid, name)] = {
                c.address: scores.loc[pid, c.result] for c in form.computed if c.result is not None
            }
    got = sheet_values(out / book.name, list(want))
    assert mismatches(want, got) == []


def test_a_dropped_sub_item_reads_back_from_the_workbook(tmp_path):
    """items listed one shorter: the workbook's 参数 table gives four 技术能力 sub-items, and
    reading it back must not bring the default fifth one back (the form would not match)."""
    path = tmp_path / "rules.toml"
    four = '["产品知识", "维修工具和设备的使用", "故障排除和修复", "交流与客户服务技能"]'
    path.write_text(f"[tech.dimensions.ability]\nitems = {four}\n", encoding="utf-8")
    rules = load_rules(path)
    roster = write_roster(tmp_path / "roster.csv", STAFF[:1])
    [book] = generate(MONTH, tmp_path / "b.xlsx", roster, schemes=("M",), tech=True, rules=rules)
    form = all_forms(rules)["T"]
    workbook = openpyxl.load_workbook(book)
    ratings = {"ability": ["优秀", "优秀", "良好", "良好"], "attitude": ["合格"], "business": ["A"]}
    for key, words in ratings.items():
        for i, word in enumerate(words, start=1):
            workbook[form.sheet_name(*STAFF[0][:2])][form.entry_cell(f"{key}.{i}").address] = word
    workbook.save(book)
    outcome = consolidate([book], MONTH, tmp_path / f"汇总-{MONTH}.xlsx", allow_errors=True)
    assert (
        outcome.batch.rules.tech.dimensions["ability"].items
        == rules.tech.dimensions["ability"].items
    )
    assert [f for f in outcome.batch.errors if f.sheet.startswith("技术等级")] == []
    # 技术能力 (100+100+80+80)/4 = 90, 服务态度 60, 业务水平 100 → 45 + 15 + 25 = 85
    assert outcome.table.set_index("工号").at["1001", "技术等级·技术得分"] == pytest.approx(85)


REDEFINED = """
remove = ["monthly.items.M05", "tech.dimensions.ability"]

[monthly.items.M05]
category = "daily"
name = "配件丢失"
full = 10
deductions.lost = { label = "丢失", per = 5 }

[tech.dimensions.ability]
name = "技术能力"
weight = 0.5
items = ["产品知识", "故障排除和修复"]
"""


def test_an_entry_redefined_keeps_its_place_and_its_workbook_reads_back(tmp_path):
    """remove + the same code again: the entry is redefined where it was (not moved last), so
    the workbook made with the rules file matches the structure its 参数 table reads back."""
    path = tmp_path / "rules.toml"
    path.write_text(REDEFINED, encoding="utf-8")
    rules = load_rules(path)
    assert list(rules.monthly.items)[3:6] == ["M04", "M05", "M06"]
    assert list(rules.tech.dimensions) == ["ability", "attitude", "business"]
    roster = write_roster(tmp_path / "roster.csv", STAFF[:1])
    [book] = generate(MONTH, tmp_path / "b.xlsx", roster, schemes=("M",), tech=True, rules=rules)
    forms = all_forms(rules)
    workbook = openpyxl.load_workbook(book)
    typed = {
        "M": {"M05.lost": 1, "M09": "强", "M10": "多", "M11": "否"},
        "T": {"ability.1": "优秀", "ability.2": "良好", "attitude.1": "优秀", "business.1": "优秀"},
    }
    for scheme, cells in typed.items():
        for column, value in cells.items():
            sheet = workbook[forms[scheme].sheet_name(*STAFF[0][:2])]
            sheet[forms[scheme].entry_cell(column).address] = value
    workbook.save(book)
    outcome = consolidate([book], MONTH, tmp_path / f"汇总-{MONTH}.xlsx")
    assert not outcome.refused and outcome.batch.errors == [], outcome.batch.errors
    table = outcome.table.set_index("工号")
    assert table.at["1001", "M05 配件丢失"] == 5.0  # 10 − 1×5
    assert table.at["1001", "总分"] == 80.0  # 85 full, 5 lost on M05
    # 技术能力 (100 + 80) / 2 = 90 → 0.5×90 + 0.25×100 + 0.25×100 = 95
    assert table.at["1001", "技术等级·技术得分"] == pytest.approx(95)


def test_a_sixth_kpi_leaves_the_kpi_totals_on_their_full_points(rules):
    """What 环比 compares on: 业绩得分 and 总分 stay out of 100 with K6; each KPI out of 20."""
    from xlpy.core.full_points import full_points

    fulls = full_points("K", rules)
    assert (fulls["performance"], fulls["total"], fulls["K6"]) == (100.0, 100.0, 20.0)
    assert full_points("P", rules)["P7"] == 100.0 and full_points("T", rules)["total"] == 100.0
