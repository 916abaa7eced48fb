"""The words and values staff type and read, defined once: yes/no, blank, 工号, 月份, status words,
and the tolerance with which a computed value reaches a bound.

Everything here is pure and imports nothing from xlpy but its errors, so every layer (the core
included) reads the same rules. Formulas written into workbooks format these same constants.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from xlpy.errors import XlpyError

# ── yes / no ────────────────────────────────────────────────────────────────────────────────
YES, NO = "是", "否"
YES_WORDS = frozenset({YES, "Y", "y", "TRUE", "True", "true", "1"})
NO_WORDS = frozenset({NO, "N", "n", "FALSE", "False", "false", "0"})
YES_NO_CHOICES = (YES, NO)


def yes_no(value: Any) -> bool | None:
    """True/False for a yes/no answer (是/否, TRUE/FALSE, Y/N, 1/0, a boolean); None otherwise."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    if is_blank(value):
        return None
    text = f"{value:g}" if isinstance(value, (int, float)) else str(value).strip()
    return True if text in YES_WORDS else False if text in NO_WORDS else None


def yes_no_word(flag: bool) -> str:
    return YES if flag else NO


# ── characters a cell shows as nothing ──────────────────────────────────────────────────────
# Zero-width spaces, byte-order marks, direction marks, soft hyphens (Unicode "format"
# characters) and control characters other than whitespace: text pasted from a web page or a
# chat carries them, the cell looks right, and the sheet's exact comparisons fail.
_INVISIBLE_CATEGORIES = ("Cf", "Cc")


def invisible_characters(text: str) -> list[str]:
    """Each invisible character of ``text``, once, in order of appearance (whitespace is not:
    spaces are named as spaces)."""
    if text.isprintable():  # no Cc or Cf character, checked at C speed: nearly every text
        return []
    found = dict.fromkeys(
        ch for ch in text if unicodedata.category(ch) in _INVISIBLE_CATEGORIES and not ch.isspace()
    )
    return list(found)


def without_invisible(text: str) -> str:
    hidden = invisible_characters(text)
    return "".join(ch for ch in text if ch not in hidden) if hidden else text


def code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


# A line break or tab typed in a cell, as a one-line message shows it.
_SHOWN_BREAKS = (("\r\n", "⏎"), ("\n", "⏎"), ("\r", "⏎"), ("\t", "⇥"))


def one_line(text: str) -> str:
    """``text`` with its line breaks and tabs shown as ⏎ and ⇥: a finding is one line."""
    for typed, shown in _SHOWN_BREAKS:
        text = text.replace(typed, shown)
    return text


def shown_text(text: str, longest: int = 40) -> str:
    """``text`` quoted for a message, each invisible character written as ⟨U+200B⟩ where it is
    and line breaks as ⏎ (a message must show what the cell holds, not what it looks like)."""
    hidden = invisible_characters(text)
    if len(text) > longest:
        text = text[:longest] + "…"
    for ch in hidden:
        text = text.replace(ch, f"⟨{code_point(ch)}⟩")
    return f"“{one_line(text)}”"


def describe_value(value: Any) -> str:
    """A typed value as staff would recognise it in a message: a number as Excel's General
    format shows it (15 significant digits), text quoted."""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    if isinstance(value, float) and math.isfinite(value):
        return format(value, ".15g").replace("e", "E")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return shown_text(str(value))


def invisible_note(text: str) -> str:
    """The note 含不可见字符 U+200B、U+FEFF for text holding any, else ""."""
    hidden = invisible_characters(text)
    return f"含不可见字符 {'、'.join(map(code_point, hidden))}" if hidden else ""


# ── blank and 工号 ──────────────────────────────────────────────────────────────────────────
def is_blank(value: Any) -> bool:
    """Nothing typed: None, NaN/NA, or text of spaces only."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ in ("NAType", "NaTType")


def id_text(value: Any) -> str:
    """工号 (or a name, a team) as text: 1001.0 typed as a number reads as "1001"; blank is ""."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def same_id_note(first: str, typed: str) -> str:
    """How a repeated 工号 ``typed`` matches the ``first`` one listed: 工号 are compared without
    regard to case, as the sheets' own lookups (MATCH, VLOOKUP) compare them."""
    return "相同" if typed == first else f"的 {first} 相同;工号不区分大小写"


