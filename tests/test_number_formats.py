"""Every number format xlpy writes shows 5, 4.5, 84.17, 0 and 100 without a trailing point, as
Excel and WPS show them: checked with SheetJS ssf, an implementation of Excel's number format
codes independent of xlpy (installed by ``scripts/setup.sh test`` into tests/js)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from xlpy.ledgers.slice import LEDGERS
from xlpy.shared import number_formats
from xlpy.template import generate

JS = Path(__file__).parent / "js"
VALUES = [5, 4.5, 84.17, 0, 100]
BUILTIN = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    14: "m/d/yyyy",
    49: "@",
}  # ECMA-376 18.8.30: the ids xlsxwriter/openpyxl write bare


def excel_format(formats: list[str], values: list[float]) -> dict[str, list[str]]:
    assert shutil.which("node") and (JS / "node_modules" / "ssf").is_dir(), (
        "SheetJS ssf missing: run scripts/setup.sh test (npm ci --prefix tests/js)"
    )
    run = subprocess.run(
        ["node", str(JS / "format.js")],
        input=json.dumps({"formats": formats, "values": values}),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def formats_in(path: Path) -> set[str]:
    """The number format of every cell style in an .xlsx (custom codes and built-in ids)."""
    with zipfile.ZipFile(path) as package:
        styles = package.read("xl/styles.xml").decode()
    custom = {
        int(i): html.unescape(code)
        for i, code in re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)
    }
    cell_xfs = re.search(r"<cellXfs.*?</cellXfs>", styles, re.DOTALL).group(0)
    used = {int(i) for i in re.findall(r'<xf [^>]*numFmtId="(\d+)"', cell_xfs)}
    return {custom.get(i) or BUILTIN[i] for i in used}


@pytest.fixture(scope="module")
def written(tmp_path_factory, demo_quarter) -> dict[str, set[str]]:
    """Format codes by file: a demo quarter (month workbooks, summaries, marked copies) and a
    template with every form, the technical form and the ledgers, in both formula variants."""
    folder = tmp_path_factory.mktemp("formats")
    for variant in ("addin", "native"):
        generate(
            "2026-11",
            folder / f"{variant}.xlsx",
            schemes=("M", "K", "P"),
            tech=True,
            variant=variant,
            slices=(LEDGERS,),
        )
    demo = demo_quarter.run.folder
    return {str(p.relative_to(folder)): formats_in(p) for p in sorted(folder.rglob("*.xlsx"))} | {
        f"demo/{p.relative_to(demo)}": formats_in(p) for p in sorted(demo.rglob("*.xlsx"))
    }


def test_no_format_xlpy_writes_shows_a_trailing_point(written):
    constants = {v for k, v in vars(number_formats).items() if k.isupper()}
    codes = sorted(set().union(*written.values()) | constants)
    shown = excel_format(codes, VALUES)
    trailing = {
        code: texts
        for code, texts in shown.items()
        if any(re.search(r"\.(?!\d)", text) for text in texts)
    }
    assert not trailing, trailing
    assert "General" in set().union(*written.values())  # the checks above saw the real files


def test_scores_show_as_typed(written):
    assert excel_format([number_formats.SCORE], VALUES)[number_formats.SCORE] == [
        "5",
        "4.5",
        "84.17",
        "0",
        "100",
    ]
    templates = written["addin.xlsx"] | written["native.xlsx"]
    assert not any(code.startswith("0.#") for code in templates)
