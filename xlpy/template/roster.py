"""The roster (人员): who gets forms. Read from CSV or xlsx, checked row by row before anything
is written, so a bad row stops the job with a message naming it and leaves no file behind."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from xlpy.errors import XlpyError
from xlpy.forms import Form, sheet_name_problem
from xlpy.forms.model import same_sheet_name
from xlpy.forms.roster import (
    COLUMNS,
    REQUIRED,
    Person,
    find_header,
    header_columns,
    repeated_columns,
)
from xlpy.shared.text_files import read_text_file
from xlpy.words import (
    id_text,
    invisible_characters,
    invisible_note,
    one_line,
    same_id_note,
    shown_text,
)

FILE_NAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')  # Windows file names


def sample_roster_path() -> Path:
    return Path(str(resources.files("xlpy.samples").joinpath("roster.csv")))


@dataclass(frozen=True)
class RosterRows:
    """A roster already read into rows of text, header first (the ribbon's 人员 sheet);
    ``shown``: how messages name where the rows came from."""

    rows: list[list[str]]
    shown: str


def load_roster(
    path: str | Path | RosterRows | None,
    forms: list[Form],
    file_name: Callable[[Person], str] | None = None,
) -> list[Person]:
    """People of the roster file (the built-in sample when ``path`` is None), checked against
    the sheet names ``forms`` will give them and, given ``file_name``, the file each person
    gets. Excel and Windows ignore case, so 工号, sheet names and file names are compared
    without it. Raises XlpyError listing every bad row."""
    if isinstance(path, RosterRows):
        if not path.rows:
            raise XlpyError(f"人员名单 {path.shown} 是空表")
        return people_from_rows(path.rows, path.shown, forms, file_name)
    source = Path(path) if path is not None else sample_roster_path()
    shown = source.name if path is None else str(path)
    return people_from_rows(_read_rows(source, shown), shown, forms, file_name)


def people_from_rows(
    rows: list[list[str]],
    shown: str,
    forms: list[Form],
    file_name: Callable[[Person], str] | None = None,
) -> list[Person]:
    """The checks of :func:`load_roster` on rows already read (header first): from a file, or
    the 人员 sheet of an open workbook (``shown`` names where they came from)."""
    header, body = rows[0], rows[1:]
    index = header_columns(header)
    if index is None:
        missing = [c for c in REQUIRED if c not in header]
        raise XlpyError(
            f"人员名单 {shown}: 缺少列 {'、'.join(missing)}(第 1 行应为表头:{','.join(COLUMNS)})"
        )
    repeated = repeated_columns(header)
    if repeated:
        raise XlpyError(
            f"人员名单 {shown}: 表头中 {'、'.join(repeated)} 出现不止一次,无法确定用哪一列"
            "(每个列名只写一次)"
        )
    people: list[Person] = []
    problems: list[str] = []
    ids: dict[str, tuple[int, str]] = {}  # 工号 without case -> (row, 工号 as typed)
    names: dict[str, tuple[int, str]] = {}  # sheet or file name without case -> (row, name)
    for number, values in enumerate(body, start=2):
        if not any(v.strip() for v in values):
            continue
        fields = {key: (values[i].strip() if i < len(values) else "") for key, i in index.items()}
        person = Person(**fields)
        where = f"人员名单 {shown} 第 {number} 行"
        for word, field in COLUMNS.items():
            text = fields.get(field, "")
            if invisible_characters(text):
                problems.append(
                    f"{where}: {word} {shown_text(text)} {invisible_note(text)}"
                    "(从网页或聊天软件复制时带入,单元格里看不见),请删除"
                )
            elif one_line(text) != text:
                problems.append(f"{where}: {word} {shown_text(text)} 含换行或制表符,请改为一行")
        key = person.employee_id.casefold()
        unique = False
        if not person.employee_id:
            problems.append(f"{where}: 工号为空")
        elif key in ids:
            row, typed = ids[key]
            note = same_id_note(typed, person.employee_id)
            shown_id = shown_text(person.employee_id)
            problems.append(f"{where}: 工号 {shown_id} 重复(与第 {row} 行{note})")
        else:
            ids[key], unique = (number, person.employee_id), True
        if not person.name:
            problems.append(f"{where}: 姓名为空")
        if unique and person.name:
            problem = _name_problem(person, number, forms, file_name, names)
            if problem:
                problems.append(f"{where}({shown_text(person.name)}): {problem}")
        people.append(person)
    if problems:
        raise XlpyError("人员名单有误,未生成任何文件:\n" + "\n".join(problems))
    if not people:
        raise XlpyError(f"人员名单 {shown} 没有人员")
    return people


def _name_problem(
    person: Person,
    row: int,
    forms: list[Form],
    file_name: Callable[[Person], str] | None,
    seen: dict[str, tuple[int, str]],
) -> str | None:
    """Why a person's sheet or file names cannot be used, or None (their names then join
    ``seen``)."""
    sheets = [form.sheet_name(person.employee_id, person.name) for form in forms]
    for sheet in sheets:
        problem = sheet_name_problem(sheet)
        if problem:
            return f"{problem},请缩短或改正姓名/工号"
    names = [("工作表", same_sheet_name(sheet), sheet) for sheet in sheets]
    if file_name is not None:
        file = file_name(person)
        bad = sorted(set(FILE_NAME_FORBIDDEN.findall(file)))
        if bad:
            bad_chars = " ".join(bad)
            return f"文件名{shown_text(file)}含有 Windows 不允许的字符 {bad_chars},请改正姓名/工号"
        names.append(("文件", file.casefold(), file))
    for kind, key, name in names:
        if key in seen:
            other_row, other = seen[key]
            return (
                f"{kind}名{shown_text(name)}与第 {other_row} 行的{shown_text(other)}只差大小写,"
                "Excel/Windows 视为同名,请改正姓名/工号"
            )
    seen.update((key, (row, name)) for _, key, name in names)
    return None


def _read_rows(source: Path, shown: str) -> list[list[str]]:
    try:
        if source.suffix.lower() in (".xlsx", ".xlsm"):
            return _xlsx_rows(source)
        rows = _csv_rows(read_text_file(source, shown), shown)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise XlpyError(f"无法读取人员名单 {shown}: {exc}") from None
    if not rows:
        raise XlpyError(f"人员名单 {shown} 是空文件")
    return [[cell.strip() for cell in row] for row in rows]


def _csv_problem(error: csv.Error) -> str:
    """What the csv module's complaint means: for decoded text (NUL refused before) with the
    default dialect it raises for an overlong field only."""
    if "field limit" in str(error):
        return f"有一格超过 {csv.field_size_limit()} 个字符,不像人员名单"
    return "无法按 CSV 读取"


# Excel's CSV; its "Unicode 文本" export (UTF-16, tab-separated); a CSV written where ";" is the
# list separator. The first that gives a header row is used; the comma's rows otherwise (their
# header problem is reported).
DELIMITERS = (",", "\t", ";")


def _csv_rows(text: str, shown: str) -> list[list[str]]:
    comma: list[list[str]] | None = None
    for delimiter in DELIMITERS:  # the usual comma file is parsed once
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise XlpyError(
                f"第 {reader.line_num} 行{_csv_problem(exc)}",
                file=shown,
                expected="每格一项人员信息的 CSV 文件",
            ) from None
        if find_header(rows):
            return rows
        comma = rows if comma is None else comma
    return comma or []


def _xlsx_rows(source: Path) -> list[list[str]]:
    from xlpy.engines import FileWorkbook

    book = FileWorkbook(source)  # the engine's guards: file kind, size, extent
    return [[id_text(v) for v in row] for row in book.values(book.sheet_names()[0])]
