"""How far a sheet reaches, read from its XML before any reader builds a grid for it.

calamine allocates a dense grid from A1 to the last cell, and openpyxl/formulas build an object
per cell: one hostile reference (``XFD1048576``) or a million empty ``<row/>`` elements make them
allocate gigabytes and abort. This module finds the extent the way those readers will see it —
``r`` attributes in either quote kind, with spaces around ``=``, entity references, namespace
prefixes, rows and cells without ``r`` (placed after the previous one) — and refuses a sheet
beyond the limits.

Two extents, for two kinds of reader. calamine's grid reaches the last cell that holds a value
(``<v>``, ``<is>`` or ``<f>``): empty ``<row>`` elements and style-only ``<c s="3"/>`` cells add
nothing to it — LibreOffice writes such rows at the far end of a sheet (up to row 1048576) after
rows were deleted, and they must not make the sheet "too large". openpyxl (and the formulas
engine, which iterates its rows densely) makes a cell of every ``<c>`` element, empty or not.

Two speeds: the writers staff use (Excel, WPS, LibreOffice, xlsxwriter, openpyxl) write every
``<c``/``<row`` as ``<c r="A1"`` with near addresses; a few byte counts and one regex search
prove that, and the sheet passes without a per-cell scan. Anything else — far, odd or missing
``r`` — gets the exact scan, a small XML tag tokenizer over the ``<row>`` and ``<c>`` elements.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TypeVar

from xlpy.engines.filekind import NOT_SAVED_NORMALLY, UNUSUAL_CONTENT_FIX, UnreadableWorkbook
from xlpy.errors import XlpyError
from xlpy.shared.addresses import column_letters

H = TypeVar("H", bound=Hashable)
MAX_ROWS = 100_000
MAX_COLUMNS = 702  # A..ZZ
MAX_CELLS = 2_000_000

# Some r attribute that is not a near canonical address: spaces around "=", single quotes, a
# far address (3 letters, 2 letters and row >= 1000, row >= 10000), lowercase or entities. Starts
# with a literal, so the regex engine's fast prefix search does most of the work.
_SUSPECT = re.compile(
    rb"""r(?:="(?<=[\s:]r=")(?<!xmlns:r=")"""
    rb"""(?![A-Z]{1,2}[0-9]{1,3}"|[A-Z][0-9]{1,4}"|[0-9]{1,4}")|\s+=|=[\s'])"""
)
# A row or cell tag not written as <row r="…"/<c r="…", or one with a namespace prefix.
_ODD_TAG = re.compile(rb'<(?:c(?=[\s/>])(?! r=")|row(?=[\s/>])(?! r=")|[\w.-]+:(?:c|row)[\s/>])')
# One start tag of a row, a cell or what gives a cell a value (any namespace prefix); attribute
# values may hold ">".
_TAG = re.compile(rb"""<(?:[\w.-]+:)?(row|c|v|is|f)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_VALUE_TAGS = (b"v", b"is", b"f")
# Markup whose text is not elements (a tag written inside it is no cell).
_NOT_MARKUP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.DOTALL)
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ADDRESS = re.compile(r"\s*([A-Za-z]*)([0-9]+)\s*")
_ENTITY = re.compile(rb"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {b"amp": "&", b"lt": "<", b"gt": ">", b"quot": '"', b"apos": "'"}


class SheetTooLarge(XlpyError):
    def __init__(self, name: str, sheet: str, last_cell: str) -> None:
        self.name = name
        super().__init__(
            f"工作表过大(已用区域延伸到 {last_cell})",
            file=name,
            sheet=sheet,
            cell=last_cell,
            expected="只含表单区域的数据,请删除多余的行列",
        )


class BadCellAddress(UnreadableWorkbook):
    def __init__(self, name: str, sheet: str, address: str) -> None:
        shown = address if len(address) <= 20 else address[:20] + "…"
        super().__init__(
            name,
            f"工作表 {sheet} 的 XML 中有无效的单元格地址「{shown}」(文件已损坏或被改动)",
            "由 Excel/WPS/LibreOffice 正常保存的 .xlsx",
        )
        self.sheet = sheet


class AmbiguousCell(UnreadableWorkbook):
    """A cell whose value the sheet's XML gives twice, or gives without saying where: readers
    disagree on it (calamine keeps the last of two; Excel repairs the file), and xlpy's scans
    of the XML (errors, formulas) go by the address."""

    def __init__(self, name: str, sheet: str, address: str = "") -> None:
        problem = (
            f"工作表 {sheet} 的 XML 中单元格 {address} 出现了两次"
            if address
            else f"工作表 {sheet} 的 XML 中有填了内容却没有写明地址的单元格"
        )
        super().__init__(name, f"{problem}({NOT_SAVED_NORMALLY})", UNUSUAL_CONTENT_FIX)
        self.sheet = sheet
        self.cell = address


@dataclass(frozen=True)
class Extent:
    rows: int  # the last row of a cell holding a value (calamine's grid)
    columns: int  # the last column of a cell holding a value
    cells: int  # <c> elements present, empty or not (openpyxl's cell objects)
    element_rows: int = 0  # the last row of any <c> element (openpyxl's dense iteration)
    element_columns: int = 0
    repeated: str = ""  # the first cell holding a value given a second time
    unaddressed: bool = False  # a cell holding a value has no r attribute

    def reach(self, empty_cells: bool) -> tuple[int, int]:
        """(last row, last column) for a reader that places empty cells too, or only values."""
        if empty_cells:
            return self.element_rows, self.element_columns
        return self.rows, self.columns


_CELL_ADDRESS = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"')


def repeated_cell(xml: bytes) -> str:
    """The first address two ``<c r="…"`` elements of a :func:`canonical` sheet share; ""."""
    repeated = _first_repeated(_CELL_ADDRESS.findall(xml))
    return "" if repeated is None else repeated.decode()


def _first_repeated(items: list[H]) -> H | None:
    if len(set(items)) == len(items):  # the common case: one set, no loop in Python
        return None
    seen: set[H] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


def ambiguous_cells(name: str, sheet: str, xml: bytes, found: Extent | None) -> None:
    """Raise :class:`AmbiguousCell` for a sheet giving a cell twice or a value without its
    address. ``found``: the sheet's exact extent, or None for a canonical sheet."""
    if found is None:
        repeated = repeated_cell(xml)
        if repeated:
            raise AmbiguousCell(name, sheet, repeated)
    elif found.repeated or found.unaddressed:
        raise AmbiguousCell(name, sheet, found.repeated)


def canonical(xml: bytes) -> bool:
    """Every ``<row``/``<c`` written as ``<row r="…"``/``<c r="…"`` with a near address."""
    return _ODD_TAG.search(xml) is None and _SUSPECT.search(xml) is None


def extent(name: str, sheet: str, xml: bytes) -> Extent:
    """The exact extent, as calamine/openpyxl place cells (rows and cells without ``r`` follow
    the previous one). A cell holds a value when a ``<v>``, ``<is>`` or ``<f>`` follows its start
    tag before the next cell or row starts (end tags are not trusted: a comment may hold one)."""
    if b"<!" in xml:
        xml = _NOT_MARKUP.sub(b"", xml)
    row = cells = 0
    column = 0
    valued = [0, 0]  # last row, last column of a cell holding a value
    elements = [0, 0]  # the same for any <c> element
    open_cell: tuple[int, int] | None = None  # the cell whose content is being read
    placed: list[int] = []  # where each cell holding a value is, as one number
    unaddressed = addressed = False  # the open cell's r attribute is missing
    for match in _TAG.finditer(xml):
        kind, attributes = match.group(1), match.group(2)
        if kind in _VALUE_TAGS:
            if open_cell is not None:
                valued[0], valued[1] = max(valued[0], open_cell[0]), max(valued[1], open_cell[1])
                placed.append(open_cell[0] * (1 << 24) + open_cell[1])
                unaddressed = unaddressed or not addressed
                open_cell = None
            continue
        address = r_value(attributes)
        if kind == b"row":
            row = _number(name, sheet, address) if address is not None else row + 1
            column = 0
            open_cell = None
            continue
        cells += 1
        addressed = address is not None
        if address is None:
            column += 1
        else:
            parts = _ADDRESS.fullmatch(address)
            if parts is None:
                raise BadCellAddress(name, sheet, address)
            letters, digits = parts.groups()
            if len(letters) > 3 or len(digits) > 7:
                raise SheetTooLarge(name, sheet, address.strip()[:20])
            column = _column_number(letters) if letters else column + 1
            row = int(digits)
        elements[0], elements[1] = max(elements[0], row), max(elements[1], column)
        open_cell = None if attributes.rstrip().endswith(b"/") else (row, column)
    at = _first_repeated(placed)
    repeated = "" if at is None else f"{column_letters(at % (1 << 24) - 1)}{at >> 24}"
    return Extent(valued[0], valued[1], cells, elements[0], elements[1], repeated, unaddressed)


def check_extent(
    name: str,
    sheet: str,
    xml: bytes,
    max_cells: int = MAX_CELLS,
    empty_cells: bool = False,
    is_canonical: bool | None = None,
) -> Extent | None:
    """Raise :class:`SheetTooLarge` for a sheet beyond the limits; the exact extent when it was
    computed (None on the fast path, which proves only that the sheet is small).
    ``empty_cells``: the reader makes a cell of every ``<c>`` element (openpyxl), not only of
    those holding a value (calamine). ``is_canonical``: :func:`canonical` of ``xml``, if known."""
    if is_canonical is None:
        is_canonical = canonical(xml)
    if is_canonical and xml.count(b"<row ") < 10_000:
        return None
    found = extent(name, sheet, xml)
    rows, columns = found.reach(empty_cells)
    if (
        rows > MAX_ROWS
        or columns > MAX_COLUMNS
        or rows * max(columns, 1) > max_cells
        or found.cells > max_cells
    ):
        last = (
            f"{column_letters(max(columns, 1) - 1)}{rows}"
            if columns <= 16384
            else f"第 {rows} 行第 {columns} 列"
        )
        raise SheetTooLarge(name, sheet, last)
    return found


def r_value(attributes: bytes) -> str | None:
    match = _R_ATTR.search(attributes)
    if match is None:
        return None
    raw = match.group(1) if match.group(1) is not None else match.group(2)
    return _ENTITY.sub(_entity, raw).decode("utf-8", errors="replace")


def _entity(match: re.Match[bytes]) -> bytes:
    body = match.group(1)
    if body.startswith(b"#x"):
        text = chr(min(int(body[2:].decode(), 16), 0x10FFFF))
    elif body.startswith(b"#"):
        text = chr(min(int(body[1:]), 0x10FFFF))
    else:
        text = _NAMED[body]
    return text.encode("utf-8", errors="replace")


def _number(name: str, sheet: str, value: str) -> int:
    if not value.strip().isdigit() or not value.strip().isascii():
        raise BadCellAddress(name, sheet, value)
    if len(value.strip()) > 7:
        raise SheetTooLarge(name, sheet, f"第 {value.strip()[:20]} 行")
    return int(value)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number
