"""Invariants over generated months (hypothesis)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import udfs
from xlpy.core.entries import Kind
from xlpy.core.kpi import score_kpi
from xlpy.core.monthly import score_monthly
from xlpy.core.scheme_entries import monthly_entries, tech_entries
from xlpy.core.tech import score_tech
from xlpy.rules import default_rules

RULES = default_rules()
ENTRIES = monthly_entries(RULES)
GRADE_ORDER = [b.label for b in RULES.grade.bands.values()]

counts = st.integers(min_value=0, max_value=30)


@st.composite
def monthly_rows(draw):
    row = {}
    for entry in ENTRIES:
        if entry.kind is Kind.COUNT:
            row[entry.column] = draw(counts)
        elif entry.kind is Kind.RATING:
            row[entry.column] = draw(st.sampled_from(entry.choices))
        else:
            row[entry.column] = draw(st.sampled_from(["是", "否", None]))
    return row


@settings(max_examples=150, deadline=None)
@given(st.lists(monthly_rows(), min_size=1, max_size=20))
def test_monthly_items_within_bounds_and_totals_add_up(rows):
    scores = score_monthly(pd.DataFrame(rows)).scores
    for code, item in RULES.monthly.items.items():
        assert scores[code].between(0, item.full).all()
    vetoed = scores["status"] == "取消"
    parts = scores[list(RULES.monthly.categories)].sum(axis=1)
    assert np.allclose(scores.loc[~vetoed, "total"], parts[~vetoed])
    assert (scores.loc[vetoed, "total"] == 0).all()
    assert np.allclose(scores["performance"], scores["daily"] + scores["onsite"])
    assert np.allclose(scores["percent"], scores["total"] / 85 * 100)


@settings(max_examples=150, deadline=None)
@given(
    monthly_rows(),
    st.sampled_from([e.column for e in ENTRIES if e.kind is Kind.COUNT]),
    st.integers(min_value=1, max_value=5),
)
def test_more_occurrences_never_raise_a_score(row, column, extra):
    before = score_monthly(pd.DataFrame([row])).scores.iloc[0]
    after = score_monthly(pd.DataFrame([row | {column: row[column] + extra}])).scores.iloc[0]
    code = column.split(".")[0]
    assert after[code] <= before[code]
    assert after["total"] <= before["total"]


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_grade_bands_are_monotone(a, b):
    low, high = sorted([a, b])
    assert GRADE_ORDER.index(udfs.grade_level(high)) <= GRADE_ORDER.index(udfs.grade_level(low))


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=0.5, max_value=100),
    counts,
    st.floats(min_value=0.5, max_value=10),
    counts,
    st.floats(min_value=0.5, max_value=10),
)
def test_item_score_plus_deduction_is_full(full, c1, p1, c2, p2):
    score, lost = udfs.item_score(full, c1, p1, c2, p2), udfs.deduction(full, c1, p1, c2, p2)
    assert 0 <= score <= full and 0 <= lost <= full
    assert score + lost == pytest.approx(full)
    assert udfs.item_score(full, c1 + 1, p1, c2, p2) <= score


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=0, max_value=1000),
    st.floats(min_value=0, max_value=1000),
    st.floats(min_value=0, max_value=1000),
    st.booleans(),
)
def test_target_points_monotone_in_actual(a1, a2, target, lower):
    low, high = sorted([a1, a2])
    better, worse = (low, high) if lower else (high, low)
    assert udfs.target_score(better, target, lower) >= udfs.target_score(worse, target, lower)
    assert udfs.target_score(better, target, lower) in (0, 5, 10, 20)


levels = st.one_of(st.none(), st.integers(min_value=1, max_value=5))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                **{f"K{i}.target": st.integers(0, 50) for i in range(1, 6)},
                **{f"K{i}.actual": st.integers(0, 50) for i in range(1, 6)},
                "B1.self": levels,
                "B1.manager": st.integers(1, 5),
                "B2.self": levels,
                "B2.manager": levels,
            }
        ),
        min_size=1,
        max_size=10,
    )
)
def test_kpi_total_is_weighted_sum_of_parts(rows):
    s = score_kpi(pd.DataFrame(rows)).scores
    assert np.allclose(s["performance"], s[["K1", "K2", "K3", "K4", "K5"]].sum(axis=1))
    ok = s["total"].notna()
    weighted = 0.85 * s.loc[ok, "performance"] + 0.15 * s.loc[ok, "behavior"]
    assert np.allclose(s.loc[ok, "total"], weighted)
    assert s.loc[ok, "total"].between(0, 100).all()
    assert s["B1"].between(20, 100).all()


tech_ratings = st.sampled_from(["优秀", "良好", "合格", "不合格", "A", "B", "C", "D", None])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries({e.column: tech_ratings for e in tech_entries(RULES)}),
        min_size=1,
        max_size=8,
    )
)
def test_tech_score_matches_udf_and_stays_in_scale(rows):
    rows = [
        r
        | {
            "ability.1": r["ability.1"] or "A",
            "attitude.1": r["attitude.1"] or "B",
            "business.1": r["business.1"] or "C",
        }
        for r in rows
    ]
    scores = score_tech(pd.DataFrame(rows)).scores
    for row, total in zip(rows, scores["total"], strict=True):
        dims = [
            [v for k, v in row.items() if k.startswith(d + ".")]
            for d in ("ability", "attitude", "business")
        ]
        assert udfs.tech_score(*dims) == pytest.approx(total)
        assert 40 <= total <= 100


@settings(max_examples=60, deadline=None)
@given(st.lists(monthly_rows(), min_size=1, max_size=6))
def test_one_item_score_over_the_deduction_column_equals_the_core(rows):
    """What the add-in template's array formula computes for M's deduction items: one
    ITEM_SCORE call with a row per item, the same as the core's item scores."""
    items = {code: item for code, item in RULES.monthly.items.items() if item.deductions}
    slots = max(len(item.deductions) for item in items.values())
    scores = score_monthly(pd.DataFrame(rows), RULES).scores
    for row, (_, core) in zip(rows, scores.iterrows(), strict=True):
        args = [[[item.full] for item in items.values()]]
        for slot in range(slots):
            keys = [
                list(item.deductions)[slot] if slot < len(item.deductions) else None
                for item in items.values()
            ]
            args.append(
                [
                    [row[f"{code}.{key}"] if key else None]
                    for code, key in zip(items, keys, strict=True)
                ]
            )
            args.append(
                [
                    [
                        (
                            item.full
                            if item.deductions[key].zeroes_item
                            else item.deductions[key].per
                        )
                        if key
                        else ""
                    ]
                    for item, key in zip(items.values(), keys, strict=True)
                ]
            )
        got = udfs.item_score(*args)
        assert [cell for [cell] in got] == pytest.approx([core[code] for code in items])
