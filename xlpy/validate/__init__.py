"""``xlpy validate``: check what staff typed against the form descriptions and the scoring core.

    files, missing = collect(paths)
    batch = validate_files(files, month=None, progress=None)
    batch.findings  # [Finding] — one line each: 文件 · 工作表!单元格 · 问题 · 应为
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from xlpy.rules import Rules
from xlpy.shared.findings import ERROR, WARNING, Finding
from xlpy.shared.slices import Slice
from xlpy.validate.batch import Batch, analyse, resolve_rules
from xlpy.validate.reading import WorkbookRead, collect, read_files

__all__ = ["ERROR", "WARNING", "Batch", "Finding", "WorkbookRead", "collect", "validate_files"]


def validate_files(files: Iterable[Path], month: str | None = None, rules: Rules | None = None,
                   progress: Callable[[Iterable[Any], int], Iterator[Any]] | None = None,
                   slices: Sequence[Slice] = ()) -> Batch:
    """Read and check every file (bad files become findings, never exceptions), settle the rules
    from the 参数 sheets (all must agree), then run the batch-wide and scoring checks."""
    workbooks = read_files(list(files), progress, rules)
    param_findings: list[Finding] = []
    if rules is None:
        rules, param_findings = resolve_rules(workbooks)
    return analyse(workbooks, month, rules, param_findings, slices)
