"""The one cache (xlpy.memo): what is derived from rules is built once per rules object, never
shows in the rules' values, and never outlives a change."""

from __future__ import annotations

from xlpy.forms import all_forms
from xlpy.rules import default_rules, fingerprint, load_rules
from xlpy.validate.params import rules_from


def test_one_parameter_set_builds_its_rules_and_forms_once() -> None:
    overrides = {"monthly.items.M05.deductions.unclear_account.per": 2.0}
    first, again = rules_from(overrides), rules_from(dict(overrides))
    assert first is again
    assert all_forms(first) is all_forms(again)
    assert all_forms(first, 30) is not all_forms(first, 40)
    assert all_forms(first)["M"] == all_forms(load_rules(overrides=overrides))["M"]


def test_derived_values_stay_out_of_the_rules_values() -> None:
    rules = load_rules()
    dumped = rules.model_dump_json()
    fingerprint(rules), all_forms(rules)
    assert rules.model_dump_json() == dumped
    assert rules == default_rules() and default_rules() == rules


def test_a_changed_copy_is_fingerprinted_anew() -> None:
    rules = load_rules()
    before = fingerprint(rules)
    changed = rules.model_copy(update={"grade": rules.grade.model_copy(update={"bands": {}})})
    assert fingerprint(changed) != before
    assert fingerprint(rules) == before == fingerprint(default_rules())
