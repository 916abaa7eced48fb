"""install / uninstall / status on real files, for the Windows and macOS layouts (the startup
folder is given with ``folder=``: asking Excel for it needs Excel)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import xlwings
from pyopenvba import ExcelFile

from xlpy.addin.install import (
    ADDIN_NAME,
    addin_xlwings_version,
    config_encoding,
    install,
    read_user_config,
    status,
    uninstall,
    user_config_path,
)
from xlpy.addin.locations import PACKAGED_XLAM
from xlpy.errors import XlpyError


def other_version_addin(tmp_path: Path, version: str) -> Path:
    """A copy of the add-in whose xlwings module claims another xlwings version."""
    path = tmp_path / "old" / ADDIN_NAME
    path.parent.mkdir()
    path.write_bytes(PACKAGED_XLAM.read_bytes())
    with ExcelFile(path) as book:
        source = book.get_module("xlwings")
        book.set_module(
            "xlwings",
            source.replace(
                f'XLWINGS_VERSION As String = "{xlwings.__version__}"',
                f'XLWINGS_VERSION As String = "{version}"',
            ),
        )
        book.save()
    return path


def test_the_built_addin_matches_the_installed_xlwings() -> None:
    assert addin_xlwings_version(PACKAGED_XLAM) == xlwings.__version__


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_install_status_uninstall_round_trip(tmp_path: Path, platform: str) -> None:
    startup, home = tmp_path / "XLSTART", tmp_path / "home"
    python = tmp_path / "Python 3.11" / "python.exe"
    python.parent.mkdir()
    python.write_bytes(b"")
    assert "未安装" in status(startup, platform=platform, home=home)

    message = install(folder=startup, platform=platform, home=home, interpreter=str(python))
    assert (startup / ADDIN_NAME).read_bytes() == PACKAGED_XLAM.read_bytes()
    config = user_config_path(platform, home)
    key = "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"
    assert read_user_config(config) == {key: str(python)}
    assert str(startup / ADDIN_NAME) in message and "受信任位置" in message
    expected = {
        "win32": home / ".xlpy" / "xlpy.conf",
        "darwin": home / "Library/Containers/com.microsoft.Excel/Data/xlpy.conf",
    }
    assert config == expected[platform]

    report = status(startup, platform=platform, home=home)
    assert "版本一致" in report and f"Python 解释器:{python}" in report

    assert "已卸载" in uninstall(startup, platform=platform)
    assert not (startup / ADDIN_NAME).exists()
    with pytest.raises(XlpyError, match="加载项未安装"):
        uninstall(startup, platform=platform)


def test_install_keeps_the_users_other_settings(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = user_config_path("win32", home)
    config.parent.mkdir(parents=True)
    config.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\n"SHOW CONSOLE","True"\n')
    install(
        folder=tmp_path / "XLSTART", platform="win32", home=home, interpreter="C:\\py\\python.exe"
    )
    assert read_user_config(config) == {
        "INTERPRETER_WIN": "C:\\py\\python.exe",
        "SHOW CONSOLE": "True",
    }


CHINESE_PYTHON = r"C:\Users\张伟\AppData\Local\Programs\Python\Python311\python.exe"


def test_chinese_windows_gets_the_interpreter_in_its_ansi_code_page(tmp_path: Path) -> None:
    """The add-in's VBA reads xlpy.conf in the ANSI code page; on Chinese Windows that is GBK."""
    home = tmp_path / "home"
    install(
        folder=tmp_path / "XLSTART",
        platform="win32",
        home=home,
        interpreter=CHINESE_PYTHON,
        encoding="cp936",
    )
    data = user_config_path("win32", home).read_bytes()
    assert data == f'"INTERPRETER_WIN","{CHINESE_PYTHON}"\r\n'.encode("cp936")
    assert "张伟".encode("cp936") in data and "张伟".encode() not in data
    assert read_user_config(user_config_path("win32", home), "cp936") == {
        "INTERPRETER_WIN": CHINESE_PYTHON
    }


def test_the_encoding_is_the_one_the_addin_reads_on_each_platform(tmp_path: Path) -> None:
    import locale

    assert config_encoding("darwin") == "utf-8"
    assert config_encoding("win32") == locale.getencoding()  # the ANSI code page on Windows
    home = tmp_path / "home"
    python = "/Users/张伟/.venv/bin/python"
    install(folder=tmp_path / "XLSTART", platform="darwin", home=home, interpreter=python)
    assert user_config_path("darwin", home).read_bytes() == (
        f'"INTERPRETER_MAC","{python}"\n'.encode()
    )


@pytest.mark.parametrize(
    ("encoding", "path", "character"),
    [
        ("cp936", "C:\\Users\\𠮷野\\python.exe", "𠮷"),  # outside GBK (CJK Extension B)
        ("cp1252", CHINESE_PYTHON, "张"),  # a Western-European Windows
    ],
)
def test_a_path_the_code_page_cannot_hold_is_refused_before_installing(
    tmp_path: Path, encoding: str, path: str, character: str
) -> None:
    home, startup = tmp_path / "home", tmp_path / "XLSTART"
    with pytest.raises(XlpyError) as caught:
        install(folder=startup, platform="win32", home=home, interpreter=path, encoding=encoding)
    message = str(caught.value)
    assert f"含有字符「{character}」" in message and f"编码 {encoding} 无法表示" in message
    assert str(user_config_path("win32", home)) in message and "应为" in message
    assert not (startup / ADDIN_NAME).exists() and not user_config_path("win32", home).exists()


