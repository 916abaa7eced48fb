"""xlpy against LibreOffice's own formulas, on values nobody planned for.

Random values (text as pasted, input as typed, numbers, formulas) go into random entry cells of
the native-formula template's per-person forms (月考核 M, 月评分 K, 绩效考核 P) inside
LibreOffice, which calculates and saves the workbook. For every person's form, xlpy must either
name an entry cell as an error or give exactly the results LibreOffice computed in the sheet's
own computed cells (each 得分, the totals, 百分制, 等级, 绩效系数, 状态): summary and signed sheet
never disagree in silence. The seeds are fixed, so a failure names a case that can be made
again.
"""

from __future__ import annotations

import math
import random

import pytest
from lo_cases import FORMS, MONTH, PEOPLE
from test_libreoffice_filled import _run_libreoffice

from xlpy.engines import FileWorkbook
from xlpy.shared.addresses import parse_a1
from xlpy.shared.findings import ERROR
from xlpy.template import generate
from xlpy.validate.job import validate_files

SCHEMES = ("M", "K", "P")
ENTRY_CELLS = {s: [cell.address for cell in FORMS[s].entries] for s in SCHEMES}
RESULT_CELLS = {s: [(c.address, c.result) for c in FORMS[s].computed if c.result] for s in SCHEMES}
SHEETS = [(s, pid, FORMS[s].sheet_name(pid, name)) for s in SCHEMES for pid, name, _ in PEOPLE]
# What staff paste (text) or type (LibreOffice parses the input), and formulas they may leave
TEXT = [
    "1",
    " 1",
    "1 ",
    "１",
    "1.5",
    "-1",
    "1e1",
    "1,0",
    "1_0",
    "0x1",
    "二",
    "½",
    "1\u200b",
    "TRUE",
    "是",
    "是 ",
    " 否",
    "否",
    "Y",
    "强",
    "强 ",
    "较好",
    "一般\u3000",
    "差",
    "多",
    "少",
    "",
    " ",
    "\u3000",
    "#N/A",
    "'1",
    "—",
]
TYPED = ["1", "2", "1e1", "1.5", "-2", "1 ", "TRUE", "50%", "2026-03-01", "强", "是", "否", "90"]
FORMULAS = ["=1/0", "=NA()", '=""', '="强"', "=1+1", '=" 1"', "=TRUE()", '="是"', "=0.1*3*10"]
NUMBERS = [0, 1, 2, 3, 4, 5, 2.5, -1, 60, 85, 100, 120, 1e10, 0.30000000000000004, 1e-9]
CASES = 60


def _value(rng: random.Random, sheet: str, cell: str) -> dict:
    kind = rng.choice(("text", "typed", "formula", "number"))
    if kind == "text":
        return {"set": [sheet, cell, rng.choice(TEXT)]}
    if kind == "typed":  # setFormula without "=": parsed as LibreOffice parses what is typed
        return {"formula": [sheet, cell, rng.choice(TYPED)]}
    if kind == "formula":
        return {"formula": [sheet, cell, rng.choice(FORMULAS)]}
    return {"set": [sheet, cell, rng.choice(NUMBERS)]}


def _steps(seed: int) -> list[dict]:
    rng = random.Random(seed)
    steps = []
    for scheme, _, sheet in SHEETS:
        for cell in rng.sample(ENTRY_CELLS[scheme], rng.randint(0, 3)):
            steps.append(_value(rng, sheet, cell))
    return steps


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("differential")
    roster = folder / "roster.csv"
    roster.write_text(
        "工号,姓名,班组\n" + "".join(f"{p},{n},{t}\n" for p, n, t in PEOPLE), encoding="utf-8"
    )
    native = generate(MONTH, folder / "native.xlsx", roster, SCHEMES, variant="native")[0]
    jobs = [
        {"source": str(native), "target": str(folder / f"case-{seed}.xlsx"), "steps": _steps(seed)}
        for seed in range(CASES)
    ]
    _run_libreoffice(jobs, folder)
    return [(seed, folder / f"case-{seed}.xlsx", job["steps"]) for seed, job in enumerate(jobs)]


def _agrees(cached, ours) -> bool:
    if ours == "" or (isinstance(ours, float) and math.isnan(ours)):
        return cached is None
    if isinstance(ours, (int, float)) and not isinstance(ours, bool):
        return isinstance(cached, (int, float)) and math.isclose(cached, ours, abs_tol=1e-9)
    return cached == ours


