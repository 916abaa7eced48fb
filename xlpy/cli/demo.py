"""``xlpy demo [DIR]``: the README's first command — a sample quarter, end to end, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console

DEFAULT_DIR = Path("xlpy-示例")


@app.command("demo")
@staff_errors("示例")
def demo_command(
    folder: Annotated[Path, typer.Argument(help="示例文件写到此文件夹")] = DEFAULT_DIR,
) -> None:
    """示例:生成一个季度的示例部门(12 人、2 个班组),校验、汇总并显示最新一个月。"""
    from xlpy.demo import run_demo

    run_demo(folder, make_console())
