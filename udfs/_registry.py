"""The catalog of Excel functions: one record per function, read by the add-in builder.

``@excel_function`` applies xlwings' own decorators (``xw.func``, ``xw.arg(doc=…)``) and also
keeps the metadata here, because on Linux and macOS those decorators are no-ops and the add-in's
VBA wrappers are generated from this catalog on any OS.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import xlwings as xw

F = TypeVar("F", bound=Callable[..., Any])
Shape = Literal["elementwise", "aggregate"]


@dataclass(frozen=True)
class UdfArg:
    name: str
    doc: str
    optional: bool
    variadic: bool  # *args: Excel's repeated trailing arguments (VBA ParamArray)


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
            args.append(UdfArg(
                name=p.name,
                doc=arg_docs[p.name],
                optional=p.default is not inspect.Parameter.empty,
                variadic=p.kind is inspect.Parameter.VAR_POSITIONAL,
            ))
        extra = set(arg_docs) - {a.name for a in args}
        if extra:
            raise TypeError(f"{f.__name__}: docs for unknown arguments {sorted(extra)}")
        doc = inspect.getdoc(f) or ""
        CATALOG[f.__name__.upper()] = Udf(f.__name__.upper(), f, doc.split("\n\n")[0], tuple(args), shape)
        wrapped: Any = f
        for a in reversed(args):
            wrapped = xw.arg(a.name, doc=a.doc)(wrapped)
        return xw.func(wrapped)  # type: ignore[no-any-return]

    return register
