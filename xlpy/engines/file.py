"""The file engine: reads workbooks on disk fast, writes marked copies, never writes a source.

Values come from python-calamine (Rust; ~15× faster than openpyxl). calamine returns cached
values only, so formula cells, merged areas and the used extent are found by scanning the sheet's
XML with byte regexes (one pass, no DOM). The extent is checked *before* calamine builds its dense
grid (:mod:`xlpy.engines.extent`): a stray entry in XFD1048576 would otherwise make it allocate
hundreds of GB and abort.
"""

from __future__ import annotations

import hashlib
import html
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cached_property
from io import BytesIO
from pathlib import Path
from typing import TypeVar

import python_calamine

from xlpy.engines.content import Key, content_key, string_entries
from xlpy.engines.errorcells import error_cells, with_readable_errors
from xlpy.engines.extent import (
    Extent,
    SheetTooLarge,
    ambiguous_cells,
    canonical,
    check_extent,
    extent,
    r_value,
)
from xlpy.engines.filekind import (
    NOT_SAVED_NORMALLY,
    UNUSUAL_CONTENT_FIX,
    UnreadableWorkbook,
    open_package,
)
from xlpy.engines.members import read_member
from xlpy.engines.port import Grid
from xlpy.errors import XlpyError
from xlpy.shared.addresses import a1, parse_a1
from xlpy.shared.findings import WARNING, CellMark, Finding

WHOLE_MAX_CELLS = 100_000  # ~15x a month workbook for 3 people; formulas needs ~3 ms a cell
MARK_MAX_CELLS = 500_000  # openpyxl needs ~1 KB a cell: a marked copy stays under ~0.5 GB
# Start tags of <sheet> and <Relationship> (any prefix), and their attributes in either quote
_SHEET = re.compile(rb"""<(?:[\w.-]+:)?sheet\s((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_REL = re.compile(rb"""<(?:[\w.-]+:)?Relationship\s((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*?(?<!/)>\s*<(?:\w+:)?f[\s>/]'
)
_FORMULA_ANY = re.compile(
    rb"""<(?:[\w.-]+:)?c\s((?:[^>"']|"[^"]*"|'[^']*')*?)(?<!/)>\s*<(?:[\w.-]+:)?f[\s>/]"""
)
_WORKBOOK_PR = re.compile(rb"<(?:[\w.-]+:)?workbookPr\b[^>]*>")  # date1904 or not
# Excel's "Strict Open XML" save format: calamine reads it, openpyxl and the formulas engine do not
_STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_PROBLEM = "这是 Strict Open XML 格式的工作簿:可以校验和汇总,但写标记副本和计算公式时读不了"
STRICT_FIX = "在 Excel 中「另存为」,文件类型选「Excel 工作簿(*.xlsx)」(不要选 Strict Open XML)"
# Excel compares sheet names ignoring case and refuses a second one; readers would each take one
REPEATED_SHEET = "工作簿中有两个工作表都叫「{sheet}」(" + NOT_SAVED_NORMALLY + ")"
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z0-9:]+)"')
# What is not calamine's to report: everything else it raises, including pyo3's PanicException (a
# BaseException), means the file is damaged.
_NOT_OURS = (KeyboardInterrupt, SystemExit, GeneratorExit)
T = TypeVar("T")
_HIDDEN_STATES = (b"hidden", b"veryHidden")
NOT_COPIED = (UnreadableWorkbook, SheetTooLarge)  # what mark() raises for a file it cannot copy


def not_copied(file: str, error: XlpyError) -> Finding:
    """The warning for a file whose marked copy could not be made (``error``: why); its own
    findings stand."""
    return Finding(file, "", "", f"未写出标记副本:{error.problem}", error.expected, WARNING)


_R_ATTR = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')


