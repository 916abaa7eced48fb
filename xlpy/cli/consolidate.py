"""``xlpy consolidate PATH... --month YYYY-MM``: the month's summary workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import LayoutOption, app, staff_errors
from xlpy.cli.console import make_console
from xlpy.cli.interrupts import held_interrupts
from xlpy.cli.reading import start_batch


@app.command("consolidate")
@staff_errors("汇总")
def consolidate_command(
    paths: Annotated[list[Path], typer.Argument(help="月度工作簿、个人表文件夹,或两者")],
    month: Annotated[str, typer.Option("--month", help="考核月份 YYYY-MM")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="汇总文件(默认 汇总-YYYY-MM.xlsx 放在输入旁)"),
    ] = None,
    allow_errors: Annotated[
        bool, typer.Option("--allow-errors", help="有校验错误也生成汇总(出错的人不计分并注明)")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
    layout: LayoutOption = None,
) -> None:
    """汇总一个月:校验、按规则计分,写出汇总工作簿(旧汇总自动备份)。"""
    with held_interrupts():
        from xlpy.validate.discovery import collect
        from xlpy.words import check_month

    month = check_month(month)
    files, missing = collect(paths)
    with start_batch(files, layout) as reading:
        with held_interrupts():  # loaded while the files are read
            from xlpy.consolidate.job import consolidate, default_output
            from xlpy.ledgers.slice import LEDGERS
            from xlpy.shared.findings import ERROR, count
            from xlpy.validate.report import as_json, print_findings, progress_bar

        outcome = consolidate(
            files,
            month,
            output or default_output(paths, month),
            allow_errors,
            progress_bar(make_console(stderr=True), "汇总"),
            missing,
            (LEDGERS,),
            reading=reading,
        )
    console = make_console()
    batch = outcome.batch
    if json_output:
        console.print_json(
            as_json(
                batch,
                len(files),
                summary=str(outcome.path or ""),
                backup=str(outcome.backup or ""),
                unchanged=outcome.unchanged,
                refused=outcome.refused,
            )
        )
    else:
        print_findings(console, batch, len(files))
        if outcome.refused:
            console.print(
                f"[bold red]有 {count(batch.findings, ERROR)} 个错误,未生成汇总。[/]"
                "请更正后重试,或加 --allow-errors(出错的人不计分并注明)。",
                highlight=False,
            )
        elif outcome.unchanged:
            console.print(f"汇总与上次相同,未改动:{outcome.path}", highlight=False)
        else:
            console.print(f"[green]已写出汇总[/]:{outcome.path}", highlight=False)
            if outcome.backup:
                console.print(f"原汇总已备份到:{outcome.backup}", highlight=False)
    if outcome.refused:
        raise typer.Exit(1)
