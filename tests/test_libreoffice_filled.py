"""Workbooks filled in and saved by another program: LibreOffice, driven through UNO
(``tests/lo_fill.py`` under the system python with python3-uno), saved with its xlsx filter.

Every case (``tests/lo_cases.py``) is made from a template as staff would change it in
LibreOffice (typing, pasting, inserting rows and columns, renaming or copying sheets), in one
LibreOffice run for the module. Each ends in the hand-computed score or in its Chinese message
on its cell; the sources are never modified and nothing prints a traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lo_cases import (
    CASES,
    EMAIL,
    EXPECTED,
    FILLED,
    FILLED_TABLES,
    HERE,
    KINDS,
    MONTH,
    PEOPLE,
    PHONE,
    UNO_PYTHON,
)

from xlpy.consolidate.job import consolidate
from xlpy.template import generate
from xlpy.validate.job import validate_files


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_libreoffice(jobs: list[dict], folder: Path) -> None:
    if (
        shutil.which("soffice") is None
        or subprocess.run(
            [UNO_PYTHON, "-c", "import uno"], check=False, capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("LibreOffice with python3-uno is not installed (scripts/setup.sh test)")
    job_file = folder / "jobs.json"
    job_file.write_text(json.dumps({"jobs": jobs}, ensure_ascii=False), encoding="utf-8")
    subprocess.run(
        [UNO_PYTHON, str(HERE / "lo_fill.py"), str(job_file)],
        check=True,
        timeout=600,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Every case's workbook, made from one native and one add-in template in one LibreOffice
    run; returns (folder, {kind: path}, {kind: sha256 of the file as LibreOffice wrote it})."""
    folder = tmp_path_factory.mktemp("lo")
    roster = folder / "roster.csv"
    roster.write_text(
        "工号,姓名,班组\n" + "".join(f"{p},{n},{t}\n" for p, n, t in PEOPLE), encoding="utf-8"
    )
    native = generate(MONTH, folder / "native.xlsx", roster, variant="native")[0]
    addin = generate(MONTH, folder / "addin.xlsx", roster, variant="addin")[0]
    jobs = [
        {
            "source": str(native),
            "target": str(folder / "filled.xlsx"),
            "steps": [*FILLED, *FILLED_TABLES],
        },
        {
            "source": str(addin),
            "target": str(folder / "filled-addin.xlsx"),
            "steps": FILLED + FILLED_TABLES,
        },
    ]
    paths = {"filled": folder / "filled.xlsx", "filled-addin": folder / "filled-addin.xlsx"}
    for case in CASES:
        (folder / case.kind).mkdir()
        paths[case.kind] = folder / case.kind / f"{case.kind}.xlsx"
        jobs.append(
            {
                "source": str(native),
                "target": str(paths[case.kind]),
                "steps": [*FILLED, *FILLED_TABLES, *case.steps],
            }
        )
    _run_libreoffice(jobs, folder)
    return folder, paths, {kind: _sha(path) for kind, path in paths.items()}


def _scores(batch) -> dict:
    scores = batch.results["M"].scores
    return {
        pid: (scores.at[pid, "total"], scores.at[pid, "grade"], scores.at[pid, "coefficient"])
        for pid in scores.index
    }


def test_filled_in_libreoffice_scores_as_computed_by_hand(made, tmp_path):
    _, paths, _ = made
    batch = validate_files([paths["filled"]])
    assert [f.line() for f in batch.findings] == []
    assert _scores(batch) == EXPECTED
    assert batch.survey is not None and len(batch.survey) == 2
    outcome = consolidate([paths["filled"]], MONTH, tmp_path / "汇总.xlsx")
    assert not outcome.refused
    table = outcome.table.set_index(outcome.table.columns[0]) if outcome.table is not None else None
    assert table is not None and table.shape[0] == 2


def test_addin_workbook_saved_by_libreoffice_gets_one_line_not_one_per_cell(made):
    _, paths, _ = made
    batch = validate_files([paths["filled-addin"]])
    lines = [f.problem for f in batch.findings]
    assert sum("加载项没有运行" in line for line in lines) == 1
    assert not any("重新计算" in f.expected for f in batch.findings)
    assert batch.errors == []
    assert _scores(batch) == EXPECTED  # computed from the entries regardless


@pytest.mark.parametrize("case", CASES, ids=KINDS)
def test_hostile_case(made, case):
    _, paths, shas = made
    path = paths[case.kind]
    batch = validate_files([path])
    assert not any("内部错误" in f.problem for f in batch.findings)
    assert not any("\n" in f.line() for f in batch.findings)  # one line each, whatever was typed
    if case.message:
        hits = [
            f
            for f in batch.findings
            if case.message in f.problem
            and f.severity == case.severity
            and f.sheet == case.sheet
            and (not case.cell or f.cell == case.cell)
            and case.expected in f.expected
        ]
        assert hits, [f.line() for f in batch.findings]
    else:
        assert [f.line() for f in batch.findings] == []
    if case.scores:
        assert _scores(batch) == case.scores
    if case.kind in ("rows-above-survey", "row-above-department"):
        assert batch.survey is not None and len(batch.survey) == 2
        assert batch.department is not None
    assert _sha(path) == shas[case.kind]  # never written


def test_no_contact_data_and_no_traceback_in_any_output(made, tmp_path):
    """Phone numbers and e-mails planted in every survey column: none reaches validate's text
    or JSON, consolidate's summary, or the marks (the marked copy is the staff's own workbook,
    survey sheet included: only its notes are output)."""
    _, paths, _ = made
    cases = [
        paths[kind]
        for kind in ("phone-in-engineer-id", "email-in-score", "contact-in-every-survey-column")
    ]
    outputs = []
    for args in (
        ["validate", *map(str, cases)],
        ["validate", "--json", *map(str, cases)],
        ["validate", "--mark", str(tmp_path / "marks"), *map(str, cases)],
        [
            "consolidate",
            "--month",
            MONTH,
            "--allow-errors",
            "-o",
            str(tmp_path / "汇总.xlsx"),
            *map(str, cases),
        ],
    ):
        run = subprocess.run(
            [str(Path(sys.executable).parent / "xlpy"), *args],
            check=False,
            capture_output=True,
            text=True,
            timeout=300,
        )
        outputs.append(run.stdout + run.stderr)
        assert "Traceback" not in run.stderr
    for written in tmp_path.rglob("*.xlsx"):
        marked = written.parent.name == "marks"  # a copy of the source: its survey sheet stays
        with zipfile.ZipFile(written) as package:
            outputs += [
                package.read(n).decode("utf-8", "replace")
                for n in package.namelist()
                if not marked or "comment" in n or "vml" in n
            ]
    text = "\n".join(outputs)
    assert "此单元格的值不是工号" in text
    for secret in (PHONE, EMAIL, re.escape(PHONE[:7])):
        assert not re.search(secret, text), secret
