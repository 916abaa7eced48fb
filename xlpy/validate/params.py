"""Rules from a workbook's 参数 sheet: only values that differ from the shipped defaults are
overrides (the sheet lists every parameter). Cached: a batch of per-person files repeats one
parameter set a thousand times."""

from __future__ import annotations

from functools import cache
from typing import Any

from xlpy.rules import REMOVE, Rules, absent_entries, default_rules, flatten, load_rules
from xlpy.words import yes_no

_MISSING = object()
_CACHE: dict[tuple, Rules] = {}


@cache
def default_values() -> dict[str, Any]:
    return flatten(default_rules())


def overrides_of(params: dict[str, Any]) -> dict[str, Any]:
    """A complete 参数 table as overrides of the defaults: the values that differ, the entries it
    adds (a new item's rows), and under :data:`REMOVE` the default entries it no longer lists."""
    defaults = default_values()
    overrides: dict[str, Any] = {}
    removed = absent_entries(set(params))
    if removed:
        overrides[REMOVE] = removed
    for key, value in params.items():
        default = defaults.get(key, _MISSING)
        if value is None and isinstance(default, (str, list, dict)) and not default:
            continue  # an empty text/list parameter shows as a blank cell
        flag = yes_no(value) if isinstance(default, bool) else None
        shown = value if flag is None else flag
        if default is _MISSING or shown != default:
            overrides[key] = value
    return overrides


def rules_from(overrides: dict[str, Any]) -> Rules:
    """The rules of :func:`overrides_of`'s result. Raises :class:`xlpy.rules.RuleError` for
    unknown keys or bad values."""
    key = tuple((k, repr(v)) for k, v in overrides.items())
    if key not in _CACHE:
        _CACHE[key] = load_rules(overrides=overrides) if overrides else default_rules()
    return _CACHE[key]


def changed(rules: Rules) -> list[tuple[str, Any, Any]]:
    """(key, default, value) of every parameter that differs from the shipped default."""
    defaults = default_values()
    return [
        (key, defaults.get(key), value)
        for key, value in flatten(rules).items()
        if defaults.get(key) != value
    ]
