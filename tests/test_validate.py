"""Validation on real workbooks: the bad-input corpus (one file per kind of mistake), the CLI's
output contract, marked copies, and that no source file is ever modified."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.corpus import (
    CASES,
    COUNT_CELL,
    KINDS,
    PEOPLE,
    ROSTER_HEADER,
    S0,
    Case,
    Corpus,
    case_of,
    sheet_of,
)
from forms_helpers import write_roster
from xlpy_cli import run_xlpy

from xlpy.engines import FileWorkbook
from xlpy.validate.job import validate_files


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_good_workbook_is_clean(corpus):
    batch = validate_files([corpus.base])
    assert batch.findings == []
    assert sorted(batch.results["M"].scores.index) == sorted(p for p, _, _ in PEOPLE)


def test_the_corpus_has_twenty_kinds_or_more():
    assert len(set(KINDS)) == len(KINDS) >= 20


@pytest.mark.parametrize("case", CASES, ids=KINDS)
def test_bad_input_gets_its_message_on_its_cell(corpus: Corpus, case: Case, capfd):
    file = corpus.file(case.kind)
    before = file.read_bytes()
    findings = validate_files([file]).findings
    lines = [f.line() for f in findings]
    hits = [
        f
        for f in findings
        if case.message in f.problem
        and f.file == file.name
        and f.severity == case.severity
        and f.sheet == case.sheet
        and f.cell == case.cell
    ]
    assert hits, lines
    if case.severity == "warning":
        assert [f for f in findings if f.severity == "error"] == [], lines
    assert file.read_bytes() == before
    printed = capfd.readouterr()
    assert "Traceback" not in printed.out + printed.err + "\n".join(lines)


def test_bad_entry_leaves_only_that_person_unscored(corpus):
    batch = validate_files([corpus.file("text-in-count")])
    assert set(batch.results["M"].scores.index) == {"1002", "2001"}
    assert "未计分" in batch.flagged["1001"]


def test_a_logical_value_in_one_count_leaves_the_others_counts_alone(corpus):
    """TRUE in 1001's count, 1 in the others' (every person has one occurrence): only 1001's
    cell is an error; the others, whose 1 Python takes for equal to TRUE, are scored."""
    batch = validate_files([corpus.file("logical-in-count")])
    assert [(f.sheet, f.cell) for f in batch.errors] == [(S0, COUNT_CELL)]
    assert set(batch.results["M"].scores.index) == {"1002", "2001"}


def test_cli_contract_and_sources_untouched(corpus, tmp_path):
    folder = corpus.folder
    before = _digests(folder)
    run = run_xlpy("validate", str(folder), "--json", "--mark", str(tmp_path / "marked"))
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["errors"] > 0 and report["files"] == len(before) - 0
    reported = {p["file"] for p in report["problems"]}
    assert {c.name for c in CASES} <= reported
    fields = {"file", "sheet", "cell", "problem", "expected", "severity"}
    assert fields <= set(report["problems"][0])
    assert report["marked"] and all(Path(p).exists() for p in report["marked"])
    # a file openpyxl cannot load (a stored NaN) or would read another way (a cell given twice
    # or without its address) gets no copy and says so; the others are marked
    unmarked = [p for p in report["problems"] if p["problem"].startswith("未写出标记副本")]
    assert sorted(p["file"] for p in unmarked) == [
        "cell-given-twice.xlsx",
        "error-cell-without-address.xlsx",
        "nan-count.xlsx",
    ], unmarked
    why = {p["file"]: p["problem"] for p in unmarked}
    assert "写标记副本时读不了" in why["nan-count.xlsx"]
    assert "出现了两次" in why["cell-given-twice.xlsx"]
    text = run_xlpy("validate", str(corpus.file(KINDS[0])))
    assert text.returncode == 1
    first = text.stdout.splitlines()[0]
    assert first.startswith("错误 text-in-count.xlsx · 月考核-1001-张伟!G5 · ")
    assert first.count(" · ") == 3 and "应为" in first
    assert _digests(folder) == before


def test_clean_file_exits_zero(corpus):
    run = run_xlpy("validate", str(corpus.base))
    assert run.returncode == 0 and "0 个错误" in run.stdout


def test_marked_copy_flags_the_cell(corpus, tmp_path):
    case, file = case_of("text-in-count"), corpus.file("text-in-count")
    before = file.read_bytes()
    out = tmp_path / "marked.xlsx"
    run = run_xlpy("validate", str(file), "--mark", str(out))
    assert run.returncode == 1 and out.exists()
    cell = openpyxl.load_workbook(out)[sheet_of(0)][case.cell]
    assert cell.fill.start_color.rgb == "FFFF9999"
    assert "不小于 0 的整数" in cell.comment.text
    assert file.read_bytes() == before
    assert FileWorkbook(out).values(sheet_of(0))  # the copy is a readable workbook


def test_consolidate_refuses_errors_then_allows_them(corpus, tmp_path):
    file = corpus.file("text-in-count")
    target = tmp_path / "汇总-2026-03.xlsx"
    run = run_xlpy("consolidate", str(file), "--month", "2026-03", "-o", str(target))
    assert run.returncode == 1 and "未生成汇总" in run.stdout and not target.exists()
    run = run_xlpy(
        "consolidate", str(file), "--month", "2026-03", "-o", str(target), "--allow-errors"
    )
    assert run.returncode == 0 and target.exists()
    rows = {r[0]: r for r in FileWorkbook(target).values("汇总")[3:]}
    header = FileWorkbook(target).values("汇总")[2]
    status = header.index("状态")
    assert "含未更正错误" in rows["1001"][status]
    assert rows["1001"][header.index("总分")] is None
    assert rows["1002"][header.index("总分")] is not None


def test_batch_carries_on_after_broken_files(corpus, tmp_path):
    batch_dir = tmp_path / "batch"
    batch_dir.mkdir()
    broken = [
        corpus.file(kind)
        for kind in ("truncated-zip", "empty-file", "encrypted", "legacy-xls", "huge-sheet")
    ]
    for path in [corpus.base, *broken]:
        (batch_dir / path.name).write_bytes(path.read_bytes())
    before = _digests(batch_dir)
    run = run_xlpy("consolidate", str(batch_dir), "--month", "2026-03", "--allow-errors", "--json")
    report = json.loads(run.stdout)
    assert run.returncode == 0, run.stdout
    summary = Path(report["summary"])
    assert summary.name == "汇总-2026-03.xlsx" and summary.parent == batch_dir
    audit = "\n".join(str(r) for r in FileWorkbook(summary).values("审计"))
    for path in broken:
        assert path.name in audit
    assert "无法读取" in audit
    after = _digests(batch_dir)
    del after[summary.name]
    assert after == before


def test_bad_month_argument_is_a_message_not_a_traceback(tmp_path):
    run = run_xlpy("consolidate", str(tmp_path), "--month", "3月")
    assert run.returncode == 2 and "YYYY-MM" in run.stderr


def test_same_file_name_in_two_folders_is_told_apart(corpus, tmp_path):
    for folder, source in (("一班", corpus.base), ("二班", corpus.file("text-in-count"))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "考核.xlsx").write_bytes(source.read_bytes())
    from xlpy.validate.discovery import collect
    from xlpy.validate.report import write_marked

    files, _ = collect([tmp_path])
    batch = validate_files(files)  # the same three people twice: duplicates in both files
    assert {f.file for f in batch.findings} == {"一班/考核.xlsx", "二班/考核.xlsx"}
    assert any("另一份在 二班/考核.xlsx" in f.problem for f in batch.findings)
    marked = write_marked(batch, tmp_path / "marked")
    assert sorted(p.name for p in marked) == ["一班-考核-标记.xlsx", "二班-考核-标记.xlsx"]


def test_progress_bar_counts_files_on_a_terminal():
    import io

    from rich.console import Console

    from xlpy.validate.report import progress_bar

    screen = io.StringIO()
    track = progress_bar(Console(file=screen, force_terminal=True, width=80), "校验")
    assert list(track(iter(range(5)), 5)) == list(range(5))
    assert "校验" in screen.getvalue() and "5/5" in screen.getvalue()
    quiet = io.StringIO()
    assert list(progress_bar(Console(file=quiet), "校验")(iter([1, 2]), 2)) == [1, 2]
    assert quiet.getvalue() == ""  # not a terminal: no bar in logs or pipes


def test_blank_template_gives_one_warning_per_unfilled_form(tmp_path):
    from xlpy.template import generate

    roster = write_roster(tmp_path / "roster.csv", PEOPLE, ROSTER_HEADER)
    blank = generate("2026-03", tmp_path / "blank.xlsx", roster, schemes=("M",))[0]
    batch = validate_files([str(blank)])  # plain strings are accepted too
    assert batch.errors == []
    assert [f.sheet for f in batch.findings] == [sheet_of(i) for i in range(len(PEOPLE))]
    assert all("尚未填写" in f.problem for f in batch.findings)


def test_ribbon_validate_of_a_file_it_cannot_copy_still_lists_its_problems(corpus):
    """The ribbon on a file (headless) whose marked copy openpyxl cannot make: the problems are
    still shown, with a line saying there is no copy, never only the copy's failure."""
    from xlpy import ribbon
    from xlpy.engines import FileWorkbook

    result = ribbon.validate_sheet(FileWorkbook(corpus.file("nan-count")))
    assert not result.ok and result.written is None
    assert "值是 NaN" in result.message and "未写出标记副本" in result.message
