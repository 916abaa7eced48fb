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
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from xlpy.errors import XlpyError
from xlpy.rules.model import Rules
from xlpy.words import yes_no

__all__ = ["RuleError", "Rules", "check_value", "default_rules", "fingerprint", "flatten",
           "load_rules"]

# pydantic error types → what staff should be told is expected.
_EXPECTED = {
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
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


def _defaults_dict() -> dict[str, Any]:
    text = resources.files("xlpy.rules").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def default_rules() -> Rules:
    """The shipped defaults (validated once, then shared: Rules are immutable)."""
    return _validate(_defaults_dict(), "xlpy 默认参数")


def load_rules(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Rules:
    """Defaults, then a TOML rules file (if given), then overrides (nested or dotted keys)."""
    data = _defaults_dict()
    source = "参数"
    if path is not None:
        source = str(path)
        try:
            file_data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RuleError([("(文件)", f"无法读取参数文件: {exc}")], source) from None
        _apply(data, _flat_items(file_data), source)
    if overrides:
        _apply(data, _flat_items(overrides), source)
    return _validate(data, source)


def flatten(rules: Rules) -> dict[str, Any]:
    """Every leaf parameter by dotted key, in file order (lists indexed: ``kpi.tiers.0.points``)."""
    return dict(_flat_items(rules.model_dump()))


def fingerprint(rules: Rules) -> str:
    """Short, stable hash of the effective parameter values (what produced a result)."""
    return _fingerprint_of(rules.model_dump_json())


@cache
def _fingerprint_of(dumped: str) -> str:
    canonical = json.dumps(json.loads(dumped), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _flat_items(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from _flat_items(value, path + ".")
        elif isinstance(value, list) and value:
            yield from _flat_items({str(i): v for i, v in enumerate(value)}, path + ".")
        else:
            yield path, value


def _apply(data: dict[str, Any], items: Iterator[tuple[str, Any]], source: str) -> None:
    problems: list[tuple[str, str]] = []
    for key, value in items:
        node: Any = data
        *parents, leaf = key.split(".")
        try:
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            index: Any = int(leaf) if isinstance(node, list) else leaf
            current = node[index]
        except (KeyError, IndexError, ValueError, TypeError):
            problems.append((key, "未知参数"))
            continue
        if isinstance(current, (dict, list)):
            problems.append((key, "不是单个参数,不能直接改写"))
            continue
        node[index] = _coerce_like(current, value)
    if problems:
        raise RuleError(problems, source)


def _coerce_like(current: Any, value: Any) -> Any:
    """Read 是/否 for yes/no parameters, as staff type them in the 参数 sheet."""
    if isinstance(current, bool) and isinstance(value, (str, int, float, bool)):
        flag = yes_no(value)
        if flag is not None:
            return flag
    return copy.deepcopy(value)


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
            ctx = {k: f"{v:g}" if isinstance(v, float) else v
                   for k, v in (err.get("ctx") or {}).items()}
            message = template.format(**ctx)
        else:  # our own validators already speak Chinese
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        if "input" in err and err["type"] not in ("missing", "extra_forbidden"):
            given = err["input"]
            if not isinstance(given, (dict, list)):
                message += f"(当前值: {given!r})"
        problems.append((where, message))
    return problems
