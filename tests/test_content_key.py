"""A sheet byte-for-byte the same as one read before is not read again (xlpy.engines.content):
every split file of a month repeats the 参数 sheet. These tests hold that the key sees every
byte calamine reads a sheet's values from — a changed shared string, style or date system is a
different sheet, read afresh — and that layouts whose string references cannot be counted
exactly get no key at all."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from bad_inputs.corpus import rezip

from xlpy.engines import FileWorkbook
from xlpy.engines.content import string_entries, strings_used
from xlpy.template import generate
from xlpy.validate.reading import read_file

MONTH = "2026-06"
FLAG = "kpi.indicators.K5.from_survey"  # a 是/否 parameter: its cell holds a shared string


@pytest.fixture(scope="module")
def split_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("split")
    roster = folder / "roster.csv"
    roster.write_text("工号,姓名,班组\n4001,赵一,一班\n4002,钱二,二班\n", encoding="utf-8")
    return generate(MONTH, folder / "out", roster, schemes=("M", "K"), split=True)


def _key(path: Path, sheet: str):
    """The key once the sheet has been seen (a first sight never has one)."""
    FileWorkbook(path).content_key(sheet)
    return FileWorkbook(path).content_key(sheet)


def _rewritten(source: Path, target: Path, member: str, old: bytes, new: bytes) -> Path:
    """``source`` with the first ``old`` in ``member`` replaced by ``new`` (which must be there)."""

    def edit(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new, 1)

    return rezip(source, target, member, edit)


def test_the_parameter_and_guide_sheets_of_two_people_have_one_key(split_files):
    first, second = split_files[:2]
    assert _key(first, "参数") is not None
    assert _key(first, "参数") == _key(second, "参数")
    assert _key(first, "说明") == _key(second, "说明")  # it names nobody: read once a batch
    # 人员 lists the file's own person: the same XML, other shared strings
    roster = zipfile.ZipFile(first).read("xl/worksheets/sheet3.xml")
    assert roster == zipfile.ZipFile(second).read("xl/worksheets/sheet3.xml")
    assert _key(first, "人员") != _key(second, "人员")


def test_a_changed_shared_string_is_read_afresh(split_files, tmp_path):
    first = split_files[0]
    yes = "<si><t>是</t></si>".encode()
    changed = _rewritten(
        first, tmp_path / first.name, "xl/sharedStrings.xml", yes, "<si><t>否</t></si>".encode()
    )
    for _ in range(3):  # the original's 参数 sheet is remembered by now
        assert FLAG not in (read_file(first).params or {})
    assert _key(changed, "参数") != _key(first, "参数")
    assert (read_file(changed).params or {}).get(FLAG) == "否"


def test_changed_styles_or_date_system_make_another_key(split_files, tmp_path):
    first = split_files[0]
    styles = _rewritten(first, tmp_path / "styles.xlsx", "xl/styles.xml", b"<fonts", b"<fonts ")
    date1904 = _rewritten(
        first,
        tmp_path / "1904.xlsx",
        "xl/workbook.xml",
        b"<workbookPr",
        b'<workbookPr date1904="1"',
    )
    assert _key(styles, "参数") not in (None, _key(first, "参数"))
    assert _key(date1904, "参数") not in (None, _key(first, "参数"))


ENTRIES = b'<?xml version="1.0"?>\n<sst xmlns="x" count="2" uniqueCount="2">%s</sst>'


@pytest.mark.parametrize(
    "body",
    [
        b"<si><t>a</t></si><!-- </si> --><si><t>b</t></si>",
        b"<si><t><![CDATA[a</si>]]></t></si><si><t>b</t></si>",
        b"<si><t>a</t></si>\n<si><t>b</t></si>",
        b"<si/><si><t>a</t></si><si><t>b</t></si>",
        b"<x:si><t>a</t></x:si><si><t>b</t></si>",
        b"<si><si><t>a</t></si></si>",
    ],
    ids=["comment", "cdata", "text-between", "empty-element", "prefixed", "nested"],
)
def test_shared_strings_that_could_hide_a_boundary_get_no_entries(body):
    assert string_entries(ENTRIES % b"<si><t>a</t></si><si><t>b</t></si>") == [
        b"<si><t>a</t>",
        b"<si><t>b</t>",
    ]
    assert string_entries(ENTRIES % body) is None


SHEET = b'<worksheet><sheetData><row r="1">%s</row></sheetData></worksheet>'


@pytest.mark.parametrize(
    "cell",
    [
        b"<c r=\"A1\" t='s'><v>3</v></c>",
        b'<c r="A1" t = "s"><v>3</v></c>',
        b'<c r="A1" t="&#115;"><v>3</v></c>',
        b'<c r="A1" t="s"> <v>3</v></c>',
        b'<c r="A1" t="s" cm="1"><v>3</v></c>',
        b'<c t="s" r="A1"><v>3</v></c>',
    ],
    ids=["single-quotes", "spaces", "entity", "space-before-value", "extra-attribute", "order"],
)
def test_string_references_not_countable_exactly_give_no_key(cell):
    plain = SHEET % b'<c r="A1" s="2" t="s"><v>3</v></c><c r="B1" t="s"><v>1</v></c>'
    odd = SHEET % (b'<c r="B1" t="s"><v>1</v></c>' + cell)
    for _ in range(2):  # a first sight has no key
        plain_used, odd_used = strings_used(plain), strings_used(odd)
    assert plain_used == (1, 3)
    assert odd_used is None


def test_a_sheet_mapped_to_its_part_ambiguously_gets_no_key(split_files, tmp_path):
    """Two relationships with one id: readers may disagree on which part 参数 is, so the part
    read for the key might not be the one read for the values."""
    first = split_files[0]
    rels = "xl/_rels/workbook.xml.rels"
    with zipfile.ZipFile(first) as package:
        relation = next(
            tag for tag in package.read(rels).split(b"<Relationship ") if b"sheet2.xml" in tag
        )
    twice = b"<Relationship " + relation.replace(b"sheet2.xml", b"sheet1.xml")
    end = b"</Relationships>"
    doubled = _rewritten(first, tmp_path / "ids.xlsx", rels, end, twice + end)
    assert _key(first, "参数") is not None
    assert _key(doubled, "参数") is None
