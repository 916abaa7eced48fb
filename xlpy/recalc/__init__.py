"""``xlpy recalc``: evaluate a workbook's formulas without Excel, and write the values out."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import openpyxl

from xlpy.engines.file import check_whole_workbook
from xlpy.engines.filekind import UNUSUAL_CONTENT_FIX
from xlpy.errors import XlpyError
from xlpy.recalc.bounds import MEMORY_LIMIT, TIME_LIMIT, RecalcLimit, run_bounded
from xlpy.recalc.engine import Recalculation, register_udfs
from xlpy.recalc.engine import recalculate as _recalculate
from xlpy.shared.files import atomic_write

__all__ = [
    "MEMORY_LIMIT",
    "TIME_LIMIT",
    "RecalcLimit",
    "Recalculation",
    "recalculate",
    "register_udfs",
    "write_values",
]


def recalculate(
    path: str | Path, time_limit: float | None = None, memory_limit: int | None = None
) -> Recalculation:
    """Every formula cell's value; the file is only read. Unreadable files raise XlpyError, and
    so does a recalculation that needs more than ``time_limit`` seconds or ``memory_limit``
    MiB (:class:`RecalcLimit`; None: :data:`TIME_LIMIT`, :data:`MEMORY_LIMIT`)."""
    path = Path(path)
    check_whole_workbook(path)  # size, zip and XML guards before the engine loads it
    register_udfs()  # imports the engine's function modules here, not under the memory cap
    return run_bounded(
        partial(_evaluate, path),
        path.name,
        TIME_LIMIT if time_limit is None else time_limit,
        MEMORY_LIMIT if memory_limit is None else memory_limit,
    )


def _evaluate(path: Path) -> Recalculation:
    try:
        return _recalculate(path)
    except (XlpyError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - the engine's own errors are not for staff
        raise XlpyError(
            f"无法计算:文件中有计算引擎读不了的内容({type(exc).__name__})",
            file=path.name,
            expected=UNUSUAL_CONTENT_FIX,
        ) from None


def write_values(source: str | Path, result: Recalculation, output: str | Path) -> Path:
    """A copy of ``source`` whose formula cells hold their computed values (a snapshot that
    any program shows correctly). Written to a temporary file, then moved into place."""
    source, output = Path(source), Path(output)
    if output.resolve() == source.resolve():
        raise XlpyError(f"结果副本不能覆盖原文件 {source}")
    workbook = openpyxl.load_workbook(source)
    for sheet, cells in result.values.items():
        ws = workbook[sheet]
        for address, value in cells.items():
            ws[address].value = None if value == "" else value
    atomic_write(output, workbook.save)
    return output
