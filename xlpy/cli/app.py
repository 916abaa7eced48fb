"""The typer application every command module registers on, and the one guard at its edge.

Command modules import their job inside the command function, so ``xlpy --help`` and every
other command load only what they use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from xlpy.cli.interrupts import release_interrupts
from xlpy.errors import XlpyError

app = typer.Typer(
    name="xlpy",
    help="售后服务部考核工具:模板、校验、汇总、加载项。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# A department's own workbook layout (xlpy adopt), for the commands that read workbooks.
LayoutOption = Annotated[
    Path | None,
    typer.Option(
        "--layout",
        help="部门自己工作簿的布局文件(xlpy adopt 写出;工作簿旁的 <工作簿>.layout.toml 自动使用)",
    ),
]

Command = TypeVar("Command", bound=Callable[..., Any])


def staff_errors(job: str) -> Callable[[Command], Command]:
    """Turn anything unexpected a command meets into one Chinese line naming the job that was
    interrupted (never a traceback); user errors and typer's own exits pass unchanged."""

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                release_interrupts()  # held while the command line was parsed
                return command(*args, **kwargs)
            except (XlpyError, typer.Exit, typer.Abort, KeyboardInterrupt):
                raise
            except Exception as exc:  # noqa: BLE001 - the edge: staff get a message, not a trace
                raise XlpyError(
                    f"{job}中断(内部错误 {type(exc).__name__}: {exc});请把此信息发给维护人员"
                ) from None

        return guarded  # type: ignore[return-value]

    return decorate
