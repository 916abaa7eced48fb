"""Output faults, for real: a read-only filesystem, a full disk (tiny tmpfs), a busy target (a
bind mount over it), a folder where the file goes, a file where a folder goes, a name too long.
Each is one Chinese message, exit 2, no traceback, nothing half-written, no temporary file left.
Then signals: SIGTERM removes our temporaries, a kill -9's leftovers are removed by the next run,
Ctrl-C prints one line; and outputs get the folder's normal permissions."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from bad_inputs.corpus import MONTH, base_workbook

XLPY = str(Path(sys.executable).with_name("xlpy"))
ENV = {**os.environ, "COLUMNS": "1000"}


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [XLPY, *args], capture_output=True, text=True, timeout=timeout, check=False, env=ENV
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-2000:]
    assert "Exception ignored" not in done.stderr, done.stderr[-2000:]
    return done


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount refused here ({done.stderr.strip()[:100]})")


@contextmanager
def mounted(*args: str, at: Path) -> Iterator[Path]:
    _mount(*args, str(at))
    try:
        yield at
    finally:
        subprocess.run(["umount", str(at)], check=False)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


@contextmanager
def read_only(tmp: Path) -> Iterator[Path]:
    folder = tmp / "ro"
    folder.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", at=folder):
        yield folder / f"汇总-{MONTH}.xlsx"


@contextmanager
def disk_full(tmp: Path) -> Iterator[Path]:
    folder = tmp / "full"
    folder.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=64k", "tmpfs", at=folder):
        (folder / "其他文件").write_bytes(b"\0" * 56 * 1024)  # 8 KiB left: less than any output
        yield folder / f"汇总-{MONTH}.xlsx"


@contextmanager
def busy(tmp: Path) -> Iterator[Path]:
    """A target the system will not replace (a mount point): what a locked file looks like."""
    folder = tmp / "busy"
    folder.mkdir()
    target = folder / f"汇总-{MONTH}.xlsx"
    target.write_bytes(b"old")
    other = tmp / "other"
    other.write_bytes(b"old")
    with mounted("--bind", str(other), at=target):
        yield target


@contextmanager
def path_is_a_folder(tmp: Path) -> Iterator[Path]:
    target = tmp / f"汇总-{MONTH}.xlsx"
    target.mkdir()
    yield target


@contextmanager
def file_where_a_folder_goes(tmp: Path) -> Iterator[Path]:
    (tmp / "报表").write_text("a file, not a folder")
    yield tmp / "报表" / f"汇总-{MONTH}.xlsx"


@contextmanager
def name_too_long(tmp: Path) -> Iterator[Path]:
    yield tmp / ("汇总" * 60 + ".xlsx")  # 360 bytes of UTF-8: over the 255-byte limit


FAULTS: dict[str, tuple[Callable[[Path], Any], str]] = {
    "read-only-folder": (read_only, "文件夹所在的磁盘是只读的"),
    "disk-full": (disk_full, "磁盘空间不足"),
    "file-locked": (busy, "文件被其他程序占用或锁定"),
    "path-is-a-folder": (path_is_a_folder, "输出路径是一个文件夹"),
    "file-where-a-folder-goes": (file_where_a_folder_goes, "是文件,不是文件夹"),
    "name-too-long": (name_too_long, "文件名或路径过长"),
}


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # the name is too long to even ask
        return False


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return base_workbook(tmp_path_factory.mktemp("good"))


@pytest.mark.parametrize("job", ["template", "consolidate"])
@pytest.mark.parametrize("kind", list(FAULTS))
def test_output_fault_is_one_chinese_line(kind, job, good, tmp_path):
    fault, message = FAULTS[kind]
    source = tmp_path / "src" / good.name
    source.parent.mkdir()
    shutil.copy(good, source)
    before = source.read_bytes()
    with fault(tmp_path) as target:
        existing = target.read_bytes() if _is_file(target) else None
        if job == "template":
            done = run("template", "--month", MONTH, "-o", str(target))
        else:
            done = run("consolidate", str(source), "--month", MONTH, "-o", str(target))
        assert done.returncode == 2, done.stdout + done.stderr
        line = done.stderr.strip()
        assert line.startswith("错误: ") and message in line and "内部错误" not in line, line
        assert target.name in line
        if existing is not None:
            assert target.read_bytes() == existing  # nothing half-written over the old file
        elif target.parent.is_dir():
            assert not _is_file(target)
        if target.parent.is_dir():
            assert leftovers(target.parent) == []
    assert source.read_bytes() == before


def test_outputs_get_the_folders_normal_permissions(good, tmp_path):
    os.umask(old := os.umask(0o022))
    made = run("template", "--month", MONTH, "-o", str(tmp_path / "m.xlsx"))
    assert made.returncode == 0, made.stderr
    done = run("consolidate", str(good), "--month", MONTH, "-o", str(tmp_path / "汇总.xlsx"))
    assert done.returncode == 0, done.stderr
    split = run("template", "--month", MONTH, "--split", "-o", str(tmp_path / "分发"))
    assert split.returncode == 0, split.stderr
    expected = 0o666 & ~old
    for path in [tmp_path / "m.xlsx", tmp_path / "汇总.xlsx", *(tmp_path / "分发").iterdir()]:
        assert path.stat().st_mode & 0o777 == expected, path
    assert (tmp_path / "分发").stat().st_mode & 0o777 == 0o777 & ~old


def _big_roster(tmp_path: Path, people: int = 400) -> Path:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "工号,姓名,班组\n" + "".join(f"{5000 + i},员工{i},一班\n" for i in range(people)),
        encoding="utf-8",
    )
    return roster


def _wait_for_temporary(folder: Path, process: subprocess.Popen[str], seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if any(".xlpy-" in p.name for p in folder.iterdir()):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("kind", ["sigterm", "sighup"])
def test_termination_leaves_no_temporary_file(kind, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [
            XLPY,
            "template",
            "--month",
            MONTH,
            "--split",
            "--roster",
            str(_big_roster(tmp_path)),
            "-o",
            str(out / "分发"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert _wait_for_temporary(out, process), "the writer never started"
    process.send_signal(signal.SIGTERM if kind == "sigterm" else signal.SIGHUP)
    _, err = process.communicate(timeout=60)
    assert process.returncode == -(signal.SIGTERM if kind == "sigterm" else signal.SIGHUP)
    assert "Traceback" not in err
    assert list(out.iterdir()) == []  # neither the temporary folder nor a half-made output


def test_kill_9_leftovers_are_removed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [
            XLPY,
            "template",
            "--month",
            MONTH,
            "--roster",
            str(_big_roster(tmp_path, 150)),
            "-o",
            str(out / "m.xlsx"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert _wait_for_temporary(out, process), "the writer never started"
    process.kill()
    process.communicate(timeout=60)
    left = [p for p in out.iterdir() if ".xlpy-" in p.name]
    assert left  # kill -9 runs no handler
    foreign = out / ".someone-else.tmp"
    foreign.write_text("not ours")
    old = time.time() - 120  # the writer's process is gone and the file is not fresh
    for path in left:
        os.utime(path, (old, old))
    done = run("template", "--month", MONTH, "-o", str(out / "m.xlsx"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [".someone-else.tmp", "m.xlsx"]


@pytest.mark.parametrize("delay", [0.3, 0.6, 1.0, 1.5, 2.5])
def test_ctrl_c_prints_one_line(delay, tmp_path):
    """From the moment xlpy's code runs (the first ~0.1 s are Python's own start-up, which no
    program can guard): a quiet exit 130 with one line, or the command finished."""
    process = subprocess.Popen(
        [XLPY, "template", "--month", MONTH, "-o", str(tmp_path / "m.xlsx")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    if process.returncode == -signal.SIGINT:  # arrived as the finished command shut down
        assert err == "" and (tmp_path / "m.xlsx").is_file()
    elif process.returncode != 0:
        assert process.returncode == 130 and len(err.strip().splitlines()) == 1, err
        assert err.startswith("已中断(Ctrl-C)")
    assert leftovers(tmp_path) == []


@pytest.fixture(scope="module")
def large_batch(tmp_path_factory) -> Path:
    """A folder of 70 workbooks: enough for several reading processes."""
    folder = tmp_path_factory.mktemp("batch")
    good = base_workbook(tmp_path_factory.mktemp("good"))
    for i in range(70):
        shutil.copy(good, folder / f"f{i:02}.xlsx")
    return folder


@pytest.mark.parametrize("delay", [0.25, 0.5, 0.8, 1.2])
def test_ctrl_c_during_a_batch_stops_every_process(delay, large_batch, tmp_path):
    """Ctrl-C reaches the whole process group (the terminal sends it to every process of the
    command): before the readers start, while they read and the command loads the scoring, or
    later. One line or the finished command; no reading process left, no trace from any."""
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [XLPY, "consolidate", str(large_batch), "--month", MONTH, "-o", str(out / "s.xlsx")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    if process.returncode == 130:
        assert err.strip().splitlines() == ["已中断(Ctrl-C),未写出不完整的文件"], err
    else:  # finished first (the copies are one person 70 times: refused, exit 1)
        assert process.returncode in (1, -signal.SIGINT), (process.returncode, err)
    for _ in range(50):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("a reading process outlived the command")
    assert leftovers(out) == []


def test_every_command_is_behind_the_one_edge_guard():
    """A fault no command foresaw is one Chinese line naming the job (``staff_errors``), never a
    traceback: every command registered on the command line, sub-commands included, is guarded.
    (A command added without the guard fails here.)"""
    import xlpy.cli  # noqa: F401 - registers every command
    from xlpy.cli.app import app

    def commands(typer_app):
        yield from typer_app.registered_commands
        for group in typer_app.registered_groups:
            yield from commands(group.typer_instance)

    found = list(commands(app))
    unguarded = [
        c.name or c.callback.__name__
        for c in found
        if c.callback.__code__.co_qualname != "staff_errors.<locals>.decorate.<locals>.guarded"
    ]
    assert len(found) >= 16 and unguarded == []
