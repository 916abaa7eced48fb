"""A second program opens the built add-in: LibreOffice imports its VBA project and its config
sheet. (LibreOffice reads the package and the MS-OVBA streams on its own code path; it cannot
tell whether Excel would compile the modules, which only Excel can.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from xlpy.addin.locations import ADDIN_DIR, XLAM_PATH

SCRIPT_NS = "{http://openoffice.org/2000/script}"
# What LibreOffice adds above an imported VBA module, and the attribute lines it keeps hidden.
LO_HEADER = re.compile(
    r"^(Rem Attribute VBA_ModuleType=\w+|Option VBASupport 1|Option ClassModule)$"
)
VB_ATTRIBUTE = re.compile(r"^\s*Attribute [\w.]+ = ")


@pytest.fixture(scope="module")
def ods(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("lo-addin")
    profile = Path(f"/tmp/lo-xlpy-addin-{uuid.uuid4().hex}")
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--infilter=Calc MS Excel 2007 XML",
                "--convert-to",
                "ods",
                "--outdir",
                str(out),
                str(XLAM_PATH),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return zipfile.ZipFile(out / "xlpy.ods")


def lo_module(ods: zipfile.ZipFile, name: str) -> tuple[str, str]:
    root = ElementTree.fromstring(ods.read(f"Basic/VBAProject/{name}.xml"))
    return root.get(f"{SCRIPT_NS}moduleType") or "", root.text or ""


def test_libreoffice_sees_every_module_with_its_source(ods: zipfile.ZipFile) -> None:
    library = ElementTree.fromstring(ods.read("Basic/VBAProject/script-lb.xml"))
    names = {e.get("{http://openoffice.org/2000/library}name") for e in library}
    sources = {p.stem: p for p in (ADDIN_DIR / "vba").iterdir()}
    assert names == set(sources) | {"Sheet1"}
    for name, path in sources.items():
        kind, code = lo_module(ods, name)
        expected = (
            "document" if name == "ThisWorkbook" else "class" if path.suffix == ".cls" else "normal"
        )
        assert kind == expected, name
        seen = [line for line in code.split("\n") if not LO_HEADER.match(line)]
        ours = [
            line
            for line in path.read_bytes().decode("ascii").split("\r\n")
            if not VB_ATTRIBUTE.match(line)
        ]
        assert "\n".join(seen).rstrip("\n") == "\n".join(ours).rstrip("\n"), name


def test_libreoffice_reads_the_config_sheet(ods: zipfile.ZipFile) -> None:
    content = ods.read("content.xml").decode("utf-8")
    assert 'table:name="xlpy.conf"' in content
    assert "ADD_WORKBOOK_TO_PYTHONPATH" in content and "UDF MODULES" in content
