"""xlpy template: the month workbook's structure, protection, validation, print setup,
determinism, split files, and refusal of bad rosters with nothing left behind."""

from __future__ import annotations

import re

import openpyxl
import pytest
from forms_helpers import FORMS, MONTH, PEOPLE, SCHEMES, write_roster
from openpyxl.worksheet.formula import ArrayFormula
from python_calamine import CalamineWorkbook
from xlpy_cli import run_xlpy

from xlpy.errors import XlpyError
from xlpy.forms import Cells, all_forms, defined_names, identify, read_form, read_params, read_table
from xlpy.recalc.calls import addin_calls
from xlpy.rules import default_rules, fingerprint, load_rules
from xlpy.template import generate

UDF_CALL = re.compile(
    r"\b(TECH_SCORE|TECH_LEVEL|GRADE_LEVEL|ITEM_SCORE|DEDUCTION|RATING_POINTS|"
    r"MONTHLY_TOTAL|TARGET_SCORE|BEHAVIOR_SCORE|WEIGHTED_TOTAL|SATISFACTION)\("
)


def person_sheets():
    return [FORMS[s].sheet_name(p[0], p[1]) for s in (*SCHEMES, "T") for p in PEOPLE]


def test_sheets_in_order_with_identity_filled_in(month_books):
    workbook = openpyxl.load_workbook(month_books.addin)
    assert workbook.sheetnames == ["说明", "参数", "人员", *person_sheets(), "客户评价", "部门评价"]
    ws = workbook["月考核-1001-张伟"]
    form = FORMS["M"]
    assert ws["A1"].value == "售后服务人员月考核表"
    assert ws[form.identity_cell("employee_id").address].value == "1001"
    assert ws[form.identity_cell("name").address].value == "张伟"
    assert ws[form.identity_cell("month").address].value == MONTH
    assert [c.value for c in workbook["人员"][2]] == list(PEOPLE[0])


def test_entry_cells_unlocked_with_validation_computed_cells_locked(month_books):
    workbook = openpyxl.load_workbook(month_books.addin)
    for scheme in (*SCHEMES, "T", "D"):
        form = FORMS[scheme]
        ws = workbook[form.sheet_name(*PEOPLE[0][:2])]
        assert ws.protection.sheet and not ws.protection.password
        validations = {
            str(cell): dv for dv in ws.data_validations.dataValidation for cell in _cells(dv.sqref)
        }
        for entry in form.entries:
            assert ws[entry.address].protection.locked is False, (scheme, entry.address)
            dv = validations[entry.address]
            assert dv.prompt and dv.showInputMessage, (scheme, entry.address)
            kind = entry.entry.kind.value
            expected = {
                "count": ("whole", "greaterThanOrEqual"),
                "rating": ("list", None),
                "flag": ("list", None),
                "level": ("whole", "between"),
                "amount": ("decimal", "greaterThanOrEqual"),
                "score": ("decimal", "between"),
            }[kind]
            operator = (dv.operator or "between") if expected[1] else None  # between: the default
            assert (dv.type, operator) == expected, entry.address
        for computed in form.computed:
            assert ws[computed.address].protection.locked is not False
            assert formula_at(ws, computed.address).startswith("="), computed.address
        for remark in (t for t in form.texts if t.style == "remark"):  # 备注: notes, unscored
            assert ws[remark.address].protection.locked is False, (scheme, remark.address)
    remarks = [t.address for t in FORMS["M"].texts if t.style == "remark"]
    assert remarks == [f"J{row}" for row in range(5, 16)]  # beside each of M01-M11
    m = workbook["月考核-1001-张伟"]
    rating = FORMS["M"].entry_cell("M09").address
    dv = next(dv for dv in m.data_validations.dataValidation if rating in _cells(dv.sqref))
    assert dv.formula1 == '"强,较好,一般,差"'


def formula_at(ws, address):
    """The formula a cell computes: its own, or that of the array formula it belongs to."""
    value = ws[address].value
    if isinstance(value, str):
        return value
    if isinstance(value, ArrayFormula):
        return value.text
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, ArrayFormula) and address in _cells(cell.value.ref):
                return cell.value.text
    return ""


def formula_cells(ws):
    cells = {c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, ArrayFormula):
                cells |= _cells(cell.value.ref)
    return cells


def plain(value):
    return (value.ref, value.text) if isinstance(value, ArrayFormula) else value


def _cells(sqref):
    out = set()
    for part in str(sqref).split():
        if ":" in part:
            lo, hi = part.split(":")
            for row in openpyxl.utils.cell.rows_from_range(f"{lo}:{hi}"):
                out |= set(row)
        else:
            out.add(part)
    return out