# ── months ──────────────────────────────────────────────────────────────────────────────────
MONTH_FORMAT = "YYYY-MM(如 2026-03)"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_text(value: Any) -> str:
    """月份 as YYYY-MM from text (2026-03, 2026/3, 2026.3, 2026年3月) or a date cell; other text is
    returned stripped (so a message can quote it), blank is ""."""
    if is_blank(value):
        return ""
    if isinstance(value, (datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    spelled = text.replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    parts = spelled.split("-")
    if (
        len(parts) >= 2
        and len(parts[0]) == 4
        and parts[0].isdigit()
        and parts[1].isdigit()
        and 1 <= int(parts[1]) <= 12
    ):
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}"
    return text


def is_month(text: Any) -> bool:
    """A month in the canonical YYYY-MM form."""
    match = _MONTH.match(str(text))
    return bool(match) and len(str(text)) == 7 and 1 <= int(match.group(2)) <= 12


def check_month(text: str) -> str:
    """A month typed on the command line or in the ribbon, as YYYY-MM; refused otherwise."""
    month = month_text(text)
    if not is_month(month):
        raise XlpyError(f"月份「{text}」格式不对", expected=MONTH_FORMAT)
    return month


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of a YYYY-MM text; ValueError otherwise."""
    if not is_month(text):
        raise ValueError(f"not a month: {text!r}")
    year, month = text.split("-")
    return int(year), int(month)


def shift_month(month: str, by: int) -> str:
    """The month ``by`` months after (negative: before) a YYYY-MM month."""
    year, mon = parse_month(month)
    index = year * 12 + mon - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def next_month(month: str) -> str:
    return shift_month(month, 1)


def previous_month(month: str) -> str:
    return shift_month(month, -1)


def month_days(month: str, months_after: int = 0) -> tuple[date, date]:
    """The first day of a YYYY-MM month and the last day of the month ``months_after`` later
    (0: the same month): the dates a ledger column of that month accepts."""
    first = date(*parse_month(month), 1)
    year, mon = parse_month(shift_month(month, months_after))
    return first, date(year, mon, calendar.monthrange(year, mon)[1])


# ── status words on result rows ─────────────────────────────────────────────────────────────
CANCELLED = "取消"  # the veto item was answered 是: the month's score is cancelled
MISSING_DATA = "缺数据"  # the total cannot be computed from what was entered
MISSING_FORM = "缺表"  # on the roster, but no form this month
HAS_ERRORS = "含未更正错误"  # scored with --allow-errors left out: the row is unreliable
STATUS_SEPARATOR = "、"
SURVEY_SOURCE, TYPED_SOURCE = "取自客户评价", "手填"  # where a survey-fed KPI's actual came from
UNRANKED = (CANCELLED, MISSING_FORM)  # rows that take no rank


# ── numbers in text ─────────────────────────────────────────────────────────────────────────
def num(value: float) -> str:
    """A number as staff write it: 5, 0.5, 83.33."""
    if value != value:  # NaN
        return "—"
    return f"{round(float(value), 2):g}".replace("-", "−")


# ── tolerances ──────────────────────────────────────────────────────────────────────────────
# Sums of weighted floats land a hair below a boundary (0.85×… = 89.99999999999999): a value
# this close to a bound counts as reaching it, as Excel's 15-digit comparison does.
TOLERANCE = 1e-9
# A formula result cached by Excel/LibreOffice equals the core's value to this many places.
CACHED_TOLERANCE = 1e-6


def reaches(value: Any, bound: float) -> Any:
    """value ≥ bound, within :data:`TOLERANCE` (relative for bounds above 1); works on arrays."""
    return value >= bound - TOLERANCE * max(1.0, abs(bound))


def exceeds(value: Any, bound: float) -> Any:
    """value > bound beyond :data:`TOLERANCE`: the complement of ``reaches`` from above."""
    return value > bound + TOLERANCE * max(1.0, abs(bound))


def same_number(a: float, b: float, tolerance: float = TOLERANCE) -> bool:
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=tolerance)
