"""K5 客户满意度 from the month's 客户评价: the summary scores the survey's satisfaction rate × 100
when the parameter is on and the engineer has answered scores, the typed actual otherwise; the
K sheet's own formulas (month workbook, both variants) compute the same, per-person files
(``--split``) show the typed actual; a typed actual the summary does not use is a warning on its
cell; no customer contact data reaches any message or output.

Hand-computed cases (default rules; K1-K4 target 10, actual 10 → 20 each; behaviours B1 自评 4
上级 5 → 0.3×4 + 0.7×5 = 4.7 → 94, B2 3/4 → 3.7 → 74, 行为 84; 总分 = 0.85×业绩 + 0.15×84):

- 1001 张伟: three responses (one with the 工号 typed as a number, one with spaces around it):
  answered 5 + 3 + 1 = 9 scores, of them ≥ 4: 4 + 2 + 1 = 7 → 7/9 × 100 = 77.78; K5 target 90 →
  86.4% → 10; 业绩 90; 总分 76.5 + 12.6 = 89.1. Typed actual 95 (differs: a warning); with the
  parameter off 95/90 ≥ 100% → 20, 业绩 100, 总分 97.6.
- 1002 李娜: one response 5 5 5 4 4 → 100 → 20; 总分 97.6; typed actual blank (no warning); with
  the parameter off the actual is missing → 总分 blank (缺数据).
- 1003 刘洋: one response with no score answered → the typed actual 70 is used: 77.8% → 5;
  业绩 85; 总分 72.25 + 12.6 = 84.85.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from xlpy_cli import run_xlpy

from xlpy.consolidate.job import consolidate
from xlpy.engines import FileWorkbook
from xlpy.feedback import run_feedback
from xlpy.forms import all_forms, param_rows
from xlpy.forms.survey import engineer_column, question_columns
from xlpy.rules import default_rules
from xlpy.shared.findings import ERROR, WARNING
from xlpy.template import generate
from xlpy.validate.job import validate_files

HERE = Path(__file__).parent
UNO_PYTHON = "/usr/bin/python3"
MONTH = "2026-04"
RULES = default_rules()
FORMS = all_forms(RULES)
K, S = FORMS["K"], FORMS["S"]
ACTUAL, SOURCE = (
    next(c.address for c in K.computed if c.label == f"K5 {w}") for w in ("实际值", "实际值来源")
)
PEOPLE = [("1001", "张伟", "一班"), ("1002", "李娜", "一班"), ("1003", "刘洋", "二班")]
SHEETS = {pid: K.sheet_name(pid, name) for pid, name, _ in PEOPLE}
PHONE, EMAIL = "13912345678", "kehu.wang@example.com"
PARAM = "kpi.indicators.K5.from_survey"

COMMON = {f"K{i}.{part}": 10 for i in range(1, 5) for part in ("target", "actual")} | {
    "K5.target": 90,
    "B1.self": 4,
    "B1.manager": 5,
    "B2.self": 3,
    "B2.manager": 4,
}
TYPED = {"1001": 95, "1002": None, "1003": 70}
ON = {  # pid: (K5 actual scored, K5 points, 业绩, 总分)
    "1001": (7 / 9 * 100, 10, 90, 89.1),
    "1002": (100, 20, 100, 97.6),
    "1003": (70, 5, 85, 84.85),
}
OFF = {"1001": (20, 97.6), "1002": (math.nan, math.nan), "1003": (5, 84.85)}
QUESTIONS = question_columns(S, RULES)
RESPONSES = [  # 工号 as typed, scores by question
    ("1001", {"S1": 5, "S2": 4, "S3": 3, "S4": 5, "S5": 4}),
    (1001, {"S1": 2, "S2": 4, "S3": 5}),
    (" 1001 ", {"S1": 5}),
    ("1002", {"S1": 5, "S2": 5, "S3": 5, "S4": 4, "S5": 4}),
    ("1003", {}),
]


def _customer_letters() -> dict[str, str]:
    assert S.table is not None
    return {c.entry.column: c.letter for c in S.table.columns if c.entry and c.entry.personal}


def _survey_cells() -> list[tuple[str, object]]:
    """(address on 客户评价, value) of every response, with a customer's phone and e-mail."""
    assert S.table is not None
    contact = _customer_letters()
    cells: list[tuple[str, object]] = []
    for offset, (pid, scores) in enumerate(RESPONSES):
        row = S.table.first_row + offset
        cells.append((f"{engineer_column(S)}{row}", pid))
        cells += [(f"{QUESTIONS[q]}{row}", score) for q, score in scores.items()]
        cells += [
            (f"{contact['customer_phone']}{row}", PHONE),
            (f"{contact['customer_email']}{row}", EMAIL),
        ]
    return cells


