"""Session fixtures: the workbooks many test modules read, generated (and filled) once per run.

They are shared, so no test may change them: copy a file before editing it. Each fixture checks
at the end of the session that its files still hold the bytes it wrote."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from bad_inputs.corpus import Corpus, build_corpus
from forms_helpers import FILLED, MONTH, SCHEMES, fill, samples, write_roster
from rich.console import Console
from xlpy_cli import run_xlpy

from xlpy.demo import DemoRun, run_demo
from xlpy.demo.data import MISTAKE, build
from xlpy.demo.fill import fill_month
from xlpy.forms import all_forms
from xlpy.rules import default_rules
from xlpy.template import generate, load_roster

DEMO_SCHEMES = ("M", "K")


class MonthBooks(NamedTuple):
    """The month workbook of forms_helpers.PEOPLE for SCHEMES and T, in both formula variants."""

    roster: Path  # the roster CSV they were generated from
    addin: Path  # formulas call the udfs
    native: Path  # --formulas native: plain Excel formulas only


class DemoQuarter(NamedTuple):
    """What ``xlpy demo`` made (run_demo) and what it printed (recorded, 200 columns wide)."""

    run: DemoRun
    output: str


class FilledBook(NamedTuple):
    """A month workbook with forms_helpers.samples() typed into FILLED, S and D."""

    path: Path
    data: dict[str, Any]


def _kept_unchanged(request: pytest.FixtureRequest, *paths: Path) -> None:
    digests = {path: _digest(path) for path in paths}

    def check() -> None:
        changed = [path.name for path, digest in digests.items() if _digest(path) != digest]
        assert changed == [], f"a test modified the shared fixture files {changed}"

    request.addfinalizer(check)


def _digest(path: Path) -> str:
    if path.is_dir():
        return "".join(_digest(p) for p in sorted(path.iterdir()))
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def month_books(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> MonthBooks:
    folder = tmp_path_factory.mktemp("month-books")
    roster = write_roster(folder / "roster.csv")
    [addin] = generate(MONTH, folder / "addin.xlsx", roster, SCHEMES, tech=True)
    [native] = generate(MONTH, folder / "native.xlsx", roster, SCHEMES, tech=True, variant="native")
    _kept_unchanged(request, roster, addin, native)
    return MonthBooks(roster, addin, native)


def _filled(
    month_books: MonthBooks, variant: str, folder: Path, request: pytest.FixtureRequest
) -> FilledBook:
    data = samples()
    path = fill(getattr(month_books, variant), folder / "filled.xlsx", data, FILLED)
    _kept_unchanged(request, path)
    return FilledBook(path, data)


@pytest.fixture(scope="session")
def filled_addin(
    month_books: MonthBooks,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> FilledBook:
    return _filled(month_books, "addin", tmp_path_factory.mktemp("filled-addin"), request)


@pytest.fixture(scope="session")
def filled_native(
    month_books: MonthBooks,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> FilledBook:
    return _filled(month_books, "native", tmp_path_factory.mktemp("filled-native"), request)


@pytest.fixture(scope="session")
def demo_typed(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The sample department's month workbook (M, K, native) for the month of the demo's
    mistake, as staff typed it: the mistake is still in it."""
    folder = tmp_path_factory.mktemp("demo-typed")
    rules = default_rules()
    forms = all_forms(rules)
    people = load_roster(None, [forms[s] for s in DEMO_SCHEMES])
    month = MISTAKE[0]
    demo = next(m for m in build([p.employee_id for p in people]) if m.month == month)
    [blank] = generate(
        month, folder / "blank.xlsx", None, schemes=DEMO_SCHEMES, variant="native", rules=rules
    )
    typed = fill_month(
        blank, folder / "typed.xlsx", demo, forms, [(p.employee_id, p.name) for p in people]
    )
    _kept_unchanged(request, typed)
    return typed


@pytest.fixture(scope="session")
def demo_quarter(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> DemoQuarter:
    """The demo's quarter (its month workbooks, summaries, marked copy, quarter summary and
    slips), made once: a test that writes beside its files works on a copy of its folder."""
    console = Console(record=True, width=200)
    run = run_demo(tmp_path_factory.mktemp("demo-quarter") / "demo", console)
    _kept_unchanged(request, run.folder)
    return DemoQuarter(run, console.export_text())


@pytest.fixture(scope="session")
def ledgers_book(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """What ``xlpy template --month MONTH --ledgers`` writes (built-in roster, form M): the month
    workbook with every ledger sheet, blank."""
    out = tmp_path_factory.mktemp("ledgers-book") / f"售后考核-{MONTH}.xlsx"
    result = run_xlpy("template", "--month", MONTH, "--ledgers", "-o", str(out))
    assert result.returncode == 0, result.stderr
    _kept_unchanged(request, out)
    return out


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Corpus:
    """The bad-input corpus (tests/bad_inputs/corpus.py): a good workbook and one file per case."""
    built = build_corpus(tmp_path_factory.mktemp("corpus"))
    _kept_unchanged(request, built.folder)
    return built
