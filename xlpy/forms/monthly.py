"""Form M — 售后服务人员月考核表, laid out like the department's paper form (one row per item)."""

from __future__ import annotations

from xlpy.core.scheme_entries import full_total, monthly_entries
from xlpy.forms.formulas import (
    all_present,
    coefficient_native,
    grade_native,
    p,
    quoted,
    span,
    stacked,
    unless_blank,
)
from xlpy.forms.formulas import rating_points_native as rating_native
from xlpy.forms.layout import ResultRows, Sheet, person_header, signatures
from xlpy.forms.model import Form
from xlpy.forms.params import scale_name, table_name
from xlpy.rules import Rules
from xlpy.shared import number_formats
from xlpy.shared.addresses import column_letters
from xlpy.words import CANCELLED, MISSING_DATA, YES, num

FORM_CODE = "SH/KH-01"
TITLE = "售后服务人员月考核表"
FIRST_ITEM_ROW = 5


def monthly_form(rules: Rules) -> Form:
    items = rules.monthly.items
    slots = max(1, max(len(item.deductions) for item in items.values()))
    col_full = "F"
    entry_cols = [column_letters(6 + i) for i in range(slots)]
    col_score = column_letters(6 + slots)
    col_note = column_letters(7 + slots)
    sheet = Sheet(col_note)
    person_header(sheet, TITLE, FORM_CODE, ["A", "C", "E", entry_cols[0]])  # 主管 last

    for col, text in (
        ("A", "类别"),
        ("B", "代码"),
        ("C", "项目"),
        ("D", "考核内容及标准"),
        ("E", "评分标准"),
        (col_full, "分值"),
        (entry_cols[0], "录入(次数/评级)"),
        (col_score, "得分"),
        (col_note, "备注"),
    ):
        sheet.text(f"{col}4", text, "header")
    if slots > 1:
        sheet.merge(f"{entry_cols[0]}4:{entry_cols[-1]}4")

    entries = {e.column: e for e in monthly_entries(rules)}
    score_cells: dict[str, str] = {}
    veto_cell = None
    # Score cells, in item order: (row, code, run key, native formula, per-occurrence deduction
    # of each entry slot). Consecutive items of one kind share one add-in array formula.
    scores: list[tuple[int, str, tuple[str, ...], str, list[str]]] = []
    row = FIRST_ITEM_ROW
    for code, item in items.items():
        full = p(f"monthly.items.{code}.full")
        sheet.text(f"B{row}", code)
        sheet.text(f"C{row}", item.name)
        sheet.text(f"D{row}", item.content)
        sheet.computed(f"{col_full}{row}", f"{code} 满分", f"={full}", f"={full}")
        score = f"{col_score}{row}"
        if item.deductions:
            pers, native_terms, standard = [], [], []
            for slot, (key, rule) in zip(entry_cols, item.deductions.items()):
                cell = f"{slot}{row}"
                per = full if rule.zeroes_item else p(f"monthly.items.{code}.deductions.{key}.per")
                pers.append(per)
                native_terms.append(f"-{cell}*{per}")
                effect = (
                    "出现即该项记 0 分" if rule.zeroes_item else f"每次扣 {num(rule.per or 0)} 分"
                )
                standard.append(f"{rule.label} {effect}")
                floor = "" if rule.zeroes_item else "(扣完为止)"
                sheet.entry(
                    cell,
                    entries[f"{code}.{key}"],
                    f"{item.name}:本月「{rule.label}」的次数,{effect}{floor}。"
                    "填不小于 0 的整数,空白视为 0。",
                )
            sheet.text(f"E{row}", ";".join(standard))
            scores.append(
                (row, code, ("deduction",), f"=MAX(0,{full}{''.join(native_terms)})", pers)
            )
        elif item.scale is not None:
            scale = rules.scales[item.scale]
            cell = f"{entry_cols[0]}{row}"
            words = " ".join(f"{w}{num(v)}分" for w, v in scale.points.items())
            sheet.text(f"E{row}", words)
            sheet.entry(cell, entries[code], f"{item.name}:从下拉列表选择评级({words})。")
            scores.append(
                (
                    row,
                    code,
                    ("rating", item.scale),
                    "=" + unless_blank(cell, rating_native(cell, item.scale, rules)),
                    [],
                )
            )
        else:
            veto_cell = f"{entry_cols[0]}{row}"
            sheet.text(f"E{row}", "一经确认违规属实,当月考核取消")
            sheet.entry(
                veto_cell,
                entries[code],
                f"{item.name}:确认违规属实填「是」(当月考核取消),否则填「否」或留空。",
            )
            formula = f"=IF({veto_cell}={quoted(YES)},0,{full})"
            scores.append((row, code, ("veto", code), formula, []))
        for slot in entry_cols[max(1, len(item.deductions)) :]:
            sheet.text(f"{slot}{row}", "", "label")  # unused slot: grey and locked
        sheet.text(f"{col_note}{row}", "", "remark")  # free to type a note in, never scored
        score_cells[code] = score
        row += 1
    for run in _runs(scores):
        rows = [r for r, *_ in run]
        kind = run[0][2]
        if kind[0] == "deduction":
            args = [span(col_full, rows)]
            for i, slot in enumerate(entry_cols[: max(len(pers) for *_, pers in run)]):
                # a slot an item does not use is a locked blank cell: no count, no deduction
                args += [
                    span(slot, rows),
                    stacked([pers[i] if i < len(pers) else '""' for *_, pers in run]),
                ]
            addin = f"=ITEM_SCORE({','.join(args)})"
        elif kind[0] == "rating":
            cells = span(entry_cols[0], rows)
            call = f"RATING_POINTS({cells},{scale_name(kind[1])})"
            addin = "=" + (call if len(rows) > 1 else unless_blank(cells, call))
        else:
            addin = run[0][3]
        sheet.computed_column(
            col_score,
            rows,
            addin,
            [(f"{code} 得分", native, code) for _, code, _, native, _ in run],
        )
    last_item_row = row - 1

    # 类别 column: merged over each run of items of one category, with the category's full points.
    run_start = FIRST_ITEM_ROW
    codes = list(items)
    for i, code in enumerate(codes):
        category = items[code].category
        if i + 1 < len(codes) and items[codes[i + 1]].category == category:
            continue
        cat_full = sum(it.full for it in items.values() if it.category == category)
        sheet.text(
            f"A{run_start}", f"{rules.monthly.categories[category]}({num(cat_full)}分)", "label"
        )
        if FIRST_ITEM_ROW + i > run_start:
            sheet.merge(f"A{run_start}:A{FIRST_ITEM_ROW + i}")
        run_start = FIRST_ITEM_ROW + i + 1

    results = ResultRows(sheet, row, ("C", entry_cols[-1]), col_score)
    summary = results.add

    subtotal: dict[str, str] = {}
    for key, name in rules.monthly.categories.items():
        cells = [score_cells[c] for c, it in items.items() if it.category == key]
        formula = all_present(cells, f"SUM({','.join(cells)})")
        subtotal[key] = summary(f"{name}小计", key, formula, formula)
    perf_keys = rules.monthly.performance_categories
    perf_cells = [subtotal[k] for k in perf_keys]
    names = "+".join(rules.monthly.categories[k] for k in perf_keys)
    formula = all_present(perf_cells, "+".join(perf_cells))
    summary(f"{rules.monthly.performance_label}({names})", "performance", formula, formula)

    all_scores = f"{col_score}{FIRST_ITEM_ROW}:{col_score}{last_item_row}"
    n_items = len(items)
    fulls = f"SUM({col_full}{FIRST_ITEM_ROW}:{col_full}{last_item_row})"
    if veto_cell is None:
        total_addin = f'IF(COUNT({all_scores})<{n_items},"",MONTHLY_TOTAL({all_scores}))'
        total_native = f'IF(COUNT({all_scores})<{n_items},"",SUM({all_scores}))'
        vetoed = "FALSE"
    else:
        vetoed = f"{veto_cell}={quoted(YES)}"
        total_addin = (
            f'IF({vetoed},0,IF(COUNT({all_scores})<{n_items},"",'
            f"MONTHLY_TOTAL({all_scores},{veto_cell})))"
        )
        total_native = f'IF({vetoed},0,IF(COUNT({all_scores})<{n_items},"",SUM({all_scores})))'
    total = summary("总得分", "total", total_addin, total_native)
    percent = summary(
        f"百分制(总得分÷{num(full_total(rules))}×100)",
        "percent",
        unless_blank(total, f"{total}/{fulls}*100"),
        unless_blank(total, f"{total}/{fulls}*100"),
    )
    summary(
        "等级",
        "grade",
        unless_blank(total, f"GRADE_LEVEL({total},{fulls},{table_name('grade')})"),
        unless_blank(percent, grade_native(percent, rules)),
        fmt="@",
    )
    coefficient = unless_blank(
        percent,
        f"IF({vetoed},{p('monthly.veto_coefficient')},{coefficient_native(percent, rules)})",
    )
    summary("绩效系数", "coefficient", coefficient, coefficient, fmt=number_formats.COEFFICIENT)
    status = f'IF({vetoed},{quoted(CANCELLED)},IF({total}="",{quoted(MISSING_DATA)},""))'
    summary("状态", "status", status, status, fmt="@")

    signatures(
        sheet,
        results.row + 1,
        [("A", "被考核人签字:"), ("D", "考核人(主管)签字:"), (entry_cols[0], "日期:")],
    )
    sheet.note(
        results.row + 3,
        "填写说明:次数填不小于 0 的整数,空白视为 0;评级从下拉列表选择;"
        "职业道德确认违规填「是」,当月考核取消;备注栏可写说明(不计分)。"
        "灰色单元格由公式计算,不可修改。",
    )
    widths = {
        "A": 9,
        "B": 5.5,
        "C": 11,
        "D": 34,
        "E": 20,
        col_full: 5,
        col_score: 7,
        col_note: 10,
    } | {c: 8 for c in entry_cols}
    return sheet.form("M", FORM_CODE, TITLE, "月考核", widths)


def _runs(scores: list[tuple[int, str, tuple[str, ...], str, list[str]]]):
    """Consecutive score cells of one kind (deductions; ratings on one scale; the veto)."""
    run: list[tuple[int, str, tuple[str, ...], str, list[str]]] = []
    for score in scores:
        if run and score[2] != run[-1][2]:
            yield run
            run = []
        run.append(score)
    if run:
        yield run
