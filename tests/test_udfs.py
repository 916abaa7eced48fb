"""The Excel function catalog, called as Excel calls it: scalars, lists, lists of rows."""

import inspect
import math

import pandas as pd
import pytest

import udfs
from udfs import CATALOG, UdfError
from xlpy.core.entries import Entry, Kind
from xlpy.core.kpi import score_kpi
from xlpy.core.monthly import score_monthly
from xlpy.core.performance import score_performance
from xlpy.core.scheme_entries import full_total
from xlpy.core.survey import engineer_satisfaction
from xlpy.core.tech import score_tech
from xlpy.errors import XlpyError
from xlpy.rules import default_rules

RULES = default_rules()

SCORING_MD_SIGNATURES = {
    "TECH_SCORE": ["ability", "attitude", "business", "weights"],
    "TECH_LEVEL": ["score"],
    "GRADE_LEVEL": ["score", "full_points"],
    "ITEM_SCORE": ["full_points", "count1", "per1", "more"],
    "DEDUCTION": ["full_points", "count1", "per1", "more"],
    "RATING_POINTS": ["rating", "scale"],
    "MONTHLY_TOTAL": ["item_scores", "veto"],
    "TARGET_SCORE": ["actual", "target", "lower_is_better", "full_points"],
    "BEHAVIOR_SCORE": ["self_level", "manager_level", "self_weight"],
    "WEIGHTED_TOTAL": ["scores", "weights"],
    "SATISFACTION": ["scores", "threshold"],
}


def test_catalog_has_the_eleven_functions_in_scoring_md_order():
    assert set(CATALOG) == set(SCORING_MD_SIGNATURES)
    for name, expected in SCORING_MD_SIGNATURES.items():
        udf = CATALOG[name]
        assert udf.python_name == name.lower() and getattr(udfs, name.lower()) is udf.function
        assert [a.name for a in udf.args][: len(expected)] == expected
        assert udf.doc and all(a.doc for a in udf.args)
        assert all(a.optional or a.variadic for a in udf.args[len(expected) :])


def test_tech_score():
    assert udfs.tech_score("优秀", "良好", "合格") == 0.5 * 100 + 0.25 * 80 + 0.25 * 60
    # ranges in any orientation; blanks skipped; letters accepted
    assert udfs.tech_score([["A"], ["良好"], [None]], ["A", "B"], [["C", "D"]]) == pytest.approx(
        0.5 * 90 + 0.25 * 90 + 0.25 * 50
    )
    assert udfs.tech_score("A", "A", "D", [2, 1, 1]) == pytest.approx((200 + 100 + 40) / 4)
    table = [["优秀", 95], ["良好", 85], ["合格", 70], ["不合格", 50]]
    assert udfs.tech_score("A", "良好", "合格", None, table) == pytest.approx(
        0.5 * 95 + 0.25 * 85 + 0.25 * 70
    )


def test_levels():
    assert udfs.tech_level(90) == "高级" and udfs.tech_level(89.99) == "中级"
    assert udfs.tech_level([[75], [60], [59.9], [None]]) == [["中级"], ["初级"], ["未定级"], [""]]
    assert udfs.grade_level(76, 85) == "良好"  # 89.41
    assert udfs.grade_level(76.5, 85) == "优秀"  # 90 exactly
    assert udfs.grade_level([90, 80, 60, 59.99]) == ["优秀", "良好", "合格", "不合格"]
    assert udfs.grade_level(85, None, [["A", 80], ["B", 0]]) == "A"


def test_item_score_and_deduction():
    assert udfs.item_score(10, 1, 5, 2, 1) == 3
    assert udfs.deduction(10, 1, 5, 2, 1) == 7
    assert udfs.item_score(20, 5, 5) == 0 and udfs.deduction(20, 5, 5) == 20
    assert udfs.item_score(5, None, 1) == 5
    # a column of counts: one formula fills the column
    assert udfs.item_score(5, [[0], [2], [None]], 1) == [[5], [3], [5]]
    assert udfs.item_score([[5], [10]], [[1], [1]], [[1], [5]]) == [[4], [5]]


def test_rating_points():
    assert udfs.rating_points("较好", "荣誉感") == 3
    assert udfs.rating_points(["多", "一般", None], "信息收集") == [10, 3, ""]
    assert udfs.rating_points("B", "技术") == 80
    assert udfs.rating_points("强", [["强", 4], ["差", 0]]) == 4


