"""Install, uninstall and inspect the add-in on a user's Windows or macOS machine.

Uses xlwings' own machinery where it fits: ``xlwings.cli.get_addin_dir`` asks Excel for its
startup folder (XLSTART; files there load with Excel), ``xlwings.cli.runpython_install`` installs
the AppleScript RunPython needs on macOS, and the add-in reads its interpreter from xlwings'
per-user config file for custom add-ins (``PROJECT_NAME`` = ``xlpy``):

- Windows: ``%USERPROFILE%\\.xlpy\\xlpy.conf`` with ``"INTERPRETER_WIN","<python.exe>"``
- macOS: ``~/Library/Containers/com.microsoft.Excel/Data/xlpy.conf`` with ``INTERPRETER_MAC``

The add-in's VBA reads that file with ``Open … For Input`` / ``Input #``, which decode bytes in
the ANSI code page on Windows (GBK, ``cp936``, on Chinese Windows) and as UTF-8 on macOS; so the
file is written in that encoding, as xlwings' own CLI writes it (``open(path, "w")``: the
locale's encoding, with the platform's line ends). A path that encoding cannot hold is refused
before anything is installed: the add-in would read mojibake and not find Python.

The add-in works only with the xlwings version it was built with (its VBA calls
``xlwings64-<version>.dll``); every command checks that version against the installed package,
the most common breakage after ``pip install -U``.

``platform``, ``home`` and ``encoding`` are parameters so that the Windows and macOS layouts can
be exercised on any machine; ``folder`` replaces asking Excel for its startup folder.
"""

from __future__ import annotations

import contextlib
import locale
import re
import sys
from pathlib import Path

import xlwings
from pyopenvba import ExcelFile

from xlpy.addin.build import installed_problems
from xlpy.addin.generate import PROJECT_NAME
from xlpy.addin.locations import ADDIN_NAME, PACKAGED_XLAM
from xlpy.errors import XlpyError
from xlpy.shared.files import atomic_write_bytes

_VERSION = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', re.MULTILINE)
_CONF_LINE = re.compile(r'^"([^"]*)","([^"]*)"\s*$')
_STARTUP_HINT = {
    "win32": r"%APPDATA%\Microsoft\Excel\XLSTART",
    "darwin": "~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel",
}


def addin_xlwings_version(xlam: Path) -> str:
    """The xlwings version an add-in file was built with (its ``XLWINGS_VERSION``)."""
    try:
        with ExcelFile(xlam) as book:
            source = book.get_module("xlwings")
    except Exception as error:
        raise XlpyError(f"{xlam} · 无法读取加载项中的 xlwings 模块({error})") from error
    match = _VERSION.search(source)
    if match is None:
        raise XlpyError(f"{xlam} · 加载项中没有 XLWINGS_VERSION,不是 xlpy 加载项")
    return match.group(1)


def version_problem(xlam: Path) -> str | None:
    built = addin_xlwings_version(xlam)
    if built == xlwings.__version__:
        return None
    return (
        f"加载项 {xlam.name} 是按 xlwings {built} 构建的,而当前 Python 中是 xlwings "
        f"{xlwings.__version__}:两者不一致时按钮和函数会失败。请运行 "
        f"pip install xlwings=={built},或在 xlpy 源码目录运行 xlpy addin build 重新生成"
        "加载项后再安装。"
    )


def user_config_path(platform: str = sys.platform, home: Path | None = None) -> Path:
    home = Path.home() if home is None else home
    if platform == "darwin":
        return (
            home
            / "Library"
            / "Containers"
            / "com.microsoft.Excel"
            / "Data"
            / f"{PROJECT_NAME}.conf"
        )
    return home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def config_encoding(platform: str = sys.platform) -> str:
    """The encoding the add-in's VBA reads ``xlpy.conf`` in on ``platform``: UTF-8 on macOS, else
    the ANSI code page, which ``locale.getencoding()`` gives on Windows even in Python's UTF-8
    mode (VBA knows nothing of that mode)."""
    return "utf-8" if platform == "darwin" else locale.getencoding()


