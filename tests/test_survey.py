"""Schemes S and D by hand: means, satisfaction rates, per engineer, department scorecard."""

import math

import pandas as pd
import pytest

from xlpy.core.entries import InvalidEntries, Kind
from xlpy.core.scheme_entries import survey_entries
from xlpy.core.survey import (
    department_scorecard,
    engineer_satisfaction,
    question_stats,
    satisfaction_rate,
)
from xlpy.rules import default_rules

RESPONSES = pd.DataFrame(
    [
        {
            "engineer_id": 1001.0,
            "S1": 5,
            "S2": 4,
            "S3": 3,
            "S4": None,
            "S5": 5,
            "customer_phone": "13800000000",
        },
        {"engineer_id": "1002", "S1": 2, "S2": 5, "S3": 5, "S4": 4, "S5": 4},
        {"engineer_id": " 1001 ", "S1": 4, "S3": 5},
    ]
)


def test_question_stats():
    stats = question_stats(RESPONSES)
    assert stats.loc["S1", "answered"] == 3 and stats.loc["S1", "mean"] == pytest.approx(11 / 3)
    assert stats.loc["S1", "rate"] == pytest.approx(2 / 3)
    assert stats.loc["S4", "answered"] == 1 and stats.loc["S4", "rate"] == 1
    assert stats.loc["S6", "answered"] == 0 and math.isnan(stats.loc["S6", "rate"])
    assert stats.loc["all", "answered"] == 11 and stats.loc["all", "satisfied"] == 9


def test_engineer_satisfaction_groups_the_same_id_written_differently():
    per = engineer_satisfaction(RESPONSES)
    assert list(per.index) == ["1001", "1002"]
    assert per.loc["1001", "responses"] == 2 and per.loc["1001", "answered"] == 6
    assert per.loc["1001", "rate"] == pytest.approx(5 / 6)
    assert per.loc["1002", "mean"] == pytest.approx(4.0)


def test_department_scorecard_against_ninety_percent():
    card = department_scorecard(
        RESPONSES,
        {
            "complaints_received": 4,
            "complaints_resolved": 3,
            "followups_made": 10,
            "followups_planned": 12,
        },
    )
    assert card.loc["attitude", "rate"] == pytest.approx(2 / 3)
    assert card.loc["attitude", "met"] is False
    assert card.loc["resolution", "rate"] == 1 and card.loc["resolution", "met"] is True
    assert card.loc["efficiency", "numerator"] == 3 and card.loc["efficiency", "denominator"] == 4
    assert card.loc["maintenance", "met"] is None  # no S6 answers: no data
    assert card.loc["complaints", "rate"] == 0.75
    assert card.loc["followups", "rate"] == pytest.approx(10 / 12)


def test_department_counts_must_be_consistent():
    with pytest.raises(InvalidEntries, match="不大于收到投诉"):
        department_scorecard(RESPONSES, {"complaints_received": 2, "complaints_resolved": 3})


@pytest.mark.parametrize("bad", [0, 6, 3.5, "好"])
def test_survey_scores_must_be_1_to_5(bad):
    with pytest.raises(InvalidEntries):
        question_stats(pd.DataFrame([{"engineer_id": "1", "S1": bad}]))


def test_threshold_and_contact_fields_are_personal():
    assert satisfaction_rate([4, 3, None, 5], 4) == pytest.approx(2 / 3)
    assert math.isnan(satisfaction_rate([None], 4))
    personal = {e.column for e in survey_entries(default_rules()) if e.personal}
    assert personal == {"customer_name", "customer_phone", "customer_email"}
    kinds = {e.column: e.kind for e in survey_entries(default_rules())}
    assert kinds["S1"] is Kind.SURVEY and kinds["S6"] is Kind.SURVEY
