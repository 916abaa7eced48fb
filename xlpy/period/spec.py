"""Which months a quarter (2026Q1) or a year (2026) covers, and its summary's file name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xlpy.errors import XlpyError
from xlpy.forms.summary import file_name as summary_file_name

QUARTER_FORMAT, YEAR_FORMAT = "YYYYQn(如 2026Q1)", "YYYY(如 2026)"
PERIOD_PATTERN = re.compile(r"^\d{4}(Q[1-4])?$")
# The period workbook's title (汇总!A1) and the 审计 row naming its period.
PERIOD_TITLE = "售后服务部{kind}考核汇总 · {label}"
AUDIT_PERIOD = "期间"


@dataclass(frozen=True)
class Period:
    label: str  # 2026Q1 or 2026
    kind: str  # 季度 or 年度
    months: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return summary_file_name(self.label)

    @property
    def title(self) -> str:
        return PERIOD_TITLE.format(kind=self.kind, label=self.label)


def period_title(label: str) -> str:
    return (quarter(label) if "Q" in label else year(label)).title


def quarter(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})[Qq]([1-4])", text.strip())
    if not match:
        raise XlpyError(f"季度「{text}」格式不对 · 应为 {QUARTER_FORMAT}")
    year, q = int(match.group(1)), int(match.group(2))
    months = tuple(f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1))
    return Period(f"{year}Q{q}", "季度", months)


def year(text: str) -> Period:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise XlpyError(f"年度「{text}」格式不对 · 应为 {YEAR_FORMAT}")
    value = int(text)
    return Period(str(value), "年度", tuple(f"{value}-{m:02d}" for m in range(1, 13)))


def quarter_of(month: str) -> Period:
    """The quarter a YYYY-MM month falls in."""
    year_text, mon = month.split("-")
    return quarter(f"{year_text}Q{(int(mon) - 1) // 3 + 1}")


def parse_period(quarter_text: str | None, year_text: str | None) -> Period:
    """Exactly one of ``--quarter`` and ``--year``."""
    if (quarter_text is None) == (year_text is None):
        raise XlpyError(
            f"请指定 --quarter 或 --year 之一 · 应为 --quarter {QUARTER_FORMAT} 或 "
            f"--year {YEAR_FORMAT}"
        )
    return quarter(quarter_text) if quarter_text is not None else year(year_text or "")