def _interpreter_key(platform: str) -> str:
    return "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"


def read_user_config(path: Path, encoding: str = "utf-8") -> dict[str, str]:
    if not path.is_file():
        return {}
    entries = {}
    for line in path.read_bytes().decode(encoding, errors="replace").splitlines():
        match = _CONF_LINE.match(line.strip())
        if match:
            entries[match.group(1).upper()] = match.group(2)
    return entries


def interpreter_line(path: Path, platform: str, interpreter: str, encoding: str) -> bytes:
    """The config line for ``interpreter`` in ``encoding``; refused when the add-in could not read
    the path back."""
    line = f'"{_interpreter_key(platform)}","{interpreter}"'
    try:
        data = line.encode(encoding)
    except UnicodeEncodeError as error:
        character = error.object[error.start]
        raise XlpyError(
            f"Python 解释器路径 {interpreter} 含有字符「{character}」,加载项读取这个文件用的编码 "
            f"{encoding} 无法表示它,加载项会读成乱码而找不到 Python",
            file=str(path),
            expected=f"{encoding} 能表示的路径:请把 Python 安装到如 C:\\Python311 这样的文件夹,"
            "再用那里的 Python 重新安装 xlpy,再运行 xlpy addin install",
        ) from None
    if '"' in interpreter:
        raise XlpyError(
            f"Python 解释器路径 {interpreter} 含有引号,加载项无法读取",
            file=str(path),
            expected="不含引号的路径",
        )
    return data


def write_interpreter(
    path: Path, platform: str, interpreter: str, encoding: str | None = None
) -> None:
    """Set the interpreter key, keeping every other line of the file byte for byte."""
    encoding = config_encoding(platform) if encoding is None else encoding
    first = interpreter_line(path, platform, interpreter, encoding)
    key = f'"{_interpreter_key(platform)}"'.encode("ascii")
    lines = path.read_bytes().splitlines() if path.is_file() else []
    kept = [line for line in lines if not line.strip().upper().startswith(key)]
    newline = b"\n" if platform == "darwin" else b"\r\n"
    atomic_write_bytes(path, b"".join(line + newline for line in [first, *kept]))


def startup_folder(folder: Path | None, platform: str = sys.platform) -> Path:
    if folder is not None:
        return Path(folder)
    if platform not in _STARTUP_HINT:
        raise XlpyError(
            "Excel 加载项只能安装在 Windows 或 macOS 上;如需复制到其他位置,请用 --dir 指定文件夹。"
        )
    try:
        from xlwings.cli import get_addin_dir

        return Path(get_addin_dir())
    except Exception as error:
        raise XlpyError(
            f"无法向 Excel 询问启动文件夹({error})。请确认已安装 Excel,"
            f"或用 --dir 指定,通常是 {_STARTUP_HINT[platform]}"
        ) from error


