"""The file engine and the safety helpers, on real files written by openpyxl and xlsxwriter."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter
from bad_inputs.corpus import rezip

from xlpy.engines import (
    CellMark,
    FileWorkbook,
    SheetTooLarge,
    UnreadableWorkbook,
    WorkbookPort,
    cell_value,
)
from xlpy.engines.port import values_with_errors
from xlpy.errors import XlpyError
from xlpy.shared.addresses import a1, column_letters, parse_a1
from xlpy.shared.files import atomic_write, atomic_write_bytes, backup, refuse_source
from xlpy.shared.text_cells import neutralise

LEGACY_XLS = Path(__file__).parent / "bad_inputs" / "legacy-excel97.xls"


def _openpyxl_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "月考核"
    sheet["B2"], sheet["C2"] = "工号", "E001"
    sheet["C5"], sheet["D5"] = 3, "=C5*2"
    sheet["C7"], sheet["C8"] = 1.5, True
    sheet.merge_cells("E1:F1")
    book.create_sheet("参数 & 说明")["A1"] = "x"
    book.save(path)
    return path


def _xlsxwriter_book(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("月考核")
    sheet.write_string("B2", "工号")
    sheet.write_string("C2", "E001")
    sheet.write_number("C5", 3)
    sheet.write_formula("D5", "=C5*2", None, 6)
    sheet.merge_range("E1:F1", "x")
    book.close()
    return path


def test_addresses_round_trip():
    assert [column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert parse_a1("$C$5") == (4, 2) and a1(4, 2) == "C5"
    with pytest.raises(ValueError):
        parse_a1("5C")


@pytest.mark.parametrize("writer", [_openpyxl_book, _xlsxwriter_book], ids=["inline", "shared"])
def test_values_formulas_and_merges(tmp_path, writer):
    book = FileWorkbook(writer(tmp_path / "book.xlsx"))
    assert isinstance(book, WorkbookPort)
    grid = book.values("月考核")
    assert grid[1][1:3] == ["工号", "E001"]
    assert grid[4][2] == 3.0
    assert grid[0][0] is None  # blank reads as None, grid starts at A1
    assert book.formula_cells("月考核") == {"D5"}
    assert book.merged_ranges("月考核") == ["E1:F1"]
    # openpyxl never calculates: no cached value; xlsxwriter stored the one we gave.
    assert cell_value(grid, 4, 3) == (None if writer is _openpyxl_book else 6.0)
    assert cell_value(grid, 500, 500) is None
    with pytest.raises(KeyError):
        book.values("没有这个表")


def test_sheet_names_with_xml_escapes(tmp_path):
    book = FileWorkbook(_openpyxl_book(tmp_path / "b.xlsx"))
    assert book.sheet_names() == ["月考核", "参数 & 说明"]
    assert book.values("参数 & 说明")[0][0] == "x"


def test_shared_formulas_are_found(tmp_path):
    """Excel and LibreOffice store a filled-down formula once (t="shared") and refer to it."""
    source = _openpyxl_book(tmp_path / "plain.xlsx")
    shared = tmp_path / "shared.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(shared, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<c r="C7" t="n"><v>1.5</v></c>',
                    b'<c r="C7" s="0"><f t="shared" ref="C7:C8" si="0">C5*2</f><v>6</v></c>',
                )
                data = data.replace(
                    b'<c r="C8" t="b"><v>1</v></c>', b'<c r="C8"><f t="shared" si="0"/><v>6</v></c>'
                )
            zout.writestr(item, data)
    assert FileWorkbook(shared).formula_cells("月考核") == {"D5", "C7", "C8"}


def _in_child(code: str, path: Path) -> subprocess.CompletedProcess[str]:
    """``code`` run with ``path`` as its argument in a child process: were calamine to build a
    grid for a far cell, it would abort that process, not the test run."""
    return subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_far_away_cell_is_refused_without_crashing(tmp_path):
    """calamine would try to allocate the whole 1,048,576 × 16,384 grid and abort the process;
    run in a child process so a regression cannot take the test run down with it."""
    book = openpyxl.Workbook()
    book.active.title = "月考核"
    book.active["A1"], book.active["XFD1048576"] = 1, 2
    path = tmp_path / "huge.xlsx"
    book.save(path)
    code = (
        "import sys; from xlpy.engines import FileWorkbook, SheetTooLarge\n"
        "try:\n    FileWorkbook(sys.argv[1]).values('月考核')\n"
        "except SheetTooLarge as e:\n    print(e)\n"
    )
    run = _in_child(code, path)
    assert run.returncode == 0, run.stderr[-500:]
    assert "月考核!XFD1048576" in run.stdout and "工作表过大" in run.stdout
    with pytest.raises(SheetTooLarge):
        FileWorkbook(path).values("月考核")


def test_wide_but_sparse_sheet_is_refused(tmp_path):
    """ZZ9999 is within Excel's limits but would make a 7-million-cell grid."""
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active["A1"], book.active["ZZ9999"] = 1, 2
    book.active["AB100"] = 3
    path = tmp_path / "wide.xlsx"
    book.save(path)
    with pytest.raises(SheetTooLarge, match="ZZ9999"):
        FileWorkbook(path).values("S")


