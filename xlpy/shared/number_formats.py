"""Every number format xlpy writes into a workbook, defined once.

Excel and WPS show a whole number under ``0.##`` with a trailing point ("5.", "100."; LibreOffice
hides it), and no format code drops the point only for whole numbers. Scores, points and
parameters therefore use ``General``: 5, 4.5, 84.17 (a long fraction shows as many digits as the
column holds). tests/test_number_formats.py formats every code found in the files xlpy writes
with SheetJS ssf, an independent implementation of Excel's format codes.
"""

SCORE = "General"  # computed scores and points, 参数 values: 5, 4.5, 84.17
COEFFICIENT = "0.0#"  # 绩效系数: 1.0, 0.8, 1.05
TWO_DECIMALS = "0.00"  # summary score columns and averages: 84.17, 5.00
ONE_DECIMAL = "0.0"  # chart labels of 0-100 scores: 84.2
WHOLE = "0"  # counts and ranks
PERCENT = "0%"
PERCENT_1 = "0.0%"
TEXT = "@"
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
