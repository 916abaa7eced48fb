"""xlpy.engines.members: a member's bytes equal zipfile's, a repeat is served from memory only
when its compressed bytes, size and CRC are the same, and every damaged member is refused as
zipfile refuses it."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from xlpy.engines.members import read_member

NAME = "xl/worksheets/sheet1.xml"
XML = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>' * 40


def package(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def read(data: bytes, name: str = NAME) -> bytes:
    return read_member(zipfile.ZipFile(io.BytesIO(data)), data, name)


def central_crc_offset(data: bytes) -> int:
    """Where the CRC-32 of the first member sits in the central directory."""
    return data.index(b"PK\x01\x02") + 16


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_bytes_equal_zipfile_and_a_repeat_is_the_same_object(method: int) -> None:
    first = package({"a.xml": b"<a/>", NAME: XML}, method)
    second = package({"b.xml": b"<b/>" * 9, NAME: XML}, method)  # the member at another offset
    got = read(first)
    assert got == zipfile.ZipFile(io.BytesIO(first)).read(NAME) == XML
    assert read(second) is got
    assert read(first, "a.xml") == b"<a/>"


def test_other_content_is_inflated_afresh() -> None:
    changed = XML.replace(b"<v>1</v>", b"<v>2</v>", 1)
    assert read(package({NAME: XML})) == XML
    assert read(package({NAME: changed})) == changed


def test_missing_member_raises_key_error_as_zipfile() -> None:
    with pytest.raises(KeyError):
        read(package({NAME: XML}), "xl/styles.xml")


def test_wrong_crc_is_refused_even_after_the_good_copy_was_read() -> None:
    good = package({NAME: XML})
    assert read(good) == XML  # remembered under its own CRC
    at = central_crc_offset(good)
    crc = struct.unpack("<L", good[at : at + 4])[0]
    bad = good[:at] + struct.pack("<L", crc ^ 1) + good[at + 4 :]
    with pytest.raises(zipfile.BadZipFile):
        read(bad)


def test_corrupt_deflate_stream_is_refused() -> None:
    good = package({NAME: XML})
    body = good.index(NAME.encode()) + len(NAME) + 2  # inside the compressed bytes
    bad = good[:body] + bytes(b ^ 0xFF for b in good[body : body + 16]) + good[body + 16 :]
    with pytest.raises((zipfile.BadZipFile, zlib.error)):
        read(bad)


def test_local_header_naming_another_member_is_refused() -> None:
    good = package({NAME: XML})
    other = NAME.replace("sheet1", "sheetX").encode()
    bad = good.replace(NAME.encode(), other, 1)  # the local header only (it comes first)
    with pytest.raises(zipfile.BadZipFile, match="differ"):
        read(bad)


# Central directory fields of the first member: (offset from its signature, struct format)
FIELDS = {"flags": (8, "<H"), "method": (10, "<H"), "compressed": (20, "<L"), "size": (24, "<L")}


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("size", 1),  # more than the stream holds
        ("size", -1),  # less than the stream holds
        ("compressed", 7),  # runs into the next header
        ("compressed", -7),  # the stream cut short
        ("flags", 0x0001),  # encrypted
        ("flags", 0x0020),  # compressed patched data
        ("method", 12 - zipfile.ZIP_DEFLATED),  # bzip2
    ],
)
def test_lying_directory_reads_as_zipfile_reads_it(field: str, change: int) -> None:
    good = package({NAME: XML, "pad.xml": b"<p/>" * 50})
    at = good.index(b"PK\x01\x02") + FIELDS[field][0]
    fmt = FIELDS[field][1]
    value = struct.unpack(fmt, good[at : at + struct.calcsize(fmt)])[0]
    value = value | change if field == "flags" else value + change
    bad = good[:at] + struct.pack(fmt, value) + good[at + struct.calcsize(fmt) :]
    archive = zipfile.ZipFile(io.BytesIO(bad))
    try:
        expected: bytes | type[BaseException] = archive.read(NAME)
    except Exception as exc:  # noqa: BLE001 - whatever zipfile raises, read_member must too
        expected = type(exc)
    if isinstance(expected, bytes):
        assert read_member(archive, bad, NAME) == expected
    else:
        with pytest.raises(expected):
            read_member(archive, bad, NAME)
