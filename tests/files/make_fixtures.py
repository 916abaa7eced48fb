"""Re-make the committed LibreOffice fixtures (see README.md here). Needs LibreOffice and
python3-uno: ``.venv/bin/python tests/files/make_fixtures.py``."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from lo_cases import (  # noqa: E402 - the cases live with their tests
    FILLED,
    FILLED_TABLES,
    LI,
    MONTH,
    PEOPLE,
    UNO_PYTHON,
    ZHANG,
)

from xlpy.template import generate  # noqa: E402

SHIFTED = [
    {"unprotect": [LI]},
    {"insert_rows": [LI, 1, 1]},
    {"unprotect": [ZHANG]},
    {"insert_columns": [ZHANG, 0, 1]},
]
FIXTURES = {
    "lo-native-shifted.xlsx": ("native", [*FILLED, *FILLED_TABLES, *SHIFTED]),
    "lo-addin-filled.xlsx": ("addin", [*FILLED, *FILLED_TABLES]),
    "lo-veto-trailing-space.xlsx": ("native", [*FILLED, {"set": [LI, "G15", "是 "]}]),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "roster.csv"
        roster.write_text(
            "工号,姓名,班组\n" + "".join(f"{p},{n},{t}\n" for p, n, t in PEOPLE), encoding="utf-8"
        )
        blanks = {
            v: generate(MONTH, Path(folder) / f"{v}.xlsx", roster, variant=v)[0]
            for v in ("native", "addin")
        }
        jobs = [
            {"source": str(blanks[variant]), "target": str(HERE / name), "steps": steps}
            for name, (variant, steps) in FIXTURES.items()
        ]
        job_file = Path(folder) / "jobs.json"
        job_file.write_text(json.dumps({"jobs": jobs}, ensure_ascii=False), encoding="utf-8")
        subprocess.run([UNO_PYTHON, str(HERE.parent / "lo_fill.py"), str(job_file)], check=True)


if __name__ == "__main__":
    main()
