"""A1 addresses <-> zero-based (row, column) indices."""

from __future__ import annotations

import functools
import re

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def column_letters(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def a1(row: int, col: int) -> str:
    """Zero-based indices -> "C5"."""
    return f"{column_letters(col)}{row + 1}"


@functools.lru_cache(maxsize=4096)  # a batch reads the same few hundred addresses per file
def parse_a1(address: str) -> tuple[int, int]:
    """ "C5" -> (4, 2). Raises ValueError for anything else."""
    match = _A1.match(address.strip())
    if not match:
        raise ValueError(f"不是单元格地址: {address!r}")
    return int(match.group(2)) - 1, column_index(match.group(1))


def absolute_reference(sheet: str, first: str, last: str = "") -> str:
    """``'参数'!$C$45`` (or ``'参数'!$B$18:$B$21``): a cell or range of ``sheet``, as a
    formula or a defined name refers to it."""
    corners = [parse_a1(address) for address in (first, last) if address]
    shown = ":".join(f"${column_letters(col)}${row + 1}" for row, col in corners)
    return "'" + sheet.replace("'", "''") + "'!" + shown


def unquoted_sheet(text: str) -> str:
    """A sheet name as a reference writes it (``'O''Brien'``, ``参数``), without its quotes."""
    return text[1:-1].replace("''", "'") if len(text) > 1 and text[0] == text[-1] == "'" else text
