"""Rules from a workbook's 参数 sheet: only values that differ from the shipped defaults are
overrides (the sheet lists every parameter). The rules of one set of overrides are built once
and kept with the defaults (:func:`xlpy.memo.memo`): a batch of per-person files repeats one
parameter set a thousand times, and one rules object builds its forms once."""

from __future__ import annotations

import re
from typing import Any

from xlpy.forms.params import default_values
from xlpy.memo import memo
from xlpy.rules import REMOVE, Rules, absent_entries, default_rules, flatten, load_rules
from xlpy.words import yes_no

_MISSING = object()
_LISTED = re.compile(r"^(.+)\.(\d+)$")  # an entry of a list of values: tech.dimensions.x.items.4


def overrides_of(params: dict[str, Any]) -> dict[str, Any]:
    """A complete 参数 table as overrides of the defaults: the values that differ, the entries it
    adds (a new item's rows), and under :data:`REMOVE` the default entries it no longer lists.
    Worked out once per distinct table (every split file of a month carries the same one)."""
    table = tuple(params.items())
    try:
        hash(table)  # a sheet's cell values are; a rules file's tables (dicts) are not
    except TypeError:
        return _overrides(params)
    found = memo(default_rules(), ("overrides", table), lambda: tuple(_overrides(params).items()))
    return dict(found)


def _overrides(params: dict[str, Any]) -> dict[str, Any]:
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
    for prefix, values in _shortened_lists(params).items():
        overrides = {k: v for k, v in overrides.items() if not _in_list(k, prefix)}
        overrides[prefix] = values
    return overrides


def _in_list(key: str, prefix: str) -> bool:
    found = _LISTED.match(key)
    return found is not None and found.group(1) == prefix


def _list_lengths() -> dict[str, int]:
    """The defaults' lists of values (not of tables), by key: their lengths."""
    return memo(default_rules(), "list lengths", _counted_lists)


def _counted_lists() -> dict[str, int]:
    lengths: dict[str, int] = {}
    for key, value in default_values().items():
        found = _LISTED.match(key)
        if found and not isinstance(value, (dict, list)):
            lengths[found.group(1)] = max(lengths.get(found.group(1), 0), int(found.group(2)) + 1)
    return lengths


def _shortened_lists(params: dict[str, Any]) -> dict[str, list[Any]]:
    """Lists the table gives fewer entries than the defaults (a T sub-item dropped): the whole
    list as listed, since entry by entry the defaults' last ones would remain."""
    shortened = {}
    for prefix, length in _list_lengths().items():
        listed = 0
        while f"{prefix}.{listed}" in params:
            listed += 1
        if 0 < listed < length:
            shortened[prefix] = [params[f"{prefix}.{i}"] for i in range(listed)]
    return shortened


def rules_from(overrides: dict[str, Any]) -> Rules:
    """The rules of :func:`overrides_of`'s result. Raises :class:`xlpy.rules.RuleError` for
    unknown keys or bad values."""
    if not overrides:
        return default_rules()
    key = ("overrides", tuple((k, repr(v)) for k, v in overrides.items()))
    return memo(default_rules(), key, lambda: load_rules(overrides=overrides))


def changed(rules: Rules) -> list[tuple[str, Any, Any]]:
    """(key, default, value) of every parameter that differs from the shipped default."""
    defaults = default_values()
    return [
        (key, defaults.get(key), value)
        for key, value in flatten(rules).items()
        if defaults.get(key) != value
    ]
