"""The vocabulary of a form description: where each cell of a paper form lives on its sheet.

A :class:`Form` is pure data. The template writer lays it out, the reader reads it back, the
validator (issue 4) checks what the reader returns; none of them knows a cell address of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from xlpy.core.entries import Entry
from xlpy.shared import number_formats
from xlpy.words import shown_text

Variant = Literal["addin", "native"]
Style = Literal[
    "title", "code", "header", "label", "text", "small", "note", "sign", "section", "remark"
]

TITLE_CELL = "A1"  # every form: its title …
CODE_CELL = "A2"  # … and "表号 <form code>" right below it (how a sheet is identified)
CODE_PREFIX = "表号 "

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


@dataclass(frozen=True)
class IdentityCell:
    """Who/when a form is about. ``field``: employee_id, name, team, supervisor, position, month."""

    field: str
    label: str
    address: str


@dataclass(frozen=True)
class EntryCell:
    """A cell staff type into: the core entry it holds and the input message shown in Excel."""

    address: str
    entry: Entry
    hint: str


@dataclass(frozen=True)
class ComputedCell:
    """A locked formula cell. ``result`` names the column of the scheme's ``SchemeResult.scores``
    this cell must equal (None for display-only cells such as a full-points column).
    ``addin`` calls the udfs; ``native`` uses only built-in functions and the 参数 names.
    ``array``: in the add-in variant the cell is part of this range's array formula (``addin``
    is that formula, the same for every cell of the range, evaluated once for all of them: one
    element-wise udf call fills a column); '' for a formula of its own."""

    address: str
    label: str
    addin: str
    native: str
    result: str | None = None
    number_format: str = number_formats.SCORE
    array: str = ""

    def formula(self, variant: Variant) -> str:
        return self.addin if variant == "addin" else self.native


@dataclass(frozen=True)
class TextCell:
    address: str
    text: str
    style: Style = "text"


@dataclass(frozen=True)
class TableColumn:
    """One column of a table form: an entry column or a computed one (``{row}`` in its formulas)."""

    letter: str
    header: str
    width: float
    entry: Entry | None = None
    hint: str = ""
    addin: str = ""
    native: str = ""
    choices_from: str = ""  # a defined name whose cells are the allowed values (e.g. staff_ids)
    # a date column: days from the 1st of the sheet's month to the end of the month this many
    # months later (0: within the month); None: not a date column
    dates_until: int | None = None

    def formula(self, variant: Variant, row: int) -> str:
        return (self.addin if variant == "addin" else self.native).format(row=row)


@dataclass(frozen=True)
class Table:
    """Rows of equal shape (the survey sheet): data rows ``first_row``..``last_row``."""

    header_row: int
    first_row: int
    last_row: int
    columns: tuple[TableColumn, ...]

    def range(self, letter: str) -> str:
        return f"${letter}${self.first_row}:${letter}${self.last_row}"

    @cached_property
    def entry_columns(self) -> dict[str, TableColumn]:
        """Each column staff type into, by its core column (``S1`` …)."""
        return {c.entry.column: c for c in self.columns if c.entry is not None}


LAYOUT_STYLES = ("header", "label", "text")
_ITEM_CODE = re.compile(r"^[A-Z]{1,2}[0-9]{1,2}$")


def _fixed_text(text: str) -> bool:
    text = text.strip()
    return bool(text) and (bool(_ITEM_CODE.match(text)) or not any(ch.isdigit() for ch in text))


@dataclass(frozen=True)
class Form:
    """One paper form as a sheet.

    ``scheme``: the core scheme (M, K, T, S, D, P). ``form_code``: printed in :data:`CODE_CELL`
    and in the footer. ``sheet_prefix``: per-person sheets are named ``<prefix>-<工号>-<姓名>``,
    single sheets just ``<prefix>``. ``widths``: column letter → width in characters."""

    scheme: str
    form_code: str
    title: str
    sheet_prefix: str
    per_person: bool
    identity: tuple[IdentityCell, ...]
    entries: tuple[EntryCell, ...]
    computed: tuple[ComputedCell, ...]
    texts: tuple[TextCell, ...]
    signatures: tuple[TextCell, ...]
    merges: tuple[str, ...]
    widths: dict[str, float]
    last_column: str
    table: Table | None = None
    landscape: bool = False
    notes: tuple[str, ...] = field(default=())  # printed notes below a form (ledgers use them)

    def sheet_name(self, employee_id: str = "", name: str = "") -> str:
        return f"{self.sheet_prefix}-{employee_id}-{name}" if self.per_person else self.sheet_prefix

    @cached_property
    def layout_texts(self) -> tuple[TextCell, ...]:
        """The template texts that never depend on a parameter — headers, labels and item codes
        (M05) — by which a sheet is checked against its layout. Texts with numbers in them
        (分值, 每次扣 1 分) follow the 参数 sheet and may differ."""
        return tuple(t for t in self.texts if t.style in LAYOUT_STYLES and _fixed_text(t.text))

    def identity_cell(self, field: str) -> IdentityCell:
        for cell in self.identity:
            if cell.field == field:
                return cell
        raise KeyError(field)

    def entry_cell(self, column: str) -> EntryCell:
        for cell in self.entries:
            if cell.entry.column == column:
                return cell
        raise KeyError(column)

    def computed_cell(self, result: str) -> ComputedCell:
        for cell in self.computed:
            if cell.result == result:
                return cell
        raise KeyError(result)


def excel_length(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units (𠮷 and emoji count 2)."""
    return len(text.encode("utf-16-le")) // 2


def same_sheet_name(name: str) -> str:
    """The key under which Excel finds two sheet names equal (case is ignored)."""
    return name.casefold()


def sheet_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an Excel sheet name (Chinese), or None when it can."""
    if not name.strip():
        return "工作表名称为空"
    length = excel_length(name)
    if length > SHEET_NAME_MAX:
        counted = "(按 Excel 计,生僻字和表情符号各算 2 个)" if length != len(name) else ""
        shown = shown_text(name, SHEET_NAME_MAX)
        return f"工作表名称{shown}有 {length} 个字符{counted},超过 Excel 上限 {SHEET_NAME_MAX}"
    bad = sorted(set(_SHEET_FORBIDDEN.findall(name)))
    if bad:
        return f"工作表名称{shown_text(name)}含有 Excel 不允许的字符 {' '.join(bad)}"
    if name.startswith("'") or name.endswith("'"):
        return f"工作表名称{shown_text(name)}不能以单引号开头或结尾"
    return None
