"""``xlpy validate PATH...``: check entries; one Chinese line per problem; exit 1 on errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import LayoutOption, app, staff_errors
from xlpy.cli.console import make_console
from xlpy.cli.interrupts import held_interrupts
from xlpy.cli.reading import start_batch


@app.command("validate")
@staff_errors("校验")
def validate_command(
    paths: Annotated[list[Path], typer.Argument(help="工作簿文件或文件夹(可多个)")],
    month: Annotated[
        str | None, typer.Option("--month", help="考核月份 YYYY-MM(默认取表中最多的月份)")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="以 JSON 输出(供程序读取)")] = False,
    mark: Annotated[
        Path | None, typer.Option("--mark", help="把标记了问题单元格的副本写到此文件夹(或文件)")
    ] = None,
    layout: LayoutOption = None,
) -> None:
    """校验录入:每个问题一行「文件 · 工作表!单元格 · 问题 · 应为」;有错误时退出码为 1。"""
    with held_interrupts():
        from xlpy.validate.discovery import collect
        from xlpy.words import check_month

    month = check_month(month) if month else None
    files, missing = collect(paths)
    with start_batch(files, layout) as reading:
        with held_interrupts():  # loaded while the files are read
            from xlpy.ledgers.slice import LEDGERS
            from xlpy.validate.job import validate_reading
            from xlpy.validate.report import as_json, print_findings, progress_bar, write_marked

        console = make_console()
        err = make_console(stderr=True)
        batch = validate_reading(
            reading, month, progress=progress_bar(err, "校验"), slices=(LEDGERS,)
        )
    batch.findings = missing + batch.findings
    marked = write_marked(batch, mark) if mark is not None else []
    if json_output:
        console.print_json(as_json(batch, len(files), marked=[str(p) for p in marked]))
    else:
        print_findings(console, batch, len(files))
        for path in marked:
            console.print(f"已写出标记副本:{path}", highlight=False)
    if batch.errors:
        raise typer.Exit(1)
