"""``xlpy print``: a slip sheet's slips as the seed's 一式N联, one page per copy."""

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console
from xlpy.errors import XlpyError


@app.command("print")
@staff_errors("打印")
def print_slip(
    book: Annotated[Path, typer.Argument(help="含单据工作表的工作簿(.xlsx)")],
    sheet: Annotated[
        str, typer.Argument(help="单据工作表名,如 入库单、调拨单、出库销售单、缴款单、收货单")
    ],
    number: Annotated[
        str | None, typer.Option("--number", "-n", help="只打印这个编号的单据")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="经 LibreOffice 生成 PDF(否则生成可打印的 .xlsx)")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="输出文件")] = None,
    company: Annotated[
        str, typer.Option("--company", help="印在单据标题前的单位名称,如 XX公司")
    ] = "",
) -> None:
    """按“一式N联”打印单据:每联一页,页上注明第几联及交给谁(如 第一联 仓库记帐联)。"""
    from xlpy.engines import FileWorkbook
    from xlpy.forms.cells import Cells
    from xlpy.ledgers.catalog import copy_label
    from xlpy.ledgers.printing import print_slips
    from xlpy.ledgers.sheets import identify_ledger, read_ledger
    from xlpy.shared.files import refuse_source

    workbook = FileWorkbook(book)
    if sheet not in workbook.sheet_names():
        raise XlpyError(
            f"{book.name} · 没有工作表 {sheet} · 应为 {'、'.join(workbook.sheet_names())} 之一"
        )
    cells = Cells.from_grid(workbook.values(sheet))
    ledger = identify_ledger(cells, sheet)
    if ledger is None or not ledger.copies:
        raise XlpyError(
            f"{book.name} · {sheet} · 不是可按联打印的单据 · 应为 入库单、调拨单、"
            "出库/销售单、缴款单或收货单"
        )
    suffix = ".pdf" if pdf else ".xlsx"
    tail = f"-{number}" if number else ""
    target = out or book.with_name(f"{book.stem}-{sheet}{tail}-打印{suffix}")
    refuse_source(target, [book])
    rows = read_ledger(cells, ledger, sheet).rows
    try:
        path, pages = print_slips(ledger, rows, target, number, pdf, company)
    except XlpyError as error:
        raise XlpyError(f"{book.name} · {sheet} · {error}") from None
    labels = "、".join(copy_label(i, d) for i, d in enumerate(ledger.copies))
    make_console().print(
        f"已生成 {path}:{pages} 页(每张单据 {len(ledger.copies)} 联:{labels})", highlight=False
    )
