"""The ribbon buttons of the 售后考核 tab: one function per button.

Excel calls each through the add-in's VBA (``RunPython "import xlpy.ribbon; xlpy.ribbon.f()"``)
without arguments: the function then works on the calling workbook (``xw.Book.caller()``) through
the live engine and shows its result or error in a Chinese message box. Tests and scripts pass a
workbook port instead (the file engine), and read the returned :class:`ButtonResult`.

No traceback ever reaches the user: a :class:`XlpyError` is shown as it is; anything else is
logged to ``~/.xlpy/ribbon.log`` and shown as a short Chinese message pointing to that log.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xlwings

from xlpy.engines.port import WorkbookPort
from xlpy.errors import XlpyError

TITLE = "售后考核"
LOG_FILE = Path.home() / ".xlpy" / "ribbon.log"


@dataclass(frozen=True)
class ButtonResult:
    ok: bool
    message: str


def validate_sheet(book: WorkbookPort | None = None) -> ButtonResult:
    """校验本表."""
    return _press("校验本表", book, _not_ready)


def consolidate_month(book: WorkbookPort | None = None) -> ButtonResult:
    """月末汇总."""
    return _press("月末汇总", book, _not_ready)


def new_month(book: WorkbookPort | None = None) -> ButtonResult:
    """新建月份."""
    return _press("新建月份", book, _not_ready)


def update_parameters(book: WorkbookPort | None = None) -> ButtonResult:
    """更新参数."""
    return _press("更新参数", book, _not_ready)


def show_help(book: WorkbookPort | None = None) -> ButtonResult:
    """帮助."""
    return _press("帮助", book, _help_text)


def _help_text(book: WorkbookPort) -> str:
    import xlpy

    return "\n".join([
        "售后考核加载项(xlpy)",
        "",
        "校验本表:检查当前工作表的录入,问题单元格标红并加批注。",
        "月末汇总:把各考核表汇总到汇总表,录入有误时先列出问题。",
        "新建月份:按当前参数生成下个月的空白考核工作簿(另存为新文件)。",
        "更新参数:检查“参数”表中修改过的考核参数。",
        "",
        (f"xlpy {getattr(xlpy, '__version__', '?')} · xlwings {xlwings.__version__} · "
        f"Python {sys.version.split()[0]}"),
        f"当前工作簿:{book.name}",
    ])


def _not_ready(book: WorkbookPort) -> str:
    raise XlpyError("此功能尚未接入,请先用命令行 xlpy 完成。")


def _press(button: str, book: WorkbookPort | None,
           work: Callable[[WorkbookPort], str]) -> ButtonResult:
    live = book is None
    try:
        if book is None:
            book = _caller()
        result = ButtonResult(True, work(book))
    except XlpyError as error:
        result = ButtonResult(False, str(error))
    except Exception:  # noqa: BLE001 - the user gets a message, the log gets the traceback
        _log().exception("%s failed", button)
        result = ButtonResult(False, f"{button}:程序内部错误,详细信息已记录到 {LOG_FILE}。"
                                     "请把该文件发给维护人员。")
    if live:
        _alert(button, result)
    return result


def _caller() -> WorkbookPort:
    from xlpy.engines.live import LiveWorkbook

    return LiveWorkbook(xlwings.Book.caller())


def _alert(button: str, result: ButtonResult) -> None:
    try:
        app = xlwings.Book.caller().app
        app.alert(result.message, title=f"{TITLE} · {button}",
                  mode="info" if result.ok else "critical")
    except Exception:  # noqa: BLE001 - no Excel to show it in: keep the message in the log
        _log().exception("could not show: %s", result.message)


def _log() -> logging.Logger:
    logger = logging.getLogger("xlpy.ribbon")
    if not logger.handlers:
        LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
        logger.addHandler(logging.FileHandler(LOG_FILE, encoding="utf-8"))
    return logger
