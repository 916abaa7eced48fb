"""``xlpy validate``: check what staff typed against the form descriptions and the scoring core.

from xlpy.validate.discovery import collect
from xlpy.validate.job import validate_files
files, missing = collect(paths)
batch = validate_files(files, month=None, progress=None)
batch.findings  # [Finding] — one line each: 文件 · 工作表!单元格 · 问题 · 应为

The package itself imports nothing: reading a file (:mod:`.reading`, :mod:`.pool`) loads no numpy
or pandas, so a batch's readers start before the parent has loaded the scoring.
"""
