"""Consolidation benchmark: 1,000 per-person workbooks, end to end, against the naive path.

    python benchmarks/bench_consolidate.py [--files 1000] [--keep DIR]

Generates one per-person month file with the template writer (``xlpy template --split``), clones
it for N people (identity, sheet name and entries rewritten in the package XML, like files staff
typed and saved), then in separate child processes (clean memory figures):
- xlpy: ``consolidate`` end to end (open, validate, score, write the summary), in-process timing
  and the whole command's wall time (imports included);
- naive: ``pandas.read_excel(engine="openpyxl")`` per file, entries picked by address, the same
  core scoring and the same summary writer (no validation, no checks).
- calamine floor: every value of every sheet of the same files read with python-calamine on 2
  processes (no scoring, no summary): the least any reader could cost. Its runs alternate with
  the CLI's, so that both are measured as the machine is at the time.
Prints files/s, seconds and peak RSS of each, the speed-up, and the CLI wall against the floor
(best of each, and run by run).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MONTH = "2026-03"
PROTO_ID, PROTO_NAME = "99999", "原型"


def _prototype(folder: Path, shape: str) -> Path:
    """One blank per-person workbook for a placeholder person."""
    from xlpy.forms import all_forms
    from xlpy.rules import default_rules
    from xlpy.template import generate

    if shape == "template":  # what ``xlpy template --split`` writes: 说明, 参数, 人员 and the form
        roster = folder / "roster.csv"
        roster.write_text(f"工号,姓名,班组\n{PROTO_ID},{PROTO_NAME},一班\n", encoding="utf-8")
        return generate(
            MONTH, folder / "proto", roster, schemes=("M",), split=True, variant="native"
        )[0]
    import xlsxwriter

    from xlpy.template.sheets import write_form
    from xlpy.template.styles import Styles

    # The person's form alone (a sheet copied into its own workbook), as staff e-mail it back.
    form = all_forms(default_rules())["M"]
    path = folder / "proto.xlsx"
    book = xlsxwriter.Workbook(str(path))
    write_form(
        book.add_worksheet(form.sheet_name(PROTO_ID, PROTO_NAME)),
        form,
        Styles(book),
        "native",
        {
            "month": MONTH,
            "employee_id": PROTO_ID,
            "name": PROTO_NAME,
            "team": "一班",
            "supervisor": "",
        },
    )
    book.close()
    return path


def make_files(folder: Path, count: int, shape: str) -> list[Path]:
    from xlpy.forms import all_forms
    from xlpy.rules import default_rules

    proto = _prototype(folder, shape)
    form = all_forms(default_rules())["M"]
    members = {}
    with zipfile.ZipFile(proto) as package:
        infos = package.infolist()
        for info in infos:
            members[info.filename] = package.read(info)
    sheet_xml = _form_part(members, form.sheet_name(PROTO_ID, PROTO_NAME))
    out = folder / "files"
    out.mkdir()
    rng = random.Random(7)
    paths = []
    for i in range(count):
        pid, name, team = f"{10000 + i}", f"员工{i}", "一二三四"[i % 4] + "班"
        values = {
            "M01.unreachable": rng.choice((0, 0, 1)),
            "M02.late_days": rng.choice((0, 0, 0, 2)),
            "M03.incomplete": rng.choice((0, 1)),
            "M05.transport_damage": rng.choice((0, 0, 1)),
            "M09": rng.choice(("强", "较好", "一般")),
            "M10": rng.choice(("多", "较好")),
            "M11": "是" if i % 97 == 0 else "否",
        }
        cells = {form.entry_cell(k).address: v for k, v in values.items()}
        path = out / f"考核-{MONTH}-{pid}-{name}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            for info in infos:
                data = members[info.filename]
                if info.filename == sheet_xml:
                    data = _type_cells(data, cells)
                data = data.replace(PROTO_ID.encode(), pid.encode())
                data = data.replace(PROTO_NAME.encode(), name.encode())
                data = data.replace("一班".encode(), team.encode())
                package.writestr(info, data)
        paths.append(path)
    return paths


def _form_part(members: dict[str, bytes], sheet: str) -> str:
    """The zip member holding the person's form sheet (the other sheets have cells in G too)."""
    tag = re.search(
        rb'<sheet name="' + escape(sheet).encode() + rb'"[^>]*?r:id="([^"]+)"',
        members["xl/workbook.xml"],
    )
    assert tag is not None, sheet
    target = re.search(
        rb'Id="' + tag.group(1) + rb'"[^>]*?Target="([^"]+)"', members["xl/_rels/workbook.xml.rels"]
    )
    assert target is not None, tag.group(1)
    return "xl/" + target.group(1).decode()


def _type_cells(xml: bytes, cells: dict[str, object]) -> bytes:
    """Entries typed into blank cells (``<c r="G5" s="11"/>``): numbers, and text as inline
    strings (files from other writers than xlsxwriter store text that way)."""
    for address, value in cells.items():
        pattern = re.compile(rb'<c r="' + address.encode() + rb'"( s="\d+")?\s*/>')
        match = pattern.search(xml)
        if match is None:
            continue
        head = b'<c r="' + address.encode() + b'"' + (match.group(1) or b"")
        if isinstance(value, str):
            cell = head + b' t="inlineStr"><is><t>' + escape(value).encode() + b"</t></is></c>"
        else:
            cell = head + f"><v>{value}</v></c>".encode()
        xml = xml[: match.start()] + cell + xml[match.end() :]
    return xml