def test_xlpy_names_a_cell_or_agrees_with_libreoffices_formulas(filled):
    checked = flagged = 0
    for seed, path, steps in filled:
        batch = validate_files([path])
        assert not any("内部错误" in f.problem for f in batch.findings), seed
        book = FileWorkbook(path)
        for scheme, pid, sheet in SHEETS:
            if any(f.sheet == sheet and f.severity == ERROR for f in batch.findings):
                flagged += 1
                continue
            scores, grid = batch.results[scheme].scores, book.values(sheet)
            checked += 1
            for address, result in RESULT_CELLS[scheme]:
                row, col = parse_a1(address)
                cached = grid[row][col] if row < len(grid) and col < len(grid[row]) else None
                ours = scores.at[pid, result]
                assert _agrees(cached, ours), (seed, sheet, address, cached, ours, steps)
    assert checked >= CASES and flagged >= CASES, (checked, flagged)  # of 6 forms a case


SURVEY, DEPARTMENT = FORMS["S"].sheet_name(), FORMS["D"].sheet_name()
SURVEY_TOP = 5  # the first response row of the template's 客户评价
# Even seeds type only what the forms allow (ids of the roster, 1-5, a blank): the rates must
# agree; odd seeds add what they do not.
IDS, ODD_IDS = [PEOPLE[0][0], PEOPLE[1][0], 1001], [" " + PEOPLE[0][0], "9999", ""]
SCORES, ODD_SCORES = [1, 2, 3, 4, 5, None], [0, 6, 4.5, "5", " 4", "５", "", "满意"]
# (received, resolved) complaints and (planned, made) follow-ups: mostly as they should be
COUNTS = {
    ("C23", "E23"): [(4, 3), (0, 0), (2, 2), ("2", 1), (3, 4)],
    ("C24", "E24"): [(5, 5), (6, 2), (0, 0), (2, 5), (5, -1)],
}
SCORECARD = [
    (c.address, *c.result.split(".")[1:]) for c in FORMS["D"].computed if c.result.startswith("s")
]
MET_WORDS = {True: "达标", False: "未达标", None: "无数据"}


def _table_steps(seed: int) -> list[dict]:
    rng = random.Random(1000 + seed)
    odd = seed % 2
    ids, scores = IDS + ODD_IDS * odd, SCORES + ODD_SCORES * odd
    steps = []
    for row in range(SURVEY_TOP, SURVEY_TOP + rng.randint(1, 4)):
        steps.append({"set": [SURVEY, f"A{row}", rng.choice(ids)]})
        for column in rng.sample("CDEFGH", rng.randint(1, 6)):
            value = rng.choice(scores)
            kind = "formula" if isinstance(value, str) and rng.random() < 0.3 else "set"
            if value is not None:
                steps.append({kind: [SURVEY, f"{column}{row}", value]})
    for cells, pairs in COUNTS.items():
        if rng.random() < 0.5:
            pair = rng.choice(pairs if odd else pairs[:3])
            for cell, value in zip(cells, pair, strict=True):
                steps.append({"set": [DEPARTMENT, cell, value]})
    return steps


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    roster = folder / "roster.csv"
    roster.write_text(
        "工号,姓名,班组\n" + "".join(f"{p},{n},{t}\n" for p, n, t in PEOPLE), encoding="utf-8"
    )
    native = generate(MONTH, folder / "native.xlsx", roster, variant="native")[0]
    jobs = [
        {
            "source": str(native),
            "target": str(folder / f"t-{seed}.xlsx"),
            "steps": _table_steps(seed),
        }
        for seed in range(CASES)
    ]
    _run_libreoffice(jobs, folder)
    return [(seed, folder / f"t-{seed}.xlsx", job["steps"]) for seed, job in enumerate(jobs)]


def test_the_department_sheet_agrees_with_xlpy_or_a_cell_is_named(tables):
    """客户评价 rows and 部门评价 counts: the sheet's own satisfaction rates (COUNTIF/COUNT over
    the survey columns) are the summary's, or xlpy names a cell of either sheet as an error."""
    checked = flagged = 0
    for seed, path, steps in tables:
        batch = validate_files([path])
        if any(f.sheet in (SURVEY, DEPARTMENT) and f.severity == ERROR for f in batch.findings):
            flagged += 1
            continue
        checked += 1
        grid = FileWorkbook(path).values(DEPARTMENT)
        for address, row_key, column in SCORECARD:
            row, col = parse_a1(address)
            cached, ours = grid[row][col], batch.department.at[row_key, column]
            if column == "met":
                ours = MET_WORDS[ours]
            assert _agrees(cached, ours), (seed, address, cached, ours, steps)
    assert checked >= CASES // 2 and flagged >= CASES // 4, (checked, flagged)