def test_far_row_without_cell_references_is_refused(tmp_path):
    """Cells may omit their r attribute; a last row numbered 1048576 then still makes calamine
    build a million-row grid (~850 MiB for 26 columns), so the row number alone refuses it."""
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active["A1"], book.active["Z1"] = 1, 2
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    far = tmp_path / "far.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(far, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b'<row r="1048576"><c t="n"><v>5</v></c></row></sheetData>'
                )
            zout.writestr(item, data)
    assert FileWorkbook(plain).values("S")[0][25] == 2
    with pytest.raises(SheetTooLarge, match="1048576"):
        FileWorkbook(far).values("S")


# Far rows and cells that hold no value (LibreOffice writes empty <row r="1048576"> elements
# after rows were deleted) add nothing to calamine's grid; a far cell with a value, written
# however oddly, does.
FAR_WITHOUT_VALUE = {
    "empty-rows": b'<row r="1048575" ht="12.8"></row><row r="1048576" customFormat="false"/>',
    "styled-row": b"<row r='1048576' s='3' customFormat='1' ht='12.8'></row>",
    "style-only-cell": b'<row r="1048576"><c r="XFD1048576" s="1"/></row>',
    "empty-cell-element": b"<row r = '900000'><c r = 'ZZ900000' s = '1'>\n</c></row>",
    "prefixed-empty": b'<x:row r="1048576"><x:c r="XFD1048576" s="1"/></x:row>',
}
FAR_WITH_VALUE = {
    "value": b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "inline-string": b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t/></is></c></row>',
    "formula": b'<row r="1048576"><c r = "XFD1048576"><f>1+1</f></c></row>',
    "prefixed": b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>',
    "end-tag-in-comment": b'<row r="1048576"><c r="XFD1048576"><!-- </c> --><v>1</v></c></row>',
}


def _with_tail(tmp_path: Path, name: str, tail: bytes) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active["A1"], book.active["C3"] = 1, 2
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    prefix = b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet ", b"<worksheet" + prefix + b" ", 1)
        return xml.replace(b"</sheetData>", tail + b"</sheetData>", 1)

    return rezip(plain, tmp_path / f"{name}.xlsx", "xl/worksheets/sheet1.xml", edit)


_READ_IN_CHILD = (
    "import sys; from xlpy.engines import FileWorkbook, SheetTooLarge\n"
    "try:\n    grid = FileWorkbook(sys.argv[1]).values('S')\n"
    "    print(len(grid), max(map(len, grid)))\n"
    "except SheetTooLarge as e:\n    print(e)\n"
)


