"""Hostile user text: what staff type or a roster carries never becomes a live formula, identity
cells read as the sheet shows them, and the distribution's counts match team names exactly
(no wildcards). Each case runs the CLI in a child process and asserts the Chinese message, the
cell named and unchanged source bytes. Split from test_hostile_files.py (same corpus)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.corpus import MONTH, base_workbook, run, sha, sheet_of
from lo_convert import soffice_xlsx

SHEET = sheet_of(0)


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return base_workbook(tmp_path_factory.mktemp("good"))


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
    cell = _identity("team")
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
    "id-zero-width-space": (
        "employee_id",
        "1001\u200b",
        "工号填了 “1001⟨U+200B⟩”(含不可见字符 U+200B",
        "1001",
    ),
    "name-zero-width-joiner": (
        "name",
        "张\u200d伟",
        "姓名填了 “张⟨U+200D⟩伟”(含不可见字符",
        "张伟",
    ),
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
    # the person a finding names is read as the sheet shows it: an error value names nobody
    problems = json.loads(run("validate", str(hostile), "--json").stdout)["problems"]
    assert not [p for p in problems if p["person"].startswith("#")], problems
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
    assert _distribution(soffice_xlsx(summary, tmp_path / "lo")) == cached
    assert sum(cached.values()) > 0


def _distribution(path: Path) -> dict[tuple[int, int], float]:
    sheet = openpyxl.load_workbook(path, data_only=True)["分布"]
    return {
        (c.row, c.column): c.value
        for row in sheet.iter_rows(min_row=4, max_row=12)
        for c in row
        if isinstance(c.value, (int, float))
    }
