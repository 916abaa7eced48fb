"""``xlpy feedback SUMMARY``: every person's 个人考核结果反馈单 for the summary's month — one
workbook with a sheet (one A4 page) per person, and with ``pdf`` one PDF per person plus one
with every page for printing."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from xlpy.errors import XlpyError
from xlpy.feedback.slip import Slip, build_slips
from xlpy.feedback.writer import write_slips
from xlpy.forms.summary import file_name as summary_file_name
from xlpy.period.reading import MonthlySummary, SummaryProblem, months_beside, read_monthly
from xlpy.shared.files import atomic_write, refuse_source
from xlpy.shared.findings import Finding
from xlpy.shared.pdf import print_to_pdf

HISTORY_MONTHS = 12  # months of 百分制 shown on a slip, this one included


@dataclass
class FeedbackOutcome:
    workbook: Path
    slips: list[Slip]
    pdfs: list[Path] = field(default_factory=list)  # everyone's pages first, then one per person
    findings: list[Finding] = field(default_factory=list)  # months left out of the charts


def slips_name(month: str) -> str:
    return f"反馈单-{month}"


def _file_part(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_.") or "_"


def history(summary: MonthlySummary) -> tuple[dict[str, MonthlySummary], list[Finding]]:
    """This month's summary and the ones beside it (up to :data:`HISTORY_MONTHS`)."""
    months = months_beside(summary.path.parent, summary.month)[-HISTORY_MONTHS:]
    found, findings = {summary.month: summary}, []
    for month in months:
        if month == summary.month:
            continue
        try:
            found[month] = read_monthly(summary.path.parent / summary_file_name(month), month)
        except SummaryProblem as problem:
            findings.append(problem.finding)
    return found, findings


def run_feedback(source: Path, out_dir: Path | None = None, pdf: bool = False) -> FeedbackOutcome:
    source = Path(source)
    summary = read_monthly(source)
    earlier, findings = history(summary)
    slips = build_slips(summary, earlier)
    if not slips:
        raise XlpyError(f"{source.name} · 汇总中没有人员 · 应为 至少一人的月度汇总")
    out_dir = Path(out_dir) if out_dir else source.parent / slips_name(summary.month)
    workbook = out_dir / f"{slips_name(summary.month)}.xlsx"
    refuse_source(workbook, [source])
    atomic_write(workbook, lambda temp: write_slips(temp, slips))
    outcome = FeedbackOutcome(workbook, slips, findings=findings)
    if pdf:
        outcome.pdfs = _pdfs(out_dir, workbook, slips, summary.month)
    return outcome


def _pdfs(out_dir: Path, workbook: Path, slips: list[Slip], month: str) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="xlpy-slips-") as work:
        books = [Path(work) / workbook.name]
        shutil.copyfile(workbook, books[0])
        for slip in slips:
            book = (
                Path(work)
                / f"{slips_name(month)}-{_file_part(slip.pid)}-{_file_part(slip.name)}.xlsx"
            )
            write_slips(book, [slip])
            books.append(book)
        made = print_to_pdf(books, Path(work) / "pdf")
        targets = [out_dir / p.name for p in made]
        for pdf, target in zip(made, targets):
            atomic_write(target, lambda temp, pdf=pdf: shutil.copyfile(pdf, temp))
    return targets
