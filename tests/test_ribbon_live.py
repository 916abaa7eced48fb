"""The live engine (needs Excel to run): type-checked against xlwings' own annotations, its
conversions and note handling tested as plain functions."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from xlpy.engines.live import NOTE_PREFIX, LiveWorkbook, clean, grid, note_text
from xlpy.engines.port import WorkbookPort

LIVE = Path(__file__).resolve().parents[1] / "xlpy" / "engines" / "live.py"


def test_live_engine_passes_mypy_strict_against_xlwings_annotations(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--cache-dir", str(tmp_path / "cache"), str(LIVE)],
        check=False, capture_output=True, text=True, timeout=300)
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


def test_notes_replace_our_earlier_note_and_keep_the_users() -> None:
    assert note_text(None, ["应为 整数"]) == NOTE_PREFIX + "应为 整数"
    assert note_text(NOTE_PREFIX + "旧的问题", ["新问题"]) == NOTE_PREFIX + "新问题"
    mine = "张三:本月请假 2 天"
    again = note_text(note_text(mine, ["问题一"]), ["问题二", "问题三"])
    assert again == f"{mine}\n{NOTE_PREFIX}问题二\n问题三"
