"""Which files a batch is made of: workbooks named directly or found in folders, and how
messages name each of them."""

from __future__ import annotations

from pathlib import Path

from xlpy.forms.summary import FILE_PREFIX as SUMMARY_PREFIX
from xlpy.shared.findings import Finding

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods")


SKIPPED_PREFIXES = ("~$", ".~lock", ".", SUMMARY_PREFIX)


MARKED_SUFFIX = "-标记"


SKIPPED_DIRS = ("备份", "__pycache__")


def marked_name(name: str, suffix: str) -> str:
    """The file name of a workbook's marked copy (``张伟-标记.xlsx``); ``name`` may be the
    folder/name a batch uses for files that share a name."""
    stem = Path(name).stem if "/" not in name else name.rsplit(".", 1)[0].replace("/", "-")
    return f"{stem}{MARKED_SUFFIX}{suffix}"


def collect(paths: list[Path]) -> tuple[list[Path], list[Finding]]:
    """Workbook files named directly or found in folders (recursively; skips Office lock files,
    our own summaries, marked copies and the 备份 folder). Order: sorted, de-duplicated."""
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for item in sorted(path.rglob("*")):
                if (item.is_file() and item.suffix.lower() in WORKBOOK_SUFFIXES
                        and not item.name.startswith(SKIPPED_PREFIXES)
                        and not item.stem.endswith(MARKED_SUFFIX)
                        and not any(part in SKIPPED_DIRS for part in item.relative_to(path).parts)):
                    files.append(item)
        elif path.is_file():
            files.append(path)
        else:
            findings.append(Finding(path.name or str(path), "", "", "找不到该文件或文件夹",
                                    "存在的 .xlsx 文件或文件夹"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, findings


def display_names(paths: list[Path]) -> list[str]:
    """How messages name each file: its name, or folder/name where two files share a name."""
    counts: dict[str, int] = {}
    for path in paths:
        counts[path.name] = counts.get(path.name, 0) + 1
    return [f"{path.parent.name}/{path.name}" if counts[path.name] > 1 else path.name
            for path in paths]