def test_monthly_total():
    assert udfs.monthly_total([5, 5, 5, 5, 3, 5, 10, 20, 5, 10, 5]) == 78
    assert udfs.monthly_total([[5], [5]], "是") == 0
    assert udfs.monthly_total([5, 5], False) == 10


def test_target_score():
    assert udfs.target_score(45, 50) == 10
    assert udfs.target_score(50, 50) == 20
    assert udfs.target_score(3, 5, True) == 20 and udfs.target_score(6, 5, True) == 10
    assert udfs.target_score(4, 3, True) == 5 and udfs.target_score(5, 3, True) == 0
    assert udfs.target_score(0, 0, True) == 20 and udfs.target_score(1, 0, True) == 0
    assert udfs.target_score(8, 10, False, 100) == 50
    assert udfs.target_score([[9], [7]], [[10], [10]]) == [[10], [0]]
    assert udfs.target_score(7, 10, False, 20, [[0.7, 8], [1, 20]]) == 8
    # a tiers table alone scores in its own points (its top tier is full marks)
    assert udfs.target_score(7, 10, False, None, [[0.7, 5], [1, 10]]) == 5
    assert udfs.target_score(None, 10) == ""


def test_behavior_score():
    assert udfs.behavior_score(4, 5) == pytest.approx(94)
    assert udfs.behavior_score(None, 5) == 100
    assert udfs.behavior_score(3, None) == 60
    assert udfs.behavior_score(4, 5, 0.5) == 90
    assert udfs.behavior_score(None, None) == ""


def test_weighted_total_and_satisfaction():
    assert udfs.weighted_total([80, 90], [85, 15]) == pytest.approx(81.5)
    assert udfs.weighted_total([[80], [90]], [0.85, 0.15]) == pytest.approx(81.5)
    assert udfs.satisfaction([5, 4, 3, None, 2]) == 0.5
    assert udfs.satisfaction([[5, 4], [3, 2]], 3) == 0.75


def _expected(kind):
    """What the core tells staff a valid entry of this kind looks like (the forms' wording)."""
    return Entry("x", "x", kind).expected


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: udfs.item_score(5, "abc", 1), "ITEM_SCORE: 参数 count1 的值 “abc” 无效"),
        (lambda: udfs.item_score(5, -1, 1), "应为 " + _expected(Kind.COUNT)),
        (lambda: udfs.item_score(5, 1.5, 1), "应为 " + _expected(Kind.COUNT)),
        (lambda: udfs.item_score(0, 1, 1), "full_points"),
        (lambda: udfs.item_score(5, 1, 1, 2), "成对"),
        (lambda: udfs.item_score(5, [1, 2], [1, 2, 3]), "大小不一致"),
        (lambda: udfs.rating_points("很好", "荣誉感"), "应为 强 / 较好 / 一般 / 差"),
        (lambda: udfs.rating_points("强", "无此量表"), "量表名称"),
        (lambda: udfs.tech_score(None, "A", "A"), "至少一个技术能力评级"),
        (lambda: udfs.tech_score("A", "A", "A", [1, 1]), "3 个大于 0 的权重"),
        (lambda: udfs.tech_score("A", "A", "A", [1, 0, 1]), "参数 weights 应大于 0(当前值: 0)"),
        (lambda: udfs.grade_level(90, 85), "不大于满分"),
        (lambda: udfs.target_score(1, 2, "maybe"), "应为 " + _expected(Kind.FLAG)),
        (lambda: udfs.target_score(-1, 2), "actual"),
        (lambda: udfs.behavior_score(6, 5), "应为 " + _expected(Kind.LEVEL)),
        (lambda: udfs.behavior_score(4, 5, 1.5), "参数 self_weight 应不大于 1(当前值: 1.5)"),
        (lambda: udfs.monthly_total([5, None]), "含空白"),
        (lambda: udfs.monthly_total([5, 5], "也许"), "veto"),
        (lambda: udfs.weighted_total([80, 90], [1]), "一一对应"),
        (lambda: udfs.weighted_total([80, 90], [0, 0]), "之和大于 0"),
        (lambda: udfs.satisfaction([None, ""]), "无数据"),
        (lambda: udfs.satisfaction([7]), "应为 " + _expected(Kind.SURVEY)),
        (lambda: udfs.satisfaction([4], 6), "参数 threshold 应不大于 5(当前值: 6)"),
        (lambda: udfs.item_score(5, 1, True), "参数 per1 的值 TRUE 无效 · 应为 数字"),
        (lambda: udfs.grade_level(85, None, [["A", 80]]), "最后一档下限必须为 0"),
    ],
)
def test_bad_arguments_name_value_and_expectation(call, fragment):
    with pytest.raises(UdfError) as caught:
        call()
    assert fragment in str(caught.value)
    assert isinstance(caught.value, XlpyError)  # one error tree


