"""The consoles every command prints through: messages are never hard-wrapped (a pipe or log
gets each message on one line; a terminal wraps long lines itself)."""

from __future__ import annotations

from rich.console import Console


def make_console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, soft_wrap=True)
