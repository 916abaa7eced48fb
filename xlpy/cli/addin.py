"""``xlpy addin build|install|uninstall|status``: the Excel add-in ``xlpy.xlam``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlpy.cli.app import app, staff_errors
from xlpy.cli.console import make_console
from xlpy.errors import XlpyError

addin_app = typer.Typer(
    help="Excel 加载项 xlpy.xlam:构建、安装、卸载、查看状态。", no_args_is_help=True
)
app.add_typer(addin_app, name="addin")

XlamOption = Annotated[
    Path | None, typer.Option("--xlam", help="加载项文件;省略则用随 xlpy 安装的加载项")
]
DirOption = Annotated[
    Path | None, typer.Option("--dir", help="Excel 启动文件夹(XLSTART);省略则向 Excel 询问")
]


@addin_app.command("build")
@staff_errors("构建加载项")
def build_command(
    check: Annotated[
        bool, typer.Option("--check", help="只检查:源码生成物或 xlpy.xlam 过期时报错,不写任何文件")
    ] = False,
) -> None:
    """从 workbook/addin/ 的文本源码生成 workbook/xlpy.xlam 及安装包中的同一文件(逐字节可复现);
    在不含源码的安装(wheel)中,--check 检查已安装的加载项与已安装的函数目录是否一致。"""
    from xlpy.addin.build import build, installed_problems
    from xlpy.addin.locations import ADDIN_DIR, PACKAGED_XLAM, has_sources

    console = make_console()
    if not has_sources():
        if not check:
            raise XlpyError(
                f"此 xlpy 安装不含加载项源码({ADDIN_DIR}):请在 xlpy 源码目录"
                "(pip install -e .)中构建;已安装的加载项可用 xlpy addin build --check 检查"
            )
        problems = installed_problems(PACKAGED_XLAM)
        if problems:
            raise XlpyError("已安装的加载项与已安装的 xlpy 不一致:\n" + "\n".join(problems))
        console.print(
            f"已安装的加载项与已安装的 udfs 函数目录、xlwings 一致:{PACKAGED_XLAM}"
            "(此安装不含源码,只检查了生成的模块)"
        )
        return
    result = build(check_only=check)
    if check and result.stale:
        raise XlpyError(
            "以下文件与源码不一致,请运行 xlpy addin build 并提交:" + "、".join(result.stale)
        )
    if check:
        console.print(f"加载项与源码一致:{result.xlam}")
    elif result.stale:
        console.print("已更新:" + "、".join(result.stale))
    else:
        console.print(f"加载项已是最新:{result.xlam}")


@addin_app.command("install")
@staff_errors("安装加载项")
def install_command(xlam: XlamOption = None, folder: DirOption = None) -> None:
    """把加载项复制到 Excel 启动文件夹,并写入 Python 解释器路径(Windows 与 macOS)。"""
    from xlpy.addin.install import install

    make_console().print(install(xlam=xlam, folder=folder))


@addin_app.command("uninstall")
@staff_errors("卸载加载项")
def uninstall_command(folder: DirOption = None) -> None:
    """从 Excel 启动文件夹删除加载项。"""
    from xlpy.addin.install import uninstall

    make_console().print(uninstall(folder=folder))


@addin_app.command("status")
@staff_errors("查看加载项")
def status_command(folder: DirOption = None) -> None:
    """显示加载项是否已安装、版本是否与 xlwings 一致、解释器配置。"""
    from xlpy.addin.install import status

    make_console().print(status(folder=folder))