def test_status_reads_the_config_in_the_same_encoding(tmp_path: Path) -> None:
    python = tmp_path / "张伟" / "python.exe"
    python.parent.mkdir()
    python.write_bytes(b"")
    home, startup = tmp_path / "home", tmp_path / "XLSTART"
    config = user_config_path("win32", home)
    config.parent.mkdir(parents=True)
    config.write_bytes('"SHOW CONSOLE","True"\r\n"备注","主管电脑"\r\n'.encode("cp936"))
    install(folder=startup, platform="win32", home=home, interpreter=str(python), encoding="cp936")
    assert f"Python 解释器:{python}" in status(
        startup, platform="win32", home=home, encoding="cp936"
    )
    assert config.read_bytes().endswith(
        '"SHOW CONSOLE","True"\r\n"备注","主管电脑"\r\n'.encode("cp936")
    )


def stale_addin(tmp_path: Path) -> Path:
    """A copy of the add-in built before a function was added to udfs (its wrapper missing)."""
    path = tmp_path / "stale" / ADDIN_NAME
    path.parent.mkdir()
    path.write_bytes(PACKAGED_XLAM.read_bytes())
    with ExcelFile(path) as book:
        source = book.get_module("xlpy_udfs")
        start = source.index("Function WEIGHTED_TOTAL(")
        book.set_module("xlpy_udfs", source[:start])
        book.save()
    return path


def test_an_addin_out_of_step_with_the_installed_udfs_is_refused(tmp_path: Path) -> None:
    stale, startup = stale_addin(tmp_path), tmp_path / "XLSTART"
    with pytest.raises(XlpyError) as caught:
        install(stale, startup, platform="win32", home=tmp_path)
    assert "VBA 模块 xlpy_udfs 与已安装的 udfs 函数目录不一致" in str(caught.value)
    assert "xlpy addin build" in str(caught.value)
    assert not (startup / ADDIN_NAME).exists()
    startup.mkdir()
    (startup / ADDIN_NAME).write_bytes(stale.read_bytes())  # installed by an older xlpy
    report = status(startup, platform="win32", home=tmp_path)
    assert "xlpy_udfs 与已安装的 udfs 函数目录不一致" in report and "版本一致" not in report


def test_version_mismatch_is_refused_with_the_fix(tmp_path: Path) -> None:
    old = other_version_addin(tmp_path, "0.30.0")
    assert addin_xlwings_version(old) == "0.30.0"
    with pytest.raises(XlpyError) as caught:
        install(old, tmp_path / "XLSTART", platform="win32", home=tmp_path)
    assert "按 xlwings 0.30.0 构建" in str(caught.value)
    assert "pip install xlwings==0.30.0" in str(caught.value) and "xlpy addin build" in str(
        caught.value
    )
    assert not (tmp_path / "XLSTART" / ADDIN_NAME).exists()


def test_status_reports_a_drifted_or_outdated_installation(tmp_path: Path) -> None:
    startup = tmp_path / "XLSTART"
    startup.mkdir()
    (startup / ADDIN_NAME).write_bytes(other_version_addin(tmp_path, "0.30.0").read_bytes())
    config = user_config_path("win32", tmp_path)
    config.parent.mkdir(parents=True)
    config.write_text('"INTERPRETER_WIN","C:\\\\gone\\\\python.exe"\n')
    report = status(startup, platform="win32", home=tmp_path)
    assert "按 xlwings 0.30.0 构建" in report and "两者不一致" in report
    assert "不同:运行 xlpy addin install 更新" in report
    assert "设置的 Python 解释器不存在" in report


def test_non_ascii_paths_are_warned_about(tmp_path: Path) -> None:
    message = install(
        folder=tmp_path / "启动",
        platform="win32",
        home=tmp_path / "home",
        interpreter=sys.executable,
    )
    assert "注意:路径含非 ASCII 字符" in message


def test_unsupported_platform_and_missing_file_are_clear(tmp_path: Path) -> None:
    with pytest.raises(XlpyError, match="只能安装在 Windows 或 macOS 上"):
        install(platform="linux", home=tmp_path)
    with pytest.raises(XlpyError, match="找不到加载项文件"):
        install(tmp_path / "none.xlam", tmp_path, platform="win32", home=tmp_path)
    broken = tmp_path / "broken.xlam"
    broken.write_bytes(b"not a zip")
    with pytest.raises(XlpyError, match="无法读取加载项中的 xlwings 模块"):
        install(broken, tmp_path, platform="win32", home=tmp_path)


def test_cli_install_status_uninstall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from xlpy.cli import app

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    runner = CliRunner()
    startup = str(tmp_path / "XLSTART")
    installed = runner.invoke(app, ["addin", "install", "--dir", startup])
    assert installed.exit_code == 0, installed.output
    assert "已安装加载项" in installed.output
    assert (tmp_path / "home" / ".xlpy" / "xlpy.conf").is_file()
    status_report = runner.invoke(app, ["addin", "status", "--dir", startup])
    assert status_report.exit_code == 0 and "版本一致" in status_report.output
    assert runner.invoke(app, ["addin", "uninstall", "--dir", startup]).exit_code == 0
    again = runner.invoke(app, ["addin", "uninstall", "--dir", startup])
    assert again.exit_code != 0 and isinstance(again.exception, XlpyError)
