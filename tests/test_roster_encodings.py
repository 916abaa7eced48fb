"""Roster CSVs in the encodings staff's programs write: read with every name intact, or refused
with a Chinese message naming the line of the first byte that fits no encoding."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from xlpy.forms.roster import ROSTER_SHEET

XLPY = str(Path(sys.executable).with_name("xlpy"))
# 䶮 (U+4DAE) is in GB18030 but not in GBK: a name Chinese Excel can only save as GB18030
PEOPLE = [("1001", "张伟", "一班"), ("1002", "李娜", "二班"), ("1003", "王䶮", "一班")]
TEXT = "工号,姓名,班组\r\n" + "".join(f"{p},{n},{t}\r\n" for p, n, t in PEOPLE)

READABLE = {
    "utf-8": TEXT.encode("utf-8"),
    "utf-8-with-bom": TEXT.encode("utf-8-sig"),
    "gb18030": TEXT.encode("gb18030"),
    "gbk": TEXT.replace("王䶮", "王敏").encode("gbk"),
    "utf-16-le-with-bom": TEXT.encode("utf-16"),
    "utf-16-be-with-bom": b"\xfe\xff" + TEXT.encode("utf-16-be"),
    # what Excel's 另存为 "Unicode 文本 (*.txt)" writes: UTF-16 with tabs between the columns
    "excel-unicode-text": TEXT.replace(",", "\t").encode("utf-16"),
    "semicolons": TEXT.replace(",", ";").encode("utf-8-sig"),  # ";" as the list separator
}


def template(tmp_path: Path, data: bytes) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    roster = tmp_path / "人员名单.csv"
    roster.write_bytes(data)
    out = tmp_path / "m.xlsx"
    done = subprocess.run(
        [XLPY, "template", "--month", "2026-03", "--roster", str(roster), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "1000"},
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done, roster, out


@pytest.mark.parametrize("kind", list(READABLE))
def test_roster_encodings_are_read(kind, tmp_path):
    data = READABLE[kind]
    done, roster, out = template(tmp_path, data)
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(out)[ROSTER_SHEET]
    names = [sheet.cell(row, 2).value for row in range(2, 2 + len(PEOPLE))]
    expected = [n for _, n, _ in PEOPLE]
    if kind == "gbk":
        expected[2] = "王敏"
    assert names == expected
    assert roster.read_bytes() == data


UNREADABLE = {
    # kind -> (bytes, the line named, a fragment of the problem)
    "bad-byte-in-utf-8": (
        TEXT.encode("utf-8").replace("李娜".encode(), b"\xff\xfe\xfd", 1),
        3,
        "按 UTF-8 读到此处出错",
    ),
    "bad-byte-in-gbk": (
        TEXT.replace("王䶮", "王敏").encode("gbk").replace(b"1003", b"1\xff03", 1),
        4,
        "按 GBK/GB18030 读到此处出错",
    ),
    "utf-16-without-bom": (TEXT.encode("utf-16-le"), 0, "没有 BOM 的 UTF-16"),
    "broken-utf-16-after-bom": (
        b"\xff\xfe" + "工号,姓名\n1001,".encode("utf-16-le") + b"\x00\xd8",
        2,
        "以 UTF-16 的 BOM 开头",
    ),
}


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_undecodable_roster_names_its_line(kind, tmp_path):
    data, line, fragment = UNREADABLE[kind]
    done, roster, out = template(tmp_path, data)
    assert done.returncode == 2
    message = done.stderr
    assert "人员名单.csv · " in message and fragment in message, message
    if line:
        assert f"第 {line} 行" in message
    assert "应为 UTF-8 或 GBK 编码的文本" in message
    assert roster.read_bytes() == data and not out.exists()
    assert hashlib.sha256(roster.read_bytes()).digest() == hashlib.sha256(data).digest()
