"""The 月报表 (SH/BD-06) and 台账核对 sheets of the month's summary workbook (xlsxwriter).

月报表: 进销存 per part, 资金使用情况 (funds, quota) and the 经济核算 roll-up. 台账核对: the
suggested M02/M05 counts beside what the supervisor entered (disagreements highlighted; the
supervisor's entry is the one that scores) and every evidence row behind the suggestions.
"""

from __future__ import annotations

import pandas as pd

from xlpy.consolidate.writer import Styles, write_table
from xlpy.ledgers.evidence import ITEM_LABELS, MonthlyEvidence
from xlpy.ledgers.report import ACCOUNTING_LABELS, FUNDS_LABELS, STOCK_LABELS, MonthEndReport
from xlpy.words import NO, yes_no_word

REPORT_SHEET = "月报表"
EVIDENCE_SHEET = "台账核对"
HEADING = "SH/BD-06 进销存及资金使用情况月报表"
COMPARISON_LABELS = {
    "pid": "工号",
    "engineer": "工程师",
    "label": "考核项",
    "entered": "主管填报",
    "suggested": "台账建议",
    "agrees": "一致",
    "note": "说明",
}
EVIDENCE_LABELS = {
    "engineer": "工程师",
    "item": "考核项",
    "date": "日期",
    "count": "计数",
    "detail": "依据",
    "sheet": "工作表",
    "row": "行",
}


def write_month_report(book, styles: Styles, report: MonthEndReport) -> None:
    sheet = book.add_worksheet(REPORT_SHEET)
    sheet.write_string(0, 0, f"{HEADING}  {report.month}", styles.title)
    sheet.write_string(
        1,
        0,
        "期末 = 上月结存 + 本月入库 − 本月出库 + 调入 − 调出;"
        "核对栏标出负库存及与销货卡结存不符的配件。",
        styles.note,
    )
    row = 3
    sheet.write_string(row, 0, "一、进销存", styles.title)
    row = (
        write_table(
            sheet,
            styles,
            row + 1,
            report.stock.rename(columns=STOCK_LABELS),
            {"配件名称": 16, "核对": 22},
            status_column="核对",
        )
        + 1
    )
    sheet.write_string(row, 0, "二、资金使用情况", styles.title)
    funds = report.funds.rename(columns=FUNDS_LABELS)
    row = write_table(sheet, styles, row + 1, funds, {"项目": 14, "说明": 30}) + 1
    sheet.write_string(row, 0, "三、经济核算(经济核算日报汇总,SH/BD-05)", styles.title)
    write_table(
        sheet,
        styles,
        row + 1,
        report.accounting.rename(columns=ACCOUNTING_LABELS),
        {"项目": 30},
        status_column="核对",
    )
    sheet.set_column(0, 0, 30)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def write_evidence(
    book, styles: Styles, comparison: pd.DataFrame, evidence: MonthlyEvidence
) -> None:
    sheet = book.add_worksheet(EVIDENCE_SHEET)
    sheet.write_string(0, 0, "台账核对:服务费上交(M02)与配件管理(M05)", styles.title)
    sheet.write_string(
        1,
        0,
        "“台账建议”由服务费收取记录和保修配件更换记录算出,仅供核对;"
        "计分以主管填报为准。不一致的行请主管核实。",
        styles.note,
    )
    table = comparison.assign(agrees=comparison["agrees"].map(yes_no_word))
    keys = [k for k in COMPARISON_LABELS if k in table]
    table = table[keys].rename(columns=COMPARISON_LABELS)
    top = 3
    end = write_table(sheet, styles, top, table, {"考核项": 24, "说明": 36})
    for r, agrees in enumerate(comparison["agrees"], start=top + 1):
        if not agrees:
            sheet.write_string(r, keys.index("agrees"), NO, styles.bad)
    rows = evidence.rows.assign(
        item=evidence.rows["item"].map(ITEM_LABELS),
        date=pd.to_datetime(evidence.rows["date"]).dt.strftime("%Y-%m-%d"),
    )
    rows = rows[list(EVIDENCE_LABELS)].rename(columns=EVIDENCE_LABELS)
    sheet.write_string(end + 1, 0, "依据明细", styles.title)
    write_table(sheet, styles, end + 2, rows, {"依据": 60, "考核项": 24, "工作表": 16})
