"""``xlpy demo``: a quarter of the sample department, end to end, offline.

Builds three month workbooks from the template (12 engineers, 2 teams), types in the month's
entries (a veto, late fees, complaints, a falsified record, 30 survey responses a month, and one
deliberate entry mistake), validates each month, consolidates each month, then corrects the
mistake and consolidates again so the summary records the correction; last, the quarter's
summary and the last month's result slips.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from xlpy.consolidate.job import Outcome, consolidate
from xlpy.core.registry import KPI, MONTHLY
from xlpy.demo.data import MISTAKE, build
from xlpy.demo.fill import fill_month, retype
from xlpy.feedback import run_feedback
from xlpy.forms import all_forms
from xlpy.forms.summary import file_name as summary_file_name
from xlpy.ledgers.slice import LEDGERS
from xlpy.period import run_period
from xlpy.period.spec import quarter_of
from xlpy.rules import default_rules
from xlpy.template import generate, load_roster
from xlpy.validate.job import validate_files
from xlpy.validate.report import print_findings, write_marked

SCHEMES = (MONTHLY, KPI)
SLICES = (LEDGERS,)


@dataclass
class DemoRun:
    folder: Path
    workbooks: dict[str, Path] = field(default_factory=dict)  # month -> filled month workbook
    summaries: dict[str, Path] = field(default_factory=dict)
    marked: list[Path] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    first_findings: list = field(default_factory=list)
    quarter: Path | None = None  # the quarter summary of the demo's months
    slips: Path | None = None  # the last month's 反馈单 workbook


def run_demo(folder: Path, console: Console) -> DemoRun:
    folder = Path(folder)
    rules = default_rules()
    forms = all_forms(rules)
    people = load_roster(None, [forms[s] for s in SCHEMES])
    roster = [(p.employee_id, p.name) for p in people]
    months = build([p.employee_id for p in people])
    run = DemoRun(folder)
    console.rule("[bold]xlpy 示例:售后服务部一个季度的考核")
    console.print(
        f"示例部门:{len(people)} 名工程师,{len({p.team for p in people})} 个班组;"
        f"月份 {', '.join(m.month for m in months)}",
        highlight=False,
    )
    with tempfile.TemporaryDirectory(prefix="xlpy-demo-") as blank_dir:
        for demo in months:
            blank = generate(
                demo.month,
                Path(blank_dir) / f"{demo.month}.xlsx",
                None,
                schemes=SCHEMES,
                variant="native",
                rules=rules,
                slices=SLICES if demo.month == months[-1].month else (),
            )[0]
            target = folder / f"售后考核-{demo.month}.xlsx"
            run.workbooks[demo.month] = fill_month(blank, target, demo, forms, roster)
    console.print(
        f"1. 已生成并填写 {len(months)} 个月度工作簿(含客户评价、部门评价;"
        f"{months[-1].month} 另含售后部台账)",
        highlight=False,
    )

    mistake_month, position, column, wrong, right = MISTAKE
    for demo in months:
        path = run.workbooks[demo.month]
        batch = validate_files([path], demo.month, slices=SLICES)
        console.print(f"2. 校验 {path.name}", highlight=False)
        print_findings(console, batch, 1)
        if batch.errors:
            run.first_findings = batch.findings
            run.marked = write_marked(batch, folder / "标记")
            for marked in run.marked:
                console.print(f"   问题单元格已标红:{marked}", highlight=False)
        allow = bool(batch.errors)
        outcome = consolidate(
            [path], demo.month, folder / summary_file_name(demo.month), allow, slices=SLICES
        )
        run.outcomes[demo.month] = outcome
        assert outcome.path is not None  # allow_errors: always written
        run.summaries[demo.month] = outcome.path
        note = "(有错误的人未计分,已注明)" if allow else ""
        console.print(f"3. 汇总 {demo.month} → {outcome.path.name}{note}", highlight=False)

    pid, name = roster[position]
    path = run.workbooks[mistake_month]
    retype(path, forms[MONTHLY], forms[MONTHLY].sheet_name(pid, name), column, right)
    console.print(f"4. {name}把「{wrong}」更正为 {right},重新汇总 {mistake_month}", highlight=False)
    outcome = consolidate(
        [path], mistake_month, folder / summary_file_name(mistake_month), slices=SLICES
    )
    run.outcomes[mistake_month] = outcome
    if outcome.backup:
        console.print(
            f"   原汇总已备份:{outcome.backup.relative_to(folder)};"
            "新汇总的「更正记录」表列出了变化的得分",
            highlight=False,
        )
    _print_table(console, outcome)
    last = months[-1].month
    run.quarter = run_period(folder, quarter_of(last)).path
    console.print(
        f"5. 季度汇总 {run.quarter.name}(各月百分制、季度平均、等级、排名、趋势)", highlight=False
    )
    feedback = run_feedback(run.summaries[last])
    run.slips = feedback.workbook
    console.print(
        f"6. {last} 个人考核结果反馈单:{len(feedback.slips)} 人,每人一页", highlight=False
    )
    console.rule("[bold]文件位置")
    console.print(
        f"月度工作簿:{', '.join(str(p) for p in run.workbooks.values())}", highlight=False
    )
    console.print(f"汇总:{', '.join(str(p) for p in run.summaries.values())}", highlight=False)
    console.print(f"季度汇总:{run.quarter}", highlight=False)
    console.print(
        f"反馈单:{run.slips}(PDF:xlpy feedback {run.summaries[last].name} --pdf)", highlight=False
    )
    if run.marked:
        console.print(f"标记副本:{', '.join(str(p) for p in run.marked)}", highlight=False)
    return run


# (summary column, short header): fits an 80-column terminal.
TABLE_COLUMNS = (
    ("工号", "工号"),
    ("姓名", "姓名"),
    ("班组", "班组"),
    ("百分制", "百分制"),
    ("等级", "等级"),
    ("绩效系数", "系数"),
    ("部门排名", "排名"),
    ("KPI考核·总分", "KPI"),
    ("客户满意度", "满意度"),
    ("状态", "状态"),
)
LEFT = ("工号", "姓名", "班组", "等级", "状态")


def _print_table(console: Console, outcome: Outcome) -> None:
    table_data = outcome.table
    if table_data is None:
        return
    table = Table(
        title=f"{outcome.batch.month} 月度考核汇总(节选)",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        collapse_padding=True,
    )
    columns = [(c, short) for c, short in TABLE_COLUMNS if c in table_data.columns]
    for column, short in columns:
        table.add_column(short, justify="left" if column in LEFT else "right", no_wrap=True)
    for _, row in table_data.iterrows():
        table.add_row(*[_show(column, row[column]) for column, _ in columns])
    console.print(table)


def _show(column: str, value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return "" if column == "状态" else "—"
    if column == "客户满意度":
        return f"{value:.0%}"
    if column.endswith("排名"):
        return f"{value:.0f}"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)
