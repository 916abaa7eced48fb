"""Rule parameters: shipped defaults, overrides by dotted key, and a fingerprint per parameter set.

Every parameter has a dotted key (``monthly.items.M05.deductions.unclear_account.per``). Overrides
may come as a nested dict or as flat dotted keys (as the workbook's 参数 sheet stores them); an
unknown key or a bad value raises :class:`RuleError` naming the key.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
import typing
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from xlpy.errors import XlpyError
from xlpy.memo import memo
from xlpy.rules.model import Rules
from xlpy.rules.toml_errors import toml_problem
from xlpy.words import describe_value

__all__ = [
    "REMOVE",
    "RuleError",
    "Rules",
    "absent_entries",
    "check_value",
    "default_rules",
    "fingerprint",
    "flatten",
    "load_rules",
    "toml_problem",
]

# pydantic error types → what staff should be told is expected.
_EXPECTED = {
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字(不能是 inf、nan 或超出范围的数)",
    "int_parsing": "应为整数",
    "bool_parsing": "应为 是/否",
    "bool_type": "应为 是/否",
    "string_type": "应为文字",
    "missing": "缺少此参数",
    "extra_forbidden": "未知参数",
    "too_short": "项目太少",
    "too_long": "项目太多",
}


class RuleError(XlpyError):
    """A rule parameter is unknown or invalid. ``problems`` pairs each dotted key with a message."""

    def __init__(self, problems: list[tuple[str, str]], source: str = "参数") -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(f"{source} · {key}: {msg}" for key, msg in problems))


@cache
def _parsed_defaults() -> dict[str, Any]:
    """defaults.toml as parsed, once per process: read-only, :func:`_defaults_dict` copies it."""
    text = resources.files("xlpy.rules").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _defaults_dict() -> dict[str, Any]:
    return copy.deepcopy(_parsed_defaults())


@cache
def default_rules() -> Rules:
    """The shipped defaults (validated once, then shared: Rules are immutable)."""
    return _validate(_defaults_dict(), "xlpy 默认参数")


REMOVE = "remove"  # a rules file's list of entries to drop, e.g. remove = ["monthly.items.M04"]


def load_rules(path: str | Path | None = None, overrides: Mapping[str, Any] | None = None) -> Rules:
    """Defaults, then a TOML rules file (if given), then overrides (nested or dotted keys).

    Beyond changing values, a rules file may change the forms' structure within the kinds the
    core scores: add an entry to a collection (a new ``[monthly.items.M12]`` table with every
    field of an item), or drop one (``remove = ["monthly.items.M04"]``); renaming is both.
    What cannot work (an unknown kind, a category left empty, weights that do not add up) is
    refused naming the key."""
    data = _defaults_dict()
    source = "参数"
    if path is not None:
        source = str(path)
        file_data = _read_rules_file(Path(path), source)
        removed = _remove(data, file_data.pop(REMOVE, []), source)
        _add_new(data, file_data)
        _keep_places(removed)
        _apply(data, _flat_items(file_data, whole_lists=True), source)
    if overrides:
        tree = _nested(overrides)
        removed = _remove(data, tree.pop(REMOVE, []), source)
        _add_new(data, tree)
        _keep_places(removed)
        _apply(data, _flat_items(tree, whole_lists=True), source)
    return _validate(data, source)


def _read_rules_file(path: Path, source: str) -> dict[str, Any]:
    """A rules file parsed, or a :class:`RuleError` in Chinese naming the line and column."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RuleError([("(文件)", "找不到参数文件")], source) from None
    except IsADirectoryError:
        raise RuleError([("(文件)", "这是文件夹,不是参数文件")], source) from None
    except PermissionError:
        raise RuleError([("(文件)", "没有读取此参数文件的权限")], source) from None
    except OSError as exc:
        raise RuleError([("(文件)", f"无法读取参数文件(错误号 {exc.errno})")], source) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RuleError(
            [(f"第 {line} 行", "不是 UTF-8 编码的文字(请用记事本等另存为 UTF-8 编码)")], source
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError([toml_problem(str(exc), text)], source) from None


def flatten(rules: Rules) -> dict[str, Any]:
    """Every leaf parameter by dotted key, in file order (lists indexed: ``kpi.tiers.0.points``)."""
    return dict(_flat_items(rules.model_dump()))


def fingerprint(rules: Rules) -> str:
    """Short, stable hash of the effective parameter values (what produced a result)."""
    return memo(rules, "fingerprint", lambda: _fingerprint_of(rules))


def _fingerprint_of(rules: Rules) -> str:
    canonical = json.dumps(json.loads(rules.model_dump_json()), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _flat_items(
    tree: Mapping[str, Any], prefix: str = "", whole_lists: bool = False
) -> Iterator[tuple[str, Any]]:
    """Leaves by dotted key; lists indexed (``kpi.tiers.0.points``), or kept whole when a rules
    file gives them (``items = [...]`` with one sub-item more is that list, not five edits)."""
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from _flat_items(value, path + ".", whole_lists)
        elif isinstance(value, list) and value and not whole_lists:
            yield from _flat_items({str(i): v for i, v in enumerate(value)}, path + ".")
        else:
            yield path, value


def _collections(model: type[BaseModel] = Rules, prefix: str = "") -> list[str]:
    """Dotted patterns (``*`` for any key) of the collections a rules file may add entries to:
    every ``dict[str, …]`` field of the model (monthly.items, monthly.items.*.deductions …)."""
    found = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = info.annotation
        if typing.get_origin(annotation) is dict:
            found.append(path)
            value = typing.get_args(annotation)[1]
            if isinstance(value, type) and issubclass(value, BaseModel):
                found += _collections(value, path + ".*.")
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += _collections(annotation, path + ".")
    return found


COLLECTIONS = tuple(_collections())
_COLLECTION_PARTS = tuple(tuple(c.split(".")) for c in COLLECTIONS)


def _in_collection(parents: list[str]) -> bool:
    return any(
        len(parts) == len(parents) and all(p in ("*", q) for p, q in zip(parts, parents))
        for parts in _COLLECTION_PARTS
    )


def _add_new(data: dict[str, Any], tree: Mapping[str, Any], path: tuple[str, ...] = ()) -> None:
    """Copy the entries ``tree`` adds to a collection of ``data`` (whole, validated later)."""
    for key, value in tree.items():
        if key not in data and _in_collection(list(path)):
            data[key] = _listed(copy.deepcopy(value))
        elif isinstance(value, Mapping) and isinstance(data.get(key), dict):
            _add_new(data[key], value, (*path, key))


def _listed(value: Any) -> Any:
    """Nested dotted keys back to TOML's shapes: a mapping keyed 0, 1, 2 … is a list."""
    if isinstance(value, Mapping):
        value = {k: _listed(v) for k, v in value.items()}
        if (
            value
            and all(str(k).isdigit() for k in value)
            and sorted(int(k) for k in value) == list(range(len(value)))
        ):
            return [value[k] for k in sorted(value, key=int)]
    return value


def _nested(flat: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a.b.c": 1}`` as ``{"a": {"b": {"c": 1}}}`` (a nested mapping passes unchanged)."""
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, leaf = str(key).split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            if isinstance(value, Mapping) and isinstance(node.get(leaf), dict):
                node[leaf].update(value)
            else:
                node[leaf] = value
    return tree


def absent_entries(keys: set[str]) -> list[str]:
    """Entries of the defaults' collections that none of ``keys`` (dotted parameter keys, as a
    complete 参数 sheet lists them) belongs to: what a workbook's structure has dropped."""
    listed: set[str] = set()  # every key and each of its parents
    for key in keys:
        while key not in listed:
            listed.add(key)
            key = key.rpartition(".")[0]
    absent: list[str] = []
    for entry in _default_entries():
        if entry not in listed and not any(entry.startswith(a + ".") for a in absent):
            absent.append(entry)
    return absent


@cache
def _default_entries() -> tuple[str, ...]:
    """Every entry of every collection in the defaults (monthly.items.M01,
    monthly.items.M01.deductions.…), parents before their own entries."""
    found: list[str] = []

    def walk(node: Any, path: list[str]) -> None:
        if not isinstance(node, dict):
            return
        entries = _in_collection(path)
        for key, value in node.items():
            here = [*path, key]
            if entries:
                found.append(".".join(here))
            walk(value, here)

    walk(_parsed_defaults(), [])
    return tuple(found)


def _remove(data: dict[str, Any], keys: Any, source: str) -> dict[int, tuple[dict, list[str]]]:
    """Drop the entries ``keys`` names; returns each collection touched with its order before."""
    problems = []
    removed: dict[int, tuple[dict, list[str]]] = {}
    for key in keys if isinstance(keys, list) else [keys]:
        *parents, leaf = str(key).split(".")
        node: Any = data
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if not _in_collection(parents) or not isinstance(node, dict) or leaf not in node:
            problems.append((f"{REMOVE}: {key}", "不是可删除的项目(应为如 monthly.items.M04)"))
        else:
            removed.setdefault(id(node), (node, list(node)))
            del node[leaf]
    if problems:
        raise RuleError(problems, source)
    return removed


def _keep_places(removed: dict[int, tuple[dict, list[str]]]) -> None:
    """An entry removed and defined again (M05 redefined) keeps its place in its collection, as
    the workbook's 参数 table reads it back; entries new to it follow."""
    for node, order in removed.values():
        placed = [key for key in order if key in node] + [key for key in node if key not in order]
        entries = {key: node.pop(key) for key in list(node)}
        node.update((key, entries[key]) for key in placed)


def _apply(data: dict[str, Any], items: Iterator[tuple[str, Any]], source: str) -> None:
    problems: list[tuple[str, str]] = []
    for key, value in items:
        node: Any = data
        *parents, leaf = key.split(".")
        try:
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            index: Any = int(leaf) if isinstance(node, list) else leaf
            if isinstance(node, list) and index == len(node) and not isinstance(value, dict):
                node.append(copy.deepcopy(value))  # a 参数 table listing one sub-item more
                continue
            current = node[index]
        except (KeyError, IndexError, ValueError, TypeError):
            problems.append((key, "未知参数"))
            continue
        if isinstance(current, dict) or (isinstance(current, list) and not isinstance(value, list)):
            problems.append((key, "不是单个参数,不能直接改写"))
            continue
        node[index] = copy.deepcopy(value)
    if problems:
        raise RuleError(problems, source)


def check_value(kind: Any, value: Any, key: str) -> Any:
    """One value checked as a parameter of type ``kind`` — an annotated type of the rules model
    (``model.Positive``, ``model.Share`` …) or a model field's annotation — so that a value
    given elsewhere (an Excel function's argument) obeys the same rule. Raises RuleError naming
    ``key``."""
    try:
        return _adapter(kind).validate_python(value)
    except ValidationError as exc:
        raise RuleError(_problems(exc, key), key) from None


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _validate(data: dict[str, Any], source: str) -> Rules:
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        raise RuleError(_problems(exc), source) from None


def _problems(exc: ValidationError, key: str = "") -> list[tuple[str, str]]:
    """Each pydantic error as (dotted key, what staff are told)."""
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or key or "(全部)"
        template = _EXPECTED.get(err["type"])
        if template is not None:
            ctx = {
                k: f"{v:g}" if isinstance(v, float) else v
                for k, v in (err.get("ctx") or {}).items()
            }
            message = template.format(**ctx)
        else:  # our own validators already speak Chinese
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        if "input" in err and err["type"] not in ("missing", "extra_forbidden"):
            given = err["input"]
            if given is None or (isinstance(given, str) and not given.strip()):
                message += "(当前为空白)"
            elif isinstance(given, (str, bool)):
                message += f"(当前值: {describe_value(given)})"
            elif not isinstance(given, (dict, list)):
                message += (
                    f"(当前值: {given:g})" if isinstance(given, float) else f"(当前值: {given})"
                )
        problems.append((where, message))
    return problems