def test_survey_table_links_responses_to_the_roster(month_books):
    workbook = openpyxl.load_workbook(month_books.addin)
    ws = workbook["客户评价"]
    table = FORMS["S"].table
    id_col = next(c.letter for c in table.columns if c.entry and c.entry.column == "engineer_id")
    dv = next(
        dv
        for dv in ws.data_validations.dataValidation
        if f"{id_col}{table.first_row}" in _cells(dv.sqref)
    )
    assert dv.type == "list" and dv.formula1 == "staff_ids"
    assert workbook.defined_names["staff_ids"].attr_text == "'人员'!$A$2:$A$6"
    for name in defined_names(default_rules()):
        assert name in workbook.defined_names, name


def test_print_setup_is_a4_fit_to_width_with_code_and_page_numbers(month_books):
    workbook = openpyxl.load_workbook(month_books.addin)
    for scheme in (*SCHEMES, "T", "S", "D"):
        form = FORMS[scheme]
        ws = workbook[form.sheet_name(*PEOPLE[0][:2])]
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == ("landscape" if form.landscape else "portrait")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # fitToWidth 1 is the OOXML default, so it is not written; fitToHeight 0 = as many as needed
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
        footer = ws.oddFooter
        assert form.form_code in footer.left.text and "&P" in footer.center.text


def test_native_variant_same_cells_without_addin_functions(month_books):
    addin = openpyxl.load_workbook(month_books.addin)
    native = openpyxl.load_workbook(month_books.native)
    for sheet in [*person_sheets(), "客户评价", "部门评价"]:
        a = formula_cells(addin[sheet])
        n = {
            c.coordinate: c.value
            for row in native[sheet].iter_rows()
            for c in row
            if c.data_type == "f"
        }
        assert a == set(n), sheet
        assert not [v for v in n.values() if UDF_CALL.search(v)], sheet
    assert any(
        UDF_CALL.search(str(c.value))
        for row in addin["技术等级-1001-张伟"].iter_rows()
        for c in row
    )


ADDIN_CALLS_PER_SHEET = 8  # issue 11: each call is a round trip through xlwings' COM server


def test_a_full_recalculation_calls_the_addin_at_most_eight_times_per_person_sheet(month_books):
    calls = addin_calls(month_books.addin)
    per_sheet = {sheet: calls[sheet] for sheet in person_sheets()}
    assert max(per_sheet.values()) <= ADDIN_CALLS_PER_SHEET, per_sheet
    assert min(per_sheet.values()) >= 2  # still the add-in's functions, not native formulas
    # one element-wise call fills a column: M's eight deduction items are one ITEM_SCORE
    m = openpyxl.load_workbook(month_books.addin)["月考核-1001-张伟"]
    assert [formula_at(m, FORMS["M"].computed_cell(f"M0{i}").address) for i in range(1, 9)] == [
        m["I5"].value.text
    ] * 8
    assert m["I5"].value.ref == "I5:I12" and m["I5"].value.text.startswith("=ITEM_SCORE(")


def test_generating_twice_gives_identical_workbooks(month_books, tmp_path):
    [again] = generate(MONTH, tmp_path / "again.xlsx", month_books.roster, SCHEMES, tech=True)
    first, second = openpyxl.load_workbook(month_books.addin), openpyxl.load_workbook(again)
    assert first.sheetnames == second.sheetnames
    for ws in first.worksheets:
        other = second[ws.title]
        assert [[plain(c.value) for c in r] for r in ws.iter_rows()] == [
            [plain(c.value) for c in r] for r in other.iter_rows()
        ], ws.title
    assert again.read_bytes() == month_books.addin.read_bytes()


def test_reader_identifies_every_sheet_and_reads_the_parameters_back(month_books):
    workbook = CalamineWorkbook.from_path(str(month_books.addin))
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        cells = Cells.from_grid(sheet.to_python(), sheet.start)
        form = identify(cells, FORMS)
        if name in ("说明", "参数", "人员"):
            assert form is None
            continue
        assert form is not None and form.sheet_prefix == name.split("-")[0], name
        if form.per_person:
            reading = read_form(cells, form, name)
            assert (
                f"{form.sheet_prefix}-{reading.identity['employee_id']}-"
                f"{reading.identity['name']}" == name
            )
            assert reading.identity["month"] == MONTH
            assert reading.entries and all(v is None for v in reading.entries.values())
        elif form.table is not None:
            assert read_table(cells, form, name) == []
    params = workbook.get_sheet_by_name("参数")
    overrides = read_params(Cells.from_grid(params.to_python(), params.start))
    assert fingerprint(load_rules(overrides=overrides)) == fingerprint(default_rules())


