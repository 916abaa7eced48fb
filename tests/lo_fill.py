"""Fill and edit workbooks inside LibreOffice (UNO), then save them with its xlsx filter.

Run by the system python that has ``uno`` (python3-uno), never imported by the tests::

    /usr/bin/python3 tests/lo_fill.py job.json

``job.json``: ``{"jobs": [{"source": path, "target": path, "steps": [...]}, ...]}``, each step
one of ``{"set": [sheet, "G7", value]}`` (a number, or a string typed as text),
``{"formula": [sheet, "G7", "=1/0"]}``, ``{"insert_rows": [sheet, row, count]}`` (1-based row
the new rows are inserted before), ``{"insert_columns": [sheet, column, count]}`` (0-based),
``{"delete_rows": [sheet, row, count]}``, ``{"rename": [sheet, new_name]}``,
``{"remove_sheet": [sheet]}``, ``{"copy_sheet": [sheet, copy_name]}``, ``{"hide": [sheet]}``,
``{"name": [defined_name, content]}`` (what it refers to, in LibreOffice's syntax:
``$参数.$C$4``, ``99``), ``{"remove_name": [defined_name]}``,
``{"unprotect": [sheet]}`` (the template protects its sheets with an empty password, as
staff unprotect them to insert rows). One LibreOffice process serves every job of the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def _props(**values):
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def _connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.25)
    raise RuntimeError("LibreOffice did not start")


def _apply(doc, step):
    sheets = doc.Sheets
    ((kind, args),) = step.items()
    by_sheet = kind not in ("remove_sheet", "copy_sheet", "name", "remove_name")
    sheet = sheets.getByName(args[0]) if by_sheet else None
    if kind == "set":
        cell = sheet.getCellRangeByName(args[1])
        if isinstance(args[2], str):
            cell.setString(args[2])
        else:
            cell.setValue(args[2])
    elif kind == "formula":
        sheet.getCellRangeByName(args[1]).setFormula(args[2])
    elif kind == "unprotect":
        sheet.unprotect("")
    elif kind == "insert_rows":
        sheet.Rows.insertByIndex(args[1] - 1, args[2])
    elif kind == "delete_rows":
        sheet.Rows.removeByIndex(args[1] - 1, args[2])
    elif kind == "insert_columns":
        sheet.Columns.insertByIndex(args[1], args[2])
    elif kind == "remove_sheet":
        sheets.removeByName(args[0])
    elif kind == "copy_sheet":
        sheets.copyByName(args[0], args[1], sheets.getCount())
    elif kind == "rename":
        sheet.setName(args[1])
    elif kind == "hide":
        sheet.IsVisible = False
    elif kind == "name":
        doc.NamedRanges.getByName(args[0]).setContent(args[1])
    elif kind == "remove_name":
        doc.NamedRanges.removeByName(args[0])
    else:
        raise ValueError(kind)


def main(job_file: str) -> None:
    with open(job_file, encoding="utf-8") as file:
        jobs = json.load(file)["jobs"]
    profile = tempfile.mkdtemp(prefix="xlpy-lo-")
    pipe = f"xlpy_{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = _connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        for job in jobs:
            url = uno.systemPathToFileUrl(os.path.abspath(job["source"]))
            doc = desktop.loadComponentFromURL(url, "_blank", 0, _props(Hidden=True))
            for step in job["steps"]:
                _apply(doc, step)
            doc.calculateAll()
            target = uno.systemPathToFileUrl(os.path.abspath(job["target"]))
            doc.storeToURL(target, _props(FilterName="Calc Office Open XML", Overwrite=True))
            doc.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as LibreOffice exits
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        subprocess.run(["rm", "-rf", profile], check=False)


if __name__ == "__main__":
    main(sys.argv[1])
