"""Add-in function calls per full recalculation of the add-in month workbook (prints figures;
not a test).

    python benchmarks/bench_addin_calls.py [--people 12 100]

Generates the add-in variant month workbook with every per-person form (M, K, P and the T
technical form) for each roster size and counts the calls as Excel's calc engine makes them
(``xlpy.recalc.calls``: one per catalog function in a formula, both IF branches counted, an
array formula over a range once). Each call is a round trip through xlwings' COM server
(milliseconds), so this number is what opening or recalculating the workbook costs.
Target (issue 11): at most 8 calls per person-sheet.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from xlpy.forms import PERSON_FORMS, all_forms
from xlpy.recalc.calls import addin_calls
from xlpy.rules import default_rules
from xlpy.template import generate

TARGET = 8


def roster(path: Path, people: int) -> Path:
    lines = ["工号,姓名,班组,主管,岗位"]
    lines += [
        f"{1001 + i},员工{i + 1},{i // 10 + 1}班,主管{i // 10 + 1},售后服务工程师"
        for i in range(people)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def measure(people: int, folder: Path) -> None:
    schemes = tuple(s for s in PERSON_FORMS if s != "T")
    [book] = generate(
        "2026-11",
        folder / f"month-{people}.xlsx",
        roster(folder / f"roster-{people}.csv", people),
        schemes,
        tech=True,
    )
    started = time.perf_counter()
    calls = addin_calls(book)
    seconds = time.perf_counter() - started
    forms = all_forms(default_rules())
    prefix = {forms[s].sheet_prefix + "-": s for s in PERSON_FORMS}
    per_form: Counter[str] = Counter()
    sheets: Counter[str] = Counter()
    worst = 0
    for sheet, n in calls.items():
        scheme = next((s for p, s in prefix.items() if sheet.startswith(p)), None)
        if scheme is None:
            continue
        per_form[scheme] += n
        sheets[scheme] += 1
        worst = max(worst, n)
    person_sheets = sum(sheets.values())
    other = sum(calls.values()) - sum(per_form.values())
    print(
        f"{people:>4} people: {sum(calls.values()):>6} calls per full recalculation, "
        f"{person_sheets} person-sheets, "
        f"{sum(per_form.values()) / person_sheets:.2f} per person-sheet on average, "
        f"at most {worst} on one (target ≤ {TARGET}); department sheets {other}"
    )
    print(
        "       per form sheet: "
        + ", ".join(f"{s} {per_form[s] // sheets[s]}" for s in PERSON_FORMS if sheets[s])
        + f"   (counted in {seconds:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[12, 100])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for people in args.people:
            measure(people, Path(folder))


if __name__ == "__main__":
    main()