def test_split_writes_one_file_per_person_and_a_department_file(month_books, tmp_path):
    written = generate("2026-11", tmp_path / "split", month_books.roster, ("M", "K"), split=True)
    assert [p.name for p in written] == [f"考核-2026-11-{p[0]}-{p[1]}.xlsx" for p in PEOPLE] + [
        "考核-2026-11-部门.xlsx"
    ]
    first = openpyxl.load_workbook(written[0])
    assert first.sheetnames == ["说明", "参数", "人员", "月考核-1001-张伟", "月评分-1001-张伟"]
    department = openpyxl.load_workbook(written[-1])
    assert department.sheetnames == ["说明", "参数", "人员", "客户评价", "部门评价"]
    assert sorted(p.name for p in (tmp_path / "split").iterdir()) == sorted(p.name for p in written)
    assert [p.name for p in tmp_path.iterdir()] == ["split"]  # no temporary folder left


BAD_ROSTERS = [
    (
        "duplicate",
        [PEOPLE[0], PEOPLE[1], ("1001", "王芳", "二班", "周志强", "售后服务员")],
        ["第 4 行", "工号 “1001” 重复", "第 2 行"],
    ),
    (
        "duplicate in another case",  # the sheets' lookups would find AB1's row for ab1
        [
            ("AB1", "张伟", "一班", "王建国", "售后服务员"),
            ("ab1", "王芳", "二班", "周志强", "售后服务员"),
        ],
        ["第 3 行", "工号 “ab1” 重复(与第 2 行的 AB1 相同;工号不区分大小写)"],
    ),
    (
        "blank name",
        [PEOPLE[0], ("1009", "", "一班", "王建国", "售后服务员")],
        ["第 3 行", "姓名为空"],
    ),
    (
        "too long",
        [PEOPLE[0], ("1010", "阿" * 25, "一班", "王建国", "售后服务员")],
        ["第 3 行", "超过 Excel 上限 31"],
    ),
    ("slash", [("1011", "张/伟", "一班", "王建国", "售后服务员")], ["第 2 行", "/"]),
    ("brackets", [("1012", "李[娜]", "一班", "王建国", "售后服务员")], ["第 2 行", "["]),
    ("colon", [("10:13", "刘洋", "一班", "王建国", "售后服务员")], ["第 2 行", ":"]),
    ("star question", [("1014", "赵*磊?", "一班", "王建国", "售后服务员")], ["第 2 行", "*", "?"]),
    ("backslash", [("1015", "孙\\丽", "一班", "王建国", "售后服务员")], ["第 2 行", "\\"]),
    (
        "tab",  # or a line break (Alt+Enter): the text must fit on one line
        [("1017", "周\t杰", "一班", "王建国", "售后服务员")],
        ["第 2 行", "姓名 “周⇥杰” 含换行或制表符"],
    ),
    (
        "name of 40,000 characters",  # quoted shortened: one short line, not the whole text
        [("1018", "长" * 40_000, "一班", "王建国", "售后服务员")],
        ["第 2 行(“" + "长" * 40 + "…”)", "工作表名称“月考核-1018-" + "长" * 22 + "…”"],
    ),
    (
        "zero-width space",
        [("1016\u200b", "周杰", "一班", "王建国", "售后服务员")],
        ["第 2 行", "工号 “1016⟨U+200B⟩” 含不可见字符 U+200B"],
    ),
]


@pytest.mark.parametrize("split", [False, True], ids=["single", "split"])
@pytest.mark.parametrize(
    "rows, fragments", [b[1:] for b in BAD_ROSTERS], ids=[b[0] for b in BAD_ROSTERS]
)
def test_bad_roster_names_the_row_and_writes_nothing(tmp_path, rows, fragments, split):
    roster = write_roster(tmp_path / "bad.csv", rows)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(XlpyError) as error:
        generate(
            "2026-11", out / ("split" if split else "book.xlsx"), roster, ("M", "K"), split=split
        )
    message = str(error.value)
    assert "bad.csv" in message and "未生成任何文件" in message
    for fragment in fragments:
        assert fragment in message
    assert list(out.iterdir()) == []


def test_roster_message_is_one_short_line_per_problem(tmp_path):
    """A name quoted over a line break (one CSV field over two lines) and a name of 40,000
    characters: each problem is one line, the names shown shortened, line breaks as ⏎."""
    roster = tmp_path / "bad.csv"
    roster.write_text(
        '工号,姓名,班组,主管,岗位\n1001,"张三\n1002",一班,王,工\n1003,'
        + "长" * 40_000
        + ",一班,王,工\n",
        encoding="utf-8",
    )
    with pytest.raises(XlpyError) as error:
        generate("2026-11", tmp_path / "book.xlsx", roster, ("M",))
    lines = str(error.value).splitlines()
    assert lines[0] == "人员名单有误,未生成任何文件:"
    assert len(lines) == 3 and all(len(line.replace(str(roster), "")) < 200 for line in lines)
    assert "第 2 行: 姓名 “张三⏎1002” 含换行或制表符" in lines[1]
    assert "第 3 行(“" + "长" * 40 + "…”)" in lines[2]


