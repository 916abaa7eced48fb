"""Form descriptions: every paper form of the department as a sheet, described once.

The template writer (``xlpy.template``), the reader below, the validator and consolidation
(``xlpy.engines``/issue 4) and the ledgers (issue 6) all derive from these descriptions; no cell
address is written anywhere else.

Public API (stable; everything here is typed and immutable)::

    from xlpy.forms import all_forms, read_form, read_table, identify, Cells
    forms = all_forms(rules)              # {"M": Form, "K": …, "T": …, "S": …, "D": …, "P": …}
    form = forms["M"]
    form.title, form.form_code            # 售后服务人员月考核表, SH/KH-01
    form.sheet_name("1001", "张伟")        # 月考核-1001-张伟 (single sheets: 客户评价, 部门评价)
    form.identity                         # IdentityCell(field, label, address): employee_id/name/
                                          #   team/month (S and D: month only)
    form.entries                          # EntryCell(address, entry: core Entry, hint)
    form.computed                         # ComputedCell(address, label, addin, native, result,
                                          #   number_format, array); .formula("addin" | "native");
                                          #   array: the add-in array formula's range it is in
    form.signatures, form.texts, form.merges, form.widths, form.table (S only)

    cells = Cells.from_grid(sheet.to_python(), sheet.start)    # python-calamine, fast
    cells = Cells.from_openpyxl(worksheet)                     # or openpyxl
    form = identify(cells, forms)         # by the 表号 cell A2 ("表号 SH/KH-01"), else title A1
    reading = read_form(cells, form, sheet_name)               # M, K, T, P, D
    reading.identity   # {"employee_id": 1001.0, "name": "张伟", "team": …, "month": "2026-11"}
    reading.entries    # {core column: raw value or None}, e.g. {"M05.unclear_account": 1.0, …}
    reading.addresses  # {core column: "G9"};  reading.where(column) → "月考核-1001-张伟!G9"
    rows = read_table(cells, forms["S"], "客户评价")           # one FormReading per response;
                                          #   .row is the sheet row. Rows typed below
                                          #   forms["S"].table.last_row are read too, but the
                                          #   部门评价 formulas do not count them (flag them).

    # 参数 sheet
    from xlpy.forms import param_rows, defined_names, read_params
    overrides = read_params(cells_of_参数)   # {dotted key: value} → load_rules(overrides=...)

``ComputedCell.result`` names the core result the cell must equal: a column of the scheme's
``SchemeResult.scores`` (M, K, T, P), or ``scorecard.<row>.<column>`` /
``questions.<row>.<column>`` for D (``department_scorecard`` / ``question_stats``).
The D sheet's own entries come from :func:`department_entries`.

Describing a new form: write ``xlpy/forms/<name>.py`` with a function ``<name>_form(rules) ->
Form`` that takes its entries from ``xlpy.core.scheme_entries.<name>_entries(rules)``, places
them with :class:`xlpy.forms.layout.Sheet` (``person_header`` or ``title_rows`` first, so rows
1-2 hold the title and 表号; then ``entry``/``computed``/``text``/``merge``/``signatures``), gives
each computed cell an add-in and a native formula (parameters through
:func:`xlpy.forms.formulas.p`, i.e. the 参数 sheet's defined names), and add it to
:func:`all_forms`. The template writer, reader and validator then handle it without further
code.
"""

from __future__ import annotations

from xlpy.core.registry import (
    DEPARTMENT,
    KPI,
    MONTHLY,
    PERFORMANCE,
    PERSON_SCHEMES,
    SURVEY,
    TECH,
)
from xlpy.forms.cells import Cells
from xlpy.forms.department import MET, NO_DATA, NOT_MET, department_entries, department_form
from xlpy.forms.kpi import kpi_form
from xlpy.forms.model import (
    CODE_CELL,
    TITLE_CELL,
    ComputedCell,
    EntryCell,
    Form,
    IdentityCell,
    Table,
    TableColumn,
    TextCell,
    Variant,
    sheet_name_problem,
)
from xlpy.forms.monthly import monthly_form
from xlpy.forms.params import (
    PARAM_SHEET,
    ParamRow,
    defined_names,
    derived_tables,
    param_name,
    param_rows,
    read_params,
)
from xlpy.forms.performance import performance_form
from xlpy.forms.reader import FormReading, identify, read_form, read_table
from xlpy.forms.survey import ROWS as SURVEY_ROWS
from xlpy.forms.survey import survey_form
from xlpy.forms.tech import tech_form
from xlpy.memo import memo
from xlpy.rules import Rules

__all__ = [
    "CODE_CELL",
    "MET",
    "NOT_MET",
    "NO_DATA",
    "PARAM_SHEET",
    "PERSON_FORMS",
    "TITLE_CELL",
    "Cells",
    "ComputedCell",
    "EntryCell",
    "Form",
    "FormReading",
    "IdentityCell",
    "ParamRow",
    "Table",
    "TableColumn",
    "TextCell",
    "Variant",
    "all_forms",
    "defined_names",
    "department_entries",
    "derived_tables",
    "identify",
    "param_name",
    "param_rows",
    "read_form",
    "read_params",
    "read_table",
    "sheet_name_problem",
]

PERSON_FORMS = PERSON_SCHEMES  # one sheet per person; S and D are one sheet each


def all_forms(
    rules: Rules, survey_rows: int = SURVEY_ROWS, with_tables: bool = True
) -> dict[str, Form]:
    """Every form for these rules, by scheme letter: M, K, T, P (per person), S, D (single).
    ``survey_rows``: response rows prepared on 客户评价 (and counted by 部门评价's and K's
    formulas); cell addresses of every other form do not depend on it. ``with_tables``: the
    person forms share a workbook with 客户评价 (False: a per-person file of ``--split``, whose
    formulas refer to no table sheet; same cells and texts). Built once per rules object: a
    batch of a thousand files with one 参数 sheet shares one rules object (``validate.params``)."""
    return memo(
        rules,
        ("forms", survey_rows, with_tables),
        lambda: _built_forms(rules, survey_rows, with_tables),
    )


def _built_forms(rules: Rules, survey_rows: int, with_tables: bool) -> dict[str, Form]:
    survey = survey_form(rules, survey_rows)
    return {
        MONTHLY: monthly_form(rules),
        KPI: kpi_form(rules, survey if with_tables else None),
        TECH: tech_form(rules),
        PERFORMANCE: performance_form(rules),
        SURVEY: survey,
        DEPARTMENT: department_form(rules, survey),
    }
