"""``xlpy addin build``: refresh the generated sources, check everything, write ``xlpy.xlam``.

With ``check_only`` nothing is written: the result says what is stale, which is how the tests
prove the committed add-in matches its sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xlpy.addin.checks import check_all
from xlpy.addin.generate import generated_sources
from xlpy.addin.package import assemble
from xlpy.addin.sources import AddinSourceError, AddinSources, load_sources
from xlpy.shared.files import atomic_write_bytes

REPO = Path(__file__).resolve().parents[2]
ADDIN_DIR = REPO / "workbook" / "addin"
XLAM_PATH = REPO / "workbook" / "xlpy.xlam"


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


def build(addin_dir: Path = ADDIN_DIR, out: Path = XLAM_PATH, *,
          check_only: bool = False, regenerate: bool = True) -> BuildResult:
    addin_dir, out = Path(addin_dir), Path(out)
    result = BuildResult(out)
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
    if not out.is_file() or out.read_bytes() != xlam:
        result.stale.append(out.name)
        if not check_only:
            atomic_write_bytes(out, xlam)
    return result
