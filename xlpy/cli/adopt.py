"""``xlpy adopt BOOK``: recognise a department's own workbook, write its layout file, review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from xlpy.cli.app import app, staff_errors


@app.command("adopt")
@staff_errors("识别工作簿")
def adopt_command(
    book: Annotated[Path, typer.Argument(help="部门自己的工作簿(.xlsx / .xlsm,不会被改动)")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="布局文件(默认 <工作簿>.layout.toml 放在工作簿旁)")] = None,
) -> None:
    """识别部门自己的考核工作簿:写出布局文件,并列出识别结果(把握不足或未能对应的项标黄/红)。"""
    from xlpy.adopt import adopt, layout_path, write_layout
    from xlpy.adopt.review import print_review
    from xlpy.errors import XlpyError
    from xlpy.rules import default_rules
    from xlpy.shared.files import refuse_source

    if not book.is_file():
        raise XlpyError("找不到该文件", file=book.name, expected="存在的 .xlsx / .xlsm 工作簿")
    console = Console()
    rules = default_rules()
    layout = adopt(book, rules)
    print_review(console, layout, rules)
    if not layout.sheets:
        raise typer.Exit(1)
    target = output or layout_path(book)
    refuse_source(target, [book])
    write_layout(layout, target)
    console.print(f"[green]已写出布局文件[/]:{target}(请核对后再校验:xlpy validate {book.name})",
                  highlight=False)
