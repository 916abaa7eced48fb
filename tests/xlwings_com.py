"""xlwings' own Windows UDF machinery, run on Linux: what a udf receives from Excel and what
Excel receives back, as ``xlwings.udfs.call_udf`` does it.

On Windows, ``@xw.func``/``@xw.arg`` (``xlwings/udfs.py``) record each argument's conversion
options in ``f.__xlfunc__``; ``call_udf`` reads every argument with
``conversion.read(range_or_value, options)`` and writes the result with
``conversion.write(result, None, ret_options)``. The conversion pipelines are plain Python and
run here as they are. Two modules cannot be imported on Linux because they import pywin32:
``udfs.py`` (the decorators) and ``_xlwindows.py`` (the engine's cell cleaning,
``Engine.clean_value_data`` / ``prepare_xl_data_element``). The functions needed are compiled
from xlwings' installed source files themselves, unchanged; nothing is re-implemented here.

COM hands a range's values over as a scalar (one cell) or a tuple of row tuples, and an array
(e.g. ``CHOOSE({1;2},…)``) the same way; that is what the tests pass in. (For a range argument
``call_udf`` first reads ``Range.Value`` — the same tuples — through ReadValueFromRangeStage.)
"""

from __future__ import annotations

import ast
import datetime as dt
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlwings
from xlwings import conversion
from xlwings.main import Engine

from udfs._registry import Udf, apply_xlwings

_PACKAGE = Path(xlwings.__file__).parent
MISSING = -2147352572  # what COM passes for an omitted optional argument (DISP_E_PARAMNOTFOUND)


def _compile(
    source_file: str,
    wanted: set[str],
    namespace: dict[str, Any],
    methods: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """The top-level definitions ``wanted`` of an xlwings module, compiled from its source."""
    tree = ast.parse((_PACKAGE / source_file).read_text(encoding="utf-8"))
    body = []
    for node in tree.body:
        names = {t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)}
        name = getattr(node, "name", None)
        if name in (methods or {}):
            node.body = [m for m in node.body if getattr(m, "name", None) in methods[name]]
        if name in wanted or names & wanted:
            body.append(node)
    exec(
        compile(ast.Module(body=body, type_ignores=[]), f"xlwings/{source_file}", "exec"), namespace
    )
    return namespace


def _windows_engine() -> Any:
    namespace = _compile(
        "_xlwindows.py",
        {"cell_errors", "_clean_value_data_element", "Engine"},
        # pywintypes.TimeType is COM's date type; the tests pass no dates
        {"np": np, "pd": pd, "time_types": (dt.date, dt.datetime, np.datetime64)},
        {"Engine": {"name", "type", "prepare_xl_data_element", "clean_value_data"}},
    )
    return namespace["Engine"]()


def _decorators() -> tuple[Any, Any]:
    import datetime
    import inspect
    from typing import Annotated, get_args, get_origin, get_type_hints

    namespace = _compile(
        "udfs.py",
        {
            "func_sig",
            "get_category",
            "get_async_mode",
            "check_bool",
            "extract_type_and_annotations",
            "xlfunc",
            "xlarg",
        },
        {
            "inspect": inspect,
            "dt": datetime,
            "Annotated": Annotated,
            "get_args": get_args,
            "get_origin": get_origin,
            "get_type_hints": get_type_hints,
            "Any": Any,
            "Callable": Any,
            "_F": Any,
        },
    )
    return namespace["xlfunc"], namespace["xlarg"]


@contextmanager
def excel_engine() -> Iterator[None]:
    """xlwings' "excel" engine (its conversion part) registered for the duration."""
    engines = xlwings.engines
    engine = Engine(impl=_windows_engine())
    engines.add(engine)
    try:
        yield
    finally:
        engines.engines.remove(engine)
        engines.engines_by_name.pop("excel", None)


def xlfunc_info(udf: Udf) -> dict[str, Any]:
    """``__xlfunc__`` as xlwings' Windows decorators record it for this catalog entry."""
    f = udf.function
    copy = types.FunctionType(f.__code__, f.__globals__, f.__name__, f.__defaults__, f.__closure__)
    copy.__kwdefaults__, copy.__annotations__ = f.__kwdefaults__, dict(f.__annotations__)
    xlfunc, xlarg = _decorators()
    return apply_xlwings(copy, udf.args, func=xlfunc, arg=xlarg).__xlfunc__


def call_as_excel(udf: Udf, *com_args: Any) -> Any:
    """``call_udf``'s argument loop, call and result conversion for ``udf`` (inside
    :func:`excel_engine`). Returns what Excel receives: a list of rows."""
    info = xlfunc_info(udf)
    args = []
    for i, value in enumerate(com_args):
        arg_info = info["args"][min(i, len(info["args"]) - 1)]
        if isinstance(value, int) and value == MISSING:
            args.append(arg_info.get("optional", None))
        else:
            args.append(conversion.read(None, value, arg_info["options"]))
    return conversion.write(udf.function(*args), None, info["ret"]["options"])
