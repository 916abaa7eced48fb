"""Scheme M by hand: deductions, floors, the falsified-record rule, ratings, veto, grades."""

import math

import pandas as pd
import pytest

from xlpy.core.entries import InvalidEntries
from xlpy.core.monthly import score_monthly
from xlpy.core.scheme_entries import monthly_entries
from xlpy.rules import default_rules, fingerprint, load_rules

CLEAN = {"M09": "强", "M10": "多", "M11": "否"}


def score(**entries):
    row = CLEAN | {k.replace("__", "."): v for k, v in entries.items()}
    return score_monthly(pd.DataFrame([row])).scores.iloc[0]


def test_clean_month_scores_full_85_and_100_percent():
    s = score()
    assert (s["daily"], s["onsite"], s["conduct"], s["performance"]) == (30, 35, 20, 65)
    assert s["total"] == 85 and s["percent"] == 100
    assert (s["grade"], s["coefficient"], s["status"]) == ("优秀", 1.2, "")


def test_worked_example_from_scoring_md():
    # M05 配件管理: 10 − 1×5 − 2×1 = 3
    s = score(M05__unclear_account=1, M05__transport_damage=2)
    assert s["M05"] == 3
    assert s["total"] == 85 - 7


def test_each_deduction_rule():
    s = score(
        M01__unreachable=2,
        M02__late_days=3,
        M03__incomplete=3,
        M04__damaged=0,
        M06__attitude_complaint=1,
        M07__confirmation_error=2,
        M07__false_report=1,
        M08__skill_complaint=2,
    )
    assert s["M01"] == 3  # 5 − 2×1
    assert s["M02"] == 2  # 5 − 3×1
    assert s["M03"] == 3.5  # 5 − 3×0.5
    assert s["M04"] == 5
    assert s["M06"] == 4  # 5 − 1
    assert s["M07"] == 3  # 10 − 2×1 − 1×5
    assert s["M08"] == 10  # 20 − 2×5
    assert s["daily"] == 3 + 2 + 3.5 + 5 + 10
    assert s["total"] == 23.5 + 4 + 3 + 10 + 20


def test_items_never_go_below_zero():
    s = score(M04__damaged=3, M08__skill_complaint=9, M01__unreachable=100)
    assert (s["M04"], s["M08"], s["M01"]) == (0, 0, 0)


def test_falsified_record_zeroes_the_item_whatever_else():
    assert score(M03__falsified=1)["M03"] == 0
    assert score(M03__falsified=1, M03__incomplete=0)["M03"] == 0
    assert score(M03__falsified=0, M03__incomplete=1)["M03"] == 4.5


@pytest.mark.parametrize("word, points", [("强", 5), ("较好", 3), ("一般", 2), ("差", 0)])
def test_honor_scale(word, points):
    assert score(M09=word)["M09"] == points


@pytest.mark.parametrize("word, points", [("多", 10), ("较好", 6), ("一般", 3), ("差", 0)])
def test_information_scale(word, points):
    assert score(M10=word)["M10"] == points


def test_veto_cancels_the_month():
    s = score(M11="是", M05__unclear_account=1)
    assert s["total"] == 0 and s["percent"] == 0
    assert (s["status"], s["grade"], s["coefficient"]) == ("取消", "不合格", 0.5)


def test_unrated_item_leaves_total_missing_not_zero():
    s = score(M10=None)
    assert math.isnan(s["M10"]) and math.isnan(s["total"])
    assert (s["status"], s["grade"]) == ("缺数据", "")


def test_percent_and_grade_bands():
    # 76.5 / 85 × 100 = 90 exactly → 优秀 (boundary is inclusive)
    s = score(M03__incomplete=1, M05__unclear_account=1, M01__unreachable=3)
    assert s["total"] == 76.5 and s["percent"] == pytest.approx(90) and s["grade"] == "优秀"
    s = score(M09="差", M10="一般", M01__unreachable=1)  # 85 − 5 − 7 − 1 = 72 → 84.7
    assert s["total"] == 72 and s["grade"] == "良好" and s["coefficient"] == 1.0


