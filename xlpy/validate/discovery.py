"""Which files a batch is made of: workbooks named directly or found in folders, and how
messages name each of them."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from xlpy.engines.filekind import NUMBERS_EXPECTED, NUMBERS_PROBLEM
from xlpy.forms.summary import BOOK_TITLE as SUMMARY_TITLE
from xlpy.forms.summary import FILE_PREFIX as SUMMARY_PREFIX
from xlpy.shared.files import BACKUP_DIR
from xlpy.shared.findings import WARNING, Finding

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods", ".numbers")


MARKED_SUFFIX = "-标记"
LAYOUT_SUFFIX = ".layout.toml"  # a department workbook's layout (xlpy adopt), beside it


_SUMMARY = re.compile(re.escape(SUMMARY_PREFIX) + r"\d{4}-\d{2}\.xlsx")  # forms.summary.file_name
_BACKUP = re.compile(r".+\.\d{8}-\d{6}(?:-\d+)?\.xlsx")  # xlpy.shared.files.backup
_TEMPORARY = re.compile(r"\..+\.tmp")  # atomic writes in progress (xlpy.shared.files)
# (test on the file name, why it is not read, what to do if it should be): first match wins.
_SKIPS: tuple[tuple[Callable[[str], bool], str, str], ...] = (
    (
        lambda n: n.startswith("~$"),
        "Office 的临时锁定文件(工作簿正在 Excel/WPS 中打开)",
        "关闭工作簿后再运行(此文件随之消失)",
    ),
    (
        lambda n: n.startswith(".~lock."),
        "LibreOffice 的锁定文件(工作簿正在 LibreOffice 中打开)",
        "关闭工作簿后再运行(此文件随之消失)",
    ),
    (lambda n: n.startswith("._"), "macOS 生成的附属文件,不是工作簿", "无需处理"),
    (lambda n: _TEMPORARY.fullmatch(n) is not None, "未完成的临时文件", "无需处理"),
    (
        lambda n: Path(n).suffix.lower() == ".csv",
        "CSV 文本文件,不是工作簿",
        "若是考核表,请在 Excel 中打开后另存为 .xlsx",
    ),
    (
        lambda n: Path(n).suffix.lower() not in WORKBOOK_SUFFIXES,
        "不是工作簿文件",
        "若是考核表,请另存为 .xlsx",
    ),
)


def marked_name(name: str, suffix: str) -> str:
    """The file name of a workbook's marked copy (``张伟-标记.xlsx``); ``name`` may be the
    folder/name a batch uses for files that share a name."""
    stem = Path(name).stem if "/" not in name else name.rsplit(".", 1)[0].replace("/", "-")
    return f"{stem}{MARKED_SUFFIX}{suffix}"


def skip_reason(name: str) -> tuple[str, str] | None:
    """Why a file found in a folder is not read, and what to do if it should be; None: read it."""
    for applies, why, expected in _SKIPS:
        if applies(name):
            return why, expected
    return None


def ours(item: Path) -> bool:
    """A file xlpy wrote, proved by more than its name (so no staff workbook is hidden by being
    named like one): a month summary (汇总-YYYY-MM.xlsx whose document properties say xlpy wrote
    a 汇总), a marked copy beside its source, a summary kept in 备份. Not read, not reported: a
    re-run over the same folder must see the same batch."""
    name = item.name
    if item.parent.name == BACKUP_DIR:
        return _BACKUP.fullmatch(name) is not None
    if _SUMMARY.fullmatch(name):
        return _written_summary(item)
    stem = Path(name).stem
    if stem.endswith(MARKED_SUFFIX):
        source = stem[: -len(MARKED_SUFFIX)]
        return any((item.parent / f"{source}{suffix}").is_file() for suffix in WORKBOOK_SUFFIXES)
    return False


def _written_summary(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as package:
            info = package.getinfo("docProps/core.xml")
            core = package.read(info) if info.file_size < 10_000 else b""
    except (OSError, KeyError, zipfile.BadZipFile, EOFError, ValueError):
        return False
    return b"<dc:creator>xlpy</dc:creator>" in core and SUMMARY_TITLE.encode() in core


def collect(paths: list[Path]) -> tuple[list[Path], list[Finding]]:
    """Workbook files named directly or found in folders (recursively), in sorted order,
    de-duplicated. Every file found and not read is named in a warning saying why (lock files,
    temporary files, files that are not workbooks), except what xlpy itself wrote (:func:`ours`);
    a file named directly is always read."""
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for item in sorted(path.rglob("*")):
                relative = item.relative_to(path)
                shown, parts = relative.as_posix(), relative.parts
                inside = parts[:-1]
                if "__pycache__" in parts or any(p.lower().endswith(".numbers") for p in inside):
                    continue  # Python's cache; the inside of a Numbers document (named itself)
                if item.is_dir():
                    if item.suffix.lower() == ".numbers":  # a Numbers document on macOS
                        findings.append(Finding(shown, "", "", NUMBERS_PROBLEM, NUMBERS_EXPECTED))
                    continue
                if ours(item):
                    continue
                reason = skip_reason(item.name)
                if reason is None and BACKUP_DIR in inside:
                    reason = (
                        f"位于 {BACKUP_DIR} 文件夹(xlpy 存放被替换文件的地方)",
                        f"考核工作簿请勿放在 {BACKUP_DIR} 文件夹中",
                    )
                if reason is None and item.is_file():
                    files.append(item)
                elif reason is not None:
                    findings.append(
                        Finding(shown, "", "", f"未检查:{reason[0]}", reason[1], WARNING)
                    )
                else:
                    findings.append(
                        Finding(shown, "", "", "未检查:不是普通文件", "普通的 .xlsx 文件", WARNING)
                    )
        elif path.is_file():
            files.append(path)
        elif path.exists():
            findings.append(
                Finding(
                    path.name or str(path),
                    "",
                    "",
                    "不是普通文件(无法读取)",
                    "普通的 .xlsx 文件或文件夹",
                )
            )
        else:
            findings.append(
                Finding(
                    path.name or str(path),
                    "",
                    "",
                    "找不到该文件或文件夹",
                    "存在的 .xlsx 文件或文件夹",
                )
            )
    folders: dict[Path, Path] = {}
    unique = list(dict.fromkeys(_resolved(file, folders) for file in files))
    return unique, findings


def _resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """``path.resolve()`` of a file, its folder resolved once for all the files in it (a file
    that is not a link resolves to its name in its folder's real path)."""
    if path.is_symlink():
        return path.resolve()
    if path.parent not in folders:
        folders[path.parent] = path.parent.resolve()
    return folders[path.parent] / path.name


def display_names(paths: list[Path]) -> list[str]:
    """How messages name each file: its name, or folder/name where two files share a name."""
    counts: dict[str, int] = {}
    for path in paths:
        counts[path.name] = counts.get(path.name, 0) + 1
    return [
        f"{path.parent.name}/{path.name}" if counts[path.name] > 1 else path.name for path in paths
    ]


def layout_path(book: Path) -> Path:
    """Where a workbook's layout lives by default: ``<BOOK>.layout.toml`` beside it."""
    return Path(book).with_name(Path(book).stem + LAYOUT_SUFFIX)


def any_laid_out(files: list[Path]) -> bool:
    """Whether a workbook of the batch has its layout beside it (it is then read through that
    layout: :func:`xlpy.adopt.layouts_for`)."""
    return any(layout_path(file).is_file() for file in files)
