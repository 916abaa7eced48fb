"""Ctrl-C while modules load. Python raises it wherever the interpreter happens to be, the import
machinery's own callbacks included, and there it is printed as "Exception ignored" and lost: the
command goes on. Held while a block of imports runs (the command modules at start-up; typer's
parsing, which loads pydantic, until the command starts; a batch command's job while its files
are read), it is raised when they are done, like any other Ctrl-C (one line, exit 130). Windows
has no signal masks: there nothing is held."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_MASKS = hasattr(signal, "pthread_sigmask")


@contextmanager
def held_interrupts() -> Iterator[None]:
    """Ctrl-C held until the block ends (or :func:`release_interrupts`)."""
    if not _MASKS:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held Ctrl-C is raised here


def release_interrupts() -> None:
    """Let Ctrl-C through again, e.g. when a command starts; one held meanwhile is raised now."""
    if _MASKS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
