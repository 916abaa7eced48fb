"""Write safely: atomic replacement, backups of what we replace, neutralised user text, and one
Chinese message per kind of output fault (:func:`output_error`).

Sources are never opened for writing anywhere in xlpy; :func:`refuse_source` guards the one
place a user picks an output path.
"""

from __future__ import annotations

import errno
import functools
import gc
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from xlpy.errors import XlpyError

BACKUP_DIR = "备份"


def refuse_source(out: Path, sources: Iterable[Path]) -> None:
    """Refuse an output that is one of the sources: the same file (by device and inode, so a
    link to it too), or for a path not there yet, the same path."""
    target = Path(out).resolve()
    identity = _identity(target)
    for source in sources:
        found = _identity(source)
        same = found == identity if found is not None else Path(source).resolve() == target
        if same:
            raise XlpyError(
                "输出文件与源文件相同", file=Path(out).name, expected="另一个文件名(源文件从不改写)"
            )


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


class OutputError(XlpyError):
    """An output that cannot be written; ``problem`` says why in the user's terms."""


TEMP_MARK = ".xlpy-"  # in the name of every temporary file xlpy writes: ``.汇总.xlpy-<pid>-…tmp``
_TEMP_NAME = re.compile(r"\..*\.xlpy-(\d+)-[^/]*\.tmp")
STALE_AFTER = 24 * 3600  # seconds: a temporary file this old is stale whoever wrote it
_live: set[Path] = set()  # temporaries of this process, removed on SIGTERM/SIGHUP


def output_error(exc: BaseException, path: Path) -> OutputError:
    """The Chinese message for an OS error met writing ``path`` (one place for every writer)."""
    path = Path(path)
    error = (
        exc
        if isinstance(exc, OSError)
        else next((a for a in getattr(exc, "args", ()) if isinstance(a, OSError)), None)
    )
    code = getattr(error, "errno", None)
    folder = path.parent
    if code == errno.ENAMETOOLONG:
        return OutputError(
            "文件名或路径过长",
            file=str(path),
            expected="更短的文件名或更浅的文件夹(文件名不超过 255 字节)",
        )
    if _is_dir(path) or code == errno.EISDIR:
        return OutputError(
            "输出路径是一个文件夹",
            file=str(path),
            expected="一个文件名(如 汇总-2026-03.xlsx),或另选路径",
        )
    if code == errno.ENOTDIR or (_exists(folder) and not _is_dir(folder)):
        blocker = next(
            (p for p in (folder, *folder.parents) if _exists(p) and not _is_dir(p)), folder
        )
        return OutputError(
            f"路径中的 {blocker} 是文件,不是文件夹", file=str(path), expected="存在的文件夹"
        )
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(
            "磁盘空间不足,文件未写出(原有文件未改动)",
            file=str(path),
            expected="清理磁盘空间后重试,或写到别的磁盘",
        )
    if code == errno.EROFS:
        return OutputError(
            "文件夹所在的磁盘是只读的,无法写入",
            file=str(path),
            expected="可写入的文件夹(用 -o 另选输出位置)",
        )
    if code in (errno.EBUSY, errno.ETXTBSY) or (
        code in (errno.EACCES, errno.EPERM) and _exists(path) and os.access(folder, os.W_OK)
    ):
        return OutputError(
            "文件被其他程序占用或锁定(可能正在 Excel/WPS 中打开)",
            file=str(path),
            expected="关闭该文件后重试",
        )
    if code in (errno.EACCES, errno.EPERM):
        return OutputError(
            "没有写入此文件夹的权限(文件夹只读)",
            file=str(path),
            expected="可写入的文件夹(用 -o 另选输出位置)",
        )
    if code == errno.ENOENT:
        return OutputError("输出文件夹不存在且无法创建", file=str(path), expected="存在的文件夹")
    reason = getattr(error, "strerror", None) or type(exc).__name__
    return OutputError(f"无法写入文件({reason})", file=str(path), expected="可写入的位置")


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def check_output_path(path: Path) -> None:
    """Refuse up front, before any work, an output path that cannot be written: a folder, a
    path through a file, a name too long. (Permissions and space show only when writing.)"""
    path = Path(path)
    try:
        os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise output_error(exc, path) from None
    if _is_dir(path):
        raise output_error(IsADirectoryError(errno.EISDIR, "is a directory", str(path)), path)