@pytest.mark.parametrize(
    "text, fragments",
    [
        (  # the csv module refuses a field over its limit: the line, in Chinese
            "工号,姓名,班组,主管,岗位\n1001,张三,一班,王,工\n1002,"
            + "x" * 200_000
            + ",一班,王,工\n",
            ["bad.csv · 第 3 行有一格超过 131072 个字符,不像人员名单"],
        ),
        (  # which 工号 column is the person's?
            "工号,姓名,班组,主管,岗位,工号\n1001,张三,一班,王,工,1002\n",
            ["bad.csv: 表头中 工号 出现不止一次,无法确定用哪一列"],
        ),
    ],
    ids=["field over the csv limit", "header column twice"],
)
def test_roster_file_that_cannot_be_read_as_one(tmp_path, text, fragments):
    (tmp_path / "bad.csv").write_text(text, encoding="utf-8")
    with pytest.raises(XlpyError) as error:
        generate("2026-11", tmp_path / "book.xlsx", tmp_path / "bad.csv", ("M",))
    for fragment in fragments:
        assert fragment in str(error.value)
    assert "field" not in str(error.value).replace("x" * 10, "")
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


def test_cli_reports_roster_errors_in_chinese_with_exit_code_2(tmp_path):
    roster = write_roster(tmp_path / "bad.csv", [PEOPLE[0], PEOPLE[0]])
    run = run_xlpy(
        "template", "--month", "2026-11", "--roster", str(roster), "-o", str(tmp_path / "x.xlsx")
    )
    assert run.returncode == 2
    assert "第 3 行" in run.stderr and "重复" in run.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_defaults_to_the_sample_roster_in_workbook_folder(tmp_path):
    run = run_xlpy(
        "template", "--month", "2026-12", "--forms", "M,P", "--formulas", "native", cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    book = openpyxl.load_workbook(tmp_path / "workbook" / "售后考核-2026-12.xlsx")
    people = [r[1] for r in book["人员"].iter_rows(min_row=2, values_only=True)]
    assert (
        len(people) == 12
        and len({r[2] for r in book["人员"].iter_rows(min_row=2, values_only=True)}) == 2
    )
    assert f"绩效考核-1001-{people[0]}" in book.sheetnames


def test_bad_month_and_unknown_form_are_refused(tmp_path):
    with pytest.raises(XlpyError, match="YYYY-MM"):
        generate("2026-13", tmp_path / "x.xlsx")
    with pytest.raises(XlpyError, match="未知表单 X"):
        generate("2026-11", tmp_path / "x.xlsx", schemes=("M", "X"))
    assert list(tmp_path.iterdir()) == []


def test_survey_rows_widen_the_table_and_the_department_formulas(tmp_path):
    [book] = generate("2026-11", tmp_path / "wide.xlsx", schemes=("M",), survey_rows=300)
    workbook = openpyxl.load_workbook(book)
    survey, department = workbook["客户评价"], workbook["部门评价"]
    assert survey.max_row == FORMS["S"].table.first_row + 300 - 1
    first_metric = FORMS["D"].computed[0].address
    assert "'客户评价'!$E$5:$E$304" in department[first_metric].value
    wide = all_forms(default_rules(), 300)["D"]
    assert [e.address for e in wide.entries] == [e.address for e in FORMS["D"].entries]
    with pytest.raises(XlpyError, match="客户评价行数"):
        generate("2026-11", tmp_path / "none.xlsx", survey_rows=0)


def test_roster_from_xlsx_with_numeric_ids(tmp_path):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["工号", "姓名", "班组", "主管", "岗位"])
    ws.append([1001, "张伟", "一班", "王建国", "售后服务工程师"])
    ws.append([2001.0, " 黄敏 ", "二班", "周志强", None])
    workbook.save(tmp_path / "roster.xlsx")
    [book] = generate("2026-11", tmp_path / "book.xlsx", tmp_path / "roster.xlsx")
    assert openpyxl.load_workbook(book).sheetnames[3:5] == ["月考核-1001-张伟", "月考核-2001-黄敏"]
    ws.append([None, "无工号", "二班", "周志强", None])
    workbook.save(tmp_path / "roster.xlsx")
    with pytest.raises(XlpyError, match="第 4 行: 工号为空"):
        generate("2026-11", tmp_path / "book2.xlsx", tmp_path / "roster.xlsx")
