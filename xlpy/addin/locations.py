"""Where the add-in's files are.

- In a checkout (``pip install -e .``): the text sources ``workbook/addin/`` and the committed
  build output ``workbook/xlpy.xlam``, which ``xlpy addin build`` writes and ``--check`` compares.
- In every installation, wheel or checkout: ``xlpy/addin/xlpy.xlam``, package data that the
  wheel carries, found through :mod:`importlib.resources`. The build writes it together with
  ``workbook/xlpy.xlam`` (same bytes; ``--check`` compares both), because a wheel can only carry
  files inside its packages. ``xlpy addin install`` copies this one.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ADDIN_NAME = "xlpy.xlam"
REPO = Path(__file__).resolve().parents[2]
ADDIN_DIR = REPO / "workbook" / "addin"
XLAM_PATH = REPO / "workbook" / ADDIN_NAME
PACKAGED_XLAM = Path(str(resources.files(__package__).joinpath(ADDIN_NAME)))
SCHEMA = ADDIN_DIR / "schema" / "customUI14.xsd"


def has_sources() -> bool:
    """Whether this installation is a checkout with the add-in's text sources."""
    return ADDIN_DIR.is_dir()