def test_signatures_have_no_required_argument_after_optional_ones():
    for udf in CATALOG.values():
        parameters = inspect.signature(udf.function).parameters.values()
        kinds = [
            p.default is inspect.Parameter.empty
            for p in parameters
            if p.kind is not inspect.Parameter.VAR_POSITIONAL
        ]
        assert kinds == sorted(kinds, reverse=True)


# ── As Excel calls them: xlwings' own argument and result conversion (tests/xlwings_com.py) ──
# What COM passes for a range: one cell as a scalar, any other range as a tuple of row tuples.
COLUMN, ROW, BLOCK = 3, 3, 6  # cells in each shape below

# One element-wise call per function: the shaped argument's cells (3 or 6 of them), and how to
# place them among the function's other (scalar) arguments.
ELEMENTWISE = {
    "TECH_LEVEL": ([95.0, 80.0, 10.0, None, 60.0, 75.0], lambda cells: (cells,)),
    "GRADE_LEVEL": ([90.0, 79.0, 50.0, None, 60.0, 85.0], lambda cells: (cells,)),
    "ITEM_SCORE": ([0.0, 2.0, None, 1.0, 9.0, 3.0], lambda cells: (10.0, cells, 2.0)),
    "DEDUCTION": ([0.0, 2.0, None, 1.0, 9.0, 3.0], lambda cells: (10.0, cells, 2.0)),
    "RATING_POINTS": (["强", "差", None, "较好", "一般", "强"], lambda cells: (cells, "荣誉感")),
    "TARGET_SCORE": ([10.0, 8.0, 1.0, None, 7.5, 12.0], lambda cells: (cells, 10.0)),
    "BEHAVIOR_SCORE": ([5.0, 1.0, None, 3.0, 4.0, 2.0], lambda cells: (cells, 4.0)),
}


def _com(cells, rows, columns):
    return tuple(tuple(cells[r * columns : (r + 1) * columns]) for r in range(rows))


@pytest.fixture(scope="module")
def excel():
    from xlwings_com import excel_engine

    with excel_engine():
        yield


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize(
    "rows, columns", [(COLUMN, 1), (1, ROW), (2, 3), (1, 1)], ids=["column", "row", "block", "cell"]
)
def test_elementwise_functions_return_the_shape_excel_gave_them(excel, name, rows, columns):
    from xlwings_com import call_as_excel

    cells, place = ELEMENTWISE[name]
    cells = cells[: rows * columns]
    shaped = cells[0] if rows == columns == 1 else _com(cells, rows, columns)
    got = call_as_excel(CATALOG[name], *place(shaped))
    one_by_one = [call_as_excel(CATALOG[name], *place(cell))[0][0] for cell in cells]
    assert got == [one_by_one[r * columns : (r + 1) * columns] for r in range(rows)]


NA = -2146826246  # how COM passes a cell holding #N/A


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_an_error_value_in_a_range_is_refused_never_read_as_blank(excel, name):
    from xlwings_com import call_as_excel

    cells, place = ELEMENTWISE[name]
    with pytest.raises(UdfError, match="#N/A"):
        call_as_excel(CATALOG[name], *place(((cells[0],), (NA,), (cells[1],))))


def test_table_and_name_arguments_arrive_whole_from_excel(excel):
    from xlwings_com import MISSING, call_as_excel

    one_row_table = (("全部", 0.0),)
    assert call_as_excel(CATALOG["GRADE_LEVEL"], 85.0, MISSING, one_row_table) == [["全部"]]
    assert call_as_excel(CATALOG["RATING_POINTS"], "B", "技术") == [[80.0]]
    assert call_as_excel(CATALOG["TECH_SCORE"], (("A",), ("B",)), "A", (("C", "D"),)) == [
        [pytest.approx(0.5 * 90 + 0.25 * 100 + 0.25 * 50)]
    ]


# ── The same inputs through each udf and through the core's scorers ────────────────────────────
def _frame(scheme):
    from forms_helpers import samples

    return pd.DataFrame.from_dict(samples()[scheme], orient="index")


def _column(frame, column):
    """A frame column as Excel passes a one-column range: a list of rows, blanks as None."""
    return [[None if pd.isna(v) else v] for v in frame[column].astype(object)]


def _cells(result):
    return [row[0] for row in result]


