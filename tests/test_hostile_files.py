"""Hostile files on every path xlpy reads: crafted XML the extent guard must see through, files a
reader would crash or hang on, and files that must be named rather than skipped (user text:
test_hostile_text.py; dying workers: test_hostile_workers.py). Each kind runs the CLI in a child
process (a crash or a hang there cannot take the test run down) and asserts the Chinese message,
the file/sheet/cell named, unchanged source bytes and no traceback, within a time bound."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.corpus import MONTH, base_workbook, rezip, run, sha, sheet_of
from lo_convert import soffice_xlsx

from xlpy.engines import FileWorkbook
from xlpy.engines.extent import canonical


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return base_workbook(tmp_path_factory.mktemp("good"))


SHEET = sheet_of(0)


def _append(rows: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def _prefixed(xml: bytes) -> bytes:
    """The whole sheet in a prefixed namespace (x:worksheet, x:row, x:c …), then a far cell."""
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xml = xml.replace(main, main.replace(b"xmlns=", b"xmlns:x="), 1)
    xml = re.sub(rb"<(/?)(?=[A-Za-z])", rb"<\1x:", xml)
    return xml.replace(
        b"</x:sheetData>",
        b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData>',
        1,
    )


# kind -> (edit of the form sheet's XML, message, cell named)
EXTENT_KINDS: dict[str, tuple[Callable[[bytes], bytes], str, str]] = {
    "single-quotes": (
        _append(b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"),
        "工作表过大",
        "XFD1048576",
    ),
    "spaces-around-equals": (
        _append(b'<row r = "1048576" ><c r = "XFD1048576"><v>1</v></c></row>'),
        "工作表过大",
        "XFD1048576",
    ),
    "newline-in-tag": (
        _append(b'<row\n r="1048576"><c\n\tr="XFD1048576"><v>1</v></c></row>'),
        "工作表过大",
        "XFD1048576",
    ),
    "entity-in-address": (
        _append(b'<row r="&#49;048576"><c r="&#88;FD1048576"><v>1</v></c></row>'),
        "工作表过大",
        "XFD1048576",
    ),
    "lowercase-column": (
        _append(b'<row r="60"><c r="xfd60"><v>1</v></c></row>'),
        "工作表过大",
        "XFD60",
    ),
    "single-quoted-wide-column": (
        _append(b"<row r='60'><c r='AAA60'><v>1</v></c></row>"),
        "工作表过大",
        "AAA60",
    ),
    "cells-without-r": (
        _append(b'<row r="60">' + b"<c><v>1</v></c>" * 800 + b"</row>"),
        "工作表过大",
        "ADT60",
    ),
    "rows-without-r": (
        _append(b"<row/>" * 120_000 + b"<row><c><v>1</v></c></row>"),
        "工作表过大",
        "120029",  # the row after the 120,000 rows without r (the last column: the form's)
    ),
    "value-after-end-tag-in-comment": (
        _append(b'<row r="1048576"><c r="XFD1048576"><!-- </c> --><v>1</v></c></row>'),
        "工作表过大",
        "XFD1048576",
    ),
    "inline-string-far": (
        _append(b"<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t/></is></c></row>"),
        "工作表过大",
        "XFD1048576",
    ),
    "namespace-prefix": (_prefixed, "工作表过大", "XFD1048576"),
    "garbage-address": (
        _append(b'<row r="60"><c r="A-1"><v>1</v></c></row>'),
        "无效的单元格地址",
        "",
    ),
}


@pytest.mark.parametrize("kind", list(EXTENT_KINDS))
def test_extent_guard_sees_through_crafted_xml(kind, good, tmp_path):
    """Without the guard calamine aborts the process (SIGABRT, exit 134) on most of these."""
    edit, message, cell = EXTENT_KINDS[kind]
    member = FileWorkbook(good)._parts[SHEET]
    hostile = rezip(good, tmp_path / f"{kind}.xlsx", member, edit)
    before = sha(hostile)
    done = run("validate", str(hostile))
    line = next((x for x in done.stdout.splitlines() if message in x), "")
    assert line, done.stdout
    assert line.startswith(f"错误 {kind}.xlsx · {SHEET}")
    assert cell in line
    assert sha(hostile) == before


def test_fast_path_holds_for_what_real_writers_save(good, tmp_path):
    """xlsxwriter (our template), openpyxl (the corpus) and LibreOffice write canonical XML: the
    per-cell scan is skipped for them, so the guard costs one regex search per sheet."""
    for path in (good, soffice_xlsx(good, tmp_path / "lo")):
        with zipfile.ZipFile(path) as package:
            sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
            assert sheets and all(canonical(package.read(n)) for n in sheets), path


def _summary_folder(good: Path, folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(good, folder / "good.xlsx")
    return folder


def _far_sheet(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "汇总"
    book.active["A3"] = "工号"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    member = FileWorkbook(path)._parts["汇总"]
    temp = path.with_name("plain-" + path.name)
    shutil.move(path, temp)
    rezip(temp, path, member, _append(b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"))
    temp.unlink()
    return path


def test_hostile_previous_summary_does_not_stop_the_month(good, tmp_path):
    folder = _summary_folder(good, tmp_path / "month")
    previous = _far_sheet(folder / "汇总-2026-02.xlsx")
    before = sha(previous)
    done = run("consolidate", str(folder / "good.xlsx"), "--month", MONTH)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (folder / f"汇总-{MONTH}.xlsx").is_file()
    assert sha(previous) == before


def test_hostile_roster_xlsx_is_refused_by_the_guard(tmp_path):
    roster = _far_sheet(tmp_path / "人员.xlsx")
    before = sha(roster)
    out = tmp_path / "m.xlsx"
    done = run("template", "--month", MONTH, "--roster", str(roster), "-o", str(out))
    assert done.returncode == 2
    assert "人员.xlsx · 汇总!XFD1048576 · 工作表过大" in done.stderr
    assert sha(roster) == before and not (tmp_path / "m.xlsx").exists()


def _lying_zip(good: Path, target: Path) -> Path:
    """The directory says the form sheet unpacks to 10 bytes; it unpacks to far more."""
    import struct

    shutil.copy(good, target)
    data = bytearray(target.read_bytes())
    member = FileWorkbook(good)._parts[SHEET].encode()
    with zipfile.ZipFile(target) as package:
        offset = package.getinfo(member.decode()).header_offset
    struct.pack_into("<I", data, offset + 22, 10)
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == member:
            struct.pack_into("<I", data, position + 24, 10)
        position = data.find(b"PK\x01\x02", position + 4)
    target.write_bytes(bytes(data))
    return target


_BOMB = (
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def _with_dtd(xml: bytes) -> bytes:
    return xml.replace(b"<worksheet", _BOMB + b"<worksheet", 1)


def _many_cells(good: Path, target: Path) -> Path:
    """40,000 cells on each person's sheet: each sheet within the limits, the workbook not."""
    rows = _append(
        b"".join(
            b'<row r="%d">' % i
            + b"".join(
                b'<c r="%s%d"><v>1</v></c>' % (c, i) for c in (bytes([x]) for x in b"ABCDEFGH")
            )
            + b"</row>"
            for i in range(200, 5200)
        )
    )
    book = FileWorkbook(good)
    members = {book._parts[sheet_of(i)] for i in range(3)}
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item.filename, rows(data) if item.filename in members else data)
    return target


