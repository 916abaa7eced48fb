"""Text files staff hand us (roster CSVs), decoded in the encodings their programs write.

Detection, in order: a byte-order mark (UTF-8, UTF-16 LE/BE) decides; otherwise the bytes must
be strict UTF-8 (what LibreOffice, WPS and "CSV UTF-8" in Excel write) or strict GB18030 (a
superset of GBK: what Chinese Excel's plain "CSV" writes). Anything else is refused with the line
of the first byte that fits neither. No guessing beyond that: a wrong guess would put silently
garbled names into every generated workbook.
"""

from __future__ import annotations

from pathlib import Path

from xlpy.errors import XlpyError

BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
MAX_TEXT_BYTES = 50 * 1024 * 1024  # a roster of 100,000 people is ~5 MB
SAVE_AS = "UTF-8 或 GBK 编码的文本(在 Excel 中另存为“CSV UTF-8(逗号分隔)”)"
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "gb18030": "GBK/GB18030",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}


def read_text_file(path: str | Path, shown: str = "") -> str:
    """The text of ``path``, decoded as above (the BOM removed). Raises :class:`XlpyError`
    naming the file (``shown``, else its name) and the line of a byte that cannot be decoded."""
    path = Path(path)
    shown = shown or path.name
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise XlpyError(
                "文件过大(超过 50 MB),不像人员名单", file=shown, expected="只含人员名单的 CSV 文件"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise XlpyError(
            "这是一个文件夹,不是文件", file=shown, expected="CSV 或 .xlsx 文件"
        ) from None
    except OSError as exc:
        raise XlpyError(
            f"无法读取文件({exc.strerror or type(exc).__name__})",
            file=shown,
            expected="可读取的文件(是否被其他程序占用?)",
        ) from None
    return decode_text(data, shown)


def decode_text(data: bytes, shown: str) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, shown)
    if b"\x00" in data:
        raise XlpyError(
            "文件含有空字节:不是文本文件,或是没有 BOM 的 UTF-16", file=shown, expected=SAVE_AS
        )
    failures = []
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            failures.append((exc.start, encoding))
    position, encoding = max(failures)  # the encoding that read furthest is the one meant
    line = data.count(b"\n", 0, position) + 1
    raise XlpyError(
        f"第 {line} 行有无法识别的字节 0x{data[position]:02X}"
        f"(文件既不是有效的 UTF-8,也不是 GBK/GB18030;按 {ENCODING_NAMES[encoding]} "
        "读到此处出错)",
        file=shown,
        expected=SAVE_AS,
    )


def _strict(body: bytes, encoding: str, shown: str) -> str:
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        unit = 2 if encoding.startswith("utf-16") else 1
        before = body[: exc.start - exc.start % unit].decode(encoding, errors="replace")
        raise XlpyError(
            f"第 {before.count(chr(10)) + 1} 行有无法识别的字节"
            f"(文件以 {ENCODING_NAMES[encoding]} 的 BOM 开头,但内容不是有效的 "
            f"{ENCODING_NAMES[encoding]})",
            file=shown,
            expected=SAVE_AS,
        ) from None
    if "\x00" in text:
        raise XlpyError("文件含有空字符,不是文本文件", file=shown, expected=SAVE_AS)
    return text