@pytest.mark.parametrize("kind", list(FAR_WITHOUT_VALUE))
def test_far_rows_and_cells_without_a_value_are_not_too_large(kind, tmp_path):
    """Read in a child process: were calamine to build a grid for them, it would abort."""
    path = _with_tail(tmp_path, kind, FAR_WITHOUT_VALUE[kind])
    run = _in_child(_READ_IN_CHILD, path)
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.split() == ["3", "3"], run.stdout
    book = FileWorkbook(path)
    if kind in ("empty-rows", "styled-row"):
        book.check_whole()  # no <c> element: nothing for openpyxl either
    else:  # openpyxl makes a cell of every <c>, and the formulas engine iterates them densely
        with pytest.raises(SheetTooLarge):
            book.check_whole()


@pytest.mark.parametrize("kind", list(FAR_WITH_VALUE))
def test_far_cell_with_a_value_is_refused_however_written(kind, tmp_path):
    path = _with_tail(tmp_path, kind, FAR_WITH_VALUE[kind])
    with pytest.raises(SheetTooLarge, match="XFD1048576"):
        FileWorkbook(path).values("S")


def test_cached_errors_are_public_on_both_engines(tmp_path):
    """A cached #DIV/0! reads as blank in values() (calamine; xlwings without err_to_str): the
    port's error_cells names it, for the file engine from the XML, for the live one from the
    error texts xlwings gives with err_to_str."""
    from xlpy.engines.live import errors_in

    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active["A1"], book.active["B2"] = 1, "=1/0"
    plain = tmp_path / "plain.xlsx"
    book.save(plain)

    def with_result(xml: bytes) -> bytes:  # as Excel saves it: with its result
        xml = xml.replace(b"<f>1/0</f><v />", b"<f>1/0</f><v>#DIV/0!</v>")
        return xml.replace(b'<c r="B2"', b'<c r="B2" t="e"', 1)

    cached = rezip(plain, tmp_path / "cached.xlsx", "xl/worksheets/sheet1.xml", with_result)
    workbook = FileWorkbook(cached)
    assert cell_value(workbook.values("S"), 1, 1) is None
    assert workbook.error_cells("S") == {"B2": "#DIV/0!"}
    assert FileWorkbook(plain).error_cells("S") == {}
    assert errors_in([[1.0, "#DIV/0!"], ["#N/A", "#没有"]]) == {"B1": "#DIV/0!", "A2": "#N/A"}
    assert errors_in("#REF!") == {"A1": "#REF!"}
    # Windows: xlwings passes Excel 365's newer errors on as COM numbers (0x800A0000 + 2045)
    assert errors_in([[-2146826243, 3.0]]) == {"A1": "#SPILL!"}


def test_a_sheet_with_an_error_calamine_does_not_know_is_read(tmp_path):
    """Excel 365 caches #SPILL!, #CALC!, #BUSY! …, which python-calamine refuses (the whole
    sheet): the sheet is still read, the error named on its cell, and the other sheets of the
    package read as before (the stand-in copy leaves the file's own zip directory alone)."""
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active["A1"], book.active["B2"] = 1, "=SEQUENCE(2)"
    book.create_sheet("T")["A1"] = "other"
    plain = tmp_path / "plain.xlsx"
    book.save(plain)

    def spilled(xml: bytes) -> bytes:
        xml = xml.replace(b"<f>SEQUENCE(2)</f><v />", b"<f>SEQUENCE(2)</f><v>#SPILL!</v>")
        return xml.replace(b'<c r="B2"', b'<c r="B2" t="e"', 1)

    cached = rezip(plain, tmp_path / "spilled.xlsx", "xl/worksheets/sheet1.xml", spilled)
    with pytest.raises(python_calamine.CalamineError):
        python_calamine.CalamineWorkbook.from_path(cached).get_sheet_by_name("S").to_python()
    workbook = FileWorkbook(cached)
    assert values_with_errors(workbook, "S") == [[1.0, None], [None, "#SPILL!"]]
    assert workbook.values("T") == [["other"]]


