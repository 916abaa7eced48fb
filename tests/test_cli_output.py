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
