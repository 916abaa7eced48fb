"""The batch commands start reading their files first: the readers load neither numpy nor pandas,
so they are forked before the command loads the scoring and the summary writer (~0.4 s of
imports the readers run alongside)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xlpy.cli.interrupts import held_interrupts

if TYPE_CHECKING:
    from xlpy.validate.pool import Reading


def start_batch(files: list[Path], layout: Path | None) -> Reading:
    """The reading of ``files``, started: a workbook with a layout (``--layout``, or its
    ``<BOOK>.layout.toml`` beside it) is read through it (``xlpy.adopt``, loaded only then)."""
    with held_interrupts():
        from xlpy.validate.discovery import any_laid_out
        from xlpy.validate.pool import start_reading

    layouts = {}
    if layout is not None or any_laid_out(files):
        with held_interrupts():
            from xlpy.adopt import layouts_for

        layouts = layouts_for(files, layout)
    return start_reading(files, readers=layouts)