def test_formula_search_matches_the_full_regex(tmp_path):
    """The byte search for formula cells agrees with the exhaustive regex, data validation
    formulas (<formula1>) and self-closing cells included."""
    from xlpy.engines.file import _FORMULA_CELL, _formula_refs

    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(1, 30):
        sheet.cell(row, 1, row)
        sheet.cell(row, 2, f"=A{row}*2" if row % 3 else None)
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="whole", operator="between", formula1="0", formula2="9")
    sheet.add_data_validation(validation)
    validation.add("C1:C9")
    path = tmp_path / "f.xlsx"
    book.save(path)
    xml = FileWorkbook(path)._sheet_xml("Sheet")
    assert b"<formula1>" in xml
    expected = {ref.decode() for ref in _FORMULA_CELL.findall(xml)}
    assert set(_formula_refs(xml)) == expected == {f"B{r}" for r in range(1, 30) if r % 3}


def _encrypted(source: Path) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with source.open("rb") as handle:
        OOXMLFile(handle).encrypt("密码123", out)
    return out.getvalue()


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("empty", "文件为空"),
        ("truncated", "文件已损坏"),
        ("encrypted", "已加密"),
        ("legacy", ".xls"),
        ("html", "网页"),
        ("text", "不是 Excel 工作簿"),
        ("xlsb", ".xlsb"),
        ("zip", "缺少 xl/workbook.xml"),
    ],
)
def test_unreadable_files_get_a_clear_message(tmp_path, kind, expected):
    good = _openpyxl_book(tmp_path / "good.xlsx").read_bytes()
    data = {
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "encrypted": _encrypted(tmp_path / "good.xlsx") if kind == "encrypted" else b"",
        "legacy": LEGACY_XLS.read_bytes(),
        "html": "<html><body><table><tr><td>工号</td></tr></table></body></html>".encode(),
        "text": "工号,姓名\nE001,张三\n".encode(),
    }.get(kind)
    path = tmp_path / f"{kind}.xlsx"
    if kind in ("xlsb", "zip"):
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/workbook.bin" if kind == "xlsb" else "readme.txt", b"x")
    else:
        path.write_bytes(data)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(UnreadableWorkbook) as caught:
        FileWorkbook(path)
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"{kind}.xlsx · ")
    assert caught.value.expected  # always says what is expected instead
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_marked_copy_leaves_source_untouched(tmp_path):
    source = _openpyxl_book(tmp_path / "src.xlsx")
    before = source.read_bytes()
    out = tmp_path / "out" / "src-标记.xlsx"
    FileWorkbook(source).mark(
        [
            CellMark("月考核", "C5", "计数应为整数"),
            CellMark("月考核", "C5", "第二个问题", "warning"),
            CellMark("月考核", "C7", "只是提醒", "warning"),
        ],
        out,
    )
    assert source.read_bytes() == before
    sheet = openpyxl.load_workbook(out)["月考核"]
    assert sheet["C5"].fill.start_color.rgb == "FFFF9999"
    assert sheet["C5"].comment.text == "计数应为整数\n第二个问题"
    assert sheet["C7"].fill.start_color.rgb == "FFFFE699"
    assert sheet["C5"].value == 3 and sheet["D5"].value == "=C5*2"
    with pytest.raises(XlpyError, match="源文件"):
        FileWorkbook(source).mark([], source)


def test_neutralise_formula_like_text():
    for text in ("=1+1", "+86 139", "-3", "@SUM(A1)", "＝HYPERLINK()", "\t=x"):
        assert neutralise(text) == "'" + text
    assert neutralise("张三") == "张三" and neutralise(3) == 3 and neutralise(None) is None


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "汇总.xlsx"
    atomic_write_bytes(target, b"old")

    def broken(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]


def test_backup_moves_existing_file(tmp_path):
    target = tmp_path / "汇总-2026-03.xlsx"
    assert backup(target) is None
    target.write_bytes(b"v1")
    first = backup(target)
    target.write_bytes(b"v2")
    second = backup(target)
    assert not target.exists() and first != second
    assert first.read_bytes() == b"v1" and second.read_bytes() == b"v2"
    assert first.parent.name == "备份"


