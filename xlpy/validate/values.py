"""Identity values as staff type them: 工号 and 月份 in their usual spellings."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def staff_id(value: Any) -> str:
    """工号 as text: 1001.0 typed as a number reads as "1001"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def month_text(value: Any) -> str:
    """月份 as YYYY-MM from text (2026-03, 2026/3, 2026年3月) or a date cell."""
    if value is None:
        return ""
    if isinstance(value, datetime) or hasattr(value, "year"):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip().replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    parts = text.split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() and len(parts[0]) == 4:
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}"
    return str(value).strip()
