"""The cases of tests/test_libreoffice_filled.py: what is typed into a template inside
LibreOffice (steps for ``tests/lo_fill.py``), the hand-computed scores, and each hostile kind
with the finding it must end in. Also used by ``tests/files/make_fixtures.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xlpy.forms import all_forms, derived_tables, param_name, param_rows
from xlpy.rules import default_rules
from xlpy.shared.findings import ERROR, WARNING

HERE = Path(__file__).parent
UNO_PYTHON = "/usr/bin/python3"
MONTH = "2026-03"
PEOPLE = [("1001", "张伟", "一班"), ("1002", "李娜", "一班")]
FORMS = all_forms(default_rules())
ZHANG, LI = (FORMS["M"].sheet_name(p, n) for p, n, _ in PEOPLE)
SURVEY, DEPARTMENT = FORMS["S"].sheet_prefix, FORMS["D"].sheet_prefix
ROW = {r.key: r.row for r in param_rows(default_rules())}
GRADE_TABLE = derived_tables(default_rules())[0]  # 等级表: F:G of 参数, read by GRADE_LEVEL
BEST_MIN = GRADE_TABLE.cells[0][2]  # its first row's 下限 (优秀 ≥ 90)
PHONE, EMAIL = "13912345678", "kehu.wang@example.com"


def set_cell(sheet: str, cell: str, value) -> dict:
    return {"set": [sheet, cell, value]}


# What both people type, and what it scores (default rules, SCORING.md scheme M):
# 张伟: M01 联系不上 2 次 → 5−2 = 3; M05 账目不清 1 次 → 10−5 = 5; M09 较好 → 3; M10 多 → 10;
#       M11 否 → 5; untouched counts full: M02 5, M03 5, M04 5, M06 5, M07 10, M08 20.
#       Total 3+5+5+5+5+5+10+20+3+10+5 = 76; 76 ÷ 85 × 100 = 89.41 → 良好, 系数 1.0.
# 李娜: no deductions, M09 强 → 5, M10 多 → 10: total 85 → 100 → 优秀, 系数 1.2.
FILLED = [
    set_cell(ZHANG, "G5", 2),
    set_cell(ZHANG, "G9", 1),
    set_cell(ZHANG, "G13", "较好"),
    set_cell(ZHANG, "G14", "多"),
    set_cell(ZHANG, "G15", "否"),
    set_cell(LI, "G13", "强"),
    set_cell(LI, "G14", "多"),
]
EXPECTED = {"1001": (76.0, "良好", 1.0), "1002": (85.0, "优秀", 1.2)}
# Two survey responses for 张伟 (all 5s, one all 4s) and the department's counts.
SURVEY_ROWS = [
    [
        *(set_cell(SURVEY, f"{letter}{row}", score) for letter in "CDEFGH"),
        set_cell(SURVEY, f"A{row}", "1001"),
    ]
    for row, score in ((5, 5), (6, 4))
]
FILLED_TABLES = [
    *(step for row in SURVEY_ROWS for step in row),
    set_cell(DEPARTMENT, "C23", 4),
    set_cell(DEPARTMENT, "E23", 3),
]


def unprotect(*sheets: str) -> list[dict]:
    return [{"unprotect": [sheet]} for sheet in sheets]


@dataclass(frozen=True)
class Case:
    kind: str
    steps: list[dict]
    message: str = ""  # a substring of the finding's problem ("" = no finding expected)
    sheet: str = ""
    cell: str = ""
    severity: str = ERROR
    scores: dict = field(default_factory=dict)  # 工号 → (total, grade, coefficient)
    expected: str = ""  # a substring of the finding's 应为


CASES = [
    # ── anchored reading: rows/columns inserted above or left of a form ──
    Case("row-above-form", [*unprotect(ZHANG), {"insert_rows": [ZHANG, 1, 1]}], scores=EXPECTED),
    Case("column-at-a", [*unprotect(ZHANG), {"insert_columns": [ZHANG, 0, 1]}], scores=EXPECTED),
    Case(
        "rows-and-column-above-form",
        [*unprotect(LI), {"insert_rows": [LI, 1, 2]}, {"insert_columns": [LI, 0, 2]}],
        scores=EXPECTED,
    ),
    Case(
        "row-between-title-and-form",
        [*unprotect(ZHANG), {"insert_rows": [ZHANG, 3, 1]}],
        scores=EXPECTED,
    ),
    # LibreOffice then writes empty <row> elements up to row 1048576: no value, not too large
    Case(
        "rows-deleted-below-form",
        [*unprotect(ZHANG), {"delete_rows": [ZHANG, 30, 5]}],
        scores=EXPECTED,
    ),
    Case(
        "row-inside-form",
        [*unprotect(ZHANG), {"insert_rows": [ZHANG, 8, 1]}],
        "表格结构被改动",
        ZHANG,
        "B8",
    ),
    Case(
        "title-and-code-cleared",
        [*unprotect(ZHANG), set_cell(ZHANG, "A1", ""), set_cell(ZHANG, "A2", "")],
        "找不到「表号 SH/KH-01」",
        ZHANG,
    ),
    # ── 参数 found by its content ──
    Case(
        "params-renamed",
        [set_cell("参数", f"C{ROW['grade.bands.good.min']}", 89.5), {"rename": ["参数", "规则"]}],
        scores={"1001": (76.0, "合格", 0.8), "1002": (85.0, "优秀", 1.2)},
    ),
    Case(  # the sheet's formulas read 参数 through defined names: one moved elsewhere
        "param-name-moved",
        [{"name": [param_name("monthly.items.M05.full"), "$参数.$C$4"]}],
        f"定义名称 {param_name('monthly.items.M05.full')} 指向 “参数!$C$4”",
        "参数",
        f"C{ROW['monthly.items.M05.full']}",
    ),
    Case(
        "param-name-removed",
        [{"remove_name": [param_name("monthly.items.M05.full")]}],
        f"工作簿中没有定义名称 {param_name('monthly.items.M05.full')}",
        "参数",
        f"C{ROW['monthly.items.M05.full']}",
    ),
    Case(  # a band typed over the 等级表 (the add-in's GRADE_LEVEL reads it): grades follow it
        "grade-table-value-typed",
        [*unprotect("参数"), set_cell("参数", BEST_MIN, 80)],
        "等级表中的这一格是固定值 80,不是参数 grade.bands.excellent.min 的公式",
        "参数",
        BEST_MIN,
    ),
    Case(  # its formula changed: LibreOffice caches a value that is not the parameter's
        "grade-table-formula-changed",
        [
            *unprotect("参数"),
            {"formula": ["参数", BEST_MIN, f"=C{ROW['grade.bands.excellent.min']}-10"]},
        ],
        "等级表中的这一格显示 80,而参数 grade.bands.excellent.min",
        "参数",
        BEST_MIN,
    ),
    Case(
        "params-row-above-table",
        [
            *unprotect("参数"),
            set_cell("参数", f"C{ROW['grade.bands.good.min']}", 89.5),
            {"insert_rows": ["参数", 1, 1]},
        ],
        scores={"1001": (76.0, "合格", 0.8), "1002": (85.0, "优秀", 1.2)},
    ),
    Case(
        "params-blank-key-row",
        [
            *unprotect("参数"),
            set_cell("参数", f"A{ROW['grade.bands.excellent.min']}", ""),
            set_cell("参数", f"C{ROW['grade.bands.good.min']}", 89.5),
        ],
        "参数表中缺少 grade.bands.excellent.min",  # whose value C5 holds, xlpy cannot tell
        "参数",
        f"C{ROW['grade.bands.excellent.min']}",
        scores={"1001": (76.0, "合格", 0.8), "1002": (85.0, "优秀", 1.2)},  # later rows still read
    ),
    Case(
        "params-duplicate-key",
        [
            *unprotect("参数"),
            set_cell("参数", f"A{ROW['grade.bands.pass.min']}", "grade.bands.good.min"),
        ],
        f"第 {ROW['grade.bands.good.min']} 行与第 {ROW['grade.bands.pass.min']} 行",
        "参数",
        f"A{ROW['grade.bands.pass.min']}",
    ),
    Case(  # the sheet's formulas lose the value (#REF!); xlpy must not take the default quietly
        "params-row-deleted",
        [
            *unprotect("参数"),
            {"delete_rows": ["参数", ROW["monthly.items.M05.deductions.unclear_account.per"], 1]},
        ],
        "参数表中缺少 monthly.items.M05.deductions.unclear_account.per",
        "参数",
        f"C{ROW['monthly.items.M05.deductions.unclear_account.per']}",
        expected="值 5",
    ),
    Case(  # the form's #VALUE! comes from the 参数 row: recalculating alone would keep it
        "params-row-deleted-form-shows-error",
        [
            *unprotect("参数"),
            {"delete_rows": ["参数", ROW["monthly.items.M05.deductions.unclear_account.per"], 1]},
        ],
        "M05 得分显示 “#VALUE!”",
        ZHANG,
        "I9",
        WARNING,
        expected="先更正「参数」表中的错误",
    ),
    Case(  # a value the rules refuse: the sheet scores with it, recalculating keeps that
        "params-refused-value-form-shows-other-score",
        [set_cell("参数", f"C{ROW['monthly.items.M05.deductions.unclear_account.per']}", -1)],
        "M05 得分显示 11",
        ZHANG,
        "I9",
        WARNING,
        expected="先更正「参数」表中的错误",
    ),
    Case(
        "params-inf",
        [set_cell("参数", f"C{ROW['monthly.items.M05.full']}", "1e999")],
        "填了 “1e999”(不是数字)",  # LibreOffice keeps it as text; a numeric inf: test_reading_params
        "参数",
        f"C{ROW['monthly.items.M05.full']}",
    ),
    Case(
        "params-number-as-text",
        [*unprotect("参数"), set_cell("参数", f"C{ROW['grade.bands.excellent.min']}", "85")],
        "填了 “85”(数字以文本形式输入,表内公式不会按数字计算",
        "参数",
        f"C{ROW['grade.bands.excellent.min']}",
        expected="数字 85",
    ),
    Case(
        "params-blank-value",
        [*unprotect("参数"), set_cell("参数", f"C{ROW['grade.bands.good.min']}", "")],
        "grade.bands.good.min 应为数字(当前为空白)",
        "参数",
        f"C{ROW['grade.bands.good.min']}",
    ),
    Case(
        "params-grade-label-twice",
        [*unprotect("参数"), set_cell("参数", f"C{ROW['grade.bands.good.label']}", "优秀")],
        "等级名称 优秀 重复",
        "参数",
    ),
    Case(
        "params-key-zero-width-space",
        [
            *unprotect("参数"),
            set_cell("参数", f"A{ROW['grade.bands.good.min']}", "grade.bands.good.min\u200b"),
        ],
        "参数键 “grade.bands.good.min⟨U+200B⟩” 含不可见字符 U+200B",
        "参数",
        f"A{ROW['grade.bands.good.min']}",
        expected="grade.bands.good.min",
    ),
    Case(
        "hidden-copy-of-a-form",  # a stale copy nobody sees: read, and said to be hidden
        [{"copy_sheet": [LI, "旧表"]}, {"hide": ["旧表"]}],
        "此工作表是隐藏的",
        "旧表",
        "",
        WARNING,
    ),
    Case("params-two-tables", [{"copy_sheet": ["参数", "参数2"]}], "无法确定用哪一个", "参数2"),
    Case(
        "params-deleted",
        [{"remove_sheet": ["参数"]}],
        "没有找到参数表",
        "",
        "",
        WARNING,
        scores=EXPECTED,
    ),
    Case(
        "roster-deleted",
        [{"remove_sheet": ["人员"]}],
        "没有找到人员表",
        "",
        "",
        WARNING,
        scores=EXPECTED,
    ),
    Case(
        "roster-id-twice",  # the sheet's lookups find the first row only: 王五 would vanish
        [set_cell("人员", "A4", "1002"), set_cell("人员", "B4", "王五")],
        "工号 1002 在名单中重复(与 A3 相同)",
        "人员",
        "A4",
    ),
    Case(
        "roster-id-other-case",  # MATCH and VLOOKUP ignore case: ab1 would find AB1's row
        [
            set_cell("人员", c, v)
            for c, v in (("A4", "AB1"), ("B4", "王五"), ("A5", "ab1"), ("B5", "赵六"))
        ],
        "工号 ab1 在名单中重复(与 A4 的 AB1 相同;工号不区分大小写)",
        "人员",
        "A5",
    ),
    Case("roster-row-without-id", [set_cell("人员", "B4", "王五")], "工号为空", "人员", "A4"),
    Case(  # two 工号 columns: which is the person's? (read by the first; said on the second)
        "roster-header-column-twice",
        [*unprotect("人员"), set_cell("人员", "F1", "工号"), set_cell("人员", "F2", "1002")],
        "表头中「工号」出现不止一次,按第一列(A1)读取",
        "人员",
        "F1",
        expected="每个列名只写一次",
    ),
    # ── nothing typed is lost: a value outside the entry cells (protection lifted) is said ──
    Case(
        "count-beside-its-entry-cell",  # M01's unused second slot: neither sheet nor xlpy counts it
        [set_cell(LI, "H5", 2)],
        "此单元格不是录入格,填在这里的内容不计分",
        LI,
        "H5",
        WARNING,
        scores=EXPECTED,
        expected="填在本行的录入格 G5",
    ),
    Case(
        "count-right-of-form",
        [set_cell(LI, "K9", 1)],
        "此单元格不是录入格",
        LI,
        "K9",
        WARNING,
        scores=EXPECTED,
        expected="填在本行的录入格 G9、H9",
    ),
    Case(
        "block-pasted-beside-form",  # ten cells named, the tenth counting them all
        [set_cell(LI, f"K{row}", row) for row in range(5, 20)],
        "本表共 15 个这样的单元格",
        LI,
        "K14",
        WARNING,
        scores=EXPECTED,
    ),
    Case(  # xlpy reads it; the sheets' counts run over the prepared rows 5-104 only
        "survey-response-below-table",
        [*(set_cell(SURVEY, f"{c}105", 5) for c in "CDEFGH"), set_cell(SURVEY, "A105", "1001")],
        "第 105 行起有 1 条评价在模板准备的评价行(第 5–104 行)之下",
        SURVEY,
        "A105",
        WARNING,
        scores=EXPECTED,
    ),
    Case("note-in-remark-column", [set_cell(LI, "J5", "客户搬家,两次未接通")], scores=EXPECTED),
    Case("name-typed-on-signature-row", [set_cell(LI, "B26", "李娜")], scores=EXPECTED),
    Case(
        "heading-typed-above-form",  # a department's own title line: the form is read below it
        [
            *unprotect(LI),
            {"insert_rows": [LI, 1, 1]},
            {"insert_columns": [LI, 0, 1]},
            set_cell(LI, "A1", "售后服务部 · 三月"),
            set_cell(LI, "A6", "第一组"),
        ],
        scores=EXPECTED,
    ),
    Case(  # the sheet's lookups ignore case; the summary would list AB2 as 缺表
        "id-other-case-than-list",
        [*unprotect("人员"), set_cell("人员", "A3", "AB2"), set_cell(LI, "B3", "ab2")],
        "工号 ab2 不在「人员」名单中(名单中有 AB2,大小写不同)",
        LI,
        "B3",
        expected="AB2",
    ),
    Case(
        "name-other-than-list",  # the summary shows the list's name: said on the form's cell
        [set_cell(LI, "D3", "李四")],
        "姓名「李四」与名单中工号 1002 的姓名不符(汇总按名单)",
        LI,
        "D3",
        WARNING,
        scores=EXPECTED,
        expected="李娜",
    ),
    Case(
        "team-other-than-list",  # and 分布 counts her in the list's team
        [set_cell(LI, "F3", "二班")],
        "班组「二班」与名单中工号 1002 的班组不符(汇总按名单)",
        LI,
        "F3",
        WARNING,
        scores=EXPECTED,
        expected="一班",
    ),
    Case(
        "form-deleted",  # the summary lists 李娜 as 缺表: validate says so, on her 人员 row
        [{"remove_sheet": [LI]}],
        "本批文件中没有售后服务人员月考核表,汇总中将列为缺表",
        "人员",
        "A3",
        WARNING,
        scores={"1001": EXPECTED["1001"]},
    ),
    # ── one reading of every value ──
    Case(
        "veto-trailing-space", [set_cell(LI, "G15", "是 ")], "末尾有空格", LI, "G15", expected="是"
    ),
    Case("veto-text-one", [set_cell(LI, "G15", "1")], "只认 是/否", LI, "G15", expected="是"),
    Case("veto-number-one", [set_cell(LI, "G15", 1)], "只认 是/否", LI, "G15", expected="是"),
    Case("veto-na", [{"formula": [LI, "G15", "=NA()"]}], "#N/A", LI, "G15"),
    Case("count-full-width", [set_cell(LI, "G9", "２")], "全角数字", LI, "G9", expected="数字 2"),
    Case("count-underscore", [set_cell(LI, "G9", "1_0")], "不是数字", LI, "G9"),
    Case(  # LibreOffice saves the empty text as <v></v>: no number, and not 保存前未计算 only
        "count-empty-text-formula",
        [{"formula": [LI, "G9", '=""']}],
        "公式结果为空文本",
        LI,
        "G9",
        expected="直接填写数值",
    ),
    Case(
        "count-text-number",
        [set_cell(LI, "G9", "3")],
        "数字以文本形式输入",
        LI,
        "G9",
        expected="数字 3",
    ),
    Case("count-spaces-only", [set_cell(LI, "G9", "  ")], "只有空格", LI, "G9"),
    Case("count-div0", [{"formula": [LI, "G9", "=1/0"]}], "#DIV/0!", LI, "G9"),
    Case("count-value-error", [{"formula": [LI, "G9", '="a"+1']}], "#VALUE!", LI, "G9"),
    Case(
        "rating-trailing-space",
        [set_cell(LI, "G13", "强 ")],
        "末尾有空格",
        LI,
        "G13",
        expected="强",
    ),
    Case(
        "rating-full-width-space",
        [set_cell(LI, "G13", "强\u3000")],
        "表内公式认不出",
        LI,
        "G13",
        expected="强",
    ),
    # text pasted from a web page or a chat: the cell looks right, the sheet's lookups fail
    Case(
        "rating-zero-width-space",
        [set_cell(LI, "G13", "\u200b强")],
        "“⟨U+200B⟩强”(含不可见字符 U+200B,表内公式认不出",
        LI,
        "G13",
        expected="强",
    ),
    Case(
        "rating-line-break",  # Alt+Enter in the cell: the message stays one line
        [set_cell(LI, "G13", "较\n好")],
        "填了 “较⏎好”(不是可选的值)",
        LI,
        "G13",
    ),
    Case(
        "count-byte-order-mark",
        [set_cell(LI, "G9", "\ufeff2")],
        "含不可见字符 U+FEFF,表内公式不会按数字计算",
        LI,
        "G9",
        expected="数字 2",
    ),
    Case(
        "veto-word-joiner",
        [set_cell(LI, "G15", "是\u2060")],
        "含不可见字符 U+2060",
        LI,
        "G15",
        expected="是",
    ),
    Case(
        "roster-id-zero-width-space",
        [*unprotect("人员"), set_cell("人员", "A3", f"{PEOPLE[1][0]}\u200b")],
        f"工号填了 “{PEOPLE[1][0]}⟨U+200B⟩”(含不可见字符 U+200B",
        "人员",
        "A3",
        expected=PEOPLE[1][0],
    ),
    Case(
        "survey-id-ideographic-space",  # TRIM in the sheet's formulas strips ASCII spaces only
        [set_cell(SURVEY, "A7", "1002\u3000"), set_cell(SURVEY, "C7", 5)],
        "第 7 行:此单元格的工号前后有全角空格或不换行空格,表内公式认不出",
        SURVEY,
        "A7",
    ),
    Case(
        "survey-id-zero-width-space",
        [set_cell(SURVEY, "A7", "1002\u200b"), set_cell(SURVEY, "C7", 5)],
        "第 7 行:此单元格的工号含不可见字符 U+200B",
        SURVEY,
        "A7",
    ),
    Case(
        "survey-score-as-text",
        [set_cell(SURVEY, "C7", "5"), set_cell(SURVEY, "A7", "1002")],
        "数字以文本形式输入",
        SURVEY,
        "C7",
    ),
    Case(
        "department-count-as-text",
        [set_cell(DEPARTMENT, "C24", "10")],
        "数字以文本形式输入",
        DEPARTMENT,
        "C24",
    ),
    # ── anchored tables: rows inserted above 客户评价 / 部门评价 ──
    Case(
        "rows-above-survey", [*unprotect(SURVEY), {"insert_rows": [SURVEY, 1, 2]}], scores=EXPECTED
    ),
    Case(
        "row-above-department",
        [*unprotect(DEPARTMENT), {"insert_rows": [DEPARTMENT, 1, 1]}],
        scores=EXPECTED,
    ),
    # ── personal data stays on the survey sheet ──
    Case(
        "phone-in-engineer-id",
        [set_cell(SURVEY, "A7", PHONE), set_cell(SURVEY, "C7", 5)],
        "此单元格的值不是工号",
        SURVEY,
        "A7",
    ),
    Case(
        "email-in-score",
        [set_cell(SURVEY, "A7", "1002"), set_cell(SURVEY, "D7", EMAIL)],
        "此单元格的内容无法读取",
        SURVEY,
        "D7",
    ),
]
ENTRY_LETTERS = [c.letter for c in FORMS["S"].table.columns if c.entry is not None]
CASES.append(
    Case(
        "contact-in-every-survey-column",
        [
            set_cell(SURVEY, f"{letter}8", PHONE if i % 2 == 0 else EMAIL)
            for i, letter in enumerate(ENTRY_LETTERS)
        ],
        "此单元格的值不是工号",
        SURVEY,
        "A8",
    )
)
KINDS = [case.kind for case in CASES]
