"""Rule parameters: defaults, overrides by dotted key, rejection naming the key, fingerprints."""

import pytest

from xlpy.rules import RuleError, absent_entries, default_rules, fingerprint, flatten, load_rules


def test_defaults_match_scoring_md():
    rules = default_rules()
    assert [(b.label, b.min, b.coefficient) for b in rules.grade.bands.values()] == [
        ("优秀", 90, 1.2),
        ("良好", 80, 1.0),
        ("合格", 60, 0.8),
        ("不合格", 0, 0.5),
    ]
    assert rules.grade.guideline.excellent_share_max == 0.2
    assert sum(item.full for item in rules.monthly.items.values()) == 85
    tiers = [(t.min_completion, t.points) for t in rules.kpi.tiers]
    assert tiers == [(1.0, 20), (0.8, 10), (0.75, 5)]
    assert rules.kpi.behavior.self_weight == 0.3
    assert [d.weight for d in rules.tech.dimensions.values()] == [0.5, 0.25, 0.25]
    assert rules.scales["tech"].points == {"优秀": 100, "良好": 80, "合格": 60, "不合格": 40}
    assert [d.weight for d in rules.performance.dimensions.values()] == [25, 20, 20, 10, 10, 15]
    assert rules.department.target_rate == 0.9
    assert rules.survey.satisfied_threshold == 4


def test_override_by_dotted_key_changes_value_and_fingerprint():
    changed = load_rules(overrides={"monthly.items.M05.deductions.unclear_account.per": 3})
    assert changed.monthly.items["M05"].deductions["unclear_account"].per == 3
    assert fingerprint(changed) != fingerprint(default_rules())
    assert fingerprint(load_rules()) == fingerprint(default_rules())


def test_nested_override_and_yes_no_words():
    rules = load_rules(overrides={"kpi": {"indicators": {"K4": {"lower_is_better": "是"}}}})
    assert rules.kpi.indicators["K4"].lower_is_better is True
    rules = load_rules(overrides={"kpi.indicators.K4.lower_is_better": "否"})
    assert rules.kpi.indicators["K4"].lower_is_better is False


def test_list_entries_are_addressable():
    rules = load_rules(overrides={"kpi.tiers.2.points": 0})
    assert rules.kpi.tiers[2].points == 0
    assert "kpi.tiers.2.points" in flatten(rules)


@pytest.mark.parametrize(
    "key, value, fragment",
    [
        ("monthly.items.M05.deductions.unclear_account.per", -1, "应大于 0"),
        ("grade.bands.good.coefficient", "abc", "应为数字"),
        ("grade.guideline.excellent_share_max", 1.5, "应不大于 1"),
        ("no.such.key", 1, "未知参数"),
        ("monthly.grade", 5, "未知参数"),
        # a new item is allowed, but only whole: one field alone names what it lacks
        ("monthly.items.M99.full", 5, "monthly.items.M99.category: 缺少此参数"),
        ("monthly.items", 5, "不是单个参数"),
    ],
)
def test_bad_parameter_is_rejected_naming_the_key(key, value, fragment):
    with pytest.raises(RuleError) as caught:
        load_rules(overrides={key: value})
    assert key.split(".")[0] in str(caught.value)
    assert fragment in str(caught.value)


def test_cross_checks_name_their_section():
    with pytest.raises(RuleError, match=r"grade.*递减"):
        load_rules(overrides={"grade.bands.good.min": 95})
    with pytest.raises(RuleError, match=r"M09.*超过满分"):
        load_rules(overrides={"monthly.items.M09.full": 4})


def test_rules_file(tmp_path):
    good = tmp_path / "rules.toml"
    good.write_text("[grade.guideline]\nexcellent_share_max = 0.3\n", encoding="utf-8")
    assert load_rules(good).grade.guideline.excellent_share_max == 0.3
    bad = tmp_path / "bad.toml"
    bad.write_text("[grade\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"bad\.toml"):
        load_rules(bad)


def test_absent_entries_names_a_dropped_entry_once_and_not_its_own_entries():
    keys = set(flatten(default_rules()))
    assert absent_entries(keys) == []
    without_m04 = {k for k in keys if not k.startswith("monthly.items.M04.")}
    assert absent_entries(without_m04) == ["monthly.items.M04"]
    deductions = [k for k in keys if ".deductions." in k]
    dropped = deductions[0].rsplit(".", 1)[0]  # one deduction of one item, e.g. …M01.deductions.x
    assert absent_entries({k for k in keys if not k.startswith(dropped + ".")}) == [dropped]
