"""The consoles every command prints through: messages are never hard-wrapped (a pipe or log
gets each message on one line; a terminal wraps long lines itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def make_console(stderr: bool = False) -> Console:
    from rich.console import Console  # imported when a command prints, not at start-up

    return Console(stderr=stderr, soft_wrap=True)
