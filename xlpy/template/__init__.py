"""The month workbook writer (``xlpy template``): every form of :mod:`xlpy.forms` as sheets."""

from xlpy.template.roster import Person, RosterRows, load_roster, sample_roster_path
from xlpy.template.writer import default_output, generate

__all__ = [
    "Person",
    "RosterRows",
    "default_output",
    "generate",
    "load_roster",
    "sample_roster_path",
]
