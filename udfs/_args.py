"""Turning what Excel passes (a value, a list, a list of rows) into checked numpy arrays, and back.

Entries are checked by the core's own entry rules (``xlpy.core.coerce.entry_reader``: a count,
a level, a rating word … as on the forms) and parameters by the rules model's own types
(``xlpy.rules.check_value``); nothing here decides what is valid. Element-wise functions
broadcast their arguments like Excel array formulas and return the input shape (a scalar for
single cells); blanks in give blanks out. A bad argument raises :class:`UdfError`, whose Chinese
message names the function, the argument, the value and what was expected; in Excel, xlwings
shows that message in the calling cell.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from xlpy.core.coerce import entry_reader
from xlpy.core.entries import Entry, Kind
from xlpy.errors import XlpyError
from xlpy.rules import RuleError, check_value
from xlpy.words import describe_value, is_blank

Scale = tuple[dict[str, float], dict[str, str]]  # rating word → points, alias → rating word


class UdfError(XlpyError):
    """A bad argument to an Excel function."""


def fail(func: str, arg: str, value: Any, expected: str) -> UdfError:
    shown = "空白" if is_blank(value) else describe_value(value)
    return UdfError(f"{func}: 参数 {arg} 的值 {shown} 无效", expected=expected)


def grid(value: Any) -> np.ndarray:
    """A value, list or list of rows as an object array of 0, 1 or 2 dimensions."""
    if isinstance(value, np.ndarray):
        return value.astype(object)
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(row, (list, tuple)) for row in value):
            width = {len(row) for row in value}
            if len(width) != 1:
                raise UdfError("区域的各行长度不一致")
        array = np.empty(np.shape(value) if value else (0,), dtype=object)
        array[...] = value if value else []
        return array
    array = np.empty((), dtype=object)
    array[()] = value
    return array


def flat(value: Any) -> np.ndarray:
    """Every cell of a value, list or list of rows, in reading order (aggregate arguments)."""
    return grid(value).ravel()


def single(func: str, arg: str, value: Any) -> Any:
    """The one value of a one-cell argument (Excel passes even a single cell as ``[[value]]``)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        cells = flat(value)
        if cells.size != 1:
            raise fail(func, arg, value, "单个值")
        return cells[0]
    return value


def broadcast(func: str, **args: Any) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    grids = {name: grid(v) for name, v in args.items()}
    if all(g.ndim == 0 for g in grids.values()):
        return grids, ()
    try:
        shape = np.broadcast_shapes(*(g.shape for g in grids.values()))
    except ValueError:
        sizes = ", ".join(f"{n} {'×'.join(map(str, g.shape)) or '1'}" for n, g in grids.items())
        raise UdfError(f"{func}: 各参数区域的大小不一致({sizes})") from None
    return {n: np.broadcast_to(g, shape) for n, g in grids.items()}, shape


def entries(
    func: str, arg: str, values: np.ndarray, kind: Kind, scale: Scale | None = None
) -> np.ndarray:
    """Cells checked and converted as the core checks a form's entries of this kind
    (``entry_reader``): float (NaN = blank; a blank count is 0), bool for FLAG, the rating word
    (None = blank) for RATING."""
    points, aliases = scale or ({}, {})
    entry = Entry(arg, arg, kind, tuple(points) + tuple(aliases))
    cells = np.asarray(values, dtype=object)
    read = entry_reader(entry, points, aliases)
    out = []
    for value in cells.ravel().tolist():
        clean, bad = read(value)
        if bad:
            raise fail(func, arg, value, entry.expected)
        out.append(clean)
    dtype = object if kind is Kind.RATING else bool if kind is Kind.FLAG else float
    return np.array(out, dtype=dtype).reshape(cells.shape)


def parameter(func: str, arg: str, value: Any, kind: Any) -> float:
    """One rule parameter given as an argument (a weight, a minimum, points …), checked against
    its type in the rules model (``kind``: e.g. ``xlpy.rules.model.Positive``)."""
    value = single(func, arg, value)
    if is_blank(value) or isinstance(value, (bool, np.bool_)):
        raise fail(func, arg, value, "数字")
    if isinstance(value, str):
        value = value.strip()
    try:
        number = _checked(kind, value)
    except RuleError as error:
        messages = "; ".join(f"参数 {arg} {m}" for _, m in error.problems)
        raise UdfError(f"{func}: {messages}") from None
    if not math.isfinite(number):
        raise fail(func, arg, value, "有限的数字")
    return number


@lru_cache(maxsize=4096)
def _checked(kind: Any, value: Any) -> float:
    """A parameter value that passed its check once passes again (a sheet repeats a few)."""
    return float(check_value(kind, value, ""))


def parameters(func: str, arg: str, values: np.ndarray, kind: Any) -> np.ndarray:
    """Element-wise :func:`parameter`; a blank cell gives NaN (the caller decides if it may)."""
    cells = np.asarray(values, dtype=object)
    checked: dict[tuple[type, Any], float] = {}
    out = []
    for value in cells.ravel().tolist():
        if is_blank(value):
            out.append(np.nan)
            continue
        key = (type(value), value)
        if key not in checked:
            checked[key] = parameter(func, arg, value, kind)
        out.append(checked[key])
    return np.array(out, dtype=float).reshape(cells.shape)


def numbers(func: str, arg: str, values: np.ndarray) -> np.ndarray:
    """Any finite numbers (a blank is NaN): cells that are values computed elsewhere."""
    cells = np.asarray(values, dtype=object)
    out = np.full(cells.shape, np.nan)
    for index, value in np.ndenumerate(cells):
        if is_blank(value):
            continue
        number = None if isinstance(value, (bool, np.bool_)) else _number(value)
        if number is None:
            raise fail(func, arg, value, "数字")
        out[index] = number
    return out


def _number(value: Any) -> float | None:
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def table(func: str, arg: str, value: Any) -> list[tuple[Any, Any]]:
    """A two-column range (key, value) as pairs, blank rows skipped."""
    rows = grid(value)
    if rows.ndim != 2 or rows.shape[1] != 2:
        raise fail(func, arg, value, "两列的参数表区域")
    return [(k, v) for k, v in rows if not is_blank(k)]


def shaped(result: np.ndarray, shape: tuple[int, ...]) -> Any:
    """Back to what Excel expects: a scalar for one cell, else nested lists; NaN/None → blank."""
    result = np.asarray(result, dtype=object).reshape(shape)

    def plain(x: Any) -> Any:
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return ""
        return x.item() if isinstance(x, np.generic) else x

    if result.ndim == 0 or result.size == 1:
        return plain(result.ravel()[0]) if result.size else ""
    return np.vectorize(plain, otypes=[object])(result).tolist()
