"""The ribbon buttons 反馈单 and 打印单据 on the demo's workbooks, through the file engine (the
functions Excel calls): what they write, and a Chinese message when there is nothing to do."""

from __future__ import annotations

import shutil

import pytest

from xlpy import ribbon
from xlpy.demo import DemoRun
from xlpy.demo.data import MONTHS
from xlpy.engines import FileWorkbook


@pytest.fixture(scope="module")
def demo(demo_quarter, tmp_path_factory):
    """A copy of the demo's folder: the buttons write beside its workbooks."""
    shared = demo_quarter.run
    folder = shutil.copytree(shared.folder, tmp_path_factory.mktemp("ribbon") / "demo")
    return DemoRun(
        folder,
        workbooks={m: folder / p.relative_to(shared.folder) for m, p in shared.workbooks.items()},
        summaries={m: folder / p.relative_to(shared.folder) for m, p in shared.summaries.items()},
    )


def test_feedback_from_the_month_workbook_and_from_the_summary(demo):
    month = MONTHS[-1]
    result = ribbon.feedback_slips(FileWorkbook(demo.workbooks[month]))
    assert result.ok, result.message
    assert result.written == demo.folder / f"反馈单-{month}" / f"反馈单-{month}.xlsx"
    assert "已写出 12 人的个人考核结果反馈单" in result.message
    assert len(FileWorkbook(result.written).sheet_names()) == 12
    from_summary = ribbon.feedback_slips(FileWorkbook(demo.summaries[month]))
    assert from_summary.ok and from_summary.written == result.written


def test_feedback_without_a_summary_says_what_to_do(demo, tmp_path):
    alone = tmp_path / demo.workbooks[MONTHS[1]].name
    shutil.copy(demo.workbooks[MONTHS[1]], alone)
    result = ribbon.feedback_slips(FileWorkbook(alone))
    assert not result.ok
    assert result.message == (
        f"还没有 {MONTHS[1]} 的汇总 · {tmp_path} 中没有 "
        f"汇总-{MONTHS[1]}.xlsx · 应为 先点“月末汇总”,再生成反馈单"
    )


def test_print_documents_prints_every_filled_slip_ledger(demo):
    book = demo.workbooks[MONTHS[-1]]  # the demo's ledgers are in its last month
    result = ribbon.print_documents(FileWorkbook(book))
    assert result.ok, result.message
    printed = sorted(book.parent.glob(f"{book.stem}-*-打印.xlsx"))
    assert printed and len(result.message.splitlines()) == 1 + len(printed)
    for path in printed:
        sheet = path.stem.removeprefix(f"{book.stem}-").removesuffix("-打印")
        assert f"{sheet}:" in result.message
        assert len(FileWorkbook(path).sheet_names()) >= 2  # one sheet (page) per copy


def test_print_documents_with_no_slips_says_so(demo):
    book = demo.workbooks[MONTHS[0]]  # no ledgers in the first month
    result = ribbon.print_documents(FileWorkbook(book))
    assert not result.ok
    assert result.message.startswith(f"{book.name} · 没有可打印的单据 · 应为 在入库单")
    assert not list(book.parent.glob(f"{book.stem}-*-打印.xlsx"))