def _formula_refs(xml: bytes) -> list[str]:
    """Cells holding an ``<f>`` element, found by a byte search (3× faster than one regex): each
    ``<f`` is matched to the ``<c`` element that encloses it."""
    refs = []
    pos = xml.find(b"<f")
    while pos >= 0:
        if xml[pos + 2 : pos + 3] in (b">", b" ", b"/"):
            start = xml.rfind(b"<c ", 0, pos)
            head_end = xml.find(b">", start, pos)
            if (
                start >= 0
                and head_end > 0
                and xml[head_end - 1 : head_end] != b"/"
                and xml.find(b"</c>", start, pos) < 0
            ):
                match = _R_ATTR.search(xml, start, head_end)
                if match:
                    refs.append(match.group(1).decode())
        pos = xml.find(b"<f", pos + 2)
    return refs


_ARRAY_F = re.compile(rb'<(?:\w+:)?f\b[^>]*?\bt="array"[^>]*>')
_REF_ATTR = re.compile(rb'\bref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')


def _array_cells(xml: bytes) -> list[str]:
    """Every cell of each array formula's range (``<f t="array" ref="H5:H12">``)."""
    cells = []
    for element in _ARRAY_F.finditer(xml):
        ref = _REF_ATTR.search(element.group(0))
        if ref is None:
            continue
        first, _, last = ref.group(1).decode().partition(":")
        (top, left), (bottom, right) = parse_a1(first), parse_a1(last or first)
        cells += [a1(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)]
    return cells


def _rows(book: python_calamine.CalamineWorkbook, sheet: str) -> list[list[object]]:
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def sheet_tags(workbook: bytes) -> list[bytes]:
    """The attributes of each ``<sheet>`` tag: ``_SHEET.findall(workbook)``, found from each
    ``sheet`` in the text and the ``<`` before it (a tag prefix holds no ``<``), so the regex is
    not tried at every tag (a workbook lists hundreds of defined names)."""
    tags: list[bytes] = []
    end = 0
    at = workbook.find(b"sheet")
    while at >= 0:
        start = workbook.rfind(b"<", end, at)
        match = _SHEET.match(workbook, start) if start >= 0 else None
        if match is None:
            at = workbook.find(b"sheet", at + 1)
            continue
        tags.append(match.group(1))
        end = match.end()
        at = workbook.find(b"sheet", end)
    return tags


_DEFINED_NAME = re.compile(
    rb"""<(?:[\w.-]+:)?definedName\s((?:[^>"']|"[^"]*"|'[^']*')*)>([^<]*)</(?:[\w.-]+:)?definedName>"""
)
_PARAM_NAME = b'name="prm_'  # where the 参数 names start (forms.params.NAME_PREFIX) in every writer
Names = tuple[dict[str, str], tuple[tuple[int, str, str], ...]]  # workbook-level; sheet-local
_last_names: list[tuple[bytes, Names]] = []  # the last run of names parsed, by its XML


def defined_names(workbook: bytes) -> Names:
    """The defined names of ``workbook.xml``: workbook-level ones → reference text (entities
    resolved), and the sheet-local ones as (sheet position, name, reference). The run from the
    first ``prm_`` name to the end is the same in every split file of a month (the Print_Area
    name before it is not): the last one parsed is remembered by its bytes, so a batch compares
    ~20 KB instead of parsing ~200 names a file. Callers must not change what is returned."""
    last = workbook.rfind(b"definedName>")
    if last < 0:
        return {}, ()
    first = workbook.find(_PARAM_NAME)
    start = max(workbook.rfind(b"<", 0, first), 0) if first >= 0 else 0
    run = workbook[start : last + len(b"definedName>")]
    if _last_names and _last_names[0][0] == run:
        found = _last_names[0][1]
    else:
        found = _names_in(run)
        _last_names[:] = [(run, found)]
    if not start:
        return found
    names, local = _names_in(workbook[:start])
    return ({**names, **found[0]} if names else found[0]), local + found[1]


def _names_in(xml: bytes) -> Names:
    names, local = {}, []
    for tag, text in _DEFINED_NAME.findall(xml):
        attributes = _attributes(tag)
        if b"name" not in attributes:
            continue
        name, reference = _unescape(attributes[b"name"]), _unescape(text)
        sheet = attributes.get(b"localSheetId", b"")
        if not sheet:
            names[name] = reference
        elif sheet.isdigit():
            local.append((int(sheet), name, reference))
    return names, tuple(local)


