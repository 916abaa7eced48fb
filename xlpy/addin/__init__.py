"""The Excel add-in ``xlpy.xlam``, built from the text sources in ``workbook/addin/`` into
``workbook/xlpy.xlam`` and the package copy every installation carries (see ``locations``):
source checks, VBA wrapper generation from ``udfs.CATALOG``, assembly, install/uninstall/status."""