def test_refuse_source(tmp_path):
    with pytest.raises(XlpyError):
        refuse_source(tmp_path / "a.xlsx", [tmp_path / "b.xlsx", tmp_path / "." / "a.xlsx"])
    refuse_source(tmp_path / "c.xlsx", [tmp_path / "a.xlsx"])
    existing, other = tmp_path / "summary.xlsx", tmp_path / "other.xlsx"
    existing.write_bytes(b"x")
    other.write_bytes(b"x")
    (tmp_path / "link.xlsx").symlink_to(existing)
    os.link(existing, tmp_path / "hard.xlsx")
    for source in ("summary.xlsx", "link.xlsx", "hard.xlsx"):  # the file itself, linked to
        with pytest.raises(XlpyError, match="输出文件与源文件相同"):
            refuse_source(existing, [other, tmp_path / source])
    refuse_source(existing, [other])


@pytest.mark.parametrize(
    "workbook",
    [
        b'<sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets>',
        b'<x:sheets><x:sheet name="sheet 1" r:id="rId1"/><x:sheet\tname="b" r:id="r2"/></x:sheets>',
        b"<sheets><sheet name='<sheet >' r:id='rId1'/><sheet name=\"x>y\" r:id=\"rId2\"/></sheets>",
        b'<definedNames><definedName name="sheet">sheet!A1</definedName></definedNames>'
        b'<sheets><sheetX/><sheet\nname="c" r:id="rId3"/><a.b-c:sheet name="d" r:id="r4"/>',
        b'<sheet name="unclosed" r:id="rId1"<sheet name="e" r:id="rId2"/>',
        b"<sheetsheet ><sheet sheet='sheet'/>sheet<sheet/>",
    ],
)
def test_sheet_tags_are_those_the_regex_finds(workbook):
    from xlpy.engines.file import _SHEET, sheet_tags

    assert sheet_tags(workbook) == _SHEET.findall(workbook)
    assert sheet_tags(b"<workbook>" + workbook * 3) == _SHEET.findall(b"<workbook>" + workbook * 3)


@pytest.mark.parametrize("state, very", [("hidden", False), ("veryHidden", True)])
def test_hidden_sheets_are_told_apart(tmp_path, state, very):
    plain = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(str(plain))
    book.add_worksheet("可见")
    book.add_worksheet("藏起来").write(0, 0, 1)
    book.close()
    hidden = rezip(
        plain,
        tmp_path / f"{state}.xlsx",
        "xl/workbook.xml",
        lambda xml: xml.replace(
            '<sheet name="藏起来"'.encode(), f'<sheet state="{state}" name="藏起来"'.encode()
        ),
    )
    assert FileWorkbook(plain).hidden_sheets() == {}
    assert FileWorkbook(hidden).hidden_sheets() == {"藏起来": very}


def test_defined_names_are_read_however_written():
    """Workbook-level names only (Print_Area is local to its sheet), in either quote kind and
    with entities resolved; two files whose parameter names are written alike share one
    parsed result (the batch of split files), and a different one is parsed anew."""
    from xlpy.engines.file import defined_names

    head = b"<workbook><definedNames>"
    local = b'<definedName name="_xlnm.Print_Area" localSheetId="3">\'A\'!$A$1:$J$28</definedName>'
    names = (
        b"<definedName name=\"prm_a\">'&#21442;&#25968;'!$C$4</definedName>"
        b"<definedName hidden='false' name='prm_b'>99</definedName>"
        b'<definedName name="x&amp;y">&quot;t&quot;</definedName>'
    )
    tail = b"</definedNames></workbook>"
    first, own = defined_names(head + local + names + tail)
    assert first == {"prm_a": "'参数'!$C$4", "prm_b": "99", "x&y": '"t"'}
    assert own == ((3, "_xlnm.Print_Area", "'A'!$A$1:$J$28"),)
    other_print_area = head + local.replace(b"'A'", b"'B'") + names + tail
    assert defined_names(other_print_area)[0] is first
    changed, _ = defined_names(head + names.replace(b"99", b"98") + tail)
    assert changed is not first and changed["prm_b"] == "98"
    shadow = b'<definedName localSheetId="0" name="prm_b">98</definedName>'
    assert defined_names(head + names + shadow + tail)[1] == ((0, "prm_b", "98"),)
    assert defined_names(b"<workbook><sheets/></workbook>") == ({}, ())