def _attributes(tag: bytes) -> dict[bytes, bytes]:
    return {
        key: double if double or not single else single
        for key, double, single in _ATTR.findall(tag)
    }


def _unescape(raw: bytes) -> str:
    """XML attribute text: entity and character references resolved in one pass."""
    return html.unescape(raw.decode("utf-8", errors="replace"))


class FileWorkbook:
    """A workbook file opened read-only. Raises :class:`UnreadableWorkbook` if it is not one."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            with self.path.open("rb") as handle:
                data = handle.read()
                modified = os.fstat(handle.fileno()).st_mtime
            self.modified = datetime.fromtimestamp(modified).replace(microsecond=0)
        except OSError as exc:
            raise UnreadableWorkbook(
                self.name, f"无法打开文件({exc.strerror})", "可读取的文件(是否被其他程序占用?)"
            ) from None
        self._data = data
        self._package = open_package(self.name, data)
        self._parts = self._sheet_parts()
        self._book = self._calamine(
            lambda: python_calamine.CalamineWorkbook.from_filelike(BytesIO(data)),
            "文件内容已损坏,无法解析",
        )
        self._xml: dict[str, bytes] = {}
        self._canonical_sheets: dict[str, bool] = {}

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self._data).hexdigest()

    def sheet_names(self) -> list[str]:
        return list(self._parts)

    def hidden_sheets(self) -> dict[str, bool]:
        """Sheets Excel does not show: name -> whether "very hidden" (unhidden by VBA only)."""
        return dict(self._hidden)

    def values(self, sheet: str) -> Grid:
        found = self._check_extent(sheet)
        ambiguous_cells(self.name, sheet, self._sheet_xml(sheet), found)
        problem = f"工作表 {sheet} 已损坏,无法解析"
        try:
            rows = self._calamine(lambda: _rows(self._book, sheet), problem)
        except UnreadableWorkbook:
            readable = with_readable_errors(self._sheet_xml(sheet))
            if readable is None:
                raise
            book = self._calamine(lambda: self._with_member(self._parts[sheet], readable), problem)
            rows = self._calamine(lambda: _rows(book, sheet), problem)
        return [[None if v == "" else v for v in row] for row in rows]

    def error_cells(self, sheet: str) -> dict[str, str]:
        """calamine reads a cached error as an empty string: the errors come from the XML."""
        return error_cells(self._sheet_xml(sheet))

    def formula_cells(self, sheet: str) -> frozenset[str]:
        xml = self._sheet_xml(sheet)
        if not self._canonical(sheet):  # prefixes, odd quoting or spacing (crafted, rare writers)
            cells = {
                ref
                for attributes in _FORMULA_ANY.findall(xml)
                if (ref := (r_value(attributes) or "").strip().upper())
            }
        elif b":f>" in xml or b":f " in xml:  # namespace-prefixed XML (rare writers): full regex
            cells = {ref.decode() for ref in _FORMULA_CELL.findall(xml)}
        else:
            cells = set(_formula_refs(xml))
        if b'"array"' in xml:  # an array formula is stored in its first cell only
            cells.update(_array_cells(xml))
        return frozenset(cells)

    def defined_names(self) -> dict[str, str]:
        return defined_names(self._workbook)[0]

    def local_names(self) -> dict[str, dict[str, str]]:
        sheets = list(self._parts)
        found: dict[str, dict[str, str]] = {}
        for position, name, reference in defined_names(self._workbook)[1]:
            if position < len(sheets):
                found.setdefault(sheets[position], {})[name] = reference
        return found

    def merged_ranges(self, sheet: str) -> list[str]:
        xml = self._sheet_xml(sheet)
        start = xml.find(b"mergeCells")
        return [] if start < 0 else [ref.decode() for ref in _MERGE.findall(xml, start)]

    def mark(self, marks: Sequence[CellMark], out: Path | None = None) -> Path | None:
        from xlpy.engines.marking import write_marked_copy

        if out is None:
            raise ValueError("the file engine writes marks to a copy: give out")
        self.check_whole(MARK_MAX_CELLS, grid=False)  # openpyxl loads every part and cell
        return write_marked_copy(self.path, marks, Path(out))

    def clear_marks(self, sheets: Sequence[str]) -> int:
        return 0  # the source file is never written: its marks live in the marked copy

    def show(self, path: Path) -> None:
        return None  # headless: the caller prints the path

    # ── package internals ────────────────────────────────────────────────────────────────
    def _calamine(self, call: Callable[[], T], problem: str) -> T:
        """``call()`` into calamine; whatever it raises, a Rust panic included, is a damaged
        file: :class:`UnreadableWorkbook` with ``problem`` and the exception's kind."""
        try:
            return call()
        except _NOT_OURS:
            raise
        except BaseException as exc:  # noqa: BLE001 - calamine's errors and Rust panics
            raise UnreadableWorkbook(self.name, f"{problem}({type(exc).__name__})") from None

    def _with_member(self, member: str, xml: bytes) -> python_calamine.CalamineWorkbook:
        """calamine opened on a copy of the package whose ``member`` holds ``xml`` instead (a
        sheet with error values calamine cannot read: see :func:`with_readable_errors`)."""
        copy = BytesIO()
        with zipfile.ZipFile(copy, "w") as package:
            for info in self._package.infolist():
                name = info.filename  # a new entry, stored: writing ``info`` would change it
                package.writestr(name, xml if name == member else self._read(name))
        return python_calamine.CalamineWorkbook.from_filelike(BytesIO(copy.getvalue()))

    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name -> zip member of its XML, in tab order."""
        try:
            workbook = self._read("xl/workbook.xml")
            rels = self._read("xl/_rels/workbook.xml.rels")
        except (KeyError, zipfile.BadZipFile, EOFError, OSError):
            raise UnreadableWorkbook(self.name, "文件已损坏(工作簿目录缺失或不完整)") from None
        self._workbook, self._relations = workbook, rels
        targets = {}
        relationships = _REL.findall(rels)
        for rel in relationships:
            attrs = _attributes(rel)
            if b"Id" in attrs and b"Target" in attrs:
                target = _unescape(attrs[b"Target"])
                targets[attrs[b"Id"]] = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
        parts = {}
        folded: set[str] = set()  # the names so far, as Excel compares them
        self._hidden: dict[str, bool] = {}
        tags = sheet_tags(workbook)
        for tag in tags:
            attrs = _attributes(tag)
            rid = next((v for k, v in attrs.items() if k == b"id" or k.endswith(b":id")), None)
            if b"name" in attrs and rid in targets:
                name = _unescape(attrs[b"name"])
                if name.casefold() in folded:
                    problem = REPEATED_SHEET.format(sheet=name)
                    raise UnreadableWorkbook(self.name, problem, UNUSUAL_CONTENT_FIX)
                folded.add(name.casefold())
                parts[name] = targets[rid]
                if attrs.get(b"state") in _HIDDEN_STATES:
                    self._hidden[name] = attrs[b"state"] == b"veryHidden"
        # Every reader maps names to parts alike: no repeated name, id or part, no entities.
        self._plain_parts = (
            len(parts) == len(tags) == len(set(parts.values()))
            and len(targets) == len(relationships)
            and b"&" not in rels
            and not any(b"&" in tag for tag in tags)
        )
        return parts

    def _read(self, member: str) -> bytes:
        return read_member(self._package, self._data, member)

    def _sheet_xml(self, sheet: str) -> bytes:
        if sheet not in self._parts:
            raise KeyError(sheet)
        if sheet not in self._xml:
            try:
                self._xml[sheet] = self._read(self._parts[sheet])
            except (KeyError, zipfile.BadZipFile, EOFError, OSError, ValueError):
                raise UnreadableWorkbook(self.name, f"工作表 {sheet} 已损坏或缺失") from None
        return self._xml[sheet]

    def content_key(self, sheet: str) -> Key | None:
        """Equal for two sheets that read as the same values, error cells and formulas (see
        :mod:`xlpy.engines.content`); None when that cannot be told exactly."""
        if not self._plain_parts:
            return None
        try:
            return content_key(self._sheet_xml(sheet), self)
        except UnreadableWorkbook:
            return None  # reading the sheet reports it

    @cached_property
    def date_system(self) -> bytes:
        return b"".join(_WORKBOOK_PR.findall(self._workbook))

    @property
    def relations(self) -> bytes:
        return self._relations

    @cached_property
    def styles(self) -> bytes:
        return self._member("xl/styles.xml") or b""

    @cached_property
    def string_entries(self) -> list[bytes] | None:
        return string_entries(self._member("xl/sharedStrings.xml") or b"")

    def _member(self, name: str) -> bytes | None:
        """A package member's bytes (None if there is none); raises for a damaged one."""
        try:
            return self._read(name)
        except KeyError:
            return None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error):
            raise UnreadableWorkbook(self.name, f"文件已损坏({name} 无法解压)") from None

    def _check_extent(self, sheet: str) -> Extent | None:
        return check_extent(
            self.name, sheet, self._sheet_xml(sheet), is_canonical=self._canonical(sheet)
        )

    def _canonical(self, sheet: str) -> bool:
        """:func:`xlpy.engines.extent.canonical` of the sheet's XML, worked out once."""
        if sheet not in self._canonical_sheets:
            self._canonical_sheets[sheet] = canonical(self._sheet_xml(sheet))
        return self._canonical_sheets[sheet]

    def check_whole(self, max_cells: int = WHOLE_MAX_CELLS, grid: bool = True) -> None:
        """For readers that load every part and build an object per cell (openpyxl, the formulas
        engine): every part must decompress to what the zip directory says (a lying zip fails
        its CRC), no XML may declare entities (an XML bomb; no Office file has a DTD), and the
        sheets together may hold at most ``max_cells`` cells. ``grid``: each sheet's extent is
        checked too, empty cells included (the formulas engine iterates openpyxl's rows densely;
        openpyxl alone stores cells sparsely). A Strict Open XML workbook is refused: those
        readers cannot read it."""
        if _STRICT_NAMESPACE in self._workbook:
            raise UnreadableWorkbook(self.name, STRICT_PROBLEM, STRICT_FIX)
        for info in self._package.infolist():
            try:
                data = self._package.read(info)
            except (
                zipfile.BadZipFile,
                EOFError,
                OSError,
                ValueError,
                NotImplementedError,
                zlib.error,
            ):
                raise UnreadableWorkbook(
                    self.name, f"文件已损坏(压缩包中 {info.filename} 的内容与目录记录不符)"
                ) from None
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise UnreadableWorkbook(
                    self.name,
                    f"{info.filename} 含有 XML 实体声明(DTD):Excel 文件从不含有,文件可能被恶意构造",
                )
        cells = 0
        for sheet in self._parts:
            xml = self._sheet_xml(sheet)
            found = (
                check_extent(self.name, sheet, xml, max_cells, empty_cells=True)
                if grid
                else None
                if canonical(xml)
                else extent(self.name, sheet, xml)
            )
            ambiguous_cells(self.name, sheet, xml, found)
            cells += found.cells if found is not None else xml.count(b"<c ")
            if cells > max_cells:
                raise UnreadableWorkbook(
                    self.name,
                    f"工作簿过大(超过 {max_cells:,} 个单元格),无法在合理的时间和内存内计算",
                    "只含考核表的工作簿",
                )


def check_whole_workbook(path: str | Path, max_cells: int = WHOLE_MAX_CELLS) -> None:
    """Refuse, with a Chinese message, a file that openpyxl or the formulas engine should not
    load (see :meth:`FileWorkbook.check_whole`); call before handing ``path`` to them."""
    FileWorkbook(path).check_whole(max_cells)
