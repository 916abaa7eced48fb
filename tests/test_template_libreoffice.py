"""The portable variant (--formulas native) opened by a second program: LibreOffice headless
recalculates it to exactly the scoring core's results, and prints every form on A4 pages
no wider than the paper (rendered to PNG with pdftoppm; one page per form is kept in
workbook/previews/ when XLPY_UPDATE_PREVIEWS=1)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from forms_helpers import (
    FORMS,
    PEOPLE,
    expected,
    fill,
    mismatches,
    samples,
    sheet_values,
    soffice,
    write_roster,
)

from xlpy.template import generate

SCHEMES = ("M", "K", "P")
PREVIEWS = Path(__file__).resolve().parents[1] / "workbook" / "previews"
PREVIEW_FORMS = ("M", "K", "T", "P", "S", "D")
A4 = (595.3, 841.9)


def preview_name(scheme: str) -> str:
    return f"{scheme}-{FORMS[scheme].sheet_prefix}.png"


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("libreoffice")
    roster = write_roster(folder / "roster.csv")
    [book] = generate("2026-11", folder / "native.xlsx", roster, SCHEMES, tech=True,
                      variant="native")
    data = samples()
    filled = fill(book, folder / "filled.xlsx", data, SCHEMES + ("T",))
    (folder / "lo").mkdir()
    soffice("xlsx", [filled], folder / "lo")
    soffice("pdf", [filled], folder / "lo")
    return {"data": data, "xlsx": folder / "lo" / "filled.xlsx",
            "pdf": folder / "lo" / "filled.pdf", "folder": folder}


@pytest.mark.parametrize("scheme", ["M", "K", "T", "P", "D"])
def test_libreoffice_recalculates_the_native_variant_to_the_core(converted, scheme):
    want = expected(scheme, converted["data"])
    got = sheet_values(converted["xlsx"], list(want))
    assert mismatches(want, got) == []


def _pages(pdf: Path) -> list[tuple[tuple[float, float], str]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = [(float(w), float(h)) for w, h in
             re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]
    texts = []
    for page in range(1, len(sizes) + 1):
        texts.append(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                                    capture_output=True, text=True, check=True).stdout)
    return list(zip(sizes, texts))


def test_every_form_prints_on_a4_within_the_page_width(converted):
    by_sheet: dict[str, list[int]] = {}
    pages = _pages(converted["pdf"])
    for number, (_, text) in enumerate(pages):
        sheet = [line for line in text.splitlines() if line.strip()][-1].strip()  # footer: &A
        by_sheet.setdefault(sheet, []).append(number)
    form_sheets = [FORMS[s].sheet_name(*p[:2]) for s in SCHEMES + ("T",) for p in PEOPLE]
    form_sheets += [FORMS["S"].sheet_name(), FORMS["D"].sheet_name()]
    assert set(form_sheets) <= set(by_sheet)
    assert {"说明", "参数", "人员"} <= set(by_sheet)
    for (width, height), _ in pages:  # every page of every sheet is A4
        assert tuple(sorted((round(width, 1), round(height, 1)))) == A4
    for sheet in form_sheets:
        form = FORMS["S" if sheet == "客户评价" else "D" if sheet == "部门评价" else
                     next(s for s in SCHEMES + ("T",) if sheet.startswith(FORMS[s].sheet_prefix))]
        own = [pages[n] for n in by_sheet[sheet]]
        for (width, height), text in own:
            portrait = (round(width, 1), round(height, 1)) == A4
            landscape = (round(height, 1), round(width, 1)) == A4
            assert landscape if form.landscape else portrait, (sheet, width, height)
            assert form.form_code in text  # footer on every page
        if form.table is None:  # a whole form fits on one page
            assert len(own) == 1, (sheet, len(own))
        else:  # a table may run over pages, but never splits its columns
            first_header, last_header = form.table.columns[0].header, form.table.columns[-1].header
            for _, text in own:
                flat = text.replace(" ", "")
                assert first_header in flat and last_header in flat, sheet
    starts = {s: by_sheet[FORMS[s].sheet_name(*PEOPLE[0][:2])][0] for s in PREVIEW_FORMS}
    _render_previews(converted, starts)


def _render_previews(converted, starts: dict[str, int]) -> None:
    out = converted["folder"] / "png"
    out.mkdir()
    for scheme, first in starts.items():
        target = out / preview_name(scheme)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(first + 1),
                        "-l", str(first + 1), str(converted["pdf"]), str(target.with_suffix(""))],
                       check=True)
        width, height = _png_size(target)
        ratio = width / height
        expected_ratio = A4[1] / A4[0] if FORMS[scheme].landscape else A4[0] / A4[1]
        assert abs(ratio - expected_ratio) < 0.01, (scheme, width, height)
        if os.environ.get("XLPY_UPDATE_PREVIEWS") == "1":
            PREVIEWS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, PREVIEWS / target.name)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


def test_previews_of_every_form_are_kept_in_the_repository():
    for scheme in PREVIEW_FORMS:
        path = PREVIEWS / preview_name(scheme)
        assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