def _strict(good: Path, target: Path) -> Path:
    """The workbook as Excel's "Strict Open XML" save format names its parts."""
    transitional = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item.filename, data.replace(transitional, strict))
    return target


def _stored_nan(good: Path, target: Path) -> Path:
    """A number cell stored as NaN: calamine reads it, openpyxl refuses the sheet."""
    return rezip(
        good,
        target,
        FileWorkbook(good)._parts[SHEET],
        lambda xml: re.sub(rb"<v>[0-9.]+</v>", b"<v>NaN</v>", xml, count=1),
    )


RECALC_KINDS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "strict-open-xml": (_strict, "这是 Strict Open XML 格式的工作簿"),
    "engine-cannot-read": (_stored_nan, "无法计算:文件中有计算引擎读不了的内容(ValueError)"),
    "not-a-zip": (lambda good, t: _write(t, b"not a workbook\n" * 50), "不是 Excel 工作簿"),
    "xml-bomb": (
        lambda good, t: rezip(good, t, FileWorkbook(good)._parts[SHEET], _with_dtd),
        "含有 XML 实体声明",
    ),
    "lying-zip": (_lying_zip, "内容与目录记录不符"),
    "huge-sheet": (
        lambda good, t: rezip(
            good,
            t,
            FileWorkbook(good)._parts[SHEET],
            _append(
                b"".join(
                    b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i)
                    for i in range(200, 150_000)
                )
            ),
        ),
        "工作表过大",
    ),
    "too-many-cells": (_many_cells, "工作簿过大"),
}


