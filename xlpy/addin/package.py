"""Assemble ``xlpy.xlam`` from checked sources, byte for byte reproducibly.

The VBA project is written by pyOpenVBA (pinned exactly in pyproject.toml): it starts from an
add-in that Excel itself saved, and its maintainers check every written format against live
Excel. It compiles nothing, so Excel compiles the modules from source on first open. pyOpenVBA
does not touch the ribbon, so this module adds it: the ``customUI/customUI14.xml`` part, its
relationship from ``_rels/.rels``, and the ``xlpy.conf`` sheet holding the add-in's xlwings
settings. The zip is written in a fixed order with fixed timestamps and attributes, its entries
stored uncompressed (a method OOXML readers must support): deflate output depends on the zlib
build (zlib-ng differs), stored bytes depend only on the sources, on every OS.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from pyopenvba import ExcelFile, VBAModuleKind
from pyopenvba.cfb import CFB

from xlpy.addin.sources import AddinSources

RIBBON_PART = "customUI/customUI14.xml"
# [MS-OVBA] 2.3.4.1: a writer stores version 0xFFFF and no performance cache, so every Excel
# compiles the project from source; these are the bytes of xlwings' own shipped add-ins.
SOURCE_ONLY_VBA_PROJECT = b"\xcc\x61\xff\xff\x00\x01\x00"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CONF_SHEET = "xlpy.conf"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TEMPLATE_MODULE = "Module1"  # the empty module in pyOpenVBA's blank add-in


def assemble(sources: AddinSources) -> bytes:
    parts = _vba_package(sources)
    parts["xl/workbook.xml"] = _replace_once(
        parts["xl/workbook.xml"], b'<sheet name="Sheet1"', f'<sheet name="{CONF_SHEET}"'.encode()
    )
    parts["docProps/app.xml"] = _replace_once(
        parts["docProps/app.xml"],
        b"<vt:lpstr>Sheet1</vt:lpstr>",
        f"<vt:lpstr>{CONF_SHEET}</vt:lpstr>".encode(),
    )
    parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(b"William Smith", b"xlpy")
    parts["xl/worksheets/sheet1.xml"] = _conf_sheet(parts["xl/worksheets/sheet1.xml"], sources.conf)
    parts["_rels/.rels"] = _replace_once(
        parts["_rels/.rels"],
        b"</Relationships>",
        f'<Relationship Id="xlpyRibbon" Type="{RIBBON_REL}" Target="{RIBBON_PART}"/>'
        "</Relationships>".encode(),
    )
    parts[RIBBON_PART] = sources.ribbon_xml
    return _zip(parts)


def _vba_package(sources: AddinSources) -> dict[str, bytes]:
    """Every part of pyOpenVBA's blank add-in, with our modules as its VBA project."""
    with tempfile.TemporaryDirectory(prefix="xlpy-addin-") as temp:
        path = Path(temp) / "xlpy.xlam"
        with ExcelFile.create_new(path) as book:
            project = book.vba_project()
            project.delete_module(_TEMPLATE_MODULE)
            for module in sources.modules:
                if module.is_document:
                    continue
                kind = VBAModuleKind.other if module.is_class else VBAModuleKind.standard
                project.add_module(module.name, module.text, kind=kind)
            for module in sources.modules:
                if module.is_document:
                    book.set_module(module.name, module.text)
            book.save()
        with zipfile.ZipFile(path) as package:
            parts = {name: package.read(name) for name in package.namelist()}
    parts["xl/vbaProject.bin"] = _source_only(parts["xl/vbaProject.bin"])
    return parts


def _source_only(vba_project: bytes) -> bytes:
    """The project without the compiled-code cache pyOpenVBA keeps (zeroed) from its template."""
    cfb = CFB.from_bytes(vba_project)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", SOURCE_ONLY_VBA_PROJECT)
    return cfb.to_bytes()


def _conf_sheet(sheet_xml: bytes, conf: tuple[tuple[str, str], ...]) -> bytes:
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{escape(key)}</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>{escape(value)}</t></is></c></row>'
        for n, (key, value) in enumerate(conf, start=1)
    )
    sheet_xml = _replace_once(sheet_xml, b"<sheetData/>", f"<sheetData>{rows}</sheetData>".encode())
    extent = f"A1:B{len(conf)}" if conf else "A1"
    return _replace_once(
        sheet_xml, b'<dimension ref="A1"/>', f'<dimension ref="{extent}"/>'.encode()
    )


def _replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    if data.count(old) != 1:
        raise RuntimeError(f"add-in template changed: {old!r} is not found exactly once")
    return data.replace(old, new)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():  # pyOpenVBA's order, then the ribbon part
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            package.writestr(info, data)
    return buffer.getvalue()
