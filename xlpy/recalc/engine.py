"""Headless evaluation of a workbook's formulas — Excel's own functions and the xlpy add-in
functions (``udfs``) — with the ``formulas`` library.

The udfs are registered before any workbook is loaded (``formulas`` resolves names at load time)
through an adapter that hands them what Excel passes: single values, or lists of rows with None
for blank cells. A udf's Chinese error message is kept and the cell shows ``#VALUE!``, as in Excel.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

os.environ.setdefault("TQDM_DISABLE", "1")  # formulas shows progress bars while loading
import schedula
from formulas import ExcelModel, get_functions
from formulas.functions import wrap_func
from formulas.tokens.operand import Error, XlError

from udfs import CATALOG, UdfError

_KEY = re.compile(r"^'\[(?P<book>[^\]]+)\](?P<sheet>.+)'!(?P<cell>[A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)$")
_VALUE = Error.errors["#VALUE!"]


@dataclass
class Recalculation:
    """Computed value of every formula cell, by sheet and address; blank results are ``""``,
    errors their Excel text (``#VALUE!``). ``messages``: what the udfs objected to."""

    values: dict[str, dict[str, Any]]
    messages: list[str] = field(default_factory=list)

    def sheet(self, name: str) -> dict[str, Any]:
        return self.values.get(name, {})

    def errors(self) -> list[str]:
        """``工作表!单元格 = #错误`` of every formula cell that ended in an Excel error."""
        return [
            f"{sheet}!{address} = {value}"
            for sheet, cells in self.values.items()
            for address, value in cells.items()
            if isinstance(value, str) and value in Error.errors
        ]


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return _plain(value.ravel()[0])
        return [[_plain(x) for x in row] for row in np.atleast_2d(value).tolist()]
    if value is schedula.EMPTY:
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _first_error(args: list[Any]) -> XlError | None:
    for arg in args:
        items = arg.ravel() if isinstance(arg, np.ndarray) else [arg]
        for item in items:
            if isinstance(item, XlError):
                return item
    return None


def _adapter(function: Callable[..., Any], messages: list[str]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        error = _first_error(list(args))
        if error is not None:
            return error
        try:
            result = function(*[_plain(a) for a in args])
        except UdfError as exc:  # shown in the cell by Excel as the message
            messages.append(str(exc))
            return _VALUE
        if isinstance(result, list):
            return np.asarray(result, dtype=object)
        return result

    call.__name__ = function.__name__
    return call


def register_udfs(messages: list[str] | None = None) -> None:
    """Our functions in the engine's (process-wide) function table; what they object to is
    appended to ``messages`` (one list per recalculation)."""
    functions = get_functions()
    for name, udf in CATALOG.items():
        functions[name] = wrap_func(_adapter(udf.function, [] if messages is None else messages))


def formula_cells(path: Path) -> tuple[dict[str, list[str]], dict[str, dict[str, list[str]]]]:
    """Addresses of the formula cells of each sheet (from the file, not from the engine), every
    cell of an array formula included; and each sheet's array formulas: range → its cells."""
    workbook = openpyxl.load_workbook(path)
    try:
        cells: dict[str, list[str]] = {}
        arrays: dict[str, dict[str, list[str]]] = {}
        for ws in workbook.worksheets:
            found, spans = [], {}
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, ArrayFormula):
                        spans[c.value.ref] = [
                            m.coordinate for line in ws[c.value.ref] for m in line
                        ]
                        found += spans[c.value.ref]
                    elif c.data_type == "f":
                        found.append(c.coordinate)
            cells[ws.title], arrays[ws.title] = list(dict.fromkeys(found)), spans
        return cells, arrays
    finally:
        workbook.close()


def recalculate(path: str | Path) -> Recalculation:
    """Evaluate every formula of the workbook at ``path`` (which is not modified)."""
    path = Path(path)
    messages: list[str] = []
    register_udfs(messages)
    model = ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    wanted, arrays = formula_cells(path)
    by_upper = {name.upper(): name for name in wanted}
    values: dict[str, dict[str, Any]] = {name: {} for name in wanted}
    for key, ranges in solution.items():
        match = _KEY.match(key)
        if not match:
            continue
        sheet = by_upper.get(match["sheet"].upper())
        if sheet is None:
            continue
        members = arrays[sheet].get(match["cell"])
        if members is None:
            values[sheet][match["cell"]] = _cell_value(ranges)
        else:  # an array formula's range: its values in reading order
            grid = np.asarray(getattr(ranges, "value", ranges), dtype=object).ravel()
            for address, value in zip(members, grid, strict=True):
                values[sheet][address] = _cell_value(value)
    result: dict[str, dict[str, Any]] = {}
    for sheet, addresses in wanted.items():
        result[sheet] = {a: values[sheet].get(a, "") for a in addresses}
    recalculation = Recalculation(result)
    if recalculation.errors():  # IF evaluates both branches: messages matter only with errors
        recalculation.messages = list(dict.fromkeys(messages))
    return recalculation


def _cell_value(ranges: Any) -> Any:
    value = getattr(ranges, "value", ranges)
    if isinstance(value, np.ndarray):
        value = value.ravel()[0] if value.size else ""
    if value is schedula.EMPTY:
        return ""
    if isinstance(value, XlError):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return value
