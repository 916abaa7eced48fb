"""The one cache: a value derived from an immutable object is built once and kept with that object.

Rules, forms and ledgers never change once built, so what is derived from one (the rules'
fingerprint and forms, the rules a 参数 sheet's overrides make of the defaults, a form moved to
where a sheet has it) lives exactly as long as the object it came from: no module-level table,
nothing stale, nothing a worker process keeps between jobs. Usage::

    memo(rules, ("forms", rows), lambda: build_forms(rules, rows))

The values sit in the owner's ``__dict__`` under one private name, as ``functools.cached_property``
keeps its value (which pydantic supports on frozen models: fields, equality, ``model_dump`` and
``repr`` ignore it). A copy of the owner (``model_copy``, unpickling) starts empty.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_SLOT = "_xlpy_memo"  # owner.__dict__[_SLOT] = (id(owner), {key: value})
_UNBUILT = object()


def memo(owner: Any, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, called once per ``owner`` and ``key``. ``owner`` must be immutable and have a
    ``__dict__`` (a frozen dataclass or pydantic model); ``key`` names what is derived and from
    which further arguments, e.g. ``("forms", rows)``."""
    slot = owner.__dict__.get(_SLOT)
    if slot is None or slot[0] != id(owner):  # a copy carries its original's slot: start anew
        slot = owner.__dict__[_SLOT] = (id(owner), {})
    values = slot[1]
    value = values.get(key, _UNBUILT)
    if value is _UNBUILT:
        value = values[key] = build()
    return value
