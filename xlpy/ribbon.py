"""The ribbon buttons of the 售后考核 tab: one function per button.

Excel calls each through the add-in's VBA (``RunPython "import xlpy.ribbon; xlpy.ribbon.f()"``)
without arguments: the function then works on the calling workbook (``xw.Book.caller()``) through
the live engine and shows its result or error in a Chinese message box. Tests and scripts pass a
workbook port instead (the file engine, which writes marks to a ``-标记`` copy beside the file)
and read the returned :class:`ButtonResult`. The work itself is the CLI's: ``xlpy.validate``,
``xlpy.consolidate``, ``xlpy.template``.

No traceback ever reaches the user: a :class:`XlpyError` is shown as it is; anything else is
logged to ``~/.xlpy/ribbon.log`` and shown as a short Chinese message pointing to that log.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import xlpy
from xlpy.errors import XlpyError

if TYPE_CHECKING:
    from xlpy.engines.port import WorkbookPort
    from xlpy.shared.findings import Finding
    from xlpy.template import RosterRows
    from xlpy.validate.batch import Batch

TITLE = "售后考核"
LOG_FILE = Path.home() / ".xlpy" / "ribbon.log"
SHOWN_FINDINGS = 8


@dataclass(frozen=True)
class ButtonResult:
    ok: bool
    message: str
    written: Path | None = None  # the file the button wrote (marked copy, summary, new month)


def validate_sheet(book: WorkbookPort | None = None) -> ButtonResult:
    """校验本表: check every form of the workbook; mark the problem cells."""
    return _press("校验本表", book, _validate)


def consolidate_month(book: WorkbookPort | None = None) -> ButtonResult:
    """月末汇总: the month's workbooks of this workbook's folder into 汇总-YYYY-MM.xlsx."""
    return _press("月末汇总", book, _consolidate)


def new_month(book: WorkbookPort | None = None) -> ButtonResult:
    """新建月份: next month's blank workbook with this one's parameters, people and forms."""
    return _press("新建月份", book, _new_month)


def update_parameters(book: WorkbookPort | None = None) -> ButtonResult:
    """更新参数: check the 参数 sheet; mark bad parameters, list the changed ones."""
    return _press("更新参数", book, _update_parameters)


def feedback_slips(book: WorkbookPort | None = None) -> ButtonResult:
    """反馈单: every person's result slip from this month's summary (this workbook's month, or
    this workbook when it is the summary)."""
    return _press("反馈单", book, _feedback)


def print_documents(book: WorkbookPort | None = None) -> ButtonResult:
    """打印单据: the slips of every slip ledger of this workbook as their 一式N联 copies."""
    return _press("打印单据", book, _print_documents)


def show_help(book: WorkbookPort | None = None) -> ButtonResult:
    """帮助: what each button does, and the versions in use."""
    return _press("帮助", book, _help)


# ── the work of each button ──────────────────────────────────────────────────────────────────
def _validate(book: WorkbookPort) -> ButtonResult:
    batch = _analyse(book)
    written = _mark(book, batch.findings, book.sheet_names())
    layout = _layout_file(book)
    read_by = f"按布局文件 {layout.name} 读取本工作簿。\n" if layout else ""
    if not batch.findings:
        forms = sum(len(wb.sheets) for wb in batch.workbooks)
        return ButtonResult(True, f"{read_by}校验通过:{book.name} 的 {forms} 张考核表未发现问题。")
    return ButtonResult(
        not batch.errors, read_by + _findings_text(batch.findings, written, book.name), written
    )


def _consolidate(book: WorkbookPort) -> ButtonResult:
    from xlpy.adopt import layouts_for
    from xlpy.consolidate.job import consolidate
    from xlpy.forms.summary import file_name as summary_file_name
    from xlpy.ledgers.slice import LEDGERS
    from xlpy.validate.discovery import collect
    from xlpy.validate.pool import start_reading

    path = _saved_path(book, "月末汇总读取磁盘上的工作簿")
    month = _single_month(_analyse(book), book.name)
    files, missing = collect([path.parent])
    output = path.parent / summary_file_name(month)
    with start_reading(files, readers=layouts_for(files)) as reading:
        outcome = consolidate(
            files, month, output, extra_findings=missing, slices=(LEDGERS,), reading=reading
        )
    if outcome.refused:
        written = _mark(book, outcome.batch.findings, book.sheet_names())
        raise XlpyError(
            f"{month} 有 {len(outcome.batch.errors)} 个录入错误,未汇总。"
            "请改正后再汇总(本工作簿中的问题单元格已标出)。\n"
            + _findings_text(outcome.batch.errors, written, book.name)
        )
    assert outcome.path is not None
    people = 0 if outcome.table is None else len(outcome.table)
    lines = [f"已汇总 {month}:{len(files)} 个工作簿,{people} 人 → {outcome.path}"]
    if outcome.unchanged:
        lines.append("录入与上次汇总相同,汇总文件未改动。")
    if outcome.backup is not None:
        lines.append(f"原汇总已备份到 {outcome.backup}")
    if outcome.batch.findings:
        lines.append(f"另有 {len(outcome.batch.findings)} 条提示,见汇总中的“审计”表。")
    book.show(outcome.path)
    return ButtonResult(True, "\n".join(lines), outcome.path)


def _new_month(book: WorkbookPort) -> ButtonResult:
    from xlpy import words
    from xlpy.core.registry import MONTHLY, TECH
    from xlpy.rules import fingerprint
    from xlpy.template import default_output, generate

    path = _saved_path(book, "新的月份保存在本工作簿所在的文件夹")
    batch = _analyse(book)
    _refuse_parameter_errors(batch, book.name)
    month = words.next_month(_single_month(batch, book.name))
    target = path.parent / default_output(month, split=False).name
    if target.exists():
        raise XlpyError(f"{target} 已存在,未覆盖。请直接打开它,或先移走该文件。")
    schemes = {
        read.form.scheme for wb in batch.workbooks for read in wb.sheets if read.form.per_person
    }
    person = tuple(sorted(schemes - {TECH})) or (MONTHLY,)
    written = generate(
        month, target, _roster(book, batch), schemes=person, tech=TECH in schemes, rules=batch.rules
    )[0]
    book.show(written)
    return ButtonResult(
        True,
        f"已生成 {month} 的考核工作簿:{written}\n"
        f"表单 {'、'.join(sorted(schemes) or person)},参数指纹 "
        f"{fingerprint(batch.rules)};本工作簿未改动。",
        written,
    )


def _update_parameters(book: WorkbookPort) -> ButtonResult:
    from xlpy.forms import PARAM_SHEET
    from xlpy.forms.params import HEADERS
    from xlpy.rules import fingerprint
    from xlpy.validate.job import book_parameters
    from xlpy.validate.params import changed as changed_parameters

    rules, problems, sheet = book_parameters(book)  # the 参数 table found by its header row
    if sheet is None:
        raise XlpyError(
            f"{book.name} 中没有找到参数表(没有哪张工作表有表头「{' '.join(HEADERS)}」)"
            f" · 应为 由 xlpy 模板生成的考核工作簿(含“{PARAM_SHEET}”表)"
        )
    written = _mark(book, problems, [sheet])
    if problems:
        raise XlpyError(
            f"参数有 {len(problems)} 处问题,考核仍按默认值或上次有效的参数计算:\n"
            + _findings_text(problems, written, book.name)
        )
    changed = [key for key, _, _ in changed_parameters(rules)]
    lines = [f"参数有效,参数指纹 {fingerprint(rules)}。"]
    lines.append(
        f"与默认值不同的参数({len(changed)} 项):" + "、".join(changed)
        if changed
        else "全部为默认值。"
    )
    lines.append("表中公式直接引用参数表,Excel 重新计算后即生效;月末汇总也按这些参数计算。")
    return ButtonResult(True, "\n".join(lines))


def _feedback(book: WorkbookPort) -> ButtonResult:
    from xlpy.feedback import run_feedback
    from xlpy.forms.summary import file_name as summary_name
    from xlpy.period.reading import SUMMARY_FILE

    path = _saved_path(book, "反馈单根据磁盘上的汇总生成")
    if SUMMARY_FILE.match(path.name):
        summary = path
    else:
        month = _single_month(_analyse(book), book.name)
        summary = path.parent / summary_name(month)
        if not summary.is_file():
            raise XlpyError(
                f"还没有 {month} 的汇总 · {summary.parent} 中没有 {summary.name} · "
                "应为 先点“月末汇总”,再生成反馈单"
            )
    outcome = run_feedback(summary)
    book.show(outcome.workbook)
    return ButtonResult(
        True,
        f"已写出 {len(outcome.slips)} 人的个人考核结果反馈单:"
        f"{outcome.workbook}\n每人一张工作表,打印为一页 A4;"
        "主管评语、改进计划和签字栏留空待填。",
        outcome.workbook,
    )


def _print_documents(book: WorkbookPort) -> ButtonResult:
    from xlpy.forms.cells import Cells
    from xlpy.ledgers.printing import print_slips, slips_on
    from xlpy.ledgers.sheets import identify_ledger, read_ledger

    path = _saved_path(book, "打印件保存在本工作簿所在的文件夹")
    lines = []
    for sheet in book.sheet_names():
        cells = Cells.from_grid(book.values(sheet))
        ledger = identify_ledger(cells, sheet)
        if ledger is None or not ledger.copies:
            continue
        rows = read_ledger(cells, ledger, sheet).rows
        slips = slips_on(ledger, rows)
        if not slips:
            continue
        target = path.with_name(f"{path.stem}-{sheet}-打印.xlsx")
        written, pages = print_slips(ledger, rows, target, pdf=False)
        lines.append(f"{sheet}:{len(slips)} 张单据,{pages} 页 → {written}")
    if not lines:
        raise XlpyError(
            f"{book.name} · 没有可打印的单据 · 应为 在入库单、调拨单、出库/销售单、缴款单"
            "或收货单中至少填写一张(有编号的)单据"
        )
    return ButtonResult(True, "已生成打印件(每联一页,页上注明第几联及交给谁):\n" + "\n".join(lines))


def _help(book: WorkbookPort) -> ButtonResult:
    import xlwings

    return ButtonResult(
        True,
        "\n".join(
            [
                "售后考核加载项(xlpy)",
                "校验本表:检查本工作簿各考核表的录入,问题单元格标红(警告标黄)并加批注。",
                "月末汇总:汇总本工作簿所在文件夹中本月的全部考核工作簿,写出“汇总-年-月.xlsx”。",
                "新建月份:按本工作簿的参数、人员和表单生成下个月的空白考核工作簿。",
                "更新参数:检查“参数”表中修改过的参数,列出与默认值不同的项。",
                "反馈单:按本月汇总为每人生成一页个人考核结果反馈单(得分及算式、等级、排名、评语与签字栏)。",
                "打印单据:把本工作簿中已填写的入库单、调拨单等按“一式N联”生成打印件,每联一页。",
                f"出错时的详细信息记录在 {LOG_FILE}。",
                f"xlpy {xlpy.__version__} · xlwings {xlwings.__version__} · Python {sys.version.split()[0]}",
                f"当前工作簿:{book.name}",
            ]
        ),
    )


# ── helpers ──────────────────────────────────────────────────────────────────────────────────
def _path(book: WorkbookPort) -> Path:
    return Path(book.path) if book.path is not None else Path(book.name)


def _saved_path(book: WorkbookPort, why: str) -> Path:
    path = book.path
    if path is None or not Path(path).is_file():
        raise XlpyError(f"{book.name} 还没有保存 · 请先保存工作簿({why})")
    return Path(path)


def _layout_file(book: WorkbookPort) -> Path | None:
    """The layout file beside a saved department workbook (``<BOOK>.layout.toml``), if any."""
    from xlpy.adopt import layout_path

    if book.path is None:
        return None
    layout = layout_path(Path(book.path))
    return layout if layout.is_file() else None


def _analyse(book: WorkbookPort) -> Batch:
    """The open workbook checked as ``xlpy validate`` would check its file: through the layout
    file beside it (a department's own workbook), else as one of our template's."""
    from xlpy.adopt import find_layout, validate_adopted_book
    from xlpy.ledgers.slice import LEDGERS
    from xlpy.validate.job import validate_book

    layout = find_layout(Path(book.path)) if book.path is not None else None
    if layout is not None:
        return validate_adopted_book(book, layout, (LEDGERS,))
    return validate_book(book, (LEDGERS,))


def _single_month(batch: Batch, name: str) -> str:
    if not batch.month or "、" in batch.month:
        found = f"表中的月份为 {batch.month}" if batch.month else "表中没有填写月份"
        raise XlpyError(f"{name} · 无法确定考核月份({found}) · 应为 各考核表填写同一个月份")
    return batch.month


def _refuse_parameter_errors(batch: Batch, here: str) -> None:
    from xlpy.shared.findings import ERROR

    sheets = {wb.param_sheet for wb in batch.workbooks}
    bad = [f for f in batch.findings if f.sheet in sheets and f.severity == ERROR]
    if bad:
        raise XlpyError("“参数”表有误,请先点“更新参数”查看:\n" + _findings_text(bad, None, here))


def _roster(book: WorkbookPort, batch: Batch) -> RosterRows | None:
    """The workbook's 人员 table (found by its header row) as the template's roster rows; None
    (the template's sample roster) when the workbook has none."""
    from xlpy.forms.roster import find_header
    from xlpy.template import RosterRows
    from xlpy.words import id_text

    sheet = next((wb.roster_sheet for wb in batch.workbooks if wb.roster_sheet), "")
    if not sheet:
        return None
    grid = book.values(sheet)
    header = find_header(grid)
    rows = [[id_text(v) for v in row] for row in grid[header[0] if header else 0 :]]
    return RosterRows(rows, f"{book.name} · {sheet}")


def _mark(book: WorkbookPort, findings: list[Finding], sheets: list[str]) -> Path | None:
    """Clear the live workbook's earlier marks on ``sheets``, then mark ``findings`` of this
    workbook: in place in Excel, or in a ``-标记`` copy beside a file (returned)."""
    from xlpy.engines.file import NOT_COPIED, not_copied
    from xlpy.validate.discovery import marked_name

    book.clear_marks(sheets)
    marks = [m for f in findings if f.file == book.name and (m := f.mark()) is not None]
    if not marks:
        return None
    path = _path(book)
    try:
        return book.mark(marks, path.with_name(marked_name(path.name, path.suffix)))
    except NOT_COPIED as error:  # a file openpyxl cannot copy: the findings stand without it
        findings.append(not_copied(book.name, error))
        return None


def _findings_text(findings: list[Finding], written: Path | None, here: str = "") -> str:
    """The first findings as lines; those of another workbook than ``here`` name their file."""
    from xlpy.shared.findings import ERROR, count

    errors = count(findings, ERROR)
    lines = [
        f"发现 {errors} 个错误、{len(findings) - errors} 个警告"
        + (
            "(红色为错误,黄色为警告,批注中写明应为何值):"
            if written is None
            else f",已写出标记副本 {written}:"
        )
    ]
    lines += [f"· {f.line(with_file=f.file != here)}" for f in findings[:SHOWN_FINDINGS]]
    if len(findings) > SHOWN_FINDINGS:
        lines.append(
            f"……另有 {len(findings) - SHOWN_FINDINGS} 条未列出;本工作簿中的问题都已在单元格中标出。"
        )
    return "\n".join(lines)


def _press(
    button: str, book: WorkbookPort | None, work: Callable[[WorkbookPort], ButtonResult]
) -> ButtonResult:
    import xlwings

    live = book is None
    try:
        if book is None:
            from xlpy.engines.live import LiveWorkbook

            book = LiveWorkbook(xlwings.Book.caller())
        result = work(book)
    except XlpyError as error:
        result = ButtonResult(False, str(error))
    except Exception:  # noqa: BLE001 - the user gets a message, the log gets the traceback
        _log(f"{button} failed")
        result = ButtonResult(
            False, f"{button}:程序内部错误,详细信息已记录到 {LOG_FILE}。请把该文件发给维护人员。"
        )
    if live:
        _alert(button, result)
    return result


def _alert(button: str, result: ButtonResult) -> None:
    import xlwings

    try:
        xlwings.Book.caller().app.alert(
            result.message, title=f"{TITLE} · {button}", mode="info" if result.ok else "critical"
        )
    except Exception:  # noqa: BLE001 - no Excel to show it in: keep the message in the log
        _log(f"could not show: {result.message}")


def _log(what: str) -> None:
    """Append ``what`` and the exception being handled to the log file."""
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    with LOG_FILE.open("a", encoding="utf-8") as handle:
        handle.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} {what}\n{traceback.format_exc()}\n")
