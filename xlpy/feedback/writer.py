"""Lay slips out as worksheets, one A4 portrait page each (xlsxwriter; fixed document dates, so
the same summary gives the same bytes)."""

from __future__ import annotations

import math
import re
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from xlpy.consolidate.writer import FIXED_DATE, Styles, open_book, write_cell
from xlpy.feedback.slip import KPI_PREFIX, Line, Slip
from xlpy.forms.summary import DEPT_RANK, NOTE, STATUS, TEAM_RANK
from xlpy.shared import number_formats
from xlpy.shared.text_cells import looks_like_formula
from xlpy.words import CANCELLED

TITLE = "个人考核结果反馈单"
LAST_COL = 5  # A..F
WIDTHS = (18, 10, 14, 12, 14, 34)
HISTORY_ROWS = 8  # rows the 百分制 chart spans at least
WRITING_ROWS = 4  # rows left empty for 主管评语 and 改进计划
SIGNATURES = ("被考核人", "主管", "日期")


def sheet_title(slip: Slip, taken: set[str]) -> str:
    """``工号 姓名`` as a valid, unique sheet name (31 characters, no []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\']", "_", f"{slip.pid} {slip.name}".strip())[:31] or slip.pid
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        title = f"{base[:28]}~{n}"
    taken.add(title.lower())
    return title


def write_slips(path: Path, slips: list[Slip]) -> None:
    book, styles = open_book(path)
    book.set_properties({"created": FIXED_DATE, "author": "xlpy", "title": TITLE})
    extra = _extra_formats(book)
    taken: set[str] = set()
    for slip in slips:
        _slip_sheet(book, styles, extra, slip, sheet_title(slip, taken))
    book.close()


def _extra_formats(book) -> dict:
    base = {"font_name": "等线", "font_size": 10, "valign": "vcenter"}
    return {
        "head": book.add_format(base | {"bold": True, "font_size": 16, "align": "center"}),
        "label": book.add_format(base | {"bold": True, "border": 1, "bg_color": "#F2F2F2"}),
        "section": book.add_format(base | {"bold": True, "font_size": 11, "bottom": 1}),
        "box": book.add_format(base | {"border": 1, "valign": "top", "text_wrap": True}),
        "sign": book.add_format(base | {"bottom": 1}),
        "plain": book.add_format(base),
        "wrap": book.add_format(base | {"border": 1, "text_wrap": True, "valign": "top"}),
        "points": book.add_format(base | {"border": 1, "num_format": number_formats.SCORE}),
        "short": book.add_format(
            base
            | {
                "border": 1,
                "num_format": number_formats.TWO_DECIMALS,
                "bg_color": "#FFC7CE",
                "font_color": "#9C0006",
            }
        ),
    }


def _value(sheet, row: int, col: int, value, fmt, styles: Styles) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value):
            sheet.write_number(row, col, float(value), fmt)
        else:
            sheet.write_blank(row, col, None, styles.text)
    elif value is None or value == "":
        sheet.write_blank(row, col, None, styles.text)
    else:
        write_cell(sheet, row, col, str(value), styles.text, styles)


def _slip_sheet(book, styles: Styles, extra: dict, slip: Slip, title: str) -> None:
    sheet = book.add_worksheet(title)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, LAST_COL, f"售后服务部 {TITLE}", extra["head"])
    sheet.merge_range(
        1,
        0,
        1,
        LAST_COL,
        f"考核月份 {slip.month} · 依据 {slip.source}(SHA-256 {slip.sha256[:12]}…)",
        styles.note,
    )
    row = 3
    number, integer = styles.number, styles.integer
    row = _pairs(
        sheet,
        styles,
        extra,
        row,
        [("工号", slip.pid, number), ("姓名", slip.name, number), ("班组", slip.team, number)],
    )
    results = [(h, v, number) for h, v in slip.results.items() if h not in (DEPT_RANK, TEAM_RANK)]
    results.insert(2, ("等级", slip.grade, number))
    row = _pairs(sheet, styles, extra, row, results)
    ranks = [(h, slip.results[h], integer) for h in (DEPT_RANK, TEAM_RANK) if h in slip.results]
    ranked = " · ".join(f"{h[:2]} {n} 人" for h, n in slip.ranked.items())
    row = _pairs(
        sheet,
        styles,
        extra,
        row,
        [
            *ranks,
            ("参与排名", ranked, number),
            ("客户满意度", slip.satisfaction, styles.percent),
            ("评价份数", slip.responses, integer),
        ],
    )
    if slip.kpi_result:
        row = _pairs(
            sheet,
            styles,
            extra,
            row,
            [(h.replace(KPI_PREFIX, "KPI"), v, number) for h, v in slip.kpi_result.items()],
        )
    sheet.write_string(row, 0, STATUS, extra["label"])
    status = slip.status or "正常"
    if slip.reason:
        status += f"({slip.reason})" if slip.status else ""
    sheet.merge_range(
        row,
        1,
        row,
        LAST_COL,
        status,
        styles.bad if slip.status.startswith(CANCELLED) else styles.text,
    )
    row += 1
    if slip.reason and not slip.status:
        sheet.write_string(row, 0, NOTE, extra["label"])
        reason = styles.literal(styles.text) if looks_like_formula(slip.reason) else styles.text
        sheet.merge_range(row, 1, row, LAST_COL, slip.reason, reason)
        row += 1
    row = _lines(sheet, styles, extra, row + 1, "月考核各项得分", slip.items + slip.subtotals)
    if slip.kpi:
        row = _lines(sheet, styles, extra, row + 1, "KPI 考核", slip.kpi)
    row = _summary_text(
        sheet,
        styles,
        extra,
        row + 1,
        "优点(满分的项目)",
        "、".join(line.label for line in slip.strengths) or "—",
    )
    row = _summary_text(
        sheet,
        styles,
        extra,
        row,
        "不足(有扣分的项目)",
        ";".join(line.text or line.label for line in slip.shortfalls) or "—",
    )
    row = _history(book, sheet, styles, extra, row + 1, slip, title)
    for heading in ("主管评语", "改进计划"):
        sheet.write_string(row, 0, heading, extra["section"])
        sheet.merge_range(row + 1, 0, row + WRITING_ROWS, LAST_COL, "", extra["box"])
        row += WRITING_ROWS + 2
    for i, label in enumerate(SIGNATURES):
        sheet.write_string(row + 1, i * 2, f"{label}:", extra["plain"])
        sheet.write_blank(row + 1, i * 2 + 1, None, extra["sign"])
    sheet.set_paper(9)  # A4
    sheet.set_portrait()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    sheet.fit_to_pages(1, 1)
    sheet.print_area(0, 0, row + 1, LAST_COL)
    sheet.hide_gridlines(2)


def _pairs(
    sheet, styles: Styles, extra: dict, row: int, pairs: list[tuple[str, object, object]]
) -> int:
    """(label, value, number format) pairs, three to a row (A:B, C:D, E:F)."""
    for i, (label, value, fmt) in enumerate(pairs):
        r, c = row + i // 3, (i % 3) * 2
        sheet.write_string(r, c, label, extra["label"])
        _value(sheet, r, c + 1, value, fmt, styles)
    return row + (len(pairs) + 2) // 3


def _lines(sheet, styles: Styles, extra: dict, row: int, heading: str, lines: list[Line]) -> int:
    sheet.write_string(row, 0, heading, extra["section"])
    row += 1
    for col, header in enumerate(("项目", "满分", "得分")):
        sheet.write_string(row, col, header, styles.header)
    sheet.merge_range(row, 3, row, LAST_COL, "计算明细", styles.header)
    for line in lines:
        row += 1
        sheet.write_string(row, 0, line.label, styles.text)
        _value(sheet, row, 1, line.full, extra["points"], styles)
        _value(
            sheet,
            row,
            2,
            line.score,
            extra["short"] if line.short_of_full else styles.number,
            styles,
        )
        sheet.merge_range(row, 3, row, LAST_COL, line.text, styles.wrap)
    return row + 1


def _summary_text(sheet, styles: Styles, extra: dict, row: int, heading: str, text: str) -> int:
    sheet.write_string(row, 0, heading, extra["section"])
    sheet.merge_range(row + 1, 0, row + 2, LAST_COL, text, extra["wrap"])
    return row + 3


def _history(book, sheet, styles: Styles, extra: dict, row: int, slip: Slip, title: str) -> int:
    """The person's 百分制 month by month (a small table and a line chart beside it)."""
    sheet.write_string(row, 0, "各月百分制", extra["section"])
    top = row + 1
    sheet.write_string(top, 0, "月份", styles.header)
    sheet.write_string(top, 1, "百分制", styles.header)
    for i, (month, score) in enumerate(slip.history, start=1):
        sheet.write_string(top + i, 0, month, styles.text)
        _value(sheet, top + i, 1, score, styles.number, styles)
    last = top + max(len(slip.history), 1)
    height = max(last - top + 1, HISTORY_ROWS)
    if slip.history:
        chart = book.add_chart({"type": "line"})
        chart.add_series(
            {
                "name": "百分制",
                "categories": [title, top + 1, 0, last, 0],
                "values": [title, top + 1, 1, last, 1],
                "marker": {"type": "circle", "size": 5},
                "data_labels": {"value": True, "num_format": number_formats.ONE_DECIMAL},
            }
        )
        chart.set_legend({"none": True})
        chart.set_y_axis({"min": 0, "max": 100})
        chart.show_blanks_as("gap")
        chart.set_size({"width": 520, "height": height * 20})
        sheet.insert_chart(xl_rowcol_to_cell(top, 3), chart, {"object_position": 3})
    return top + height + 1