@pytest.mark.parametrize("kind", list(RECALC_KINDS))
def test_recalc_refuses_before_the_engine_loads(kind, good, tmp_path):
    make, message = RECALC_KINDS[kind]
    hostile = make(good, tmp_path / f"{kind}.xlsx")
    before = sha(hostile)
    done = run("recalc", str(hostile))
    assert done.returncode == 2
    text = done.stderr
    assert f"{kind}.xlsx · " in text and message in text, text
    assert "Traceback" not in text and "Error:" not in text.replace("ValueError", "")
    assert sha(hostile) == before


def test_print_is_guarded(tmp_path):
    book = _far_sheet(tmp_path / "单据.xlsx")
    done = run("print", str(book), "汇总")
    assert done.returncode == 2 and "工作表过大" in done.stderr


# kind -> (rules file bytes, where, problem): every fault of a TOML rules file in Chinese
RULES_FILE_KINDS: dict[str, tuple[bytes, str, str]] = {
    "duplicate-key": (
        b"[grade.bands.good]\nmin = 80\nmin = 85\n",
        "第 3 行第 9 列",
        "键重复:键 min 已经设置过一次",
    ),
    "duplicate-table": (
        b"[grade.bands.good]\nmin = 80\n[grade.bands.good]\nmin = 85\n",
        "第 3 行第 18 列",
        "表重复:[grade.bands.good] 已经出现过一次",
    ),
    "duplicate-inline-key": (b"x = {a = 1, a = 2}\n", "第 1 行第 18 列", "键重复:花括号中的 a"),
    "missing-equals": (b"grade.bands.good.min 80\n", "第 1 行第 22 列", "键后面缺少 ="),
    "bare-word-value": ("a = 是\n".encode(), "第 1 行第 5 列", "值无效"),
    "unterminated-string": (b'a = "abc\n', "第 1 行第 9 列", "文字缺少结尾的引号"),
    "unclosed-list": (b"a = [1, 2\n", "文件末尾", "列表缺少结尾的 ]"),
    "unclosed-table-header": (b"[a\nb = 1\n", "第 1 行第 3 列", "表名缺少结尾的 ]"),
    "two-statements-on-a-line": (b"a = 1 b = 2\n", "第 1 行第 7 列", "一行只能写一个"),
    "gbk-encoded": ('# 规则\nb = "是"\n'.encode("gbk"), "第 1 行", "不是 UTF-8 编码"),
}


@pytest.mark.parametrize("kind", list(RULES_FILE_KINDS))
def test_rules_file_faults_are_named_in_chinese(kind, tmp_path):
    data, where, problem = RULES_FILE_KINDS[kind]
    rules = _write(tmp_path / f"{kind}.toml", data)
    done = run("rules", str(rules))
    assert done.returncode == 2
    line = done.stderr.strip().splitlines()[-1]
    assert f"{kind}.toml · {where}: {problem}" in line, line
    assert not re.search(r"Cannot|Expected|Invalid|Illegal|line \d|column|codec", line), line
    assert sha(rules) == hashlib.sha256(data).hexdigest()


