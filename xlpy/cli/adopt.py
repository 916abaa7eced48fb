"""``xlpy adopt BOOK``: recognise a department's own workbook, write its layout file, review."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors


@app.command("adopt")
@staff_errors("识别工作簿")
def adopt_command(
    book: Annotated[Path, typer.Argument(help="部门自己的工作簿(.xlsx / .xlsm,不会被改动)")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="布局文件(默认 <工作簿>.layout.toml 放在工作簿旁)"),
    ] = None,
    formulas: Annotated[
        str,
        typer.Option(
            "--formulas",
            help="无宏副本的得分公式:addin(xlpy 函数)或 native(Excel 自带公式)",
        ),
    ] = "addin",
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="本部门的规则文件 TOML(增删改的考核项按名称识别;布局文件记下它,校验、汇总沿用)",
        ),
    ] = None,
) -> None:
    """识别部门自己的考核工作簿:写出布局文件,并列出识别结果(把握不足或未能对应的项标黄/红)。
    .xlsm 另列出其中的宏及接替它们的 xlpy 功能,并写出无宏副本 <工作簿>-xlpy.xlsx。"""
    from rich.console import Console

    from xlpy.adopt import adopt, layout_path, write_layout
    from xlpy.adopt.copy import ADDIN, NATIVE, write_copy
    from xlpy.adopt.macros import has_vba, list_macros
    from xlpy.adopt.review import print_macros, print_review
    from xlpy.errors import XlpyError
    from xlpy.rules import default_rules, load_rules
    from xlpy.shared.files import backup, refuse_source

    if not book.is_file():
        raise XlpyError("找不到该文件", file=book.name, expected="存在的 .xlsx / .xlsm 工作簿")
    if formulas not in (ADDIN, NATIVE):
        raise XlpyError(f"--formulas {formulas} 无效", expected=f"{ADDIN} 或 {NATIVE}")
    console = Console()
    rules = load_rules(rules_file) if rules_file is not None else default_rules()
    layout = adopt(book, rules)
    if rules_file is not None:
        layout.rules = str(rules_file.resolve())
    print_review(console, layout, rules)
    if not layout.sheets:
        raise typer.Exit(1)
    target = output or layout_path(book)
    refuse_source(target, [book])
    previous = backup(target)  # a layout staff may have corrected by hand is kept
    write_layout(layout, target)
    if previous is not None:
        console.print(f"原布局文件已备份到:{previous}", highlight=False)
    console.print(
        f"[green]已写出布局文件[/]:{target}(请核对后再校验:xlpy validate {book.name})",
        highlight=False,
    )
    if has_vba(book):
        print_macros(console, list_macros(book))
        copy, computed, earlier = write_copy(book, layout, rules, formulas)
        console.print(
            f"[green]已写出无宏副本[/]:{copy}({computed} 个得分格改为公式;原工作簿未改动)",
            highlight=False,
        )
        if earlier is not None:
            console.print(f"原副本已备份到:{earlier}", highlight=False)
        copy_layout = layout_path(copy)  # the copy keeps every cell where it was
        backup(copy_layout)
        write_layout(replace(layout, workbook=copy.name), copy_layout)
        console.print(
            f"已写出副本的布局文件:{copy_layout}。以后请在副本中录入,并把原 {book.name} "
            "移出每月的文件夹(否则每人会有两份)",
            highlight=False,
        )
