"""``xlpy functions`` and ``xlpy rules``: what the add-in offers and which parameters are in force."""

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console


@app.command("functions")
@staff_errors("列出函数")
def functions() -> None:
    """列出 Excel 函数目录(名称、参数、说明)。"""
    from rich.markup import escape
    from rich.table import Table

    from udfs import CATALOG

    table = Table(title="xlpy Excel 函数", show_lines=True)
    for column in ("函数", "说明", "参数"):
        table.add_column(column)
    for udf in CATALOG.values():
        args = "\n".join(
            f"{'…' if a.variadic else ''}{a.name}{'(可选)' if a.optional and not a.variadic else ''}: {a.doc}"
            for a in udf.args
        )
        signature = ", ".join(
            f"[{a.name}]" if a.optional or a.variadic else a.name for a in udf.args
        )
        table.add_row(escape(f"={udf.excel_name}({signature})"), udf.doc, escape(args))
    make_console().print(table)


@app.command("rules")
@staff_errors("显示参数")
def rules(
    path: Annotated[Path | None, typer.Argument(help="参数文件(TOML);省略则显示默认参数")] = None,
) -> None:
    """显示生效的规则参数及其指纹;给出参数文件时先校验它。"""
    from rich.table import Table

    from xlpy.rules import fingerprint, flatten, load_rules

    loaded = load_rules(path)
    table = Table(title=f"规则参数 · 指纹 {fingerprint(loaded)}")
    table.add_column("参数")
    table.add_column("值")
    for key, value in flatten(loaded).items():
        table.add_row(key, str(value))
    make_console().print(table)
