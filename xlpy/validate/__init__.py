"""``xlpy validate``: check what staff typed against the form descriptions and the scoring core.

    files, missing = collect(paths)
    batch = validate_files(files, month=None, progress=None)
    batch.findings  # [Finding] — one line each: 文件 · 工作表!单元格 · 问题 · 应为
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from xlpy.forms import all_forms
from xlpy.rules import Rules
from xlpy.validate.batch import Batch, analyse, resolve_rules
from xlpy.validate.findings import ERROR, WARNING, Finding
from xlpy.validate.reading import WorkbookRead, collect, open_workbook, read_forms

__all__ = ["Batch", "ERROR", "Finding", "WARNING", "WorkbookRead", "collect", "validate_files"]


def validate_files(files: Iterable[Path], month: str | None = None, rules: Rules | None = None,
                   progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None) -> Batch:
    """Open every file (reporting, never raising, on bad ones), settle the rules from the 参数
    sheets, read every form with those rules' descriptions, and run all checks."""
    files = list(files)
    opened = [open_workbook(path) for path in (progress(files) if progress else files)]
    param_findings: list[Finding] = []
    if rules is None:
        rules, param_findings = resolve_rules(opened)
    forms = all_forms(rules)
    for workbook in opened:
        read_forms(workbook, forms)
    return analyse(opened, month, rules, param_findings)
