"""The catalog of Excel functions: one record per function, read by the add-in builder.

``@excel_function`` applies xlwings' own decorators (``xw.func``, ``xw.arg``) and also keeps the
metadata here, because on Linux and macOS those decorators are no-ops and the add-in's VBA
wrappers are generated from this catalog on any OS.

Every argument is read with xlwings' ``ndim=2``: whatever Excel passes (one cell, a row, a
column, a block, an array) arrives as a list of rows, so an element-wise function sees the
shape it was given and returns it — a column in gives a column out. (Without it xlwings
flattens a one-column range to a list, and writes a list back as one row.) Error values arrive
as their text and are refused, never read as blanks.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import xlwings as xw

F = TypeVar("F", bound=Callable[..., Any])
Shape = Literal["elementwise", "aggregate"]

# xlwings conversion options of every argument (``xw.arg(name, **ARG_OPTIONS)``). ``err_to_str``:
# a cell holding an Excel error (#N/A, #DIV/0! …) arrives as its text, which no entry check
# accepts; by default xlwings makes it None, i.e. a blank (a blank count is 0: full marks).
ARG_OPTIONS: dict[str, Any] = {"ndim": 2, "err_to_str": True}


@dataclass(frozen=True)
class UdfArg:
    name: str
    doc: str
    optional: bool
    variadic: bool  # *args: Excel's repeated trailing arguments (VBA ParamArray)
    options: dict[str, Any] = field(default_factory=lambda: dict(ARG_OPTIONS))


@dataclass(frozen=True)
class Udf:
    excel_name: str
    function: Callable[..., Any]
    doc: str
    args: tuple[UdfArg, ...]
    shape: Shape

    @property
    def python_name(self) -> str:
        return self.function.__name__

    @property
    def module(self) -> str:
        return self.function.__module__


CATALOG: dict[str, Udf] = {}


def excel_function(shape: Shape, **arg_docs: str) -> Callable[[F], F]:
    """Register ``f`` as Excel function ``F.__name__.upper()``; every parameter needs a doc."""

    def register(f: F) -> F:
        args = []
        for p in inspect.signature(f).parameters.values():
            if p.name not in arg_docs:
                raise TypeError(f"{f.__name__}: argument {p.name!r} has no doc")
            args.append(
                UdfArg(
                    name=p.name,
                    doc=arg_docs[p.name],
                    optional=p.default is not inspect.Parameter.empty,
                    variadic=p.kind is inspect.Parameter.VAR_POSITIONAL,
                )
            )
        extra = set(arg_docs) - {a.name for a in args}
        if extra:
            raise TypeError(f"{f.__name__}: docs for unknown arguments {sorted(extra)}")
        doc = inspect.getdoc(f) or ""
        name = f.__name__.upper()
        CATALOG[name] = Udf(name, f, doc.split("\n\n")[0], tuple(args), shape)
        return apply_xlwings(f, tuple(args))

    return register


def apply_xlwings(
    f: F,
    args: tuple[UdfArg, ...],
    func: Callable[..., Any] = xw.func,
    arg: Callable[..., Any] = xw.arg,
) -> F:
    """``f`` decorated as xlwings' Windows UDF machinery expects (``func``/``arg`` are
    parameters so a test can apply xlwings' own Windows decorators on any OS)."""
    wrapped: Any = f
    for a in reversed(args):
        wrapped = arg(a.name, doc=a.doc, **a.options)(wrapped)
    return func(wrapped)  # type: ignore[no-any-return]
