"""The summary workbook, fed straight from the scoring core: read back by our engine and by
LibreOffice, it holds exactly the core's numbers; it is reproducible and formula-safe."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lo_convert import header_table, soffice_csv

from xlpy.consolidate.history import SavedSummary
from xlpy.consolidate.model import MonthResults
from xlpy.consolidate.summary import write_summary
from xlpy.core.monthly import score_monthly
from xlpy.core.survey import department_scorecard, engineer_satisfaction
from xlpy.engines import FileWorkbook
from xlpy.forms import summary as summary_book
from xlpy.forms.summary import SHEETS
from xlpy.rules import default_rules, fingerprint

RULES = default_rules()
IDS = ["E001", "E002", "E003", "E004", "E005", "E006", "E007"]
PEOPLE = pd.DataFrame(
    {
        "name": ["甲", "乙", "丙", "丁", '=HYPERLINK("http://x")', "己", "庚"],
        "team": ["一组"] * 3 + ["二组"] * 4,
    },
    index=IDS,
)


def _entries(late_e002: int = 2) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "M02.late_days": [0, late_e002, 0, 1, 0, 0],
            "M03.incomplete": [1, 0, 0, 0, 3, 0],
            "M03.falsified": [0, 0, 1, 0, 0, 0],
            "M05.unclear_account": [0, 0, 0, 0, 1, 0],
            "M05.transport_damage": [0, 0, 0, 0, 2, 0],
            "M09": ["强", "较好", "一般", "强", "差", "强"],
            "M10": ["多", "多", "较好", "多", "一般", "多"],
            "M11": ["否", "否", "否", "是", "否", "否"],
        },
        index=IDS[:6],
    )  # E007 handed in no form


def _survey() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "engineer_id": ["E001", "E001", "E002", "E005"],
            "customer_phone": ["13900000000"] * 4,
            "S1": [5, 4, 3, 2],
            "S2": [5, 5, 4, 3],
            "S3": [4, 4, 4, 4],
            "S4": [5, 3, None, 4],
            "S5": [5, 5, 5, 1],
            "S6": [None] * 4,
        }
    )


def _month(entries: pd.DataFrame) -> MonthResults:
    survey = _survey()
    return MonthResults(
        "2026-03",
        PEOPLE,
        {"M": score_monthly(entries, RULES)},
        fingerprint(RULES),
        RULES,
        department=department_scorecard(survey, None, RULES),
        satisfaction=engineer_satisfaction(survey, RULES),
        version="test",
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, MonthResults, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("summary")
    month = _month(_entries())
    path = folder / "汇总-2026-03.xlsx"
    table = write_summary(path, month)
    return path, month, table


def test_sheets_and_no_formula_from_user_text(written):
    path, _, _ = written
    book = FileWorkbook(path)
    assert book.sheet_names() == list(SHEETS)
    assert book.formula_cells("汇总") == frozenset()
    names = [row[1] for row in book.values("汇总")[3:]]
    assert '=HYPERLINK("http://x")' in names  # exactly as on the roster: the same person
    cell = openpyxl.load_workbook(path)["汇总"].cell(4 + names.index('=HYPERLINK("http://x")'), 2)
    assert cell.data_type == "s" and cell.quotePrefix  # text, and stays text when edited


def test_the_description_finds_every_table_the_writer_wrote(written):
    path, _, table = written
    book = FileWorkbook(path)
    assert summary_book.is_summary(book.sheet_names())
    assert summary_book.is_summary([s for s in SHEETS if s != summary_book.OVERVIEW])
    assert not summary_book.is_summary(["汇总", "参数", "人员"])
    grid = book.values(summary_book.SUMMARY)
    assert summary_book.header_row(grid) == summary_book.HEADER_ROW
    assert grid[summary_book.HEADER_ROW] == list(table.columns)
    changes = book.values(summary_book.CHANGES)
    assert changes[summary_book.HEADER_ROW] == list(summary_book.CHANGE_COLUMNS)


def test_ranks_and_status(written):
    _, _, table = written
    by_id = table.set_index("工号")
    assert by_id.loc["E004", "状态"] == "取消" and math.isnan(by_id.loc["E004", "部门排名"])
    assert by_id.loc["E007", "状态"] == "缺表" and math.isnan(by_id.loc["E007", "百分制"])
    ranked = by_id["部门排名"].dropna().sort_values()
    percents = by_id.loc[ranked.index, "百分制"].to_numpy()
    assert list(percents) == sorted(percents, reverse=True)
    assert by_id.loc["E001", "班组排名"] == 1


def test_libreoffice_reads_the_core_numbers(written, tmp_path):
    path, month, _ = written
    tables = soffice_csv([path], tmp_path)
    rows = header_table(tables[(path.stem, "汇总")], "工号")
    scores = month.results["M"].scores
    labels = month.results["M"].labels
    assert [r["工号"] for r in rows] == IDS
    for row in rows:
        pid = row["工号"]
        if pid not in scores.index:
            assert row["状态"] == "缺表" and row["总分"] == ""
            continue
        for column in [c for c in scores.columns if c not in ("grade", "status")]:
            assert float(row[labels[column]]) == pytest.approx(scores.at[pid, column], abs=1e-9)
        assert row["等级"] == scores.at[pid, "grade"]
    assert [r["姓名"] for r in rows if r["工号"] == "E005"] == ['=HYPERLINK("http://x")']
    customer_text = "\n".join(",".join(r) for rows_ in tables.values() for r in rows_)
    assert "13900000000" not in customer_text  # contact data never reaches the summary
    distribution = tables[(path.stem, "分布")]
    counts = {r[0]: r[1] for r in distribution if r and r[0] in ("优秀", "良好", "合格", "不合格")}
    grades = scores["grade"].value_counts()
    assert {k: int(v) for k, v in counts.items()} == {g: int(grades.get(g, 0)) for g in counts}


def test_same_inputs_same_bytes(written, tmp_path):
    path, _, _ = written
    again = tmp_path / path.name
    write_summary(again, _month(_entries()))
    assert again.read_bytes() == path.read_bytes()


def test_correction_record_lists_changed_scores(written, tmp_path):
    path, _, _ = written
    saved = SavedSummary(path)
    corrected = tmp_path / path.name
    write_summary(corrected, _month(_entries(late_e002=0)), saved=saved)
    changes = SavedSummary(corrected).changes
    items = set(changes.loc[changes["工号"] == "E002", "项目"])
    assert {"M02 服务费上交", "总分", "百分制"} <= items
    assert set(changes["工号"]) == {"E002"}
    m02 = changes[changes["项目"] == "M02 服务费上交"].iloc[0]
    assert (m02["原值"], m02["新值"]) == (3.0, 5.0)
    assert "5 − 2×1 = 3" in m02["原依据"] and "无扣分" in m02["新依据"]


def _bar_chart(path: Path) -> tuple[str, float]:
    """The 个人 bar chart's XML and its height in pixels (from its drawing anchor)."""
    with zipfile.ZipFile(path) as package:
        charts = sorted(
            n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)
        )
        xml = {n: package.read(n).decode() for n in charts}
        drawing = package.read("xl/drawings/drawing1.xml").decode()
    position = next(i for i, n in enumerate(charts) if '<c:barDir val="bar"/>' in xml[n])
    anchor = re.findall(r"<xdr:twoCellAnchor>(.*?)</xdr:twoCellAnchor>", drawing)[position]
    rows = [int(r) for r in re.findall(r"<xdr:row>(\d+)</xdr:row>", anchor)]
    offsets = [int(o) for o in re.findall(r"<xdr:rowOff>(\d+)</xdr:rowOff>", anchor)]
    height = (rows[1] - rows[0]) * 20 + (offsets[1] - offsets[0]) / 9525  # default rows: 20 px
    return xml[charts[position]], height


def test_the_personal_chart_labels_every_name(tmp_path):
    people = 40
    ids = [f"E{i:03d}" for i in range(people)]
    entries = pd.DataFrame({"M02.late_days": [i % 3 for i in range(people)]}, index=ids)
    roster = pd.DataFrame({"name": [f"员工{i}" for i in range(people)], "team": "一班"}, index=ids)
    month = MonthResults(
        "2026-03", roster, {"M": score_monthly(entries, RULES)}, fingerprint(RULES), RULES
    )
    write_summary(tmp_path / "s.xlsx", month)
    xml, height = _bar_chart(tmp_path / "s.xlsx")
    category_axis = re.search(r"<c:catAx>.*</c:catAx>", xml).group(0)
    assert '<c:tickLblSkip val="1"/>' in category_axis  # no automatic skipping of names
    assert re.search(r'<a:defRPr sz="1000"', category_axis)
    assert height >= 60 + 20 * people
