"""Cell formats of the month workbook (xlsxwriter), by the style names the form descriptions use."""

from __future__ import annotations

from typing import Any

FONT = "等线"
BASE: dict[str, Any] = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True}
GREY, PALE, ENTRY = "#D9D9D9", "#F2F2F2", "#FFF9DB"


class Styles:
    """Formats are created once per workbook and shared (xlsxwriter requires that)."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[Any, ...], Any] = {}

    def get(self, style: str, number_format: str = "", border: bool = True) -> Any:
        key = (style, number_format, border)
        if key not in self._cache:
            spec = dict(BASE)
            spec.update(_STYLES[style])
            if border and style not in ("title", "code", "note", "sign", "plain"):
                spec["border"] = 1
            if number_format:
                spec["num_format"] = number_format
            self._cache[key] = self._workbook.add_format(spec)
        return self._cache[key]


_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "align": "center"},
    "code": {"font_size": 9, "font_color": "#595959"},
    "header": {"bold": True, "align": "center", "bg_color": GREY},
    "section": {"bold": True, "bg_color": PALE},
    "label": {"bold": True, "bg_color": PALE, "align": "center"},
    "text": {},
    "small": {"font_size": 9, "valign": "top"},
    "note": {"font_size": 9, "font_color": "#404040", "valign": "top"},
    "sign": {"font_size": 11, "text_wrap": False},
    "plain": {},
    "identity": {"align": "center"},
    "entry": {"align": "center", "bg_color": ENTRY, "locked": False},
    "entry_text": {"bg_color": ENTRY, "locked": False},
    "remark": {"locked": False},  # a note may be typed in a protected sheet
    "computed": {"align": "center", "bg_color": GREY, "bold": True},
    "param_key": {"font_size": 9, "font_color": "#595959"},
}
