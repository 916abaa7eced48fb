"""How many add-in function calls a full recalculation of a workbook makes, as Excel's calc
engine makes them (each one is a round trip through xlwings' COM server).

Counted per formula, from the formulas stored in the file:

- every occurrence of a catalog function (``udfs.CATALOG``) in a formula is one call — both
  branches of an ``IF`` count, so this is the most a recalculation can make (Excel evaluates
  only the branch it takes);
- a formula over a range (a legacy array formula such as ``{=ITEM_SCORE(…)}`` entered in
  H5:H12) is evaluated once for the whole range, so its calls count once, not once per cell;
- a shared formula (Excel's storage of a formula filled down) counts once per cell: each cell
  is evaluated on its own.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.worksheet.formula import ArrayFormula

from udfs import CATALOG

_PREFIX = "_XLUDF."  # how a workbook may store a user-defined function's name


def formula_calls(formula: str) -> int:
    """Catalog function calls in one formula's text (``=…``)."""
    calls = 0
    for token in Tokenizer(formula).items:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = token.value[:-1].upper().removeprefix(_PREFIX)
            calls += name in CATALOG
    return calls


def addin_calls(path: str | Path) -> dict[str, int]:
    """Sheet name → add-in function calls of one full recalculation, in tab order."""
    workbook = openpyxl.load_workbook(path)
    try:
        counts = {}
        for ws in workbook.worksheets:
            total = 0
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if isinstance(value, ArrayFormula):
                        total += formula_calls(value.text or "")
                    elif isinstance(value, str) and value.startswith("="):
                        total += formula_calls(value)
            counts[ws.title] = total
        return counts
    finally:
        workbook.close()