def install(
    xlam: Path | None = None,
    folder: Path | None = None,
    *,
    platform: str = sys.platform,
    home: Path | None = None,
    interpreter: str = sys.executable,
    encoding: str | None = None,
) -> str:
    source = Path(xlam) if xlam is not None else PACKAGED_XLAM
    if not source.is_file():
        raise XlpyError(
            f"{source} · 找不到加载项文件。请重新安装 xlpy(pip install xlpy-….whl),"
            "或用 --xlam 指定 xlpy.xlam"
        )
    problem = version_problem(source)
    if problem:
        raise XlpyError(problem)
    problems = installed_problems(source)
    if problems:
        raise XlpyError(
            "加载项与此 Python 中的 xlpy 不一致(函数会缺失或出错),未安装:\n"
            + "\n".join(problems)
            + "\n请在 xlpy 源码目录运行 xlpy addin build,"
            "或重新安装 xlpy 的 wheel。"
        )
    target = startup_folder(folder, platform) / ADDIN_NAME
    config = user_config_path(platform, home)
    encoding = config_encoding(platform) if encoding is None else encoding
    interpreter_line(config, platform, interpreter, encoding)  # refuse before installing anything
    _close_in_excel(platform)
    try:
        atomic_write_bytes(target, source.read_bytes())
    except PermissionError as error:
        raise XlpyError(f"{target} · 无法写入(文件被占用?)。请先退出 Excel 再安装。") from error
    write_interpreter(config, platform, interpreter, encoding)
    if platform == "darwin" and home is None:
        from xlwings.cli import runpython_install

        runpython_install(None)
    lines = [
        f"已安装加载项:{target}",
        f"Python 解释器已写入 {config}(编码 {encoding}):{interpreter}",
        "请重新启动 Excel;功能区会出现“售后考核”选项卡。",
        (
            "若提示宏已被禁用:文件 → 选项 → 信任中心 → 信任中心设置 → 受信任位置,"
            f"添加 {target.parent}。"
        ),
    ]
    lines += _path_warnings([target, Path(interpreter)])
    return "\n".join(lines)


def uninstall(folder: Path | None = None, *, platform: str = sys.platform) -> str:
    target = startup_folder(folder, platform) / ADDIN_NAME
    if not target.is_file():
        raise XlpyError(f"{target} · 加载项未安装,无需卸载。")
    _close_in_excel(platform)
    try:
        target.unlink()
    except PermissionError as error:
        raise XlpyError(f"{target} · 无法删除(文件被占用)。请先退出 Excel 再卸载。") from error
    return f"已卸载加载项:{target}\n(Python 解释器设置保留在 {user_config_path(platform)})"


def status(
    folder: Path | None = None,
    *,
    platform: str = sys.platform,
    home: Path | None = None,
    encoding: str | None = None,
) -> str:
    target = startup_folder(folder, platform) / ADDIN_NAME
    lines = [f"xlwings(Python 包):{xlwings.__version__}"]
    if target.is_file():
        lines.append(f"已安装:{target}(按 xlwings {addin_xlwings_version(target)} 构建)")
        if problem := version_problem(target):
            lines.append(problem)
        else:
            lines += installed_problems(target) or ["版本一致,函数包装与已安装的 udfs 一致。"]
        if PACKAGED_XLAM.is_file() and PACKAGED_XLAM.read_bytes() != target.read_bytes():
            lines.append(f"已安装的加载项与 {PACKAGED_XLAM} 不同:运行 xlpy addin install 更新。")
    else:
        lines.append(f"未安装(将安装到 {target});运行 xlpy addin install。")
    config = user_config_path(platform, home)
    encoding = config_encoding(platform) if encoding is None else encoding
    interpreter = read_user_config(config, encoding).get(_interpreter_key(platform))
    if interpreter is None:
        lines.append(f"未设置 Python 解释器({config});运行 xlpy addin install。")
    elif not Path(interpreter).is_file():
        lines.append(
            f"设置的 Python 解释器不存在:{interpreter}({config});运行 xlpy addin install 重新写入。"
        )
    else:
        lines.append(f"Python 解释器:{interpreter}")
        lines += _path_warnings([Path(interpreter)])
    return "\n".join(lines)


def _path_warnings(paths: list[Path]) -> list[str]:
    return [
        f"注意:路径含非 ASCII 字符(如中文),在部分 Windows 上 xlwings 无法使用:{p}。"
        "如按钮报错,请把 Python 或加载项装到纯英文路径下。"
        for p in paths
        if not str(p).isascii()
    ]


def _close_in_excel(platform: str) -> None:
    """Close a loaded copy of the add-in in running Excel instances, as xlwings' installer does.
    Without a running, scriptable Excel there is nothing to close."""
    if platform != sys.platform or platform not in _STARTUP_HINT:
        return
    with contextlib.suppress(Exception):
        for app in xlwings.apps:
            with contextlib.suppress(KeyError):
                app.books[ADDIN_NAME].close()
