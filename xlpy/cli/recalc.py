"""``xlpy recalc FILE``: evaluate every formula headlessly (Excel functions and the xlpy udfs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console
from xlpy.errors import XlpyError


@app.command("recalc")
@staff_errors("重新计算")
def recalc_command(
    path: Annotated[Path, typer.Argument(help="要计算的工作簿(.xlsx);原文件不会被修改")],
    json_output: Annotated[
        bool, typer.Option("--json", help="以 JSON 输出每个公式单元格的计算结果")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="写出一个副本,公式单元格替换为计算结果")
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.1, help="计算最多用时(秒),超过即停止;不填则用默认上限"),
    ] = None,
    memory_limit: Annotated[
        int | None,
        typer.Option(
            "--memory-limit", min=16, help="计算最多另用内存(MB),超过即停止;不填则用默认上限"
        ),
    ] = None,
) -> None:
    """无 Excel 计算工作簿中的全部公式(含 xlpy 加载项函数),输出结果或写出结果副本。"""
    from xlpy.recalc import recalculate, write_values

    if not path.is_file():
        raise XlpyError(f"找不到文件 {path}")
    result = recalculate(path, time_limit, memory_limit)
    console = make_console()
    if output is not None:
        write_values(path, result, output)
    if json_output:
        console.print_json(
            json.dumps(
                {
                    "file": str(path),
                    "values": result.values,
                    "errors": result.errors(),
                    "messages": result.messages,
                },
                ensure_ascii=False,
                default=str,
            )
        )
        return
    cells = sum(len(v) for v in result.values.values())
    console.print(
        f"{path.name}:已计算 {cells} 个公式单元格,{len(result.errors())} 个出错", highlight=False
    )
    for where in result.errors()[:20]:
        console.print(f"  {where}", highlight=False)
    for message in result.messages[:20]:
        console.print(f"  {message}", highlight=False)
    if output is not None:
        console.print(f"已写出结果副本:{output}", highlight=False)
