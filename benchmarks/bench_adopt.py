"""Reading through a layout against reading our own template: 1,000 per-person files each.

    python benchmarks/bench_adopt.py [--files 1000]

Template path: the per-person form files ``bench_consolidate`` generates (our own layout).
Adopted path: department-made per-person workbooks (openpyxl; title rows, 被考核人/工号 labels,
a 考核项目/分值/扣分次数/得分 header), one of them recognised by ``xlpy adopt``, the others read
through that layout. Both are validated and scored with ``validate_files`` (the same worker pool);
prints files/s of each, best of 3.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_consolidate import make_files

from xlpy.adopt import AdoptedReader, adopt
from xlpy.rules import default_rules
from xlpy.validate.job import validate_files

MONTH = "2026-03"


def department_files(folder: Path, count: int) -> list[Path]:
    from openpyxl import Workbook

    items = default_rules().monthly.items
    rng = random.Random(7)
    folder.mkdir()
    paths = []
    for i in range(count):
        book = Workbook()
        sheet = book.active
        sheet.title = "考核表"
        sheet["A1"] = "售后服务部 员工月度考核表"
        sheet["A3"], sheet["B3"] = "被考核人", f"员工{i}"
        sheet["D3"], sheet["E3"] = "工号", 10000 + i
        sheet["G3"], sheet["H3"] = "月份", MONTH
        for c, text in enumerate(["序号", "考核项目", "分值", "扣分次数", "得分", "备注"], 1):
            sheet.cell(5, c, text)
        for r, item in enumerate(items.values(), 6):
            sheet.cell(r, 1, r - 5)
            sheet.cell(r, 2, item.name)
            sheet.cell(r, 3, item.full)
            value = (
                rng.choice(list(default_rules().scales[item.scale].points))
                if item.scale
                else "否"
                if item.veto
                else rng.choice((0, 0, 1))
            )
            sheet.cell(r, 4, value)
        path = folder / f"员工{i}.xlsx"
        book.save(path)
        paths.append(path)
    return paths


def best_of(runs: int, job) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlpy-bench-adopt-") as temp:
        folder = Path(temp)
        ours = make_files(folder, args.files, "form")
        theirs = department_files(folder / "department", args.files)
        reader = AdoptedReader(adopt(theirs[0]))
        readers = {path.resolve(): reader for path in theirs}
        batch = validate_files(theirs, layouts=readers)
        assert not batch.errors and len(batch.results["M"].scores) == args.files, batch.errors[:3]
        template = best_of(3, lambda: validate_files(ours))
        adopted = best_of(3, lambda: validate_files(theirs, layouts=readers))
    n = args.files
    print(f"template layout: {n} files in {template:.2f} s → {n / template:,.0f} files/s")
    print(f"adopted layout:  {n} files in {adopted:.2f} s → {n / adopted:,.0f} files/s")
    print(f"adopted / template: {template / adopted:.2f}× the speed")


if __name__ == "__main__":
    main()