# ── every file named or read ────────────────────────────────────────────────────────────────
def _ods(good: Path, folder: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "ods", "--outdir", str(folder), str(good)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return folder / "good.ods"


def _numbers(good: Path, folder: Path) -> Path:
    path = folder / "考核.numbers"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("Index/Document.iwa", b"\x00" * 64)
        package.writestr("Metadata/Properties.plist", b"<plist/>")
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


DISCOVERY_KINDS: dict[str, tuple[Callable[[Path, Path], Path], str, str]] = {
    # kind -> (make the file in the folder, line fragment, severity word)
    "staff-file-named-like-a-summary": (lambda g, f: shutil.copy(g, f / "汇总-张伟.xlsx"), "", ""),
    "summary-month-name-not-ours": (lambda g, f: shutil.copy(g, f / "汇总-2026-03.xlsx"), "", ""),
    "hidden-dot-file": (lambda g, f: shutil.copy(g, f / ".张伟.xlsx"), "", ""),
    "ods": (_ods, "good.ods · (整个文件) · 这是 LibreOffice/WPS 的 OpenDocument 表格", "错误"),
    "numbers": (_numbers, "考核.numbers · (整个文件) · 这是苹果 Numbers 表格", "错误"),
    "csv": (
        lambda g, f: _write(f / "考核.csv", "工号,姓名\n".encode()),
        "考核.csv · (整个文件) · 未检查:CSV 文本文件",
        "警告",
    ),
    "office-lock-file": (
        lambda g, f: _write(f / "~$good.xlsx", b"\x00" * 165),
        "~$good.xlsx · (整个文件) · 未检查:Office 的临时锁定文件",
        "警告",
    ),
    "file-in-backup-folder": (
        lambda g, f: shutil.copy(g, _folder(f / "备份") / "张伟.xlsx"),
        "备份/张伟.xlsx · (整个文件) · 未检查:位于 备份 文件夹",
        "警告",
    ),
}


@pytest.mark.parametrize("kind", list(DISCOVERY_KINDS))
def test_every_file_in_the_folder_is_read_or_named(kind, good, tmp_path):
    """Staff workbooks are read whatever their name; anything not read is named with why."""
    make, fragment, severity = DISCOVERY_KINDS[kind]
    folder = tmp_path / "folder"
    folder.mkdir()
    hostile = Path(make(good, folder))
    before = sha(hostile)
    done = run("validate", str(folder))
    if fragment:
        lines = [x for x in done.stdout.splitlines() if fragment in x]
        assert lines and lines[0].startswith(severity), done.stdout
    else:  # read and checked like any other workbook (it is the clean corpus workbook)
        assert re.search(r"检查了 1 个文件.*:0 个错误,0 个警告", done.stdout), done.stdout
    assert sha(hostile) == before


def test_xlpy_outputs_in_the_folder_are_not_reread_and_reruns_are_stable(good, tmp_path):
    folder = _summary_folder(good, tmp_path / "month")
    run("consolidate", str(folder), "--month", MONTH)
    first = (folder / f"汇总-{MONTH}.xlsx").read_bytes()
    done = run("consolidate", str(folder), "--month", MONTH)
    assert "未检查" not in done.stdout and "汇总-" not in done.stdout.split("检查")[0]
    assert (folder / f"汇总-{MONTH}.xlsx").read_bytes() == first


def _requote(xml: bytes) -> bytes:
    """Every attribute in single quotes with spaces around "=" (valid XML, odd writers)."""
    return re.sub(rb'(\s[\w:]+)="([^"]*)"', rb"\1 = '\2'", xml)


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
def test_odd_quoting_of_the_workbook_directory_hides_no_sheet(member, good, tmp_path):
    requoted = rezip(good, tmp_path / "requoted.xlsx", member, _requote)
    assert FileWorkbook(requoted).sheet_names() == FileWorkbook(good).sheet_names()
    done = run("validate", str(requoted))
    assert re.search(r"检查了 1 个文件.*:0 个错误,0 个警告", done.stdout), done.stdout


def test_formulas_found_whatever_the_quoting(good, tmp_path):
    member = FileWorkbook(good)._parts[SHEET]
    requoted = rezip(good, tmp_path / "requoted.xlsx", member, _requote)
    assert FileWorkbook(requoted).formula_cells(SHEET) == FileWorkbook(good).formula_cells(SHEET)
    assert FileWorkbook(good).formula_cells(SHEET)
