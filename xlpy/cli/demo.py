"""``xlpy demo [DIR]``: the README's first command — a sample quarter, end to end, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from xlpy.cli.app import app
from xlpy.errors import XlpyError

DEFAULT_DIR = Path("xlpy-示例")


@app.command("demo")
def demo_command(
    folder: Annotated[Path, typer.Argument(help="示例文件写到此文件夹")] = DEFAULT_DIR,
) -> None:
    """示例:生成一个季度的示例部门(12 人、2 个班组),校验、汇总并显示最新一个月。"""
    from xlpy.demo import run_demo

    try:
        run_demo(folder, Console())
    except XlpyError:
        raise
    except Exception as exc:  # noqa: BLE001 - never a traceback for staff
        raise XlpyError(f"示例中断(内部错误 {type(exc).__name__}: {exc});请把此信息发给维护人员") from None
