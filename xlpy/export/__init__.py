"""Hand-offs to other systems from a summary: the pay export (``xlpy export --payroll``)."""

from xlpy.export.payroll import ENCODINGS, export_payroll, payroll_table

__all__ = ["ENCODINGS", "export_payroll", "payroll_table"]
