"""The Excel add-in ``workbook/xlpy.xlam``, built from the text sources in ``workbook/addin/``:
source checks, VBA wrapper generation from ``udfs.CATALOG``, assembly, install/uninstall/status."""