def _tech_score():
    frame, dims = _frame("T"), RULES.tech.dimensions
    got = [
        udfs.tech_score(
            *[[row[f"{k}.{i}"] for i in range(1, len(d.items) + 1)] for k, d in dims.items()]
        )
        for _, row in frame.iterrows()
    ]
    return got, score_tech(frame, RULES).scores["total"]


def _tech_level():
    totals = score_tech(_frame("T"), RULES).scores
    return _cells(udfs.tech_level([[t] for t in totals["total"]])), totals["level"]


def _grade_level():
    scores = score_monthly(_frame("M"), RULES).scores.dropna(subset=["total"])
    got = udfs.grade_level([[t] for t in scores["total"]], full_total(RULES))
    return _cells(got), scores["grade"]


def _item_args(frame, code):
    item = RULES.monthly.items[code]
    args = [item.full]
    for key, deduction_rule in item.deductions.items():
        args += [_column(frame, f"{code}.{key}"), deduction_rule.per]
    return args


def _item_score():
    frame = _frame("M")
    return _cells(udfs.item_score(*_item_args(frame, "M05"))), score_monthly(frame, RULES).scores[
        "M05"
    ]


def _deduction():
    frame = _frame("M")
    full = RULES.monthly.items["M05"].full
    return _cells(udfs.deduction(*_item_args(frame, "M05"))), full - score_monthly(
        frame, RULES
    ).scores["M05"]


def _rating_points():
    frame = _frame("M")
    scale = RULES.scales[RULES.monthly.items["M09"].scale].label
    return _cells(udfs.rating_points(_column(frame, "M09"), scale)), score_monthly(
        frame, RULES
    ).scores["M09"]


def _monthly_total():
    frame = _frame("M")
    scores = score_monthly(frame, RULES).scores
    complete = scores.dropna(subset=list(RULES.monthly.items))
    got = [
        udfs.monthly_total([[row[c]] for c in RULES.monthly.items], frame.at[pid, "M11"])
        for pid, row in complete.iterrows()
    ]
    return got, complete["total"]


def _target_score():
    frame = _frame("K")
    got = udfs.target_score(_column(frame, "K1.actual"), _column(frame, "K1.target"))
    return _cells(got), score_kpi(frame, RULES).scores["K1"]


def _behavior_score():
    frame = _frame("K")
    got = udfs.behavior_score(_column(frame, "B1.self"), _column(frame, "B1.manager"))
    return _cells(got), score_kpi(frame, RULES).scores["B1"]


def _weighted_total():
    frame = _frame("P")
    scores = score_performance(frame, RULES).scores.dropna(subset=["total"])
    dims = RULES.performance.dimensions
    got = [
        udfs.weighted_total([[row[c]] for c in dims], [[d.weight] for d in dims.values()])
        for _, row in scores.iterrows()
    ]
    return got, scores["total"]


def _satisfaction():
    from forms_helpers import samples

    responses = pd.DataFrame(samples()["S"])
    per_engineer = engineer_satisfaction(responses, RULES)
    questions = list(RULES.survey.questions)
    got = [
        udfs.satisfaction(
            responses.loc[responses["engineer_id"] == pid, questions]
            .astype(object)
            .where(lambda f: f.notna(), None)
            .values.tolist()
        )
        for pid in per_engineer.index
    ]
    return got, per_engineer["rate"]


SAME_AS_CORE = {
    "TECH_SCORE": _tech_score,
    "TECH_LEVEL": _tech_level,
    "GRADE_LEVEL": _grade_level,
    "ITEM_SCORE": _item_score,
    "DEDUCTION": _deduction,
    "RATING_POINTS": _rating_points,
    "MONTHLY_TOTAL": _monthly_total,
    "TARGET_SCORE": _target_score,
    "BEHAVIOR_SCORE": _behavior_score,
    "WEIGHTED_TOTAL": _weighted_total,
    "SATISFACTION": _satisfaction,
}


def test_every_function_is_compared_with_the_core():
    assert set(SAME_AS_CORE) == set(CATALOG)


@pytest.mark.parametrize("name", list(SAME_AS_CORE))
def test_a_udf_gives_what_the_core_gives_for_the_same_inputs(name):
    got, core = SAME_AS_CORE[name]()
    core = list(core)
    assert len(got) == len(core) >= 4
    for mine, theirs in zip(got, core, strict=True):
        if isinstance(theirs, str):
            assert mine == theirs
        elif math.isnan(theirs):
            assert mine == ""  # a blank cell
        else:
            assert mine == pytest.approx(theirs, abs=1e-9)
