"""Schemes T and P by hand."""

import math

import pandas as pd
import pytest

from xlpy.core.entries import InvalidEntries
from xlpy.core.performance import score_performance
from xlpy.core.scheme_entries import tech_entries
from xlpy.core.tech import score_tech
from xlpy.core.values import misread
from xlpy.rules import load_rules


def tech(row, rules=None):
    return score_tech(pd.DataFrame([row]), rules).scores.iloc[0]


def test_tech_dimension_means_weights_and_level():
    s = tech(
        {
            "ability.1": "优秀",
            "ability.2": "A",
            "ability.3": "良好",
            "attitude.1": "C",
            "business.1": "优秀",
            "business.2": "良好",
        }
    )
    assert s["ability"] == pytest.approx((100 + 100 + 80) / 3)
    assert s["attitude"] == 60 and s["business"] == 90
    assert s["total"] == pytest.approx(0.5 * 280 / 3 + 0.25 * 60 + 0.25 * 90)  # 84.17
    assert s["level"] == "中级"


@pytest.mark.parametrize(
    "rating, total, level",
    [
        ("优秀", 100, "高级"),
        ("良好", 80, "中级"),
        ("合格", 60, "初级"),
        ("不合格", 40, "未定级"),
        ("D", 40, "未定级"),
    ],
)
def test_tech_uniform_ratings(rating, total, level):
    s = tech({"ability.1": rating, "attitude.1": rating, "business.1": rating})
    assert s["total"] == total and s["level"] == level


def test_tech_level_boundaries():
    # ability 良好(80), attitude 优秀(100), business 优秀(100): 40 + 25 + 25 = 90 → 高级
    level = tech({"ability.1": "良好", "attitude.1": "优秀", "business.1": "优秀"})["level"]
    assert level == "高级"
    # 0.5×80 + 0.25×80 + 0.25×60 = 75 → 中级
    level = tech({"ability.1": "良好", "attitude.1": "良好", "business.1": "合格"})["level"]
    assert level == "中级"


def test_tech_all_blank_dimension_is_an_error():
    with pytest.raises(InvalidEntries, match="业务水平至少评定一项"):
        score_tech(pd.DataFrame([{"ability.1": "A", "attitude.1": "B"}]))


def test_tech_bad_rating_is_an_error():
    with pytest.raises(InvalidEntries) as caught:
        score_tech(pd.DataFrame([{"ability.1": "E", "attitude.1": "B", "business.1": "B"}]))
    assert [p.column for p in caught.value.problems] == ["ability.1"]


def test_tech_points_are_parameters():
    rules = load_rules(overrides={"scales.tech.points.优秀": 95})
    assert tech({"ability.1": "A", "attitude.1": "A", "business.1": "A"}, rules)["total"] == 95


def test_performance_weighted_mean():
    entries = {"P1": 90, "P2": 80, "P3": 70, "P4": 100, "P5": 60, "P6": 85}
    s = score_performance(pd.DataFrame([entries])).scores.iloc[0]
    weighted = 25 * 90 + 20 * 80 + 20 * 70 + 10 * 100 + 10 * 60 + 15 * 85
    assert s["total"] == pytest.approx(weighted / 100)
    assert s["grade"] == "良好"


def test_performance_blank_is_missing_and_range_is_checked():
    s = score_performance(pd.DataFrame([{"P1": 90}])).scores.iloc[0]
    assert math.isnan(s["total"]) and s["status"] == "缺数据"
    with pytest.raises(InvalidEntries):
        score_performance(pd.DataFrame([{"P1": 101, "P2": 1, "P3": 1, "P4": 1, "P5": 1, "P6": 1}]))


@pytest.mark.parametrize(("typed", "fix"), [("a", "A"), ("ｂ", "B"), (" c", "C")])
def test_tech_letter_in_another_case_names_the_letter(typed, fix):
    """The sheet's lookups take "a" for A; xlpy reads only the listed words, so it is an error
    whose fix is the letter as listed (one reading for both)."""
    entry = next(e for e in tech_entries(load_rules()) if e.column == "ability.1")
    found = misread(typed, entry)
    assert found is not None and found.fix == fix
    assert misread(fix, entry) is None
