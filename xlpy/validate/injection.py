"""Formulas where only typed text belongs: the identity cells (工号, 姓名, 班组, 主管, 月份) hold
what the template wrote from the roster. A formula there (``=HYPERLINK(…)``, a DDE call) was put
in by hand; it runs in every program that opens the file, and its cached text is not a name."""

from __future__ import annotations

from xlpy.shared.findings import ERROR, Finding
from xlpy.validate.checks import SheetRead
from xlpy.words import id_text


def identity_formula_problems(file: str, read: SheetRead) -> list[Finding]:
    pid = id_text(read.reading.identity.get("employee_id")) if read.reading else ""
    return [
        Finding(
            file,
            read.sheet,
            cell.address,
            f"{cell.label}单元格里是公式,不是填写的文字",
            f"直接填写{cell.label}(删除公式;不要以 = 开头)",
            ERROR,
            pid,
        )
        for cell in read.form.identity
        if cell.address in read.formulas
    ]
