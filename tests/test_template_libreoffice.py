"""The portable variant (--formulas native) opened by a second program: LibreOffice headless
recalculates it to exactly the scoring core's results, and prints every form on A4 pages
no wider than the paper. The previews kept in workbook/previews/ (one page per form, rendered to
PNG with pdftoppm) match a fresh render; XLPY_UPDATE_PREVIEWS=1 replaces them with it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from forms_helpers import (
    FILLED,
    FORMS,
    MONTH,
    PEOPLE,
    expected,
    mismatches,
    sheet_values,
    soffice,
    write_roster,
)
from openpyxl.worksheet.formula import ArrayFormula
from PIL import Image, ImageFilter

from xlpy.template import generate

PREVIEWS = Path(__file__).resolve().parents[1] / "workbook" / "previews"
PREVIEW_FORMS = ("M", "K", "T", "P", "S", "D")
A4 = (595.3, 841.9)
# Preview tolerance. Renders on a busy machine jitter by antialiasing: raw pixel differences of
# up to 108 beyond 32 grey levels were seen between renders of the same D form, as many as one
# changed entry gives (126). Both images are therefore blurred (box radius 2) before comparing:
# measured, the jitter then leaves no pixel beyond 16 levels, while half a digit replaced in D
# leaves 20 (and a whole changed entry far more).
BLUR = 2
GREY_STEP = 16  # of 255, after the blur
CHANGED_PIXELS = 8


def preview_name(scheme: str) -> str:
    return f"{scheme}-{FORMS[scheme].sheet_prefix}.png"


@pytest.fixture(scope="module")
def converted(filled_native, tmp_path_factory):
    folder = tmp_path_factory.mktemp("libreoffice")
    soffice("xlsx", [filled_native.path], folder)
    soffice("pdf", [filled_native.path], folder)
    return {
        "data": filled_native.data,
        "xlsx": folder / filled_native.path.name,
        "pdf": folder / filled_native.path.with_suffix(".pdf").name,
        "folder": folder,
    }


@pytest.fixture(scope="module")
def pages(converted) -> list[tuple[tuple[float, float], str]]:
    """Size (points) and text of every page of the printed workbook."""
    return _pages(converted["pdf"])


@pytest.fixture(scope="module")
def previews(converted, pages) -> dict[str, Path]:
    """The first page of the first person's form of each kind, rendered at 80 dpi."""
    first_page = {}
    for number, (_, text) in enumerate(pages, start=1):
        first_page.setdefault(_footer_sheet(text), number)
    out = converted["folder"] / "png"
    out.mkdir()
    rendered = {}
    for scheme in PREVIEW_FORMS:
        page = str(first_page[FORMS[scheme].sheet_name(*PEOPLE[0][:2])])
        target = out / preview_name(scheme)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-singlefile",
                "-f",
                page,
                "-l",
                page,
                str(converted["pdf"]),
                str(target.with_suffix("")),
            ],
            check=True,
        )
        rendered[scheme] = target
    return rendered


@pytest.mark.parametrize("scheme", ["M", "K", "T", "P", "D"])
def test_libreoffice_recalculates_the_native_variant_to_the_core(converted, scheme):
    want = expected(scheme, converted["data"])
    assert sum(len(cells) for cells in want.values()) >= 4
    got = sheet_values(converted["xlsx"], list(want))
    assert mismatches(want, got) == []


def _pages(pdf: Path) -> list[tuple[tuple[float, float], str]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    ]
    texts = []
    for page in range(1, len(sizes) + 1):
        texts.append(
            subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    return list(zip(sizes, texts, strict=True))


def _footer_sheet(text: str) -> str:
    return [line for line in text.splitlines() if line.strip()][-1].strip()  # footer: &A


def test_every_form_prints_on_a4_within_the_page_width(pages):
    by_sheet: dict[str, list[int]] = {}
    for number, (_, text) in enumerate(pages):
        by_sheet.setdefault(_footer_sheet(text), []).append(number)
    form_sheets = [FORMS[s].sheet_name(*p[:2]) for s in FILLED for p in PEOPLE]
    form_sheets += [FORMS["S"].sheet_name(), FORMS["D"].sheet_name()]
    assert set(form_sheets) <= set(by_sheet)
    assert {"说明", "参数", "人员"} <= set(by_sheet)
    for (width, height), _ in pages:  # every page of every sheet is A4
        assert tuple(sorted((round(width, 1), round(height, 1)))) == A4
    for sheet in form_sheets:
        form = FORMS[
            "S"
            if sheet == "客户评价"
            else "D"
            if sheet == "部门评价"
            else next(s for s in FILLED if sheet.startswith(FORMS[s].sheet_prefix))
        ]
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


@pytest.mark.parametrize("scheme", PREVIEW_FORMS)
def test_kept_preview_matches_a_fresh_render(previews, scheme):
    fresh = Image.open(previews[scheme])
    width, height = fresh.size
    expected_ratio = A4[1] / A4[0] if FORMS[scheme].landscape else A4[0] / A4[1]
    assert abs(width / height - expected_ratio) < 0.01, (scheme, width, height)
    kept_path = PREVIEWS / preview_name(scheme)
    if os.environ.get("XLPY_UPDATE_PREVIEWS") == "1":
        PREVIEWS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(previews[scheme], kept_path)
    kept = Image.open(kept_path)
    assert kept.format == "PNG" and kept.size == fresh.size, (kept.format, kept.size, fresh.size)
    difference = np.abs(_grey(fresh) - _grey(kept))
    changed = int((difference > GREY_STEP).sum())
    assert changed <= CHANGED_PIXELS, (
        f"{kept_path.name}: {changed} pixels differ from a fresh render; if the form changed on "
        "purpose, rerun with XLPY_UPDATE_PREVIEWS=1 and commit the new previews"
    )


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L").filter(ImageFilter.BoxBlur(BLUR)), dtype=np.int16)


def test_libreoffice_reads_the_addin_variants_array_formulas_over_their_ranges(tmp_path):
    """The add-in variant's array formulas (one udf call per column; the other cells of the
    range are left blank) are read by a second program as one formula over the whole range."""
    roster = write_roster(tmp_path / "roster.csv", PEOPLE[:1])
    [book] = generate(MONTH, tmp_path / "addin.xlsx", roster, ("M", "K"), tech=True)
    (tmp_path / "lo").mkdir()
    soffice("xlsx", [book], tmp_path / "lo")
    saved = openpyxl.load_workbook(tmp_path / "lo" / "addin.xlsx")
    for scheme in ("M", "K", "T"):
        form = FORMS[scheme]
        ws = saved[form.sheet_name(*PEOPLE[0][:2])]
        arrays = {c.array for c in form.computed if c.array}
        assert arrays, scheme
        for cell_range in arrays:
            anchor = ws[cell_range.split(":")[0]].value
            assert isinstance(anchor, ArrayFormula) and anchor.ref == cell_range, (scheme, anchor)
