"""Rules from a workbook's 参数 sheet: only values that differ from the shipped defaults are
overrides (the sheet lists every parameter). The rules of one set of overrides are built once
and kept with the defaults (:func:`xlpy.memo.memo`): a batch of per-person files repeats one
parameter set a thousand times, and one rules object builds its forms once."""

from __future__ import annotations

import re
from typing import Any

from xlpy.forms.params import ParamTable, default_values, param_rows
from xlpy.memo import memo
from xlpy.rules import REMOVE, RuleError, Rules, absent_entries, default_rules, flatten, load_rules
from xlpy.shared.addresses import a1, parse_a1
from xlpy.words import describe_value, yes_no

_MISSING = object()
MISSING_SHOWN = 3  # missing rows named in the finding; the rest are counted
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


def missing_rows(table: ParamTable) -> tuple[str, str, str] | None:
    """(cell, problem, expected) for the value rows (those staff may change, which the sheet's
    formulas refer to) that a complete 参数 table of its own rules has and ``table`` lacks: a
    row deleted (the formulas lose its value: #REF!) or its key cleared (xlpy cannot tell whose
    value it is), where xlpy would otherwise take the default without a word. The cell is where
    the first of them belongs. None when none is missing, or when the values make no rules
    (reported as such). Description rows (names, contents) are not asked for: a workbook made
    before a description was added reads the same."""
    try:
        rules = rules_from(overrides_of(table.values))
    except RuleError:
        return None
    rows = param_rows(rules)
    missing = [i for i, row in enumerate(rows) if row.editable and row.key not in table.values]
    if not missing or not table.cells:
        return None
    first = missing[0]
    above = next((table.cells[r.key] for r in reversed(rows[:first]) if r.key in table.cells), None)
    if above is None:
        cell = min(table.cells.values(), key=parse_a1)
    else:
        row, column = parse_a1(above)
        cell = a1(row + 1, column)  # the row below the key before it
    shown = "、".join(
        f"{rows[i].key}({rows[i].description} · {rows[i].label})" for i in missing[:MISSING_SHOWN]
    )
    more = f" 等 {len(missing)} 行" if len(missing) > MISSING_SHOWN else ""
    return (
        cell,
        f"参数表中缺少 {shown}{more}(行被删除或参数键被清空?),表内引用它的公式会出错",
        f"恢复这一行(参数键 {rows[first].key},值 {describe_value(rows[first].value)}),"
        "或从模板重新复制参数表",
    )


def changed(rules: Rules) -> list[tuple[str, Any, Any]]:
    """(key, default, value) of every parameter that differs from the shipped default."""
    defaults = default_values()
    return [
        (key, defaults.get(key), value)
        for key, value in flatten(rules).items()
        if defaults.get(key) != value
    ]
