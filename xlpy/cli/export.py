"""``xlpy export SUMMARY --payroll``: the pay hand-off of a monthly or period summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console
from xlpy.errors import XlpyError


@app.command("export")
@staff_errors("导出")
def export_command(
    summary: Annotated[Path, typer.Argument(help="月度汇总或季度/年度汇总(.xlsx)")],
    payroll: Annotated[bool, typer.Option("--payroll", help="导出工资用的绩效结果")] = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出 .csv 或 .xlsx(默认 汇总-…-工资.csv 放在汇总旁)"),
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="CSV 编码:utf-8-sig(默认)或 gbk")
    ] = "utf-8-sig",
) -> None:
    """导出汇总结果:--payroll 给工资系统(工号、姓名、班组、月份、百分制、等级、绩效系数、状态)。"""
    from xlpy.export import export_payroll

    if not payroll:
        raise XlpyError("请指定导出内容 · 应为 --payroll(工资用的绩效结果)")
    path, table = export_payroll(summary, output, encoding)
    make_console().print(f"[green]已导出 {len(table)} 人[/]:{path}", highlight=False)
