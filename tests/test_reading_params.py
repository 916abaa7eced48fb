"""Parameters are read one way everywhere: the 参数 sheet (found by its header row), a rules file
for ``xlpy rules`` and ``xlpy template --rules`` — finite, in range, each key once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from xlpy.forms import Cells, param_rows
from xlpy.forms.params import HEADERS, ParamTableError, read_param_table, read_params
from xlpy.rules import RuleError, default_rules, load_rules

ROWS = param_rows(default_rules())
ROW = {r.key: r.row for r in ROWS}
XLPY = str(Path(sys.executable).parent / "xlpy")


def _sheet(top: int = 3, left: int = 1, drop: str = "", twice: str = "") -> Cells:
    """A 参数 table with its header row on ``top`` and its first column at ``left``."""
    book = openpyxl.Workbook()
    ws = book.active
    for i, header in enumerate(HEADERS):
        ws.cell(top, left + i, header)
    for r in ROWS:
        row = r.row - 3 + top
        if r.key != drop:
            ws.cell(row, left, twice if r.key == "grade.bands.pass.min" and twice else r.key)
        ws.cell(row, left + 2, r.value)
    ws.cell(ROW["monthly.items.M05.full"] - 3 + top, left + 2, 12)
    return Cells.from_openpyxl(ws)


@pytest.mark.parametrize("top, left", [(3, 1), (1, 1), (7, 3)], ids=["template", "top", "moved"])
def test_the_table_is_read_wherever_its_header_row_is(top, left):
    assert load_rules(overrides=read_params(_sheet(top, left))).monthly.items["M05"].full == 12


def test_rows_after_a_blank_key_row_are_still_read():
    cells = _sheet(drop="grade.bands.excellent.min")
    assert load_rules(overrides=read_params(cells)).monthly.items["M05"].full == 12


def test_a_key_given_twice_names_both_rows():
    table = read_param_table(_sheet(twice="grade.bands.good.min"))
    assert table is not None
    ((cell, problem, _),) = table.problems
    assert cell == f"A{ROW['grade.bands.pass.min']}"
    assert f"第 {ROW['grade.bands.good.min']} 行与第 {ROW['grade.bands.pass.min']} 行" in problem
    with pytest.raises(ParamTableError):
        read_params(_sheet(twice="grade.bands.good.min"))


@pytest.mark.parametrize(
    "value",
    ["inf", "1e999", "nan", float("inf"), "-inf"],
    ids=["inf", "1e999", "nan", "float-inf", "minus-inf"],
)
def test_non_finite_parameters_are_refused(value):
    with pytest.raises(RuleError) as refused:
        load_rules(overrides={"monthly.items.M05.full": value})
    assert "应为有限的数字" in str(refused.value)


@pytest.mark.parametrize(
    "command",
    [["rules"], ["template", "--month", "2026-03", "-o", "{out}"]],
    ids=["rules", "template"],
)
def test_cli_refuses_what_consolidate_refuses(command, tmp_path):
    toml = tmp_path / "rules.toml"
    toml.write_text("[monthly.items.M05]\nfull = inf\n", encoding="utf-8")
    args = [a.format(out=tmp_path / "t.xlsx") for a in command]
    run = subprocess.run(
        [XLPY, *args, *(["--rules"] if command[0] == "template" else []), str(toml)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode != 0
    assert "应为有限的数字" in run.stdout + run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_forms_sent_back_alone_get_one_line_for_the_batch_not_one_per_file(tmp_path):
    import xlsxwriter

    from xlpy.forms import all_forms
    from xlpy.template.sheets import write_form
    from xlpy.template.styles import Styles
    from xlpy.validate.job import validate_files

    form = all_forms(default_rules())["M"]
    paths = []
    for pid in ("1001", "1002", "1003"):
        path = tmp_path / f"{pid}.xlsx"
        book = xlsxwriter.Workbook(str(path))
        write_form(
            book.add_worksheet(form.sheet_name(pid, "某人")),
            form,
            Styles(book),
            "native",
            {
                "month": "2026-03",
                "employee_id": pid,
                "name": "某人",
                "team": "一班",
                "supervisor": "",
            },
        )
        book.close()
        paths.append(path)
    findings = validate_files(paths).findings
    assert [f.problem for f in findings if "参数表" in f.problem] == [
        "本批文件中没有找到参数表(表头为 参数键 / 项 / 值 / 说明 的工作表),按默认规则计分"
    ]


def test_the_names_the_formulas_read_must_refer_to_each_value_cell():
    """The sheet's formulas read a value through its defined name, xlpy through its row: a name
    left behind by a program that renamed the sheet, moved to another cell, or shadowed by a
    sheet's own name is an error (ten named, the rest counted); names that followed the sheet
    are fine."""
    from xlpy.forms.params import defined_names, param_name, scale_name
    from xlpy.validate.param_names import SHOWN, name_problems

    table = read_param_table(_sheet())
    assert table is not None
    names = defined_names(default_rules())
    assert name_problems("参数", table, names, {}) == []
    followed = {k: v.replace("'参数'!", "规则!") for k, v in names.items()}
    assert name_problems("规则", table, followed, {}) == []
    left_behind = name_problems("规则", table, names, {})
    assert len(left_behind) == SHOWN + 1 and "另有" in left_behind[-1][2]
    key = "monthly.items.M05.full"
    moved = dict(names, **{param_name(key): f"参数!$C${ROW[key] + 1}"})
    ((sheet, cell, problem, fix),) = name_problems("参数", table, moved, {})
    assert (sheet, cell) == ("参数", f"C{ROW[key]}")
    assert f"指向 “参数!$C${ROW[key] + 1}”" in problem and f"='参数'!$C${ROW[key]}" in fix
    words = scale_name("honor", "words")
    first = min(r.row for r in ROWS if r.key.startswith("scales.honor.points."))
    short = dict(names, **{words: f"参数!$B${first}:$B${first + 1}"})
    ((sheet, cell, problem, _),) = name_problems("参数", table, short, {})
    assert (sheet, cell) == ("参数", f"B{first}") and words in problem
    shadowed = {"月考核-1001-张伟": {param_name(key): "99", "_xlnm.Print_Area": "A1:J28"}}
    ((sheet, cell, problem, fix),) = name_problems("参数", table, names, shadowed)
    assert (sheet, cell) == ("月考核-1001-张伟", "") and "此工作表有自己的定义名称" in problem


def test_workbooks_whose_parameters_differ_are_told_which_ones():
    """Two files of one batch with other 参数: the error names the parameters that differ, with
    both values, on the first one's cell."""
    from xlpy.validate.reading import WorkbookRead
    from xlpy.validate.settle import resolve_rules

    first, second = WorkbookRead(Path("a.xlsx"), "a.xlsx"), WorkbookRead(Path("b.xlsx"), "b.xlsx")
    first.params = {"grade.bands.good.min": 85.0}  # only what differs from the defaults
    second.params = {"monthly.items.M05.full": 12.0}
    second.param_cells = {"monthly.items.M05.full": f"C{ROW['monthly.items.M05.full']}"}
    _, (finding,) = resolve_rules([first, second])
    assert (finding.file, finding.cell) == ("b.xlsx", f"C{ROW['monthly.items.M05.full']}")
    assert finding.problem == (
        "参数与 a.xlsx 不同:grade.bands.good.min 为 80(那里为 85)、"
        "monthly.items.M05.full 为 12(那里为 10)"
    )


def test_a_rule_broken_by_a_group_of_values_names_the_value_this_sheet_changed():
    """优秀's 下限 typed as 0.9 (a percentage as a fraction) breaks 'the bands descend', a rule of
    the group ``grade``, not of one key: the error is on the cell of the value that was changed,
    not on the sheet alone."""
    from xlpy.validate.reading import WorkbookRead
    from xlpy.validate.settle import resolve_rules

    book = WorkbookRead(Path("a.xlsx"), "a.xlsx", param_sheet="参数")
    book.params = {"grade.bands.excellent.min": 0.9}
    book.param_cells = {
        "grade.bands.excellent.min": f"C{ROW['grade.bands.excellent.min']}",
        "grade.bands.good.min": f"C{ROW['grade.bands.good.min']}",
    }
    _, (finding,) = resolve_rules([book])
    assert "从高到低严格递减" in finding.problem
    assert (finding.sheet, finding.cell) == ("参数", f"C{ROW['grade.bands.excellent.min']}")
