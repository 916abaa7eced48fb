"""``xlpy template``: write the department's month workbook (or one file per person)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console
from xlpy.errors import XlpyError

VARIANTS = ("addin", "native")


@app.command("template")
@staff_errors("生成模板")
def template_command(
    month: Annotated[str, typer.Option("--month", help="考核月份 YYYY-MM,如 2026-11")],
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster", help="人员名单 CSV/xlsx(列:工号,姓名,班组,主管,岗位);省略则用内置示例"
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出文件(--split 时为文件夹);默认写到 workbook/"),
    ] = None,
    forms: Annotated[
        str, typer.Option("--forms", help="每人的表单,逗号分隔:M 月考核、K 月评分、P 绩效考核")
    ] = "M",
    tech: Annotated[bool, typer.Option("--tech", help="每人再加一张技术等级考核评定表")] = False,
    split: Annotated[
        bool, typer.Option("--split", help="每人一个文件(另有一个部门文件),便于分发给主管")
    ] = False,
    formulas: Annotated[
        str,
        typer.Option(
            "--formulas", help="addin:调用 xlpy 加载项函数;native:仅用 Excel 内置函数(无需加载项)"
        ),
    ] = "addin",
    rules: Annotated[
        Path | None, typer.Option("--rules", help="规则参数文件 TOML(省略则用默认参数)")
    ] = None,
    ledgers: Annotated[
        bool,
        typer.Option(
            "--ledgers",
            help="加入售后部台账(SH/BD 系列:销货卡、单据、费用登记簿、服务费与保修配件记录等)",
        ),
    ] = False,
    survey_rows: Annotated[
        int,
        typer.Option("--survey-rows", help="「客户评价」表预留的评价行数(部门评价按这些行计算)"),
    ] = 100,
) -> None:
    """生成月度考核工作簿:说明、参数、人员、每人的考核表、客户评价、部门评价。"""
    if formulas not in VARIANTS:
        raise XlpyError(f"--formulas 应为 addin 或 native,而不是「{formulas}」")
    schemes = tuple(s.strip().upper() for s in forms.split(",") if s.strip())
    from xlpy.ledgers.slice import LEDGERS
    from xlpy.rules import default_rules, load_rules
    from xlpy.template import generate

    loaded = load_rules(rules) if rules is not None else default_rules()
    written = generate(
        month,
        output,
        roster,
        schemes,
        tech,
        split,
        formulas,
        loaded,  # type: ignore[arg-type]
        (LEDGERS,) if ledgers else (),
        survey_rows,
    )
    console = make_console()
    where = written[0].parent if split else written[0]
    console.print(f"已生成 {len(written)} 个文件:{where}", highlight=False)
