"""Write safely: atomic replacement, backups of what we replace, neutralised user text.

Sources are never opened for writing anywhere in xlpy; :func:`refuse_source` guards the one
place a user picks an output path.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from xlpy.errors import XlpyError

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
BACKUP_DIR = "备份"


def neutralise(value: Any) -> Any:
    """Text a user typed, made safe to put in a cell: it can never be read as a formula by Excel,
    WPS, LibreOffice or a CSV import (a leading ``'`` is added). Non-text passes unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def refuse_source(out: Path, sources: Iterable[Path]) -> None:
    target = Path(out).resolve()
    for source in sources:
        if Path(source).resolve() == target:
            raise XlpyError("输出文件与源文件相同", file=Path(out).name,
                            expected="另一个文件名(源文件从不改写)")


def atomic_write(path: Path, write: Callable[[Path], Any]) -> None:
    """Call ``write(temp_path)`` for a temporary file beside ``path``, then move it into place:
    readers see the old file or the complete new one, never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp",
                                dir=path.parent)
    os.close(fd)
    try:
        write(Path(temp))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda temp: Path(temp).write_bytes(data))


def backup(path: Path, now: datetime | None = None) -> Path | None:
    """Move an existing ``path`` into the 备份 folder beside it (timestamped); None if absent."""
    path = Path(path)
    if not path.exists():
        return None
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.parent / BACKUP_DIR / f"{path.stem}.{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = path.parent / BACKUP_DIR / f"{path.stem}.{stamp}-{counter}{path.suffix}"
    target.parent.mkdir(exist_ok=True)
    os.replace(path, target)
    return target
