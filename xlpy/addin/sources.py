"""The add-in's text sources under ``workbook/addin/``: read them and check each file on its own.

Layout::

    customUI14.xml      ribbon (UTF-8; Chinese labels live here)
    xlpy.conf           the add-in's xlwings settings, one ``"KEY","VALUE"`` per line
    vba/*.bas, *.cls    VBA modules in stream form: ASCII, CRLF, ``Attribute VB_Name`` first;
                        class modules without the ``VERSION/BEGIN/END`` export header and with
                        ``Attribute VB_Base``; ``ThisWorkbook.cls`` is the workbook's document
                        module (its name is the workbook's ``codeName``)

Problems are collected (never the first one only) and reported in Chinese, naming file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from xlpy.errors import XlpyError

RIBBON_FILE = "customUI14.xml"
CONF_FILE = "xlpy.conf"
VBA_DIR = "vba"
CLASS_BASE = '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
DOCUMENT_MODULE = "ThisWorkbook"  # the codeName of the add-in's workbook
WORKBOOK_BASE = '"0{00020819-0000-0000-C000-000000000046}"'
_CONF_LINE = re.compile(r'^"([^"]+)","([^"]*)"$')
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


class AddinSourceError(XlpyError):
    """One or more add-in sources are wrong; ``problems`` lists each as one Chinese line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("加载项源文件有误:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class VbaModule:
    name: str
    is_class: bool
    text: str  # exactly the file's text (CRLF line ends)

    @property
    def is_document(self) -> bool:
        return self.name == DOCUMENT_MODULE

    @property
    def file_name(self) -> str:
        return self.name + (".cls" if self.is_class else ".bas")


@dataclass(frozen=True)
class AddinSources:
    ribbon_xml: bytes
    conf: tuple[tuple[str, str], ...]
    modules: tuple[VbaModule, ...]  # sorted by name: the project's module order

    def module(self, name: str) -> VbaModule | None:
        return next((m for m in self.modules if m.name.lower() == name.lower()), None)


def load_sources(addin_dir: Path) -> AddinSources:
    """Read every source; raise :class:`AddinSourceError` listing all problems found."""
    addin_dir = Path(addin_dir)
    problems: list[str] = []
    ribbon = addin_dir / RIBBON_FILE
    if not ribbon.is_file():
        problems.append(f"{RIBBON_FILE}: 缺少功能区文件")
    conf = _read_conf(addin_dir / CONF_FILE, problems)
    modules = []
    vba_files = sorted((addin_dir / VBA_DIR).glob("*.*"), key=lambda p: p.name.lower())
    for path in vba_files:
        if path.suffix.lower() not in (".bas", ".cls"):
            continue
        module = _read_module(path, problems)
        if module is not None:
            modules.append(module)
    if not modules:
        problems.append(f"{VBA_DIR}/: 没有任何 VBA 模块(.bas/.cls)")
    if problems:
        raise AddinSourceError(problems)
    return AddinSources(ribbon.read_bytes(), conf, tuple(modules))


def _read_conf(path: Path, problems: list[str]) -> tuple[tuple[str, str], ...]:
    if not path.is_file():
        problems.append(f"{CONF_FILE}: 缺少加载项配置文件")
        return ()
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        match = _CONF_LINE.match(line.strip())
        if match is None or not match.group(1).isascii() or not match.group(2).isascii():
            problems.append(f'{CONF_FILE} 第 {number} 行: 应为 "键","值"(ASCII),实为 {line!r}')
        else:
            entries.append((match.group(1).upper(), match.group(2)))
    return tuple(entries)


def _read_module(path: Path, problems: list[str]) -> VbaModule | None:
    where = f"{VBA_DIR}/{path.name}"
    raw = path.read_bytes()
    found = len(problems)
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.isascii():
            problems.append(
                f"{where} 第 {number} 行: 含非 ASCII 字符(VBA 源码按 ANSI 代码页保存,"
                "中文请放在功能区 XML 或 Python 中,或用 ChrW)"
            )
    if len(problems) > found:
        return None
    text = raw.decode("ascii")
    if "\n" in text.replace("\r\n", "") or "\r" in text.replace("\r\n", ""):
        problems.append(f"{where}: 换行符应全部为 CRLF")
    name = path.stem
    if not _IDENTIFIER.match(name):
        problems.append(f"{where}: 模块名 {name!r} 不是合法的 VBA 模块名(字母开头,最多 31 个字符)")
    first = text.split("\r\n", 1)[0]
    if first != f'Attribute VB_Name = "{name}"':
        problems.append(f'{where} 第 1 行: 应为 Attribute VB_Name = "{name}",实为 {first!r}')
    is_class = path.suffix.lower() == ".cls"
    if is_class:
        if text.startswith("VERSION "):
            problems.append(f"{where}: 类模块不能带 VERSION/BEGIN/END 导出头(Excel 会报编译错误)")
        base = WORKBOOK_BASE if name == DOCUMENT_MODULE else CLASS_BASE
        if f"\r\nAttribute VB_Base = {base}\r\n" not in text:
            problems.append(
                f"{where}: 缺少 Attribute VB_Base = {base}"
                + ("(工作簿的文档模块)" if name == DOCUMENT_MODULE else "(类模块)")
            )
    return VbaModule(name, is_class, text)
