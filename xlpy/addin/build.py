"""``xlpy addin build``: refresh the generated sources, check everything, write ``xlpy.xlam``
(``workbook/xlpy.xlam`` and the package copy, see :mod:`xlpy.addin.locations`).

With ``check_only`` nothing is written: the result says what is stale, which is how the tests
prove the committed add-in matches its sources. An installation without the sources (a wheel)
checks its add-in with :func:`installed_problems` instead: the modules generated from ``udfs``
and xlwings must equal those the add-in carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlwings

from xlpy.addin.checks import check_all
from xlpy.addin.generate import HELP_MODULE, UDF_MODULE, UDF_PYTHON_MODULE, generated_sources
from xlpy.addin.locations import ADDIN_DIR, PACKAGED_XLAM, REPO, XLAM_PATH
from xlpy.addin.package import assemble
from xlpy.addin.sources import AddinSourceError, AddinSources, load_sources
from xlpy.shared.files import atomic_write_bytes

OUTPUTS = (XLAM_PATH, PACKAGED_XLAM)


@dataclass
class BuildResult:
    xlam: Path
    stale: list[str] = field(default_factory=list)  # relative paths that differ(ed)

    @property
    def up_to_date(self) -> bool:
        return not self.stale


def checked_sources(addin_dir: Path = ADDIN_DIR) -> AddinSources:
    """Load and cross-check the sources; raise :class:`AddinSourceError` with every problem."""
    sources = load_sources(addin_dir)
    problems = check_all(sources)
    if problems:
        raise AddinSourceError(problems)
    return sources


def build(
    addin_dir: Path = ADDIN_DIR,
    outputs: Sequence[Path] = OUTPUTS,
    *,
    check_only: bool = False,
    regenerate: bool = True,
) -> BuildResult:
    addin_dir, outputs = Path(addin_dir), [Path(out) for out in outputs]
    result = BuildResult(outputs[0])
    if regenerate:
        for relative, data in generated_sources().items():
            path = addin_dir / relative
            if not path.is_file() or path.read_bytes() != data:
                result.stale.append(relative)
                if not check_only:
                    atomic_write_bytes(path, data)
    if check_only and result.stale:
        return result  # the xlam cannot be judged against sources that are themselves stale
    xlam = assemble(checked_sources(addin_dir))
    for out in outputs:
        if not out.is_file() or out.read_bytes() != xlam:
            result.stale.append(_label(out))
            if not check_only:
                atomic_write_bytes(out, xlam)
    return result


def _label(path: Path) -> str:
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.name


def installed_problems(xlam: Path = PACKAGED_XLAM) -> list[str]:
    """How an add-in file differs from what this installation's ``udfs`` catalog and xlwings
    generate (the whole check a wheel, which carries no sources, can make)."""
    from pyopenvba import ExcelFile

    try:
        with ExcelFile(xlam) as book:
            modules = {name.lower(): book.get_module(name) for name in book.module_names()}
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same problem
        return [f"{xlam} · 无法读取加载项({type(error).__name__}: {error})"]
    problems = []
    for relative, data in generated_sources().items():
        name = Path(relative).stem
        source = (
            f"已安装的 {UDF_PYTHON_MODULE} 函数目录"
            if name in (UDF_MODULE, HELP_MODULE)
            else f"已安装的 xlwings {xlwings.__version__}"
        )
        text = modules.get(name.lower())
        if text is None:
            problems.append(f"{xlam} · 缺少 VBA 模块 {name}")
        elif text.encode("utf-8") != data:
            problems.append(f"{xlam} · VBA 模块 {name} 与{source}不一致")
    return problems
