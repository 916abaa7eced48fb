"""What the command line writes: messages in pipes and logs are never wrapped, and ``--help`` is
complete in an 80-column terminal with plain option types."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import click
import pytest
import typer
from forms_helpers import PEOPLE, write_roster

from xlpy.cli import app

CLI = [sys.executable, "-c", "from xlpy.cli import main; main()"]


def _run(*args: str, columns: int | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if columns:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [*CLI, *args], check=False, capture_output=True, text=True, env=env, **kwargs
    )


def test_an_error_in_a_long_folder_is_one_unbroken_line_in_a_pipe(tmp_path):
    folder = tmp_path / ("很长的文件夹名称" * 8)
    folder.mkdir()
    roster = write_roster(folder / "bad.csv", [PEOPLE[0], PEOPLE[0]])
    run = _run(
        "template", "--month", "2026-11", "--roster", str(roster), "-o", str(folder / "x.xlsx")
    )
    assert run.returncode == 2
    problem = next(line for line in run.stderr.splitlines() if "第" in line)
    assert str(roster) in problem and "第 3 行" in problem and "重复" in problem, run.stderr


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = dict(_commands(typer.main.get_command(app)))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "xlpy")
def test_help_is_complete_in_an_80_column_terminal(path):
    """Every help text and every option's help in full (never cut with …), no <bool>."""
    run = _run(*path, "--help", columns=80)
    assert run.returncode == 0, run.stderr
    shown, command = _flat(run.stdout), COMMANDS[path]
    texts = [command.help or ""] + [p.help or "" for p in command.params if hasattr(p, "help")]
    if isinstance(command, click.Group):
        texts += [sub.help or "" for sub in command.commands.values()]
    assert "<bool>" not in run.stdout, run.stdout
    assert run.stdout.count("…") == sum(t.count("…") for t in texts), run.stdout  # none cut
    for text in texts:
        assert _flat(text.split("\n\n")[0]) in shown, text


USAGE_MISTAKES = [  # (command line, the one line staff read)
    (
        ["consolidate", "在此"],
        "错误: 缺少选项 --month(考核月份 YYYY-MM) · 用法见 xlpy consolidate --help",
    ),
    (
        ["consolidate", "--month", "2026-03"],
        "错误: 缺少参数 paths(月度工作簿、个人表文件夹,或两者)",
    ),
    (
        ["template", "--month", "2026-03", "--survey-rows", "十"],
        "--survey-rows 的值不对 · 应为 整数",
    ),
    (["template", "--mont", "2026-03"], "错误: 没有选项 --mont(是否想用 --month?)"),
    (["template", "--month"], "错误: 选项 --month 后面缺少它的值"),
    (["export", "a.xlsx", "b.xlsx"], "错误: 多余的参数:b.xlsx · 用法见 xlpy export --help"),
    (["bogus"], "错误: 没有命令 bogus(可用的命令见 xlpy --help)"),
]


@pytest.mark.parametrize("args, line", USAGE_MISTAKES, ids=[m[0][-1] for m in USAGE_MISTAKES])
def test_a_command_line_mistake_is_one_chinese_line(args, line):
    run = _run(*args)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.splitlines() == [next(s for s in run.stderr.splitlines() if line in s)]
    assert not re.search(r"Error|Usage|Missing|Invalid|No such|Try ", run.stderr), run.stderr


def test_no_command_at_all_shows_the_help():
    run = _run()
    assert (
        run.returncode == 2 and "售后服务部考核工具" in run.stderr and "consolidate" in run.stderr
    )
