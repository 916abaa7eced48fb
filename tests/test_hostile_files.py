"""Hostile files on every path xlpy reads: crafted XML the extent guard must see through, files a
reader would crash or hang on, files that must be named rather than skipped, and user text that
must never become a live formula. Each kind runs the CLI in a child process (a crash or a hang
there cannot take the test run down) and asserts the Chinese message, the file/sheet/cell named,
unchanged source bytes and no traceback, within a time bound."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.corpus import BOUND, MONTH, base_workbook, sheet_of

from xlpy.engines import FileWorkbook
from xlpy.engines.extent import canonical

XLPY = [str(Path(sys.executable).with_name("xlpy"))]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run(
        [*XLPY, *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        cwd=cwd,
        check=False,
        env={**os.environ, "COLUMNS": "1000"},
    )
    assert time.monotonic() - started < BOUND
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-2000:]
    assert done.returncode in (0, 1, 2), (done.returncode, done.stderr[-2000:])
    return done


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def rezip(source: Path, target: Path, member: str, edit: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item.filename, edit(data) if item.filename == member else data)
    return target


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
    converted = tmp_path / "lo"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(converted), str(good)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    for path in (good, converted / good.name):
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


RECALC_KINDS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
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


# ── no formula from user text ───────────────────────────────────────────────────────────────
INJECTIONS = {
    "equals-hyperlink": '=HYPERLINK("http://evil.example","点我")',
    "dde-command": "=cmd|' /C calc'!A0",
    "plus": "+SUM(1,2)",
    "minus": "-1+2",
    "at-sign": "@SUM(A1)",
    "full-width-equals": "＝1+1",
}


@pytest.mark.parametrize("kind", list(INJECTIONS))
def test_roster_text_never_becomes_a_formula(kind, tmp_path):
    text = INJECTIONS[kind]
    roster = tmp_path / "roster.csv"
    quoted = '"' + text.replace('"', '""') + '"'
    roster.write_text(
        f"工号,姓名,班组,主管\n1001,张伟,{quoted},{quoted}\n1002,李娜,二班,{quoted}\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.xlsx"
    done = run("template", "--month", MONTH, "--roster", str(roster), "-o", str(out))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as package:
        formulas = b"".join(
            b"".join(re.findall(rb"<f>([^<]*)</f>", package.read(name)))
            for name in package.namelist()
            if name.startswith("xl/worksheets/")
        )
        strings = package.read("xl/sharedStrings.xml").decode()
    for marker in ("HYPERLINK", "cmd|", "SUM(1,2)", "-1+2", "@SUM", "＝1+1"):
        assert marker.encode() not in formulas
    escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    assert escaped in strings or text in strings  # kept as text, as the roster had it


def test_identity_formula_is_flagged(good, tmp_path):
    book = openpyxl.load_workbook(good)
    from xlpy.forms import all_forms
    from xlpy.rules import default_rules

    cell = all_forms(default_rules())["M"].identity_cell("team").address
    book[SHEET][cell] = '=HYPERLINK("http://evil.example","一班")'
    hostile = tmp_path / "formula-in-identity.xlsx"
    book.save(hostile)
    before = sha(hostile)
    done = run("validate", str(hostile))
    assert f"错误 formula-in-identity.xlsx · {SHEET}!{cell} · 班组单元格里是公式" in done.stdout
    assert sha(hostile) == before


def _identity(field: str) -> str:
    from xlpy.forms import all_forms
    from xlpy.rules import default_rules

    return all_forms(default_rules())["M"].identity_cell(field).address


# kind -> (identity field, what is put in its cell, message, expected): identity cells are
# checked as entries are, each an error on its cell (the form is then not scored)
IDENTITY_KINDS: dict[str, tuple[str, object, str, str]] = {
    "id-cached-error": ("employee_id", "#N/A", "工号显示错误值 #N/A", "直接填写工号"),
    "name-cached-error": ("name", "#REF!", "姓名显示错误值 #REF!", "直接填写姓名"),
    "month-cached-error": ("month", "#VALUE!", "月份显示错误值 #VALUE!", "直接填写月份"),
    "id-formula-without-result": ("employee_id", "=A1", "工号单元格里是公式", "直接填写工号"),
    "month-formula": ("month", '=TEXT(TODAY(),"yyyy-mm")', "月份单元格里是公式", "直接填写月份"),
    "id-trailing-space": ("employee_id", "1001 ", "工号填了 “1001 ”(末尾有空格", "1001"),
    "id-full-width": ("employee_id", "１００１", "工号填了 “１００１”(含全角字符", "1001"),
    "name-leading-space": ("name", " 张伟", "姓名填了 “ 张伟”(前面有空格", "张伟"),
    "team-ideographic-space": ("team", "一班\u3000", "班组填了 “一班\u3000”(末尾有空格", "一班"),
    "supervisor-logical": ("supervisor", True, "主管是逻辑值 TRUE", "填写主管"),
    "month-trailing-space": ("month", f"{MONTH} ", f"月份填了 “{MONTH} ”(末尾有空格", MONTH),
}


@pytest.mark.parametrize("kind", list(IDENTITY_KINDS))
def test_identity_cells_read_as_the_sheet_shows_them(kind, good, tmp_path):
    field, value, message, expected = IDENTITY_KINDS[kind]
    cell = _identity(field)
    book = openpyxl.load_workbook(good)
    book[SHEET][cell] = value  # openpyxl writes "#N/A" as a cached error value (t="e")
    hostile = tmp_path / f"{kind}.xlsx"
    book.save(hostile)
    before = sha(hostile)
    done = run("validate", str(hostile))
    lines = [x for x in done.stdout.splitlines() if f"{SHEET}!{cell} · {message}" in x]
    assert lines and lines[0].startswith(f"错误 {kind}.xlsx · "), done.stdout
    assert f"应为 {expected}" in lines[0]
    assert "#" not in done.stdout.replace(message, "").replace(f"“{value}”", "")
    assert sha(hostile) == before


WILDCARD_TEAMS = {"asterisk": "一*", "question-mark": "一?", "tilde": "~一", "formula-text": "=1+1"}


@pytest.mark.parametrize("kind", list(WILDCARD_TEAMS))
def test_distribution_counts_are_exact_matches(kind, tmp_path):
    """分布 recalculated by LibreOffice gives the counts xlpy cached: no wildcard criteria."""
    from bad_inputs.corpus import PEOPLE, _entries

    from xlpy.demo.fill import fill_month
    from xlpy.forms import all_forms
    from xlpy.rules import default_rules
    from xlpy.template import generate

    team = WILDCARD_TEAMS[kind]
    people = [
        (PEOPLE[0][0], PEOPLE[0][1], team),
        (PEOPLE[1][0], PEOPLE[1][1], "一班"),
        (PEOPLE[2][0], PEOPLE[2][1], "一二"),
    ]
    roster = tmp_path / "roster.csv"
    quoted = '"' + team.replace('"', '""') + '"'
    roster.write_text(
        "工号,姓名,班组\n"
        + "".join(f"{p},{n},{quoted if t == team else t}\n" for p, n, t in people),
        encoding="utf-8",
    )
    blank = generate(MONTH, tmp_path / "blank.xlsx", roster, schemes=("M",), variant="native")[0]
    folder = tmp_path / "month"
    folder.mkdir()
    fill_month(
        blank,
        folder / "m.xlsx",
        _entries(),
        all_forms(default_rules()),
        [(p, n) for p, n, _ in people],
    )
    done = run("consolidate", str(folder), "--month", MONTH)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = folder / f"汇总-{MONTH}.xlsx"
    with zipfile.ZipFile(summary) as package:
        sheets = b"".join(
            package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/")
        )
    assert b"COUNTIF" not in sheets and team.replace("=", "").encode() not in b"".join(
        re.findall(rb"<f>([^<]*)</f>", sheets)
    )
    cached = _distribution(summary)
    recalculated = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(recalculated),
            str(summary),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    assert _distribution(recalculated / summary.name) == cached
    assert sum(cached.values()) > 0


def _distribution(path: Path) -> dict[tuple[int, int], float]:
    sheet = openpyxl.load_workbook(path, data_only=True)["分布"]
    return {
        (c.row, c.column): c.value
        for row in sheet.iter_rows(min_row=4, max_row=12)
        for c in row
        if isinstance(c.value, (int, float))
    }


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
