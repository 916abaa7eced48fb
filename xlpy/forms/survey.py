"""Form S — 产品售后服务评价表 as one table: a row per customer response, linked by 工号."""

from __future__ import annotations

from xlpy.core.entries import Kind
from xlpy.core.registry import SURVEY
from xlpy.core.scheme_entries import survey_entries
from xlpy.forms.layout import Sheet, title_rows
from xlpy.forms.model import Form, Table, TableColumn
from xlpy.forms.roster import STAFF_IDS, STAFF_NAMES
from xlpy.rules import Rules
from xlpy.shared.addresses import column_letters

FORM_CODE = "SH/KH-04"
TITLE = "产品售后服务评价表(客户评价汇总)"
SHEET = "客户评价"
HEADER_ROW, FIRST_ROW, ROWS = 4, 5, 100
SCORE_HINT = "1-5 的整数:1 非常不满意 … 5 非常满意;未回答留空。"


def survey_form(rules: Rules, rows: int = ROWS) -> Form:
    entries = {e.column: e for e in survey_entries(rules)}
    questions = list(rules.survey.questions)
    columns: list[TableColumn] = []

    def add(
        header: str,
        width: float,
        entry_column: str | None = None,
        hint: str = "",
        formula: str = "",
        choices_from: str = "",
    ) -> str:
        letter = column_letters(len(columns))
        columns.append(
            TableColumn(
                letter,
                header,
                width,
                entries[entry_column] if entry_column else None,
                hint,
                formula,
                formula,
                choices_from,
            )
        )
        return letter

    id_col = add(
        "服务工程师工号",
        10,
        "engineer_id",
        "服务该客户的工程师工号(从「人员」表的工号中选择)。",
        choices_from=STAFF_IDS,
    )
    add(
        "工程师姓名",
        9,
        formula=(
            f'=IF({id_col}{{row}}="","",IFERROR(INDEX({STAFF_NAMES},'
            f'MATCH({id_col}{{row}}&"",{STAFF_IDS},0)),"未知工号"))'
        ),
    )
    letters = [
        add(
            f"{code} {rules.survey.questions[code]}",
            9,
            code,
            f"{rules.survey.questions[code]}:{SCORE_HINT}",
        )
        for code in questions
    ]
    span = f"{letters[0]}{{row}}:{letters[-1]}{{row}}"
    add("平均分", 7, formula=f'=IF(COUNT({span})=0,"",AVERAGE({span}))')
    for code in questions:
        add(f"{code} 反馈意见", 14, f"{code}.feedback", "客户对该问题的反馈意见(文字,可留空)。")
    add("其他反馈意见", 18, "feedback", "客户的其他反馈意见(文字,可留空)。")
    for column, entry in entries.items():
        if (
            entry.kind is Kind.TEXT
            and column not in ("engineer_id", "feedback")
            and not column.endswith(".feedback")
        ):
            hint = "客户个人信息:只保存在本表,不会复制到汇总。" if entry.personal else "可留空。"
            add(("客户" if entry.personal else "") + entry.label, 12, column, hint)

    last = columns[-1].letter
    sheet = Sheet(last)
    title_rows(sheet, TITLE, FORM_CODE)
    sheet.text(
        "A3",
        "每行一份客户评价;评分 1-5(1 非常不满意 … 5 非常满意);"
        "客户联系方式属个人信息,仅保存在本表。",
        "note",
    )
    sheet.merge(f"A3:{last}3")
    sheet.table = Table(HEADER_ROW, FIRST_ROW, FIRST_ROW + rows - 1, tuple(columns))
    widths = {c.letter: c.width for c in columns}
    return sheet.form(SURVEY, FORM_CODE, TITLE, SHEET, widths, per_person=False, landscape=True)


def question_columns(form: Form, rules: Rules) -> dict[str, str]:
    """Survey question code → its column letter on the 客户评价 sheet."""
    assert form.table is not None
    by_entry = {c.entry.column: c.letter for c in form.table.columns if c.entry is not None}
    return {code: by_entry[code] for code in rules.survey.questions}


def engineer_column(form: Form) -> str:
    """The column letter of the 服务工程师工号 on the 客户评价 sheet."""
    assert form.table is not None
    return next(c.letter for c in form.table.columns if c.entry and c.entry.column == "engineer_id")
