"""The built add-in: up to date, reproducible, and read back by independent readers (olevba,
olefile, zipfile, the XML parser) exactly as written."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import xlwings

with warnings.catch_warnings():  # oletools still calls pyparsing's deprecated names on import
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser, decompress_stream

from xlpy.addin.build import build, checked_sources, installed_problems
from xlpy.addin.locations import ADDIN_DIR, PACKAGED_XLAM, XLAM_PATH
from xlpy.addin.package import RIBBON_PART, RIBBON_REL, assemble
from xlpy.addin.sources import load_sources

OFFICE_LIBRARY = b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}"  # IRibbonControl lives here
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"


def test_committed_addin_matches_its_sources() -> None:
    result = build(check_only=True)
    assert result.stale == [], (
        f"stale against workbook/addin/: {result.stale}; run `xlpy addin build` and commit"
    )


def test_the_package_copy_is_the_committed_addin() -> None:
    """The wheel carries xlpy/addin/xlpy.xlam; the build writes it with workbook/xlpy.xlam."""
    assert PACKAGED_XLAM.read_bytes() == XLAM_PATH.read_bytes()
    assert PACKAGED_XLAM.parent.name == "addin" and PACKAGED_XLAM.parent.parent.name == "xlpy"
    assert installed_problems(PACKAGED_XLAM) == []


def test_check_reports_either_copy_when_stale(tmp_path: Path) -> None:
    committed, packaged = tmp_path / "workbook" / "xlpy.xlam", tmp_path / "package" / "xlpy.xlam"
    committed.parent.mkdir()
    committed.write_bytes(XLAM_PATH.read_bytes())
    assert build(outputs=[committed, packaged], check_only=True).stale == ["xlpy.xlam"]
    assert not packaged.exists()
    assert build(outputs=[committed, packaged]).stale == ["xlpy.xlam"]
    assert packaged.read_bytes() == committed.read_bytes() == XLAM_PATH.read_bytes()


def test_build_is_reproducible_byte_for_byte() -> None:
    sources = checked_sources()
    first, second = assemble(sources), assemble(sources)
    assert first == second
    assert first == XLAM_PATH.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        infos = package.infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.create_system for i in infos} == {0}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}  # no zlib in the bytes


def test_check_reports_a_stale_xlam(tmp_path: Path) -> None:
    stale = tmp_path / "xlpy.xlam"
    data = bytearray(XLAM_PATH.read_bytes())
    data[100] ^= 0xFF
    stale.write_bytes(bytes(data))
    assert build(outputs=[stale], check_only=True).stale == ["xlpy.xlam"]
    assert build(outputs=[tmp_path / "missing.xlam"], check_only=True).stale == ["missing.xlam"]
    assert not (tmp_path / "missing.xlam").exists()  # --check never writes


def test_olevba_extracts_every_module_identical_to_its_text_source() -> None:
    parser = VBA_Parser(str(XLAM_PATH))
    try:
        extracted = {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    sources = {
        p.name: p.read_bytes().decode("ascii") for p in sorted((ADDIN_DIR / "vba").iterdir())
    }
    assert set(sources) <= set(extracted)
    for name, text in sources.items():
        assert extracted[name] == text, name
    # the only other module is the document module of the add-in's sheet (no code)
    assert set(extracted) - set(sources) == {"Sheet1.cls"}


def test_vba_project_is_source_only_and_references_office() -> None:
    with zipfile.ZipFile(XLAM_PATH) as package:
        project = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    # [MS-OVBA] 2.3.4.1: version 0xFFFF, no performance cache: Excel compiles from source
    assert project.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x01\x00"
    directory = decompress_stream(bytearray(project.openstream("VBA/dir").read()))
    assert OFFICE_LIBRARY in directory
    text = project.openstream("PROJECT").read().decode("latin-1")
    assert "Document=ThisWorkbook/&H00000000" in text
    assert "Class=Dictionary" in text and "Module=XlpyRibbon" in text


def test_package_parts_ribbon_relationship_and_content_types() -> None:
    with zipfile.ZipFile(XLAM_PATH) as package:
        names = package.namelist()
        part = {name: package.read(name) for name in names}
    assert names[0] == "[Content_Types].xml" and names[-1] == RIBBON_PART
    assert part[RIBBON_PART] == (ADDIN_DIR / "customUI14.xml").read_bytes()
    rels = ElementTree.fromstring(part["_rels/.rels"])
    targets = {r.get("Type"): r.get("Target") for r in rels}
    assert targets[RIBBON_REL] == RIBBON_PART
    types = ElementTree.fromstring(part["[Content_Types].xml"])
    overrides = {t.get("PartName"): t.get("ContentType") for t in types if t.get("PartName")}
    defaults = {t.get("Extension"): t.get("ContentType") for t in types if t.get("Extension")}
    assert overrides["/xl/workbook.xml"] == ADDIN_CONTENT_TYPE
    assert defaults["xml"] == "application/xml" and defaults["bin"].endswith("vbaProject")
    # document modules match the codeName attributes of the workbook and its sheet
    assert b'<workbookPr codeName="ThisWorkbook"' in part["xl/workbook.xml"]
    assert b'<sheetPr codeName="Sheet1"/>' in part["xl/worksheets/sheet1.xml"]


def test_config_sheet_carries_the_addin_settings() -> None:
    conf = load_sources(ADDIN_DIR).conf
    with zipfile.ZipFile(XLAM_PATH) as package:
        workbook = package.read("xl/workbook.xml").decode()
        sheet = ElementTree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    assert '<sheet name="xlpy.conf"' in workbook  # the name xlwings' GetConfig looks for
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    cells = [
        [c.findtext("m:is/m:t", namespaces=ns) for c in row.findall("m:c", ns)]
        for row in sheet.find("m:sheetData", ns)
    ]
    assert [tuple(row) for row in cells] == list(conf)
    assert ("ADD_WORKBOOK_TO_PYTHONPATH", "False") in conf


def test_xlwings_module_is_the_installed_packages_with_the_project_name() -> None:
    text = (ADDIN_DIR / "vba" / "xlwings.bas").read_text(encoding="ascii")
    original = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text("ascii")
    assert text == original.replace(
        'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "xlpy"'
    )
    assert re.search(rf'XLWINGS_VERSION As String = "{re.escape(xlwings.__version__)}"', text)
