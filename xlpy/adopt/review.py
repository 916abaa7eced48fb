"""The review table ``xlpy adopt`` prints: every match with its confidence, and everything it
could not match (an unmatched item is listed, never dropped)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from xlpy.adopt.layout import (
    GRID,
    HOLDS_WORDS,
    IDENTITY_WORDS,
    KIND_WORDS,
    Layout,
    computed_words,
)
from xlpy.adopt.macros import UNKNOWN, Macros
from xlpy.adopt.recognise import items_of
from xlpy.core.registry import SCHEMES
from xlpy.rules import Rules

SURE = 0.8  # below this a match is shown in yellow: check it in the layout file


def review_tables(layout: Layout, rules: Rules) -> list[Table]:
    tables = []
    for sheet in layout.sheets:
        items = items_of(rules, sheet.scheme)
        kind = f"{SCHEMES[sheet.scheme].name} · {KIND_WORDS[sheet.kind]}"
        if sheet.kind == GRID:
            kind += f"(第 {sheet.first_row}-{sheet.last_row} 行)"
        table = Table(title=f"工作表「{sheet.name}」· {kind}", title_justify="left")
        for column in ("考核项", "单元格", "录入", "识别依据", "把握", "说明"):
            table.add_column(column)
        for key, place in sheet.identity.items():
            where = "工作表名" if place.sheet_name else place.cell or f"{place.column} 列"
            how = "工作表名" if place.sheet_name else "列标题" if place.column else "标签"
            note = "月份取自文字" if place.month_in else ""
            table.add_row(IDENTITY_WORDS[key], where, "", how, "", note)
        for entry in sheet.entries:
            sure = entry.confidence >= SURE and not entry.note
            style = "" if sure else "yellow"
            item = items.get(entry.item)
            name = item.name if item is not None else "?"
            holds = HOLDS_WORDS[entry.holds]
            deductions = getattr(item, "deductions", {})
            if entry.deduction in deductions and len(deductions) > 1:
                holds += f"·{deductions[entry.deduction].label}"
            table.add_row(
                f"{entry.item} {name}",
                entry.cell,
                holds,
                entry.matched_by,
                f"{entry.confidence:.0%}",
                entry.note,
                style=style,
            )
        computed = [f"{computed_words(key)} {cell}" for key, cell in sheet.computed.items()]
        if sheet.total_cell:
            computed.append(f"总分 {sheet.total_cell}")
        if sheet.scheme == "K" and computed:
            shown = "、".join(computed)
            table.add_row(
                "计算的格", f"{len(computed)} 个", "", "表头", "", f"副本中改为公式:{shown}"
            )
        for code in sheet.missing:
            table.add_row(
                f"{code} {items[code].name}", "—", "", "未找到", "", "表中没有此项", style="red"
            )
        for text in sheet.unmatched:
            table.add_row(text, "—", "", "未能对应", "", "请核对或改布局文件", style="red")
        for note in sheet.notes:
            table.add_row("", "", "", "", "", note, style="yellow")
        tables.append(table)
    return tables


def print_review(console: Console, layout: Layout, rules: Rules) -> None:
    for table in review_tables(layout, rules):
        console.print(table)
    if layout.skipped:
        console.print(f"未识别为考核表的工作表:{'、'.join(layout.skipped)}", highlight=False)
    if not layout.sheets:
        console.print(
            "[bold red]没有识别出考核表[/]:表头应有「考核项目 / 分值 / 扣分次数 / 得分」"
            "等字样,或每行一人、每列一个考核项;KPI 表应有「目标值 / 实际值」",
            highlight=False,
        )


def print_macros(console: Console, macros: Macros) -> None:
    """Every VBA module and procedure, and what in xlpy takes over its job."""
    table = Table(
        title=f"VBA 宏:{len(macros.modules)} 个模块,{len(macros.procedures)} 个过程",
        title_justify="left",
    )
    for column in ("模块", "过程", "类型", "由 xlpy 接替"):
        table.add_column(column)
    for procedure in macros.procedures:
        style = "yellow" if procedure.replaced_by == UNKNOWN else ""
        table.add_row(
            procedure.module, procedure.name, procedure.kind, procedure.replaced_by, style=style
        )
    bare = [m for m in macros.modules if not any(p.module == m for p in macros.procedures)]
    if bare:
        table.add_row("、".join(bare), "—", "", "没有过程(空模块或工作表模块)")
    console.print(table)
