"""Time and memory bounds for a recalculation: the formulas engine builds a Python object per
cell and range, so a large (but valid) sheet can take minutes and gigabytes. The work runs in a
forked child process whose address space is capped (``RLIMIT_AS``) and which is killed when its
time is up; either way the caller gets one Chinese message naming the file, never a
``MemoryError`` traceback. Without ``fork`` (Windows) the work runs in process, unbounded.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from xlpy.errors import XlpyError

TIME_LIMIT = 300.0  # seconds; the cell guard admits ~100,000 cells at ~3 ms each
MEMORY_LIMIT = 2048  # MiB the recalculation may add to the process
WIDEN = "只含考核表的工作簿;确需计算可用 {option} 放宽(当前 {current})"
_MIB = 1024 * 1024
T = TypeVar("T")


class RecalcLimit(XlpyError):
    """A recalculation stopped at one of its bounds."""


def run_bounded(work: Callable[[], T], name: str, seconds: float, memory_mib: int) -> T:
    """``work()`` in a child process given ``seconds`` and ``memory_mib`` more memory; its
    result, or its :class:`XlpyError` as one. ``name``: the file, for the messages."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return work()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, work, memory_mib), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise RecalcLimit(
                f"计算超过 {seconds:g} 秒仍未完成,已停止(工作簿过大或公式过多)",
                file=name,
                expected=WIDEN.format(option="--time-limit", current=f"{seconds:g} 秒"),
            )
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):  # the child died (C code aborting on a refused allocation)
            kind, payload = "died", None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "memory":
        raise RecalcLimit(
            f"计算所需内存超过 {memory_mib} MB,已停止(工作簿过大或公式过多)",
            file=name,
            expected=WIDEN.format(option="--memory-limit", current=f"{memory_mib} MB"),
        )
    if kind == "died":
        raise RecalcLimit(
            f"计算进程意外终止(可能是所需内存超过 {memory_mib} MB)",
            file=name,
            expected=WIDEN.format(option="--memory-limit", current=f"{memory_mib} MB"),
        )
    if kind == "error":
        raise XlpyError(payload)
    return payload


def _child(sender: Connection, work: Callable[[], Any], memory_mib: int) -> None:
    """Run ``work`` under the cap and send the parent its outcome. Nothing may escape (the
    parent would print the child's traceback): what cannot even be reported ends the child,
    which the parent reports as died."""
    limit = _cap_memory(memory_mib)
    failure: tuple[type[BaseException], str] | None = None
    try:
        try:
            message: tuple[str, Any] = ("done", work())
        except KeyboardInterrupt:
            os._exit(1)  # the parent reports the interruption
        except Exception as exc:  # noqa: BLE001 - reported by the parent
            failure = (type(exc), str(exc) if isinstance(exc, XlpyError) else "")
        if failure is not None:  # out of the handler: the failed work's memory is freed now
            gc.collect()
            message = _failure(*failure, limit, memory_mib)
        sender.send(message)
        sender.close()
    except BaseException:  # noqa: BLE001 - see above
        os._exit(1)


def _failure(
    kind: type[BaseException], text: str, limit: int | None, memory_mib: int
) -> tuple[str, Any]:
    """What to tell the parent. Under the cap, C code that fails to allocate raises what it
    likes (MemoryError, SystemError, ImportError "failed to map segment" …): any failure after
    the address space came near the cap is the memory bound."""
    if issubclass(kind, MemoryError) or (
        limit is not None and _peak_mapped() >= limit - min(64, memory_mib // 4) * _MIB
    ):
        return ("memory", None)
    if issubclass(kind, XlpyError):  # sent as text: subclasses need not pickle
        return ("error", text)
    return ("error", f"计算时出现内部错误({kind.__name__})")


def _cap_memory(memory_mib: int) -> int | None:
    """Cap the address space at what the process maps now plus ``memory_mib`` (Linux); the
    cap, or None where it cannot be set."""
    try:
        import resource

        mapped = _mapped()
    except (ImportError, OSError, ValueError):
        return None  # no /proc (macOS): the time bound still holds
    limit = mapped + memory_mib * _MIB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit


def _mapped() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _peak_mapped() -> int:
    """The most address space the process has mapped (VmPeak), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
