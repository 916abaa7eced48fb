"""Command-line mistakes as one Chinese line. typer words them in English (``Missing option
'--month'.``); the exception carries what was wrong, and the parameter's own help says what
it wants: ``缺少选项 --month(考核月份 YYYY-MM,如 2026-11) · 用法见 xlpy consolidate --help``."""

from __future__ import annotations

import re
from typing import Any

import typer

# typer's type names in help (<int>, <path> …) as staff would say them
KINDS = {"int": "整数", "float": "数字", "path": "文件或文件夹的路径", "str": "文字"}
# the usage errors typer raises without a parameter, by their (English) wording
_WORDED = (
    (re.compile(r"No such command '(.*)'\.$"), "没有命令 {0}(可用的命令见 xlpy --help)"),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$"), "多余的参数:{0}"),
    (re.compile(r"Missing command\.$"), "缺少命令"),
)


def usage_line(error: typer.TyperException) -> str:
    """The line for a usage error (a bad parameter, option or command)."""
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "xlpy"
    return f"{_problem(error, ctx)} · 用法见 {command} --help"


def is_help(error: typer.TyperException) -> bool:
    """A command given nothing at all: typer's error is then its help text."""
    ctx = getattr(error, "ctx", None)
    return ctx is not None and error.format_message() == ctx.get_help()


def _problem(error: typer.TyperException, ctx: Any) -> str:
    param = getattr(error, "param", None)
    if param is not None and hasattr(error, "param_type"):  # missing
        what = "选项" if param.param_type_name == "option" else "参数"
        return f"缺少{what} {_name(param)}" + (f"({param.help})" if param.help else "")
    if param is not None and isinstance(error, typer.BadParameter):
        return f"{_name(param)} 的值不对 · 应为 {_kind(param, ctx)}"
    if hasattr(error, "possibilities"):  # an option the command does not have
        similar = "、".join(error.possibilities)
        return f"没有选项 {error.option_name}" + (f"(是否想用 {similar}?)" if similar else "")
    if hasattr(error, "option_name"):
        if "requires an argument" in error.message:
            return f"选项 {error.option_name} 后面缺少它的值"
        return f"选项 {error.option_name} 不带值"
    for pattern, line in _WORDED:
        found = pattern.match(error.message)
        if found:
            return line.format(*found.groups())
    return f"命令行用法不对({error.message})"


def _name(param: Any) -> str:
    return param.opts[0] if param.param_type_name == "option" else param.name


def _kind(param: Any, ctx: Any) -> str:
    shown = param.display_type(ctx).strip("<>")
    return KINDS.get(shown, " 或 ".join(shown.split("|")))