def _kpi_cells(pid: str) -> list[tuple[str, object]]:
    entries = COMMON | {"K5.actual": TYPED[pid]}
    return [(K.entry_cell(c).address, v) for c, v in entries.items() if v is not None]


def _fill(source: Path, target: Path, params: dict[str, object] | None = None) -> Path:
    """Type the entries with openpyxl, as staff would (no formula is calculated)."""
    book = openpyxl.load_workbook(source)
    for pid, sheet in SHEETS.items():
        if sheet in book.sheetnames:
            for address, value in _kpi_cells(pid):
                book[sheet][address] = value
    if S.sheet_name() in book.sheetnames:
        for address, value in _survey_cells():
            book[S.sheet_name()][address] = value
    rows = {r.key: r.row for r in param_rows(RULES)}
    for key, value in (params or {}).items():
        book["参数"][f"C{rows[key]}"] = value
    book.save(target)
    return target


def _lo_steps(sheets: list[str], survey: bool) -> list[dict]:
    steps = []
    for pid, sheet in SHEETS.items():
        if sheet in sheets:
            steps += [{"set": [sheet, a, v]} for a, v in _kpi_cells(pid)]
    if survey:
        steps += [{"set": [S.sheet_name(), a, v]} for a, v in _survey_cells()]
    return steps


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The month workbook (K only) in both variants and split, typed with openpyxl; the native
    month workbook and one split person file also typed and recalculated inside LibreOffice."""
    folder = tmp_path_factory.mktemp("k5")
    roster = folder / "roster.csv"
    roster.write_text(
        "工号,姓名,班组\n" + "".join(f"{p},{n},{t}\n" for p, n, t in PEOPLE), encoding="utf-8"
    )
    made = {}
    for variant in ("native", "addin"):
        [blank] = generate(MONTH, folder / f"{variant}.xlsx", roster, ("K",), variant=variant)
        made[variant] = _fill(blank, folder / f"typed-{variant}.xlsx")
    split = generate(MONTH, folder / "split", roster, ("K",), split=True, variant="native")
    split_typed = folder / "split-typed"
    split_typed.mkdir()
    for path in split:
        _fill(path, split_typed / path.name)
    made["split"] = split_typed
    made["split-blank"] = split[0]
    made["blank-native"] = folder / "native.xlsx"
    if shutil.which("soffice") and _has_uno():
        jobs = [
            {
                "source": str(folder / "native.xlsx"),
                "target": str(folder / "lo-native.xlsx"),
                "steps": _lo_steps(list(SHEETS.values()), survey=True),
            },
            {
                "source": str(split[0]),
                "target": str(folder / "lo-split-1001.xlsx"),
                "steps": _lo_steps([SHEETS["1001"]], survey=False),
            },
        ]
        job_file = folder / "jobs.json"
        job_file.write_text(json.dumps({"jobs": jobs}, ensure_ascii=False), encoding="utf-8")
        subprocess.run(
            [UNO_PYTHON, str(HERE / "lo_fill.py"), str(job_file)],
            check=True,
            timeout=600,
            capture_output=True,
        )
        made["lo-native"] = folder / "lo-native.xlsx"
        made["lo-split"] = folder / "lo-split-1001.xlsx"
    return made


def _has_uno() -> bool:
    run = subprocess.run([UNO_PYTHON, "-c", "import uno"], check=False, capture_output=True)
    return run.returncode == 0


def _lo(books, kind: str) -> Path:
    if kind not in books:
        pytest.skip("LibreOffice with python3-uno is not installed (scripts/setup.sh test)")
    return books[kind]


def _k(batch, pid: str, column: str) -> float:
    return float(batch.results["K"].scores.at[pid, column])


def _k5_findings(batch, pid: str) -> list:
    address = K.entry_cell("K5.actual").address
    return [f for f in batch.findings if f.sheet == SHEETS[pid] and f.cell == address]


@pytest.mark.parametrize("variant", ["native", "addin"])
def test_consolidate_takes_k5_from_the_survey(books, variant, tmp_path):
    outcome = consolidate([books[variant]], MONTH, tmp_path / f"汇总-{MONTH}.xlsx")
    batch = outcome.batch
    assert batch.errors == []
    for pid, (_, points, performance, total) in ON.items():
        assert _k(batch, pid, "K5") == points, pid
        assert _k(batch, pid, "performance") == pytest.approx(performance, abs=1e-9), pid
        assert _k(batch, pid, "total") == pytest.approx(total, abs=1e-9), pid
    detail = batch.results["K"].explanations["K5"]
    assert detail["1001"] == "K5 客户满意度: 实际 77.78(取自客户评价 3 份) ÷ 目标 90 = 86.42% → 10"
    assert detail["1002"].startswith("K5 客户满意度: 实际 100(取自客户评价 1 份)")
    assert detail["1003"].startswith("K5 客户满意度: 实际 70(手填)")
    # the summary workbook shows the same scores and the source in 明细
    summary = FileWorkbook(outcome.path)
    grid = summary.values("汇总")
    header = list(grid[2])
    rows = {row[0]: dict(zip(header, row, strict=False)) for row in grid[3:] if row and row[0]}
    labels = batch.results["K"].labels
    for pid, (_, points, _, total) in ON.items():
        assert rows[pid][labels["K5"]] == points
        assert rows[pid][labels["total"]] == pytest.approx(total, abs=1e-9)
    detail_text = "\n".join(str(v) for row in summary.values("明细") for v in row if v)
    assert "实际 77.78(取自客户评价 3 份)" in detail_text and "实际 70(手填)" in detail_text


def test_typed_actual_the_survey_replaces_is_a_warning_on_its_cell(books):
    batch = validate_files([books["native"]], MONTH)
    [warning] = _k5_findings(batch, "1001")
    assert warning.severity == WARNING and warning.cell == "D11"
    assert "手填实际值 95 未被采用" in warning.problem
    assert "满意度 77.78" in warning.problem and "3 份评价" in warning.problem
    assert "有效评分 9 个" in warning.problem and "≥ 4 分 7 个" in warning.problem
    assert "实际值取自客户评价" in warning.expected
    assert _k5_findings(batch, "1002") == []  # blank and filled by the survey: nothing to say
    assert _k5_findings(batch, "1003") == []  # no answered score: the typed actual is used


def test_parameter_off_on_the_params_sheet_uses_the_typed_actual(books, tmp_path):
    off = _fill(books["blank-native"], tmp_path / "off.xlsx", {PARAM: "否"})
    batch = validate_files([off], MONTH)
    assert batch.errors == []
    for pid, (points, total) in OFF.items():
        if math.isnan(total):
            assert math.isnan(_k(batch, pid, "total"))
            assert "缺数据" in batch.results["K"].scores.at[pid, "status"]
        else:
            assert _k(batch, pid, "K5") == points, pid
            assert _k(batch, pid, "total") == pytest.approx(total, abs=1e-9), pid
    assert _k5_findings(batch, "1001") == []  # the typed 95 is the one used
    assert [f.problem for f in _k5_findings(batch, "1002")] == [
        "客户满意度·实际值未填写,总分因此空缺"
    ]
    assert (
        batch.results["K"].explanations.at["1001", "K5"].startswith("K5 客户满意度: 实际 95(手填)")
    )


def test_parameter_off_by_a_rules_file_uses_the_typed_actual(books, tmp_path):
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(f"{PARAM} = false\n", encoding="utf-8")
    blank = tmp_path / "blank.xlsx"
    run = run_xlpy(
        "template", "--month", MONTH, "--forms", "K", "--rules", str(rules_file), "-o", str(blank)
    )
    assert run.returncode == 0, run.stderr
    assert _param_value(blank) == "否"  # carried by the 参数 sheet
    batch = validate_files([_fill(blank, tmp_path / "typed.xlsx")], MONTH)
    # the built-in roster has other people: score the ones typed here
    assert _k(batch, "1001", "K5") == OFF["1001"][0]
    assert _k(batch, "1001", "total") == pytest.approx(OFF["1001"][1], abs=1e-9)


def _param_value(path: Path) -> object:
    rows = {r.key: r.row for r in param_rows(RULES)}
    return openpyxl.load_workbook(path)["参数"][f"C{rows[PARAM]}"].value


def test_the_sheet_counts_the_survey_by_exact_match_never_by_typed_criteria(books):
    month_book = openpyxl.load_workbook(books["native"])[SHEETS["1001"]]
    value = month_book[ACTUAL].value
    assert value.startswith("=IF(AND(") and f"'{S.sheet_name()}'!" in value
    assert "SUMPRODUCT" in value and "COUNTIF" not in value.upper()
    split_book = openpyxl.load_workbook(books["split-blank"])
    [sheet] = [n for n in split_book.sheetnames if n.startswith(K.sheet_prefix)]
    assert S.sheet_name() not in split_book.sheetnames
    formulas = [c.value for row in split_book[sheet].iter_rows() for c in row]
    assert not any(isinstance(f, str) and f"'{S.sheet_name()}'!" in f for f in formulas)


def test_libreoffice_recalculates_k5_from_the_survey_as_the_core(books):
    path = _lo(books, "lo-native")
    batch = validate_files([path], MONTH)
    assert batch.errors == []
    assert [f.line() for f in batch.findings if "按规则应为" in f.problem] == []
    book = FileWorkbook(path)
    total_cell = K.computed_cell("total").address
    for pid, (actual, points, _, total) in ON.items():
        values = _cells(book, SHEETS[pid])
        assert values[ACTUAL] == pytest.approx(actual, abs=1e-9), pid
        assert values[K.computed_cell("K5").address] == points, pid
        assert values[total_cell] == pytest.approx(total, abs=1e-9), pid
        assert _k(batch, pid, "total") == pytest.approx(total, abs=1e-9), pid
    assert _cells(book, SHEETS["1001"])[SOURCE] == "取自客户评价(3 份)"
    assert _cells(book, SHEETS["1002"])[SOURCE] == "取自客户评价(1 份)"
    assert _cells(book, SHEETS["1003"])[SOURCE] == "手填"


def _cells(book: FileWorkbook, sheet: str) -> dict[str, object]:
    from openpyxl.utils import get_column_letter

    return {
        f"{get_column_letter(c + 1)}{r + 1}": v
        for r, row in enumerate(book.values(sheet))
        for c, v in enumerate(row)
    }


def test_split_file_shows_the_typed_actual_and_the_summary_takes_the_survey(books, tmp_path):
    person = _lo(books, "lo-split")
    values = _cells(FileWorkbook(person), SHEETS["1001"])
    assert values[ACTUAL] == 95
    assert values[SOURCE] == "手填;汇总时如有本人的客户评价则取自客户评价"
    assert values[K.computed_cell("K5").address] == 20  # the sheet's own score: typed
    department = next(p for p in books["split"].iterdir() if p.name.endswith("部门.xlsx"))
    others = [p for p in books["split"].iterdir() if "1001" not in p.name and p != department]
    folder = tmp_path / "month"
    folder.mkdir()
    for source in (person, department, *others):
        shutil.copy(source, folder / source.name)
    batch = validate_files(sorted(folder.iterdir()), MONTH)
    assert batch.errors == []
    assert [f.line() for f in batch.findings if "按规则应为" in f.problem] == []
    assert _k(batch, "1001", "K5") == ON["1001"][1]
    assert _k(batch, "1001", "total") == pytest.approx(ON["1001"][3], abs=1e-9)
    [warning] = _k5_findings(batch, "1001")
    assert "汇总采用客户评价的满意度 77.78" in warning.problem
    # another person's bad entry leaves 1001's cached results compared all the same
    other = next(p for p in folder.iterdir() if "1002" in p.name)
    book = openpyxl.load_workbook(other)
    book[SHEETS["1002"]][K.entry_cell("K1.actual").address] = -1
    book.save(other)
    batch = validate_files(sorted(folder.iterdir()), MONTH)
    assert {f.sheet for f in batch.errors} == {SHEETS["1002"]}
    assert [f.line() for f in batch.findings if "按规则应为" in f.problem] == []


def test_no_customer_contact_data_in_any_message_or_output(books, tmp_path):
    summary = tmp_path / f"汇总-{MONTH}.xlsx"
    outputs = [
        run_xlpy("validate", str(books["native"])).stdout,
        run_xlpy("validate", "--json", str(books["native"])).stdout,
        run_xlpy("consolidate", "--month", MONTH, "-o", str(summary), str(books["native"])).stdout,
    ]
    slips = run_feedback(summary, tmp_path / "slips")
    assert "取自客户评价 3 份" in _package_text(slips.workbook)  # the slip names the source
    for written in [summary, slips.workbook]:
        outputs.append(_package_text(written))
    text = "\n".join(outputs)
    assert "手填实际值 95 未被采用" in text
    for secret in (PHONE, EMAIL, re.escape(PHONE[:7]), "example.com"):
        assert not re.search(secret, text), secret


def _package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())


def test_a_bad_typed_actual_is_still_an_error_when_the_survey_has_the_value(books, tmp_path):
    book = openpyxl.load_workbook(books["native"])
    book[SHEETS["1001"]][K.entry_cell("K5.actual").address] = -3
    book.save(tmp_path / "bad.xlsx")
    batch = validate_files([tmp_path / "bad.xlsx"], MONTH)
    [error] = [f for f in _k5_findings(batch, "1001") if f.severity == ERROR]
    assert "-3" in error.problem or "−3" in error.problem
