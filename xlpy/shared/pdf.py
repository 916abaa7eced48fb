"""Workbooks printed to PDF by LibreOffice headless, many in one run (one start-up)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from xlpy.errors import XlpyError


def print_to_pdf(workbooks: list[Path], outdir: Path, timeout: float = 600) -> list[Path]:
    """``outdir/<stem>.pdf`` for each workbook (every sheet a page or more, in order)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise XlpyError("找不到 LibreOffice(soffice),无法生成 PDF · 应为 安装 LibreOffice 后重试")
    with tempfile.TemporaryDirectory(prefix="xlpy-lo-") as work:
        profile = Path(work) / f"lo-{uuid.uuid4().hex}"
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, workbooks),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    made = [Path(outdir) / f"{w.stem}.pdf" for w in workbooks]
    missing = [p.name for p in made if not p.is_file()]
    if result.returncode != 0 or missing:
        raise XlpyError(
            f"{'、'.join(missing) or workbooks[0].name} · LibreOffice 转换 PDF 失败 · "
            f"{result.stderr.strip()[:200]}"
        )
    return made
