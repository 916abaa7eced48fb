"""``xlpy template``: the department's month workbook (or one file per person), written whole
to a temporary file and moved into place, so a failure never leaves half a workbook behind."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import xlsxwriter

import xlpy
from xlpy.core.registry import CHOOSABLE, SCHEMES, TECH
from xlpy.errors import XlpyError
from xlpy.forms import PARAM_SHEET, Form, Variant, all_forms, defined_names
from xlpy.forms.roster import ROSTER_SHEET
from xlpy.forms.survey import ROWS as SURVEY_ROWS
from xlpy.rules import Rules, default_rules, fingerprint
from xlpy.shared.files import check_output_path, temporary_beside
from xlpy.shared.slices import Slice
from xlpy.template.extras import GUIDE_SHEET, write_guide, write_params, write_roster
from xlpy.template.roster import Person, RosterRows, load_roster
from xlpy.template.sheets import write_form
from xlpy.template.styles import Styles
from xlpy.words import is_month

DEFAULT_DIR = Path("workbook")
MAX_SURVEY_ROWS = 5000
SPLIT_STEM = "考核"


def default_output(month: str, split: bool) -> Path:
    return DEFAULT_DIR / (f"售后考核-{month}" if split else f"售后考核-{month}.xlsx")


def person_file(month: str, person: Person) -> str:
    """A person's file of a split month (``--split``)."""
    return f"{SPLIT_STEM}-{month}-{person.employee_id}-{person.name}.xlsx"


def generate(
    month: str,
    output: str | Path | None = None,
    roster: str | Path | RosterRows | None = None,
    schemes: tuple[str, ...] = ("M",),
    tech: bool = False,
    split: bool = False,
    variant: Variant = "addin",
    rules: Rules | None = None,
    slices: Sequence[Slice] = (),
    survey_rows: int = SURVEY_ROWS,
) -> list[Path]:
    """Write the month workbook (or, with ``split``, one file per person plus a department
    file into a folder). Returns the paths written. Everything is checked before writing."""
    rules = rules or default_rules()
    if not is_month(month):
        raise XlpyError(f"月份「{month}」无效,应为 YYYY-MM(如 2026-11)")
    unknown = [s for s in schemes if s not in CHOOSABLE]
    if unknown:
        choices = "、".join(f"{s}({SCHEMES[s].name})" for s in CHOOSABLE)
        raise XlpyError(
            f"未知表单 {'、'.join(unknown)},可选 {choices};{SCHEMES[TECH].name}表用 --tech"
        )
    if not 1 <= survey_rows <= MAX_SURVEY_ROWS:
        raise XlpyError(f"客户评价行数应为 1-{MAX_SURVEY_ROWS},而不是 {survey_rows}")
    forms = all_forms(rules, survey_rows)
    chosen = [*dict.fromkeys(schemes), *([TECH] if tech else [])]
    person_forms = [forms[s] for s in chosen]
    alone = all_forms(rules, survey_rows, with_tables=False)  # a person's file has no 客户评价
    people = load_roster(
        roster, person_forms, (lambda person: person_file(month, person)) if split else None
    )
    target = Path(output) if output is not None else default_output(month, split)
    if not split:
        check_output_path(target)
    book = _Book(rules, month, variant, person_forms, forms, slices)
    if not split:
        with _atomic_file(target) as temporary:
            book.write(temporary, people, people, department=True)
        return [target]
    own = _Book(rules, month, variant, [alone[s] for s in chosen], forms, slices)
    with _atomic_folder(target) as folder:
        names = [person_file(month, p) for p in people]
        for person, name in zip(people, names, strict=True):
            own.write(folder / name, [person], [person], department=False)
        names.append(f"{SPLIT_STEM}-{month}-部门.xlsx")
        book.write(folder / names[-1], [], people, department=True)
    return [target / name for name in names]


class _Book:
    def __init__(
        self,
        rules: Rules,
        month: str,
        variant: Variant,
        person_forms: list[Form],
        forms: dict[str, Form],
        slices: Sequence[Slice] = (),
    ) -> None:
        self.rules, self.month, self.variant = rules, month, variant
        self.slices = slices  # their sheets (the SH/BD ledgers) go with the department's sheets
        self.person_forms, self.forms = person_forms, forms

    def write(
        self, path: Path, people: list[Person], roster: list[Person], department: bool
    ) -> None:
        year, month = (int(x) for x in self.month.split("-"))
        workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
        workbook.set_properties(
            {
                "title": f"售后服务部 {self.month} 月度考核",
                "author": "xlpy",
                "comments": f"参数指纹 {fingerprint(self.rules)}",
                "created": datetime(year, month, 1),
            }
        )
        styles = Styles(workbook)
        sheets: list[tuple[str, tuple[Form, Person | None] | None]] = [
            (GUIDE_SHEET, None),
            (PARAM_SHEET, None),
            (ROSTER_SHEET, None),
        ]
        for form in self.person_forms:
            sheets += [(form.sheet_name(p.employee_id, p.name), (form, p)) for p in people]
        if department:
            sheets += [(self.forms[s].sheet_name(), (self.forms[s], None)) for s in ("S", "D")]
        guide = workbook.add_worksheet(GUIDE_SHEET)
        write_guide(
            guide,
            styles,
            month=self.month,
            version=xlpy.__version__,
            fingerprint=fingerprint(self.rules),
            variant=self.variant,
            forms=self.person_forms + ([self.forms["S"], self.forms["D"]] if department else []),
        )
        write_params(workbook.add_worksheet(PARAM_SHEET), styles, self.rules)
        names = write_roster(workbook.add_worksheet(ROSTER_SHEET), styles, roster)
        for name, reference in defined_names(self.rules).items():
            workbook.define_name(name, "=" + reference)
        for name, reference in names.items():
            workbook.define_name(name, reference)
        for name, spec in sheets[3:]:
            assert spec is not None
            form, person = spec
            identity = {"month": self.month}
            if person is not None:
                identity |= {
                    "employee_id": person.employee_id,
                    "name": person.name,
                    "team": person.team,
                    "supervisor": person.supervisor,
                }
            write_form(workbook.add_worksheet(name), form, styles, self.variant, identity)
        if department:
            for extension in self.slices:
                extension.template_sheets(workbook, styles, self.month)
        guide.activate()
        workbook.close()


@contextmanager
def _atomic_file(target: Path) -> Iterator[Path]:
    with temporary_beside(target) as temporary:
        yield temporary
        os.replace(temporary, target)


@contextmanager
def _atomic_folder(target: Path) -> Iterator[Path]:
    """Files are written into a hidden sibling folder, then moved in together."""
    with temporary_beside(target, directory=True) as temporary:
        yield temporary
        if target.exists() and not target.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(target))
        target.mkdir(exist_ok=True)
        for path in sorted(temporary.iterdir()):
            os.replace(path, target / path.name)
