"""Test support: LibreOffice headless opens workbooks and exports every sheet to CSV."""

from __future__ import annotations

import csv
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

# UTF-8, comma-separated, full precision (not "as shown"), every sheet to its own file.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def soffice_csv(files: list[Path], outdir: Path) -> dict[tuple[str, str], list[list[str]]]:
    """Convert all ``files`` in one soffice run; returns {(file stem, sheet): rows}."""
    _soffice(files, outdir, CSV_FILTER)
    tables = {}
    for path in files:
        for csv_path in outdir.glob(f"{path.stem}-*.csv"):
            sheet = csv_path.stem[len(path.stem) + 1 :]
            with csv_path.open(encoding="utf-8", newline="") as handle:
                tables[(path.stem, sheet)] = list(csv.reader(handle))
    return tables


def header_table(rows: list[list[str]], first: str) -> list[dict[str, str]]:
    """Rows under the header row whose first cell is ``first``, as dicts."""
    top = next(i for i, row in enumerate(rows) if row and row[0] == first)
    header = rows[top]
    return [dict(zip(header, row, strict=True)) for row in rows[top + 1 :] if row and row[0]]


def soffice_xlsx(path: Path, outdir: Path) -> Path:
    """The workbook as LibreOffice opens it and saves it again (.xlsx): what it understood."""
    _soffice([path], outdir, "xlsx")
    return outdir / f"{path.stem}.xlsx"


def _soffice(files: list[Path], outdir: Path, target: str) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = f"file:///tmp/lo-xlpy-{uuid.uuid4().hex}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
