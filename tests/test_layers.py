"""The core stays pure: importing it loads no workbook engine, no xlwings, no openpyxl."""

import subprocess
import sys

CORE = ["xlpy.rules", "xlpy.core.monthly", "xlpy.core.kpi", "xlpy.core.tech", "xlpy.core.survey",
        "xlpy.core.performance"]
FORBIDDEN = ["xlwings", "openpyxl", "python_calamine", "xlsxwriter", "xlpy.engines", "xlpy.forms",
             "xlpy.template", "xlpy.consolidate", "xlpy.validate", "udfs"]


def test_core_imports_nothing_above_it():
    code = (f"import sys\nfor m in {CORE!r}: __import__(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {{'xlwings', 'openpyxl', "
            f"'python_calamine', 'xlsxwriter', 'udfs'}} or m in {FORBIDDEN!r}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