XLPY = """
import json, sys, time, resource
start = time.perf_counter()
from pathlib import Path
from xlpy.consolidate.job import consolidate
from xlpy.validate.discovery import collect
imported = time.perf_counter()
files, _ = collect([Path(sys.argv[1])])
outcome = consolidate(files, sys.argv[2], Path(sys.argv[3]))
done = time.perf_counter()
assert not outcome.refused, [f.line() for f in outcome.batch.errors[:5]]
typed = [f.line() for f in outcome.batch.findings if f.sheet]  # every form read as typed
assert not typed, typed[:5]
print(json.dumps({"files": len(files), "seconds": done - imported, "imports": imported - start,
                  "people": len(outcome.table), "errors": len(outcome.batch.errors),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

NAIVE = f"""
MONTH = "{MONTH}"
import json, sys, time, resource
start = time.perf_counter()
from pathlib import Path
import pandas as pd
from xlpy.core.monthly import score_monthly
from xlpy.shared.addresses import parse_a1
from xlpy.forms import all_forms
from xlpy.consolidate.model import MonthResults
from xlpy.consolidate.summary import write_summary
from xlpy.rules import default_rules, fingerprint
imported = time.perf_counter()
rules = default_rules()
form = all_forms(rules)["M"]
where = {{c.entry.column: parse_a1(c.address) for c in form.entries}}
ident = {{c.field: parse_a1(c.address) for c in form.identity}}
rows, ids, names, teams = [], [], [], []
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
for path in files:
    sheet = path.stem.replace(f"考核-{MONTH}-", "月考核-")
    frame = pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl")
    def get(rc):
        r, c = rc
        return frame.iat[r, c] if r < frame.shape[0] and c < frame.shape[1] else None
    ids.append(str(get(ident["employee_id"])))
    names.append(str(get(ident["name"])))
    teams.append(str(get(ident["team"])))
    rows.append({{k: get(rc) for k, rc in where.items()}})
entries = pd.DataFrame(rows, index=ids).astype(object).where(lambda d: d.notna(), None)
result = score_monthly(entries, rules)
people = pd.DataFrame({{"name": names, "team": teams}}, index=ids)
write_summary(Path(sys.argv[2]), MonthResults(MONTH, people, {{"M": result}}, fingerprint(rules),
                                              rules))
done = time.perf_counter()
print(json.dumps({{"files": len(files), "seconds": done - imported, "imports": imported - start,
                  "people": len(result.scores),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


CALAMINE = """
import json, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from python_calamine import CalamineWorkbook

def read_all(path):
    book = CalamineWorkbook.from_path(path)
    return sum(len(row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())

if __name__ == "__main__":
    start = time.perf_counter()
    files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
    with ProcessPoolExecutor(2) as pool:
        cells = sum(pool.map(read_all, files, chunksize=32))
    print(json.dumps({"files": len(files), "cells": cells, "seconds": time.perf_counter() - start}))
"""


def child(code: str, *args: str) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def cli_wall(folder: Path, output: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from xlpy.cli import main; main()",
            "consolidate",
            str(folder),
            "--month",
            MONTH,
            "-o",
            str(output),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    parser.add_argument(
        "--shape",
        choices=("form", "template"),
        default="form",
        help="form: each file holds the person's form sheet only (~10 KiB); "
        "template: what `xlpy template --split` writes (说明/参数/人员 too)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlpy-bench-") as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        files = make_files(folder, args.files, args.shape)
        size = sum(p.stat().st_size for p in files) / len(files) / 1024
        print(
            f"generated {len(files)} per-person workbooks, shape '{args.shape}' "
            f"({size:.1f} KiB each) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        source = folder / "files"
        runs = []
        for i in range(args.runs):
            output = folder / f"汇总-{MONTH}-{i}.xlsx"
            runs.append(child(XLPY, str(source), MONTH, str(output)))
        best = min(runs, key=lambda r: r["seconds"])
        # The CLI and the floor alternate, so both are measured as the machine is at the time
        walls, floors = [], []
        for i in range(args.runs):
            walls.append(cli_wall(source, folder / f"cli-{i}" / f"汇总-{MONTH}.xlsx"))
            floors.append(child(CALAMINE, str(source)))
        wall = min(walls)
        calamine = min(floors, key=lambda r: r["seconds"])
        paired = ", ".join(f"{w / f['seconds']:.2f}x" for w, f in zip(walls, floors, strict=True))
        naive = child(NAIVE, str(source), str(folder / "naive-summary.xlsx"))
        print(
            f"xlpy consolidate : {best['seconds']:.2f} s for {best['files']} files "
            f"({best['files'] / best['seconds']:.0f} files/s; median of runs "
            f"{sorted(r['seconds'] for r in runs)[len(runs) // 2]:.2f} s), "
            f"{best['people']} people, peak RSS {max(r['peak_mib'] for r in runs):.0f} MiB, "
            f"imports {best['imports']:.2f} s"
        )
        print(f"xlpy CLI wall    : {wall:.2f} s (process start, imports, consolidation, summary)")
        print(
            f"calamine floor   : {calamine['seconds']:.2f} s to read every value of every sheet "
            f"({calamine['cells']} cells) with python-calamine on 2 processes; "
            f"CLI wall / floor = {wall / calamine['seconds']:.2f}x (best of each; run by run: {paired})"
        )
        print(
            f"naive (pandas.read_excel/openpyxl per file, core scoring, same summary writer; "
            f"no validation): "
            f"{naive['seconds']:.2f} s ({naive['files'] / naive['seconds']:.0f} files/s), "
            f"peak RSS {naive['peak_mib']:.0f} MiB"
        )
        print(
            f"speed-up         : {naive['seconds'] / best['seconds']:.1f}x "
            f"(in-process), {naive['seconds'] / wall:.1f}x against the whole CLI run"
        )


if __name__ == "__main__":
    main()
