"""``xlpy period --quarter 2026Q1 | --year 2026 FOLDER``: quarter or year results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console


@app.command("period")
@staff_errors("期间汇总")
def period_command(
    folder: Annotated[Path, typer.Argument(help="存放月度汇总(汇总-YYYY-MM.xlsx)的文件夹")],
    quarter: Annotated[str | None, typer.Option("--quarter", help="季度,如 2026Q1")] = None,
    year: Annotated[str | None, typer.Option("--year", help="年度,如 2026")] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出文件(默认 汇总-2026Q1.xlsx 放在文件夹中)"),
    ] = None,
    rules_file: Annotated[
        Path | None, typer.Option("--rules", help="参数文件(TOML;默认用 xlpy 默认参数)")
    ] = None,
) -> None:
    """季度/年度汇总:读取各月汇总,计算期间平均、等级、绩效系数、排名和趋势。"""
    from xlpy.period import parse_period, run_period
    from xlpy.rules import load_rules
    from xlpy.shared.findings import SEVERITY_WORD

    console = make_console()
    period = parse_period(quarter, year)
    rules = load_rules(rules_file) if rules_file else None
    outcome = run_period(folder, period, output, rules)
    for finding in outcome.findings:
        console.print(
            f"[yellow]{SEVERITY_WORD[finding.severity]}[/] {finding.line()}", highlight=False
        )
    used = "、".join(s.month for s in outcome.used)
    console.print(f"用到 {len(outcome.used)} 个月度汇总:{used}", highlight=False)
    if outcome.missing:
        console.print(f"缺少的月份:{'、'.join(outcome.missing)}", highlight=False)
    verb = (
        "汇总与上次相同,未改动" if outcome.unchanged else "[green]已写出" + period.kind + "汇总[/]"
    )
    console.print(f"{verb}:{outcome.path}", highlight=False)
