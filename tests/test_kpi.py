"""Scheme K by hand: completion tiers, lower-is-better, zero targets, raters, weighting."""

import math

import numpy as np
import pandas as pd
import pytest

from xlpy.core.entries import InvalidEntries
from xlpy.core.kpi import combined_level, completion, score_kpi, tier_points
from xlpy.rules import load_rules

FULL_KPI = {f"K{i}.{f}": 10 for i in range(1, 6) for f in ("target", "actual")}
RATED = {"B1.self": 4, "B1.manager": 4, "B2.self": 4, "B2.manager": 4}


def score(rules=None, **entries):
    row = FULL_KPI | RATED | {k.replace("__", "."): v for k, v in entries.items()}
    return score_kpi(pd.DataFrame([row]), rules).scores.iloc[0]


@pytest.mark.parametrize(
    "actual, points", [(12, 20), (10, 20), (9, 10), (8, 10), (7.9, 5), (7.5, 5), (7.49, 0), (0, 0)]
)
def test_tiers_of_completion(actual, points):
    assert score(K1__actual=actual)["K1"] == points


def test_lower_is_better_inverts_completion():
    rules = load_rules(overrides={"kpi.indicators.K4.lower_is_better": True})
    assert score(rules, K4__target=4, K4__actual=5)["K4"] == 10  # 4/5 = 80%
    assert score(rules, K4__target=3, K4__actual=4)["K4"] == 5  # 75%
    assert score(rules, K4__target=3, K4__actual=2)["K4"] == 20  # 150%
    assert score(rules, K4__target=3, K4__actual=0)["K4"] == 20  # nothing bad happened


def test_zero_targets():
    rules = load_rules(overrides={"kpi.indicators.K4.lower_is_better": True})
    assert score(rules, K4__target=0, K4__actual=0)["K4"] == 20
    assert score(rules, K4__target=0, K4__actual=1)["K4"] == 0
    assert score(K1__target=0, K1__actual=0)["K1"] == 20  # higher is better: a zero target is met
    assert score(K1__target=0, K1__actual=3)["K1"] == 20


def test_performance_behavior_and_total():
    s = score(
        K1__actual=9,
        K2__actual=7.5,
        K3__actual=5,
        B1__self=4,
        B1__manager=5,
        B2__self=3,
        B2__manager=3,
    )
    assert s["performance"] == 10 + 5 + 0 + 20 + 20
    assert s["B1"] == pytest.approx((0.3 * 4 + 0.7 * 5) / 5 * 100)  # 94
    assert s["B2"] == pytest.approx(60)
    assert s["behavior"] == pytest.approx(0.5 * 94 + 0.5 * 60)  # 77
    assert s["total"] == pytest.approx(0.85 * 55 + 0.15 * 77)  # 58.3
    assert (s["grade"], s["coefficient"], s["status"]) == ("不合格", 0.5, "")


def test_missing_rater_counts_the_other_alone_and_is_flagged():
    s = score(B1__self=None, B1__manager=5)
    assert s["B1"] == 100 and s["status"] == "单人评分"
    s = score(B2__self=2, B2__manager=None)
    assert s["B2"] == 40


def test_no_rating_at_all_leaves_the_total_missing():
    s = score(B1__self=None, B1__manager=None)
    assert math.isnan(s["B1"]) and math.isnan(s["total"]) and s["status"] == "缺数据"


def test_blank_target_is_missing_not_zero():
    s = score(K3__target=None)
    assert math.isnan(s["K3"]) and math.isnan(s["total"]) and s["grade"] == ""


def test_full_marks_grade_excellent():
    s = score(B1__self=5, B1__manager=5, B2__self=5, B2__manager=5)
    assert s["total"] == 100 and s["grade"] == "优秀" and s["coefficient"] == 1.2


@pytest.mark.parametrize(
    "column, value",
    [("B1.self", 6), ("B1.self", 0), ("B1.manager", 2.5), ("K1.actual", -3), ("K2.target", "十")],
)
def test_bad_entries(column, value):
    with pytest.raises(InvalidEntries) as caught:
        score_kpi(pd.DataFrame([FULL_KPI | RATED | {column: value}]))
    assert caught.value.problems[0].column == column


def test_vector_helpers():
    ratio = completion(
        np.array([5, 0, 4, np.nan]), np.array([10, 0, 5, 1]), np.array([False, True, True, False])
    )
    assert ratio[0] == 0.5 and np.isinf(ratio[1]) and ratio[2] == 1.25 and np.isnan(ratio[3])
    points = tier_points(np.array([1.0, 0.8, 0.75, 0.7]), [1, 0.8, 0.75], [20, 10, 5])
    assert list(points) == [20, 10, 5, 0]
    level, single = combined_level(np.array([4, np.nan, 3]), np.array([5, 2, np.nan]), 0.3)
    assert list(level) == pytest.approx([4.7, 2, 3]) and list(single) == [False, True, True]


def test_explanations():
    rules = load_rules(overrides={"kpi.indicators.K4.lower_is_better": True})
    changed = {"K1.actual": 9, "K4.target": 3, "K4.actual": 4, "B2.self": None}
    frame = pd.DataFrame([FULL_KPI | RATED | changed])
    text = score_kpi(frame, rules).explanations.iloc[0]
    assert text["K1"] == "K1 客户信息管理: 实际 9 ÷ 目标 10 = 90% → 10"
    assert text["K4"] == "K4 投诉处理: 目标 3 ÷ 实际 4 = 75% → 5(越低越好)"
    assert text["B1"] == "B1 服务细致度: (0.3×4 + 0.7×4) ÷ 5 × 100 = 80"
    assert text["B2"] == "B2 以客户为中心: 仅上级评分 4 ÷ 5 × 100 = 80(单人评分)"
