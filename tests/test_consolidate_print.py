"""The summary as a manager prints it: LibreOffice renders the demo quarter's last summary to
PDF, and ``pdftotext -bbox`` measures every word: all pages A4, no text below 8 pt at print
scale, 总览 one team per page with its header; in Excel the item detail keeps its filters and
frozen panes, explanations wrap and counts show as whole numbers."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from xlpy.forms import summary as s

A4_PT = (595.3, 841.9)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
    r"([^<]*)</word>"
)


@dataclass
class Page:
    size: tuple[float, float]
    words: list[tuple[str, float]]  # text, height in points

    def texts(self) -> set[str]:
        return {text for text, _ in self.words}


def pdf_pages(pdf: Path) -> list[Page]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for chunk in html.split("<page ")[1:]:
        width, height = (
            float(v) for v in re.match(r'width="([\d.]+)" height="([\d.]+)"', chunk).groups()
        )
        words = [(m[4], float(m[3]) - float(m[1])) for m in WORD.findall(chunk)]
        pages.append(Page((width, height), words))
    return pages


def _reference(path: Path) -> Path:
    """10 pt text printed at 100 %: how tall pdftotext measures it with this machine's fonts."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.set_paper(9)
    sheet.write_string(
        0, 0, "工号 1001 姓名 张伟", book.add_format({"font_name": "等线", "font_size": 10})
    )
    book.close()
    return path


@pytest.fixture(scope="module")
def printed(tmp_path_factory, demo_quarter) -> tuple[Path, list[Page], float]:
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.fail("LibreOffice and poppler-utils are needed: run scripts/setup.sh test")
    folder = tmp_path_factory.mktemp("print")
    summary = demo_quarter.run.summaries[max(demo_quarter.run.summaries)]
    files = [_reference(folder / "reference.xlsx"), summary]
    profile = f"file:///tmp/lo-xlpy-{uuid.uuid4().hex}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    reference = pdf_pages(folder / "reference.pdf")[0]
    ten_points = statistics.median(h for _, h in reference.words)
    return summary, pdf_pages(folder / f"{summary.stem}.pdf"), ten_points


def test_every_page_is_a4_and_no_text_prints_below_8_points(printed):
    _, pages, ten_points = printed
    assert pages
    for number, page in enumerate(pages, start=1):
        assert sorted(page.size) == pytest.approx(A4_PT, abs=1), f"page {number}: {page.size}"
        smallest = min(h for _, h in page.words) * 10 / ten_points
        assert smallest >= 8 - 0.05, f"page {number}: text at {smallest:.1f} pt"


def test_the_overview_prints_one_team_per_page_with_its_header(printed):
    path, pages, _ = printed
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames[0] == s.OVERVIEW
    rows = list(book[s.OVERVIEW].iter_rows(min_row=s.HEADER_ROW + 2, values_only=True))
    team_of = {str(r[0]): r[2] for r in rows if r[0]}
    with_people = []
    for page in pages:
        if "参数指纹" in page.texts():
            break  # 汇总's note: the overview's pages are over
        ids = page.texts() & set(team_of)
        if ids:
            assert s.ID in page.texts()  # the header row, repeated
            with_people.append({team_of[i] for i in ids})
    assert with_people and all(len(teams) == 1 for teams in with_people), with_people
    assert {t for teams in with_people for t in teams} == set(team_of.values())


def test_item_detail_stays_usable_in_excel_explanations_wrap_counts_are_whole(printed):
    path, _, _ = printed
    book = openpyxl.load_workbook(path)
    for name in (s.SUMMARY, s.DETAIL):
        sheet = book[name]
        assert sheet.auto_filter.ref and sheet.freeze_panes, name
        assert sheet.print_title_rows == f"${s.HEADER_ROW + 1}:${s.HEADER_ROW + 1}"
    explained = book[s.DETAIL].cell(s.HEADER_ROW + 2, 3)
    assert isinstance(explained.value, str) and explained.alignment.wrap_text
    department = book[s.DEPARTMENT]
    header = [c.value for c in department[s.HEADER_ROW + 1]]
    for column in s.INTEGER_COLUMNS:
        cell = department.cell(s.HEADER_ROW + 2, header.index(column) + 1)
        assert isinstance(cell.value, (int, float)) and cell.number_format == "0"
    audit = {
        row[0].value: row[1]
        for row in book[s.AUDIT].iter_rows(min_row=s.HEADER_ROW + 2, max_row=s.HEADER_ROW + 9)
    }
    assert audit["源文件数"].number_format == "0"
