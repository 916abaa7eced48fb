"""Workbook engines behind one port (:class:`WorkbookPort`): the file engine here, the live
engine (xlwings) in :mod:`xlpy.engines.live`."""

from xlpy.engines.extent import SheetTooLarge
from xlpy.engines.file import FileWorkbook
from xlpy.engines.filekind import UnreadableWorkbook
from xlpy.engines.port import CellValue, Grid, WorkbookPort, cell_value, values_with_errors
from xlpy.shared.findings import CellMark

__all__ = [
    "CellMark",
    "CellValue",
    "FileWorkbook",
    "Grid",
    "SheetTooLarge",
    "UnreadableWorkbook",
    "WorkbookPort",
    "cell_value",
    "values_with_errors",
]
