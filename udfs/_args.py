"""Turning what Excel passes (a value, a list, a list of rows) into checked numpy arrays, and back.

Element-wise functions broadcast their arguments like Excel array formulas and return the input
shape (a scalar for single cells); blanks in give blanks out. A bad argument raises
:class:`UdfError`, whose Chinese message names the function, the argument, the value and what was
expected; in Excel, xlwings shows that message in the calling cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from xlpy.rules import RuleError


class UdfError(ValueError):
    pass


def fail(func: str, arg: str, value: Any, expected: str) -> UdfError:
    shown = "空白" if value is None or value == "" else repr(value)
    return UdfError(f"{func}: 参数 {arg} 的值 {shown} 无效,应为{expected}")


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


def flat(value: Any) -> list[Any]:
    """Every cell of a value, list or list of rows, in reading order (aggregate arguments)."""
    if isinstance(value, np.ndarray):
        return value.ravel().tolist()
    if not isinstance(value, (list, tuple)):
        return [value]
    return [cell for item in value for cell in (item if isinstance(item, (list, tuple)) else [item])]


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


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def numbers(func: str, arg: str, values: np.ndarray, expected: str,
            valid: Callable[[float], bool] = lambda x: True, blank: float = np.nan) -> np.ndarray:
    """Float array; blanks become ``blank``; anything else that is not a valid number raises."""
    out = []
    for value in values.ravel().tolist():
        if is_blank(value):
            out.append(blank)
            continue
        number = to_number(value)
        if number is None or not valid(number):
            raise fail(func, arg, value, expected)
        out.append(number)
    return np.array(out, dtype=float).reshape(values.shape)


def to_number(value: Any) -> float | None:
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if np.isfinite(number) else None


def number(func: str, arg: str, value: Any, expected: str,
           valid: Callable[[float], bool] = lambda x: True) -> float:
    """One required number (a scalar parameter such as full_points)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        flat = grid(value).ravel()
        if flat.size != 1:
            raise fail(func, arg, value, "单个数值")
        value = flat[0]
    result = to_number(value)
    if result is None or not valid(result):
        raise fail(func, arg, value, expected)
    return result


def flag(func: str, arg: str, value: Any) -> bool:
    if isinstance(value, (list, tuple, np.ndarray)):
        flat = grid(value).ravel()
        if flat.size != 1:
            raise fail(func, arg, value, "单个 是/否")
        value = flat[0]
    if is_blank(value) or value in (False, 0, "否", "FALSE", "false", "N"):
        return False
    if value in (True, 1, "是", "TRUE", "true", "Y"):
        return True
    raise fail(func, arg, value, " 是/否(TRUE/FALSE)")


def flags(func: str, arg: str, values: np.ndarray) -> np.ndarray:
    return np.array([flag(func, arg, v) for v in values.ravel().tolist()], dtype=bool).reshape(values.shape)


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


def rules_error(func: str, error: RuleError) -> UdfError:
    return UdfError(f"{func}: " + "; ".join(f"{k}: {m}" for k, m in error.problems))
