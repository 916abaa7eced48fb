"""Start-up follows the command: loading the command line (what ``xlpy --help`` and every
command pay before their own work) imports no data, workbook or rendering library. The figures
are printed by benchmarks/bench_startup.py; this test holds the imports that cause them."""

import subprocess
import sys

import pytest

HEAVY = (
    "pandas",
    "numpy",
    "openpyxl",
    "xlwings",
    "python_calamine",
    "xlsxwriter",
    "formulas",
    "pydantic",
    "rich",
    "udfs",
    "importlib.metadata",
)


def loaded_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(sorted(m for m in sys.modules if m in {HEAVY!r}))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return eval(run.stdout)


def test_loading_the_command_line_imports_no_heavy_library():
    assert loaded_after("import xlpy.cli") == []


def loaded_by_command(args: list[str]) -> list[str]:
    """The heavy libraries loaded once ``xlpy ARGS`` has run (its output is discarded)."""
    code = (
        f"sys.argv = ['xlpy', *{args!r}]\nfrom xlpy.cli import run\n"
        "run()\nsys.stdout = sys.__stderr__"
    )
    probe = f"import sys\n{code}\nprint(sorted(m for m in sys.modules if m in {HEAVY!r}))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return eval(run.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["consolidate", "--help"]])
def test_help_renders_without_the_data_libraries(args):
    loaded = loaded_by_command(args)
    # (typer itself loads pydantic to describe a command's options: not ours to avoid)
    assert {"pandas", "numpy", "openpyxl", "xlwings", "python_calamine", "udfs"}.isdisjoint(loaded)


def test_consolidating_loads_no_openpyxl(tmp_path):
    """openpyxl (~0.15 s to import) is for marked copies, recalc and ledger printing; reading,
    scoring and writing the summary (ledger checks included) need none of it."""
    from xlpy.template import generate

    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,班组\n5001,孙五,一班\n", encoding="utf-8")
    generate("2026-07", tmp_path / "month", roster, split=True)
    loaded = loaded_by_command(["consolidate", str(tmp_path / "month"), "--month", "2026-07"])
    assert "python_calamine" in loaded  # the files were read
    assert "openpyxl" not in loaded


def test_reading_a_month_loads_neither_numpy_nor_pandas(tmp_path):
    """The batch commands fork their readers before loading the scoring (xlpy.cli.reading):
    reading and checking a form workbook needs neither numpy nor pandas (~0.4 s to import)."""
    from xlpy.template import generate

    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,班组\n5001,孙五,一班\n", encoding="utf-8")
    book, _department = generate("2026-07", tmp_path / "month", roster, split=True)
    read = (
        "from pathlib import Path\nfrom xlpy.validate.reading import read_file\n"
        f"result = read_file(Path({str(book)!r}), 'x')\n"
        "assert result.readable and result.forms and not result.findings, result.findings"
    )
    loaded = loaded_after(read)
    assert "python_calamine" in loaded  # the file was read
    assert {"numpy", "pandas"}.isdisjoint(loaded), loaded
