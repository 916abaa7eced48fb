"""tomllib's faults in a TOML file (rules files, layout files) told in Chinese: where (line and
column), what is wrong, and the line as written."""

from __future__ import annotations

import re

# What tomllib says (English) → what staff are told; the first pattern that matches wins.
_TOML_PROBLEMS = (
    ("Cannot overwrite a value", "键重复:{key}已经设置过一次(每个键只能写一次)"),
    ("Cannot declare (?P<table>.+) twice", "表重复:[{table}] 已经出现过一次(每个表只能写一次)"),
    ("Duplicate inline table key (?P<table>.+)", "键重复:花括号中的 {table} 出现了两次"),
    (
        "Cannot (?:mutate immutable|redefine) namespace (?P<table>.+)",
        "表 {table} 已经写完整,不能再添加",
    ),
    ("Expected '=' after a key", "键后面缺少 ="),
    ("Invalid value", '值无效(文字要加英文双引号,如 "是";数字不加引号)'),
    ("Invalid statement", "无法识别的内容(应为 键 = 值,或 [表名])"),
    ("Invalid initial character for a key part", "键的写法无效(键只能含字母、数字、_ 和 -)"),
    ("Expected newline or end of document after a statement", "一行只能写一个 键 = 值"),
    ("Unterminated string|Illegal character '\\\\n'", "文字缺少结尾的引号(引号内不能换行)"),
    ("Unclosed array", "列表缺少结尾的 ]"),
    ("Unclosed inline table", "花括号缺少结尾的 }}"),
    ("Expected '\\]\\]?' at the end of", "表名缺少结尾的 ]"),
    ("Unescaped '\\\\' in a string", "文字中的 \\ 要写成 \\\\(或改用单引号)"),
    ("Invalid hex value|Escaped character is not", "文字中的转义字符无效"),
    ("Invalid date or datetime", "日期或时间无效"),
    ("(?:Found invalid|Illegal) character", "含有不允许的字符"),
)
_TOML_AT = re.compile(
    r"^(?P<message>.*?) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$"
)


def toml_problem(message: str, text: str) -> tuple[str, str]:
    """(where, what) of a tomllib message (``str(TOMLDecodeError)``) about ``text``: ``第 3 行第
    7 列``, the problem in Chinese and the line as written. For every TOML file xlpy reads."""
    at = _TOML_AT.match(message)
    english = at["message"] if at else message
    lines = text.splitlines()
    if at is None or at["line"] is None:
        where, shown = "文件末尾", lines[-1].strip() if lines else ""
    else:
        number = int(at["line"])
        where = f"第 {number} 行第 {at['column']} 列"
        shown = lines[number - 1].strip() if number <= len(lines) else ""
    key = shown.split("=", 1)[0].strip() if "=" in shown else ""
    problem = "格式不正确(不是有效的 TOML)"
    for pattern, chinese in _TOML_PROBLEMS:
        found = re.match(pattern, english)
        if found:
            table = found.groupdict().get("table") or ""
            problem = chinese.format(key=f"键 {key} " if key else "此键", table=_dotted(table))
            break
    if shown:
        problem += f":「{shown[:60]}」"
    return where, problem


def _dotted(table: str) -> str:
    """tomllib's key tuple (``('monthly', 'items')``) or quoted key as ``monthly.items``."""
    return ".".join(re.findall(r"'([^']*)'", table)) or table.strip("'\"")