@contextmanager
def temporary_beside(path: Path, directory: bool = False) -> Iterator[Path]:
    """A temporary file (or folder) beside ``path``, named as xlpy's own, with the permissions a
    new file in that folder normally gets; removed when the block ends (move it into place
    inside the block), and on SIGTERM/SIGHUP. OS errors inside the block become
    :class:`OutputError` naming ``path``."""
    path = Path(path)
    try:
        if _is_dir(path) and not directory:
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path.parent)
        prefix = f".{path.stem[:40]}{TEMP_MARK}{os.getpid()}-"
        suffix = (path.suffix if not directory else "") + ".tmp"
        if directory:
            temp = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=path.parent))
        else:
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
            os.close(fd)
            temp = Path(name)
        _live.add(temp)
        _cleanup_on_signals()
        os.chmod(temp, (0o777 if directory else 0o666) & ~_umask())
    except OSError as exc:
        raise output_error(exc, path) from None
    try:
        yield temp
    except OSError as exc:
        _release(exc)
        raise output_error(exc, path) from None
    except Exception as exc:  # writers (xlsxwriter) wrap the OSError in an error of their own
        if any(isinstance(a, OSError) for a in exc.args):
            _release(exc)
            raise output_error(exc, path) from None
        raise
    finally:
        _remove(temp)
        _live.discard(temp)


def _release(exc: BaseException) -> None:
    """Close now, quietly, what a failed writer left open (xlsxwriter's ZipFile, held by the
    frames of the traceback): closed later, its own error on a full disk would be printed at
    exit as "Exception ignored in …"."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        seen: BaseException | None = exc
        while seen is not None:
            seen.__traceback__ = None
            seen = seen.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def atomic_write(path: Path, write: Callable[[Path], Any]) -> None:
    """Call ``write(temp_path)`` for a temporary file beside ``path``, then move it into place:
    readers see the old file or the complete new one, never a half-written file."""
    with temporary_beside(path) as temp:
        write(temp)
        os.replace(temp, path)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda temp: Path(temp).write_bytes(data))


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files of xlpy's naming that no running process is writing (left by a
    kill -9 or a power cut). Returns what was removed."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    now = time.time()
    for name in names:
        match = _TEMP_NAME.fullmatch(name)
        if match is None:
            continue
        candidate = Path(folder) / name
        try:
            age = now - candidate.lstat().st_mtime
        except OSError:
            continue
        if age > STALE_AFTER or (not _running(int(match.group(1))) and age > 60):
            _remove(candidate)
            removed.append(candidate)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, another user's
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@functools.cache
def _cleanup_on_signals() -> None:
    """On SIGTERM/SIGHUP remove this process's temporaries, then die of the signal as before.
    (SIGINT raises KeyboardInterrupt, which the ``finally`` above handles.) Only the main thread
    may install handlers; elsewhere the next run's :func:`remove_stale_temporaries` cleans up."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is None:
            continue
        previous = signal.getsignal(number)

        def handler(signum: int, frame: Any, previous: Any = previous) -> None:
            for temp in list(_live):
                _remove(temp)
            if callable(previous):
                previous(signum, frame)
                return
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

        signal.signal(number, handler)


def backup(path: Path, now: datetime | None = None) -> Path | None:
    """Move an existing ``path`` into the 备份 folder beside it (timestamped); None if absent."""
    path = Path(path)
    if not path.exists():
        return None
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.parent / BACKUP_DIR / f"{path.stem}.{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = path.parent / BACKUP_DIR / f"{path.stem}.{stamp}-{counter}{path.suffix}"
    target.parent.mkdir(exist_ok=True)
    os.replace(path, target)
    return target
