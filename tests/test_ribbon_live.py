"""The live engine (needs Excel to run): type-checked against xlwings' own annotations, its
conversions and note handling tested as plain functions."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

from xlpy.engines.live import (
    NOTE_PREFIX,
    LiveWorkbook,
    clean,
    grid,
    merged_in,
    names_by_scope,
    note_text,
)
from xlpy.engines.port import WorkbookPort

LIVE = Path(__file__).resolve().parents[1] / "xlpy" / "engines" / "live.py"


def test_live_engine_passes_mypy_strict_against_xlwings_annotations(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(LIVE),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_live_engine_has_every_method_of_the_port() -> None:
    port = {n for n in vars(WorkbookPort) if not n.startswith("_")}
    assert port <= set(dir(LiveWorkbook))


def test_values_follow_the_port_conventions() -> None:
    when = datetime(2026, 11, 3)
    assert grid([[1, "", None], [2.5, True, when]]) == [[1.0, None, None], [2.5, True, when]]
    assert grid("x") == [["x"]]  # a lone cell
    assert grid([["a", 3]]) == [["a", 3.0]]
    assert isinstance(clean(7), float) and clean(object()) is not None


def test_names_are_split_into_the_workbooks_and_each_sheets_own() -> None:
    names = [
        ("prm_a", "=参数!$C$5"),
        ("'月考核-1001-张伟'!Print_Area", "='月考核-1001-张伟'!$A$1:$J$30"),
        ("人员!prm_a", "=人员!$A$1"),
        ("staff_ids", ""),
    ]
    book, local = names_by_scope(names)
    assert book == {"prm_a": "参数!$C$5", "staff_ids": ""}
    assert local == {
        "月考核-1001-张伟": {"Print_Area": "'月考核-1001-张伟'!$A$1:$J$30"},
        "人员": {"prm_a": "人员!$A$1"},
    }


def test_notes_replace_our_earlier_note_and_keep_the_users() -> None:
    assert note_text(None, ["应为 整数"]) == NOTE_PREFIX + "应为 整数"
    assert note_text(NOTE_PREFIX + "旧的问题", ["新问题"]) == NOTE_PREFIX + "新问题"
    mine = "张三:本月请假 2 天"
    again = note_text(note_text(mine, ["问题一"]), ["问题二", "问题三"])
    assert again == f"{mine}\n{NOTE_PREFIX}问题二\n问题三"


class Area:
    """A stand-in for an xlwings Range over a small sheet whose merged areas are known (Excel's
    answers: False without merges, True when the range is one merged area, None when mixed)."""

    asked = 0

    def __init__(self, cells: list[tuple[int, int]], merges: dict[str, set[tuple[int, int]]]):
        self.cells, self.merges = cells, merges

    def _areas(self) -> set[str]:
        return {name for name, area in self.merges.items() if area & set(self.cells)}

    @property
    def merge_cells(self) -> bool | None:
        Area.asked += 1
        areas = self._areas()
        if not areas:
            return False
        name = next(iter(areas))
        return True if len(areas) == 1 and self.merges[name] >= set(self.cells) else None

    @property
    def shape(self) -> tuple[int, int]:
        rows = {r for r, _ in self.cells}
        return len(rows), len(self.cells) // len(rows)

    @property
    def rows(self) -> list[Area]:
        return [
            Area([c for c in self.cells if c[0] == r], self.merges)
            for r in sorted({r for r, _ in self.cells})
        ]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(Area([c], self.merges) for c in self.cells)

    @property
    def merge_area(self) -> Area:
        return self

    @property
    def address(self) -> str:
        return next(iter(self._areas()))


def test_merged_areas_are_found_asking_excel_only_where_they_are() -> None:
    grid = [(r, c) for r in range(40) for c in range(12)]
    merges = {"$B$1:$D$1": {(0, 1), (0, 2), (0, 3)}, "$A$39:$A$40": {(38, 0), (39, 0)}}
    Area.asked = 0
    assert merged_in(Area(grid, merges)) == {"B1:D1", "A39:A40"}  # type: ignore[arg-type]
    assert Area.asked < 100  # not one question per cell (480)
    assert merged_in(Area(grid, {})) == set()  # type: ignore[arg-type]
