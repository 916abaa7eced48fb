"""A package member's bytes, exactly as :meth:`zipfile.ZipFile.read` gives them, for less.

zipfile spends ~20 µs setting up a reader per member, more than inflating most of a form's
parts; a batch of per-person files also repeats whole members (the 参数 sheet, styles, the
relationships). :func:`read_member` takes the common case itself — a stored or deflated member
with plain flags whose local header names it, inflated to the size and CRC-32 the directory
gives — and remembers what it inflated by the member's compressed bytes: equal compressed bytes,
method, size and CRC inflate to equal bytes, so a repeat returns the same ``bytes`` object
(whose hash Python keeps). Anything else is left to zipfile, which raises what it raises.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_LOCAL_SIGNATURE = b"PK\x03\x04"
_PLAIN_FLAGS = 0x0002 | 0x0004 | 0x0008 | 0x0800  # deflate options, data descriptor, UTF-8 name
_UTF8_NAME = 0x0800
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_KEPT = 16  # members remembered, the most recently read (a split file repeats 3 of its 8)
_LARGEST_KEPT = 1 << 20  # bytes inflated: larger members are not remembered
_inflated: dict[tuple[int, int, int, bytes], bytes] = {}


def read_member(package: zipfile.ZipFile, data: bytes, name: str) -> bytes:
    """Member ``name`` of ``package`` (opened on ``data``); raises as ``package.read(name)``."""
    info = package.getinfo(name)
    raw = _compressed(info, data)
    if raw is None:
        return package.read(info)
    key = (info.compress_type, info.CRC, info.file_size, raw)
    found = _inflated.pop(key, None)  # put back below, as the most recently read
    if found is None:
        found = _inflate(info, raw)
        if found is None:
            return package.read(info)  # a size or CRC that does not match: zipfile says so
        if len(found) > _LARGEST_KEPT:
            return found
        if len(_inflated) >= _KEPT:
            _inflated.pop(next(iter(_inflated)))  # the least recently read
    _inflated[key] = found
    return found


def _compressed(info: zipfile.ZipInfo, data: bytes) -> bytes | None:
    """The member's compressed bytes, where zipfile would find them; None for what it alone
    should judge (other methods or flags, a local header that does not match, truncation)."""
    if info.flag_bits & ~_PLAIN_FLAGS or info.compress_type not in _METHODS:
        return None
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) != _LOCAL_HEADER.size:
        return None
    fields = _LOCAL_HEADER.unpack(header)
    flags, name_length, extra_length = fields[3], fields[10], fields[11]
    if fields[0] != _LOCAL_SIGNATURE:
        return None
    name_start = start + _LOCAL_HEADER.size
    local_name = data[name_start : name_start + name_length]
    try:
        decoded = local_name.decode("utf-8" if flags & _UTF8_NAME else "cp437")
    except UnicodeDecodeError:
        return None
    if decoded != info.orig_filename:
        return None
    body = name_start + name_length + extra_length
    raw = data[body : body + info.compress_size]
    return raw if len(raw) == info.compress_size else None


def _inflate(info: zipfile.ZipInfo, raw: bytes) -> bytes | None:
    """The member's bytes if they come to its size and CRC-32 exactly (never more is inflated)."""
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw
    else:
        try:
            out = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        return None
    return out
