"""How a typed cell value is read — one set of rules for xlpy and for the sheet's own formulas.

The sheet's formulas compare text exactly (``=M11="是"``, ``MATCH(G7, 量表, 0)``), ignore text in
``SUM``/``AVERAGE`` and show an error for text in arithmetic; xlpy must never read a cell another
way. So a cell is read only when both would read it alike, and :func:`misread` names everything
else, with the exact fix:

- **blank**: an empty cell. A cell of spaces only is not blank to a formula: an error.
- **number** (counts, levels, survey scores, amounts, scores): a number cell. Text is never a
  number — not ``"5"``, not full-width ``"５"``, not ``"1_0"``, not ``" 5"``; the fix names the
  number when the text looks like one. Booleans are not numbers.
- **yes/no**: exactly ``是`` or ``否`` (blank counts as 否); not ``"是 "``, not ``1``, not TRUE.
- **rating**: exactly one of the scale's words (or its listed aliases); not ``"较好 "``.
- **error values** cached by the program that saved the file (``#DIV/0!``, ``#N/A`` …, as
  python-calamine returns them: the error text) and a formula without a cached result are
  errors on their cell, never blank; so is a number cell storing NaN or infinity (no
  spreadsheet program writes one; python-calamine reads it as a float).
- **text** (feedback, contact data): read as typed, never scored.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Any

from xlpy.core.entries import Entry, Kind, number_of
from xlpy.words import NO, YES, invisible_note, shown_text, without_invisible, yes_no

ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#PYTHON!",
        "#EXTERNAL!",
    }
)
UNKNOWN_FUNCTION = "#NAME?"  # what a program without the add-in caches for our functions
NUMERIC = (Kind.COUNT, Kind.LEVEL, Kind.SURVEY, Kind.AMOUNT, Kind.SCORE)


def is_error_value(value: Any) -> bool:
    return isinstance(value, str) and value in ERROR_VALUES


@dataclass(frozen=True)
class Misread:
    """Why a cell would be read differently by the sheet and by xlpy. ``shown``: the value as
    quoted in messages; ``reason``: what is wrong with it; ``fix``: what to type instead
    (``None``: the entry's own expected text). Messages about private cells leave out ``shown``
    and any fix derived from the value (:meth:`message`)."""

    shown: str
    reason: str
    fix: str | None = None

    def message(self, private: bool = False) -> str:
        if private:
            return f"此单元格的内容无法读取({self.reason})"
        return f"填了 {self.shown}({self.reason})" if self.shown else self.reason

    def about(self, subject: str, private: bool = False) -> str:
        """The message naming ``subject`` (an entry's label): ``工号填了 “x”(…)`` when it
        quotes the value, else ``工号:此单元格…``."""
        text = self.message(private)
        return f"{subject}{text}" if self.shown and not private else f"{subject}:{text}"

    def expected(self, entry: Entry, private: bool = False) -> str:
        return entry.expected if private or self.fix is None else self.fix


_NUMBER = Entry("number", "数字", Kind.AMOUNT)  # where the sheet's formulas need any number


def number_misread(value: Any) -> Misread | None:
    """:func:`misread` of a value where the sheet's formulas need a number (a 参数 值 cell)."""
    return misread(value, _NUMBER)


def _spacing(text: str) -> str:
    if text.strip() != text.rstrip():
        return "前面有空格"
    return "末尾有空格" if text.rstrip() != text else ""


def _number_text(text: str) -> Misread | None:
    """Text standing where a number belongs."""
    plain = unicodedata.normalize("NFKC", without_invisible(text)).strip()
    number = number_of(plain)
    if number is None:
        return Misread(shown_text(text), invisible_note(text) or "不是数字")
    shown = f"{number:g}"
    reason = (
        invisible_note(text)
        or ("全角数字" if unicodedata.normalize("NFKC", text) != text else "")
        or _spacing(text)
        or "数字以文本形式输入"
    )
    return Misread(
        shown_text(text), f"{reason},表内公式不会按数字计算", f"数字 {shown}(不带引号或空格)"
    )


def _word(text: str, words: tuple[str, ...]) -> Misread | None:
    """Text standing where one word of ``words`` belongs."""
    if text in words:
        return None
    visible = without_invisible(text)
    for candidate in (visible.strip(), unicodedata.normalize("NFKC", visible).strip()):
        if candidate in words:
            reason = invisible_note(text) or _spacing(text) or "含全角字符"
            return Misread(shown_text(text), f"{reason},表内公式认不出", candidate)
    folded = {word.casefold(): word for word in words}
    same_letters = folded.get(unicodedata.normalize("NFKC", visible).strip().casefold())
    if same_letters is not None:  # "a" for A: the sheet's lookups ignore case, xlpy does not
        return Misread(shown_text(text), "大小写与可选值不同", same_letters)
    return Misread(shown_text(text), invisible_note(text) or "不是可选的值")


def misread(value: Any, entry: Entry, formula_without_result: bool = False) -> Misread | None:
    """None when the sheet and xlpy read ``value`` alike (or it is plain wrong in a way the
    core's range checks report, such as 7 for a 1-5 score); else why not."""
    if formula_without_result:
        return Misread(
            "",
            "此单元格是公式,但文件中没有它的数值结果(公式结果为空文本,或保存前未计算)",
            "直接填写数值;或在 Excel 中重新计算后保存",
        )
    if value is None or entry.kind is Kind.TEXT:
        return None
    if isinstance(value, float) and not math.isfinite(value):  # <v>NaN</v>: no program writes it
        shown = "NaN" if math.isnan(value) else "无穷大"
        return Misread("", f"文件中此单元格的值是 {shown},不是数字(文件可能被其他程序改动过)")
    if is_error_value(value):
        return Misread(
            "", f"此单元格显示错误值 {value}", "修正此单元格(填写数值,不要引用出错的公式)"
        )
    if isinstance(value, str) and not value.strip():
        return Misread("", "此单元格只有空格,表内公式不会把它当作空白", "清空此单元格")
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        word = YES if value else NO
        if entry.kind is Kind.FLAG:
            return Misread("TRUE" if value else "FALSE", "逻辑值,表内公式只认 是/否", word)
        return Misread("TRUE" if value else "FALSE", "逻辑值,不是数字")
    if entry.kind in NUMERIC:
        return _number_text(value) if isinstance(value, str) else None
    if entry.kind is Kind.FLAG:
        if isinstance(value, str):
            found = _word(value, (YES, NO))
            if found is not None and found.fix is None and yes_no(value) is not None:
                return Misread(
                    shown_text(value), "表内公式只认 是/否", YES if yes_no(value) else NO
                )
            return found
        flag = yes_no(value)
        fix = None if flag is None else (YES if flag else NO)
        return Misread(
            f"{value:g}" if isinstance(value, float) else str(value), "数字,表内公式只认 是/否", fix
        )
    if entry.kind is Kind.RATING:
        if isinstance(value, str):
            return _word(value, entry.choices)
        return Misread(f"{value:g}" if isinstance(value, float) else str(value), "不是评级词")
    return None
