"""When two workbook files hold a sheet that reads the same: its content key.

calamine reads a sheet's values from four parts of the package: the sheet's XML, the shared
strings it refers to (by index), the styles (a number format makes a number a date) and the
workbook's date system (``<workbookPr date1904>``). :func:`content_key` joins exactly those
bytes, so two sheets with equal keys read as equal values, error cells and formulas, whatever
else differs in their files — a batch of per-person files repeats its 参数 sheet a thousand
times, with each person's own strings after the shared ones. Keys compare whole bytes (no
digest a crafted file could collide with). A sheet whose references cannot be counted exactly
(odd spelling, comments, CDATA, namespace prefixes: crafted or rare writers) has no key and is
simply read again.
"""

from __future__ import annotations

import re
from typing import Protocol

from xlpy.engines.extent import canonical

Key = tuple[bytes, bytes, bytes, bytes]

# <c r="B7" s="3" t="s"><v>12</v></c>: how Excel, WPS, LibreOffice and xlsxwriter write a cell
# holding a shared string; any other spelling of a string reference makes the count differ.
_STRING_CELL = re.compile(
    rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,5}")? t="s"><v>([0-9]{1,9})</v>'
)
_ODD_TYPE = re.compile(rb"""\st(?:\s+=|=\s|=')|\st="&""")
# The shared strings' start tag, attributes in double quotes without markup in them.
_STRINGS_HEAD = re.compile(
    rb'(?:\xef\xbb\xbf)?\s*(?:<\?xml[^<>]*\?>)?\s*<sst(?:\s+[\w:.-]+="[^"<>]*")*\s*>'
)
_KEPT = 32  # distinct sheet XMLs remembered, the most recently seen (a batch repeats a few)
_LARGEST = 1 << 20  # bytes: larger sheets are not remembered (a form's sheet is ~20-70 KB)
_ONCE = (-1,)  # seen once: no key yet (most sheets are one person's own and never repeat)
_used: dict[bytes, tuple[int, ...] | None] = {}


class Package(Protocol):
    """What a key is made of, read once per file."""

    @property
    def date_system(self) -> bytes: ...  # the <workbookPr> tags of xl/workbook.xml
    @property
    def relations(self) -> bytes: ...  # xl/_rels/workbook.xml.rels
    @property
    def styles(self) -> bytes: ...  # xl/styles.xml (empty if absent)
    @property
    def string_entries(self) -> list[bytes] | None: ...  # see string_entries()


def content_key(xml: bytes, package: Package) -> Key | None:
    """The key of a sheet (``xml``) in ``package``, or None when it cannot be told exactly."""
    used = strings_used(xml)
    if used is None or not all(_standard(package.relations, name) for name in _SHARED_PARTS):
        return None
    entries = package.string_entries if used else []
    if entries is None or (used and used[-1] >= len(entries)):
        return None
    # Joined by the end tag no entry holds: equal bytes, equal entries (one hash, not hundreds)
    strings = b"</si>".join(map(entries.__getitem__, used))
    return xml, strings, package.styles, package.date_system


_SHARED_PARTS = (b"sharedStrings", b"styles")


def _standard(relations: bytes, name: bytes) -> bool:
    """The workbook relates ``name`` at its standard place, xl/<name>.xml, or not at all (its
    name once in the relationship type, once in the target)."""
    return relations.count(name) == 0 or (
        relations.count(name) == 2 and b'Target="' + name + b'.xml"' in relations
    )


def strings_used(xml: bytes) -> tuple[int, ...] | None:
    """The shared strings (by index, ascending) the sheet refers to; None if not exactly
    countable, or for a sheet seen for the first time. Counted once per distinct sheet XML."""
    if len(xml) > _LARGEST:
        return None
    if xml in _used:
        used = _used.pop(xml)  # put back below, as the most recently seen
        if used is _ONCE:
            used = _count_used(xml)
    else:
        used = _ONCE
        if len(_used) >= _KEPT:
            _used.pop(next(iter(_used)))  # the least recently seen
    _used[xml] = used
    return None if used is _ONCE else used


def _count_used(xml: bytes) -> tuple[int, ...] | None:
    if b"<!" in xml or not canonical(xml) or _ODD_TYPE.search(xml):
        return None
    indices = [int(found) for found in _STRING_CELL.findall(xml)]
    if len(indices) != xml.count(b't="s"'):
        return None
    return tuple(sorted(set(indices)))


def string_entries(strings: bytes) -> list[bytes] | None:
    """Each ``<si>`` entry of the shared strings, as bytes, in order; None for a layout that
    could hide an entry boundary (comments, CDATA, instructions, prefixed or empty elements,
    text between entries)."""
    head = _STRINGS_HEAD.match(strings)
    if head is None:
        return None
    for rare, mark, start in ((b"!", b"<!", 0), (b"?", b"<?", head.end()), (b":", b":si", 0)):
        if strings.find(rare, start) >= 0 and strings.find(mark, start) >= 0:
            return None  # a comment, CDATA or DTD; an instruction; a prefixed element
    body = strings[head.end() :]
    entries = body.split(b"</si>")
    tail, count = entries.pop(), len(entries)
    if count and not (body.startswith(b"<si>") and body.count(b"</si><si>") == count - 1):
        return None  # each entry follows the last with nothing between them
    if body.count(b"<si") != count or not tail.startswith(b"</sst>"):
        return None
    return entries
