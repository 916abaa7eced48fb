"""The pay hand-off: 工号, 姓名, 班组, 月份 (or 期间), 百分制, 等级, 绩效系数, 状态 of every person
of a monthly or period summary, and nothing else. CSV (UTF-8 with BOM, or GBK, for Chinese
Excel) or .xlsx; text that could be read as a formula stays text (see
:mod:`xlpy.shared.text_cells`); written atomically."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd

from xlpy.consolidate.writer import open_book, write_table
from xlpy.errors import XlpyError
from xlpy.forms.summary import ID, NAME, STATUS, TEAM
from xlpy.period.reading import MonthlySummary, read_summary, score_labels
from xlpy.period.spec import AUDIT_PERIOD
from xlpy.shared.files import atomic_write, atomic_write_bytes, refuse_source
from xlpy.shared.text_cells import neutralise

ENCODINGS = ("utf-8-sig", "gbk")
MONTH_COLUMN = "月份"
SHEET = "工资导出"
SUFFIXES = (".csv", ".xlsx")


def payroll_table(summary: MonthlySummary) -> pd.DataFrame:
    """One row per person, in the summary's order. 百分制 rounded to 2 decimals as shown."""
    labels = score_labels()
    table = summary.table
    score = pd.to_numeric(table[summary.score_header], errors="coerce").round(2)
    return pd.DataFrame(
        {
            ID: [str(pid) for pid in table.index],
            NAME: [_text(v) for v in table[NAME]],
            TEAM: [_text(v) for v in table[TEAM]],
            AUDIT_PERIOD if summary.is_period else MONTH_COLUMN: summary.month,
            labels["percent"]: score.to_numpy(dtype=float),
            labels["grade"]: [_text(v) for v in table[labels["grade"]]],
            labels["coefficient"]: pd.to_numeric(
                table[labels["coefficient"]], errors="coerce"
            ).to_numpy(dtype=float),
            STATUS: [_text(v) for v in table[STATUS]] if STATUS in table else "",
        }
    )


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def default_output(summary: Path, suffix: str = ".csv") -> Path:
    return summary.with_name(f"{summary.stem}-工资{suffix}")


def export_payroll(
    source: Path, output: Path | None = None, encoding: str = ENCODINGS[0]
) -> tuple[Path, pd.DataFrame]:
    """Write the pay hand-off of the summary ``source``; returns where, and the rows."""
    source = Path(source)
    if encoding not in ENCODINGS:
        raise XlpyError(f"编码「{encoding}」不支持 · 应为 {' 或 '.join(ENCODINGS)}")
    output = Path(output) if output else default_output(source)
    if output.suffix.lower() not in SUFFIXES:
        raise XlpyError(f"{output.name} · 输出文件类型不支持 · 应为 .csv 或 .xlsx")
    refuse_source(output, [source])
    table = payroll_table(read_summary(source))
    if output.suffix.lower() == ".csv":
        atomic_write_bytes(output, _csv_bytes(table, encoding, source.name))
    else:
        atomic_write(output, lambda temp: _write_xlsx(temp, table))
    return output, table


def _csv_bytes(table: pd.DataFrame, encoding: str, source: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.itertuples(index=False):
        writer.writerow([_csv_value(v) for v in row])
    text = buffer.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start)  # 0 = header
        character = text[exc.start : exc.end]
        person = table.iloc[line - 1] if line else None
        who = f"工号 {person[ID]}({person[NAME]})" if person is not None else "表头"
        raise XlpyError(
            f"{source} · {who}含 {encoding.upper()} 无法表示的字符“{character}” · "
            "应为 改用 --encoding utf-8-sig"
        ) from None


def _csv_value(value: object) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.2f}".rstrip("0").rstrip(".")
    return neutralise(str(value))


def _write_xlsx(path: Path, table: pd.DataFrame) -> None:
    book, styles = open_book(path)
    sheet = book.add_worksheet(SHEET)
    write_table(sheet, styles, 0, table)
    book.close()