def test_blank_counts_are_zero_and_numeric_text_is_accepted():
    s = score(M01__unreachable=None, M02__late_days="2", M06__attitude_complaint="")
    assert (s["M01"], s["M02"], s["M06"]) == (5, 3, 5)


@pytest.mark.parametrize(
    "column, value",
    [
        ("M01.unreachable", "abc"),
        ("M01.unreachable", -1),
        ("M01.unreachable", 1.5),
        ("M01.unreachable", True),
        ("M09", "很好"),
        ("M11", "也许"),
    ],
)
def test_bad_entries_are_errors_naming_column_and_row(column, value):
    frame = pd.DataFrame([CLEAN, CLEAN | {column: value}], index=["张伟", "李娜"])
    with pytest.raises(InvalidEntries) as caught:
        score_monthly(frame)
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == ("李娜", column, value)


@pytest.mark.parametrize("number, logical", [(1, True), (0, False), (1.0, True)])
@pytest.mark.parametrize("logical_first", [False, True])
def test_a_logical_value_is_no_count_whatever_the_other_rows_hold(number, logical, logical_first):
    """Python takes TRUE for 1 (``True == 1``, the same hash): a month whose rows hold both must
    still read the number as a count and TRUE as an error, in either order."""
    rows = {"张伟": number, "李娜": logical}
    order = ["李娜", "张伟"] if logical_first else ["张伟", "李娜"]
    frame = pd.DataFrame(
        [CLEAN | {"M01.unreachable": rows[who]} for who in order], index=order, dtype=object
    )
    with pytest.raises(InvalidEntries) as caught:
        score_monthly(frame)
    assert [(p.row, p.value) for p in caught.value.problems] == [("李娜", logical)]
    item = default_rules().monthly.items["M01"]
    scored = score_monthly(frame.drop(index="李娜"))
    assert (
        scored.scores.loc["张伟", "M01"] == item.full - number * item.deductions["unreachable"].per
    )


def test_parameters_are_used_and_recorded():
    rules = load_rules(overrides={"monthly.items.M05.deductions.unclear_account.per": 2})
    result = score_monthly(pd.DataFrame([CLEAN | {"M05.unclear_account": 1}]), rules)
    assert result.scores["M05"].iloc[0] == 8
    assert result.fingerprint == fingerprint(rules) != fingerprint(default_rules())


def test_explanations_show_the_arithmetic():
    frame = pd.DataFrame(
        [
            CLEAN | {"M05.unclear_account": 1, "M05.transport_damage": 2},
            CLEAN | {"M03.falsified": 1, "M08.skill_complaint": 5, "M11": "是"},
        ]
    )
    text = score_monthly(frame).explanations
    assert text["M05"][0] == "M05 配件管理: 10 − 1×5 − 2×1 = 3"
    assert text["M01"][0] == "M01 通讯畅通: 5,无扣分 = 5"
    assert text["M03"][1] == "M03 维修记录单: 造假 1 次 → 0"
    assert text["M08"][1] == "M08 维修技能: 20 − 5×5 = −5 → 0(扣完为止)"
    assert text["M09"][0] == "M09 企业荣誉感: 强 = 5"
    assert text["M11"][1] == "M11 职业道德: 确认违规 → 当月考核取消"
    assert text["total"][0] == "总分 23 + 35 + 20 = 78;百分制 78 ÷ 85 × 100 = 91.76 → 优秀"


def test_entry_list_covers_every_item():
    columns = [e.column for e in monthly_entries(default_rules())]
    assert columns[:3] == ["M01.unreachable", "M02.late_days", "M03.incomplete"]
    assert {"M09", "M10", "M11"} <= set(columns)
    assert len(columns) == 14
