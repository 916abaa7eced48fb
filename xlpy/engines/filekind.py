"""Tell a readable .xlsx/.xlsm from everything staff may drop in a folder by mistake.

Checks the bytes (the extension only where the bytes cannot tell): an empty file, a legacy .xls,
a password-protected workbook (an OLE container holding ``EncryptionInfo``), a truncated or
damaged zip, a binary .xlsb, an HTML/XML file renamed to .xls, a zip bomb, a LibreOffice .ods, a
Numbers document or a CSV each get a clear Chinese message.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from xlpy.errors import XlpyError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # far beyond any form; stops zip bombs
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
SAVE_AS_XLSX = "Excel 工作簿(.xlsx),请在 Excel 中另存为 .xlsx"
UNUSUAL_CONTENT_FIX = "在 Excel 中打开后「另存为」Excel 工作簿(.xlsx),再试一次"
NOT_SAVED_NORMALLY = "文件不是 Excel/WPS/LibreOffice 正常保存的,或被改动过"
# Spreadsheets of other programs: each told to save as .xlsx in *that* program.
ODS_PROBLEM = "这是 LibreOffice/WPS 的 OpenDocument 表格(.ods),不是 Excel 工作簿"
ODS_EXPECTED = (
    "在 LibreOffice 中用「文件 → 另存为」,文件类型选「Excel 2007-365 (.xlsx)」"
    "(WPS:另存为「Excel 工作簿 (*.xlsx)」)"
)
NUMBERS_PROBLEM = "这是苹果 Numbers 表格(.numbers),不是 Excel 工作簿"
NUMBERS_EXPECTED = "在 Numbers 中用「文件 → 导出为 → Excel」,格式选 .xlsx"
CSV_PROBLEM = "这是 CSV 文本文件,不是工作簿(CSV 只有一张表,没有公式和格式)"
CSV_EXPECTED = "在 Excel 中打开后用「另存为」保存为「Excel 工作簿 (.xlsx)」"
_ODS_MIMETYPES = (b"application/vnd.oasis.opendocument.spreadsheet",)


class UnreadableWorkbook(XlpyError):
    """A file that is not a workbook we can read. ``problem``/``expected`` feed the one-line
    message ``文件 · 问题 · 应为``."""

    def __init__(self, name: str, problem: str, expected: str = SAVE_AS_XLSX) -> None:
        self.name = name
        super().__init__(problem, file=name, expected=expected)


def open_package(name: str, data: bytes) -> zipfile.ZipFile:
    """The workbook's zip package, after checking what kind of file ``data`` is."""
    if not data:
        raise UnreadableWorkbook(name, "文件为空(0 字节)")
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise UnreadableWorkbook(
                name,
                "工作簿设置了打开密码(已加密),无法读取",
                "未加密的 .xlsx,请在 Excel 中取消密码后另存",
            )
        raise UnreadableWorkbook(name, "旧版 Excel 97-2003 格式(.xls)")
    if not data.startswith(ZIP_MAGIC):
        if name.lower().endswith(".csv"):
            raise UnreadableWorkbook(name, CSV_PROBLEM, CSV_EXPECTED)
        if name.lower().endswith(".numbers"):
            raise UnreadableWorkbook(name, NUMBERS_PROBLEM, NUMBERS_EXPECTED)
        head = data[:512].lstrip().lower()
        if head.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
            raise UnreadableWorkbook(name, "这是网页/XML 文件,只是扩展名像 Excel")
        raise UnreadableWorkbook(name, "不是 Excel 工作簿")
    try:
        package = zipfile.ZipFile(BytesIO(data))
        names = set(package.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise UnreadableWorkbook(name, "文件已损坏(压缩包不完整,可能下载或复制中断)") from None
    if _mimetype(package) in _ODS_MIMETYPES:
        raise UnreadableWorkbook(name, ODS_PROBLEM, ODS_EXPECTED)
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        raise UnreadableWorkbook(name, NUMBERS_PROBLEM, NUMBERS_EXPECTED)
    if "xl/workbook.bin" in names:
        raise UnreadableWorkbook(name, "二进制工作簿(.xlsb)不受支持")
    if "xl/workbook.xml" not in names:
        raise UnreadableWorkbook(name, "压缩包里没有 Excel 工作簿(缺少 xl/workbook.xml)")
    if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED_BYTES:
        raise UnreadableWorkbook(
            name, "文件解压后过大(超过 200 MB),不像考核表", "只含考核表的工作簿"
        )
    return package


def _mimetype(package: zipfile.ZipFile) -> bytes:
    """The ``mimetype`` member OpenDocument files start with (b"" if absent or unreadable)."""
    try:
        info = package.getinfo("mimetype")
        return package.read(info).strip() if info.file_size < 100 else b""
    except (KeyError, zipfile.BadZipFile, EOFError, OSError, ValueError):
        return b""
