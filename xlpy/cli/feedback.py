"""``xlpy feedback SUMMARY [-o DIR] [--pdf]``: every person's result slip for the month."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console


@app.command("feedback")
@staff_errors("反馈单")
def feedback_command(
    summary: Annotated[Path, typer.Argument(help="月度汇总 汇总-YYYY-MM.xlsx")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出文件夹(默认 反馈单-YYYY-MM 放在汇总旁)"),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF(每人一份,另有全部人员一份)")
    ] = False,
) -> None:
    """个人考核结果反馈单:每人一页(得分及算式、等级、绩效系数、排名、优点与不足、评语与签字栏)。"""
    from xlpy.feedback import run_feedback
    from xlpy.shared.findings import SEVERITY_WORD

    console = make_console()
    outcome = run_feedback(summary, output, pdf)
    for finding in outcome.findings:
        console.print(
            f"[yellow]{SEVERITY_WORD[finding.severity]}[/] {finding.line()}(该月不进图表)",
            highlight=False,
        )
    console.print(
        f"[green]已写出 {len(outcome.slips)} 人的反馈单[/]:{outcome.workbook}", highlight=False
    )
    if outcome.pdfs:
        console.print(f"PDF:{outcome.pdfs[0]}(全部人员),每人一份在同一文件夹", highlight=False)
