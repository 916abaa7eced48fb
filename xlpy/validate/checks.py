"""Checks of one form sheet that need no scoring: layout intact, identity present and read as
shown, entry cells not merged away, computed cells still formulas (tamper), nothing typed
outside the entry cells or below a table's prepared rows."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlpy.core.values import is_error_value
from xlpy.forms import Cells, Form, FormReading, IdentityCell, TextCell
from xlpy.forms.reader import SEARCH_COLUMNS, SEARCH_ROWS
from xlpy.memo import memo
from xlpy.shared.addresses import a1, parse_a1
from xlpy.shared.findings import ERROR, WARNING, Finding
from xlpy.words import (
    describe_value,
    id_text,
    invisible_characters,
    invisible_note,
    is_blank,
    is_month,
    month_text,
    without_invisible,
)


@dataclass
class SheetRead:
    """One recognised form sheet while its file is open (cells at hand, for the checks)."""

    sheet: str
    form: Form
    reading: FormReading | None
    rows: list[FormReading]
    cells: Cells
    formulas: frozenset[str]
    merged: list[str]


REQUIRED_IDENTITY = ("employee_id", "name", "month")
RESTORE = "模板中的公式(不要在计算单元格里输入数字;请从模板恢复)"
STRAY = "此单元格不是录入格,填在这里的内容不计分(表内公式也不计)"
STRAY_IN_ROW = "填在本行的录入格 {cells};此单元格的内容请删除"
STRAY_FIX = "删除此单元格的内容(只有录入格计分)"
STRAY_SHOWN = 10  # cells named one by one; the last named counts the rest


def identity_text(value: Any) -> str:
    """An identity cell's text as the cell shows it: without surrounding spaces or invisible
    characters (both reported on the cell, :func:`identity_value_problems`). A cached error
    value (#N/A …) is no 工号, name or month (it is reported on its cell), so the form is
    nobody's rather than #N/A's."""
    return "" if is_error_value(value) else without_invisible(id_text(value)).strip()


def _box(cell_range: str) -> tuple[int, int, int, int]:
    first, _, last = cell_range.partition(":")
    r1, c1 = parse_a1(first)
    r2, c2 = parse_a1(last or first)
    return r1, c1, r2, c2


def layout_problem(file: str, read: SheetRead, missing: Sequence[TextCell]) -> Finding | None:
    """The anchors (headers, labels, item codes) not found where the form, as located on the
    sheet, puts them: rows or columns were deleted, inserted or moved *inside* the form, so no
    entry on it can be trusted. Rows/columns inserted above or left of a form are no problem
    (:func:`xlpy.forms.reader.locate` reads the form where it now is)."""
    if not missing:
        return None
    shown = "、".join(f"「{t.text.strip()[:20]}」({t.address})" for t in missing[:4])
    more = f" 等 {len(missing)} 处" if len(missing) > 4 else ""
    return Finding(
        file,
        read.sheet,
        missing[0].address,
        f"表格结构被改动:{read.form.title}中找不到 {shown}{more}"
        "(可能删除、插入或移动了表内的行列),本表未计分",
        "与模板相同的表格结构(请从模板重新复制本表)",
    )


def unrecognised_form(file: str, sheet: str, forms: dict[str, Form]) -> Finding | None:
    """A sheet named like a form whose 表号 and title are nowhere near its top: its person
    would otherwise silently become 缺表."""
    for form in forms.values():
        if sheet == form.sheet_prefix or sheet.startswith(form.sheet_prefix + "-"):
            return Finding(
                file,
                sheet,
                "",
                f"工作表名称像是{form.title},但前 {SEARCH_ROWS} 行、前 {SEARCH_COLUMNS} "
                f"列中找不到「表号 {form.form_code}」或表名,本表未读取",
                "从模板复制的完整表格(含表名和表号两行)",
            )
    return None


def merged_entry_problems(file: str, read: SheetRead) -> list[Finding]:
    """Entry cells swallowed by a merge the template does not have (what is typed there is lost)."""
    template = set(read.form.merges)
    extra = [_box(r) for r in read.merged if r not in template]
    findings = []
    cells = [(c.address, c.entry.label) for c in read.form.entries]
    if read.form.table is not None:
        table = read.form.table
        cells = [
            (f"{c.letter}{row}", c.header)
            for c in table.columns
            if c.entry is not None
            for row in range(table.first_row, table.last_row + 1)
        ]
    for address, label in cells:
        r, c = parse_a1(address)
        for r1, c1, r2, c2 in extra:
            if r1 <= r <= r2 and c1 <= c <= c2:
                findings.append(
                    Finding(
                        file,
                        read.sheet,
                        address,
                        f"{label}所在单元格被合并,录入的内容会丢失",
                        "取消合并(每个录入单元格单独一格)",
                    )
                )
                break
    return findings


def identity_problems(file: str, read: SheetRead) -> list[Finding]:
    if read.reading is None:
        return []
    findings = []
    cells = {c.field: c for c in read.form.identity}
    for field in REQUIRED_IDENTITY:
        if field in cells and id_text(read.reading.identity.get(field)) == "":
            findings.append(
                Finding(
                    file,
                    read.sheet,
                    cells[field].address,
                    f"缺少{cells[field].label}",
                    "填写"
                    + {
                        "employee_id": "工号(如 E101)",
                        "name": "姓名",
                        "month": "考核月份(如 2026-03)",
                    }[field],
                )
            )
    month = read.reading.identity.get("month")
    if (
        "month" in cells
        and month is not None
        and not is_error_value(month)  # named by identity_value_problems
        and not is_month(month_text(month))
    ):
        findings.append(
            Finding(
                file,
                read.sheet,
                cells["month"].address,
                f"月份{describe_value(month)}无法识别",
                "YYYY-MM,如 2026-03",
            )
        )
    return findings


def identity_value_problems(file: str, read: SheetRead) -> list[Finding]:
    """Identity cells (工号, 姓名, 班组, 主管, 月份) that xlpy would read otherwise than the
    sheet shows them, checked as entries are: a cached error value, a logical value, spaces
    around the text (xlpy strips them, the sheet's look-ups and the roster do not), full-width
    digits or letters in 工号. Each is an error on its cell with the exact fix. A formula there
    is flagged on its own (:func:`xlpy.validate.injection.identity_formula_problems`)."""
    pid = identity_text(read.reading.identity.get("employee_id")) if read.reading else ""
    findings = []
    for cell in read.form.identity:
        if cell.address in read.formulas:
            continue
        found = _identity_misread(cell, read.cells.get(cell.address))
        if found is not None:
            problem, expected = found
            findings.append(
                Finding(file, read.sheet, cell.address, cell.label + problem, expected, ERROR, pid)
            )
    return findings


def hidden_characters_problem(value: Any, label: str) -> tuple[str, str] | None:
    """(problem, expected) for text holding invisible characters, else None."""
    if not isinstance(value, str) or not invisible_characters(value):
        return None
    problem = f"{label}填了 {describe_value(value)}({invisible_note(value)},与表中显示的不一致)"
    return problem, without_invisible(value).strip()


def _identity_misread(cell: IdentityCell, value: Any) -> tuple[str, str] | None:
    """(problem, expected) for an identity value read otherwise than shown; None if read alike."""
    if is_error_value(value):
        return f"显示错误值 {value}", f"直接填写{cell.label}(不要引用出错的公式)"
    if isinstance(value, bool):
        return f"是逻辑值 {describe_value(value)}", f"填写{cell.label}"
    if not isinstance(value, str) or not value.strip():
        return None  # a number (工号 1001) reads as shown; blank: identity_problems
    hidden = hidden_characters_problem(value, "")
    if hidden is not None:
        return hidden
    plain = value.strip()
    if cell.field == "employee_id" and unicodedata.normalize("NFKC", plain) != plain:
        fixed = unicodedata.normalize("NFKC", plain).strip()
        return f"填了 {describe_value(value)}(含全角字符,与名单中的工号不同)", fixed
    if plain != value:
        where = (
            "前后有空格"
            if value[0].isspace() and value[-1].isspace()
            else "前面有空格"
            if value[0].isspace()
            else "末尾有空格"
        )
        return f"填了 {describe_value(value)}({where},与表中显示的不一致)", plain
    return None


def sheet_name_problem(file: str, read: SheetRead) -> Finding | None:
    """A per-person sheet whose tab no longer matches the person on it (renamed or copied)."""
    if read.reading is None or not read.form.per_person:
        return None
    pid = identity_text(read.reading.identity.get("employee_id"))
    name = identity_text(read.reading.identity.get("name"))
    if not pid:
        return None
    expected = read.form.sheet_name(pid, name)
    if read.sheet != expected and pid not in read.sheet:
        return Finding(
            file,
            read.sheet,
            "",
            f"工作表名称与表内工号 {pid} 不符(工作表可能被改名或复制)",
            f"工作表名「{expected}」",
            WARNING,
            pid,
        )
    return None


def tamper_problems(file: str, read: SheetRead) -> list[Finding]:
    """Computed cells that no longer hold a formula: someone typed a number over it."""
    findings = []
    pid = identity_text(read.reading.identity.get("employee_id")) if read.reading else ""
    for cell in read.form.computed:
        if cell.address in read.formulas:
            continue
        value = read.cells.get(cell.address)
        problem = (
            f"{cell.label}是计算单元格,公式被删除"
            if value is None
            else f"{cell.label}是计算单元格,公式被改成了固定值 {describe_value(value)}"
        )
        findings.append(Finding(file, read.sheet, cell.address, problem, RESTORE, ERROR, pid))
    return findings


def stray_problems(file: str, read: SheetRead) -> list[Finding]:
    """What was typed on a form sheet outside its entry cells (the sheet's protection lifted
    first): neither the sheet's formulas nor xlpy count it, so it is said on its cell rather than
    lost in silence. The signature rows are for signing, remark cells (备注) for notes, rows
    above and columns left of the form for headings of the department's own; a table form's
    rows are responses."""
    form = read.form
    if form.table is not None:
        return []
    known, entry_cells, top, left = memo(form, "typed cells", lambda: _typed_cells(form))
    pid = identity_text(read.reading.identity.get("employee_id")) if read.reading else ""
    stray = []
    for row, line in enumerate(read.cells.rows()[top:], start=top):
        kept = known.get(row, ())
        if kept is None:  # a signature row
            continue
        for column, value in enumerate(line[left:], start=left):
            if value is not None and column not in kept and not is_blank(value):
                stray.append((row, column))
    findings = []
    for row, column in stray[:STRAY_SHOWN]:
        in_row = entry_cells.get(row)
        fix = STRAY_IN_ROW.format(cells="、".join(in_row)) if in_row else STRAY_FIX
        findings.append(Finding(file, read.sheet, a1(row, column), STRAY, fix, WARNING, pid))
    if len(stray) > STRAY_SHOWN:
        last = findings[-1]
        more = f"{STRAY}(本表共 {len(stray)} 个这样的单元格,其余未逐一列出)"
        findings[-1] = Finding(last.file, last.sheet, last.cell, more, last.expected, WARNING, pid)
    return findings


def _typed_cells(
    form: Form,
) -> tuple[dict[int, frozenset[int] | None], dict[int, list[str]], int, int]:
    """Where something may stand, 0-based: (row -> the columns that may hold a value, None for
    a signature row; row -> its entry cells; the form's first row and column). What the form
    writes may stand, and remark cells; another text cell the template leaves empty (an unused
    entry slot) may not: what is typed there counts for nothing."""
    written = [parse_a1(c.address) for c in (*form.identity, *form.entries, *form.computed)]
    written += [
        parse_a1(t.address)
        for t in (*form.texts, *form.signatures)
        if t.text or t.style == "remark"
    ]
    entry_cells: dict[int, list[str]] = {}
    for cell in form.entries:
        entry_cells.setdefault(parse_a1(cell.address)[0], []).append(cell.address)
    columns: dict[int, set[int]] = {}
    for row, column in written:
        columns.setdefault(row, set()).add(column)
    known: dict[int, frozenset[int] | None] = {r: frozenset(c) for r, c in columns.items()}
    known |= {parse_a1(t.address)[0]: None for t in form.signatures}
    top, left = min(row for row, _ in written), min(column for _, column in written)
    return known, entry_cells, top, left


def below_table_problems(file: str, read: SheetRead) -> list[Finding]:
    """Responses typed below the rows a table form prepared (客户评价): xlpy reads them, but the
    sheets' own counts (部门评价, K5) run over the prepared rows only — unless rows were
    inserted inside the table, which the file does not tell. One warning, on the first such row
    (its values are never quoted: they may be a customer's)."""
    table = read.form.table
    if table is None:
        return []
    below = [r.row for r in read.rows if r.row is not None and r.row > table.last_row]
    if not below:
        return []
    first_column = table.columns[0].letter
    return [
        Finding(
            file,
            read.sheet,
            f"{first_column}{below[0]}",
            f"第 {below[0]} 行起有 {len(below)} 条评价在模板准备的评价行(第 {table.first_row}–"
            f"{table.last_row} 行)之下:汇总统计它们,但若表内没有插入过行,"
            "部门评价和月评分表的公式不统计",
            "把这些评价移到表内的空行;表已满时用 xlpy template --survey-rows 生成更大的表",
            WARNING,
        )
    ]
