"""The VBA of a department's ``.xlsm``: its modules and procedures (read with oletools' olevba,
which reads the project independently of any writer), and for each procedure which xlpy function
or button takes over its job, where its code shows what that job is."""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

with warnings.catch_warnings():  # oletools still calls pyparsing's deprecated names on import
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

_PROCEDURE = re.compile(
    r"^[ \t]*(?:(?:Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?(Sub|Function|Property[ \t]+"
    r"(?:Get|Let|Set))[ \t]+(\w+)(.*?)^[ \t]*End[ \t]+(?:Sub|Function|Property)\b",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)

# What a procedure does, told by its code, most specific first: (pattern, the xlpy replacement).
JOBS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"For\s+Each\s+\w+\s+In\s+(?:\w+\.)?(?:Worksheets|Sheets)|"
            r"Workbooks\.Open|Dir\(",
            re.IGNORECASE,
        ),
        "汇总:xlpy consolidate(加载项「汇总」按钮)",
    ),
    (
        re.compile(
            r"IsNumeric|IsEmpty|Interior\.Color|MsgBox[^\n]*(?:错误|有误|请填写|不能为空)|"
            r"Validation",
            re.IGNORECASE,
        ),
        "校验:xlpy validate(加载项「校验」按钮)",
    ),
    (
        re.compile(r"优秀|良好|合格|等级|系数", re.IGNORECASE),
        "等级与系数:=GRADE_LEVEL()(汇总表中的等级、绩效系数)",
    ),
    (
        re.compile(r"扣|Max\s*\(\s*0|得分|分值|\.Value\s*=.*-", re.IGNORECASE),
        "计分:=ITEM_SCORE()、=MONTHLY_TOTAL()(副本的得分格已改为公式)",
    ),
]
UNKNOWN = "未能识别用途:请人工核对(xlpy 不会运行它)"


@dataclass(frozen=True)
class Procedure:
    module: str
    name: str
    kind: str  # Sub / Function / Property Get …
    replaced_by: str


@dataclass
class Macros:
    modules: list[str] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)


def replacement(code: str) -> str:
    return next((job for pattern, job in JOBS if pattern.search(code)), UNKNOWN)


def procedures_of(module: str, code: str) -> list[Procedure]:
    return [
        Procedure(
            module, match.group(2), " ".join(match.group(1).split()), replacement(match.group(3))
        )
        for match in _PROCEDURE.finditer(code)
    ]


def has_vba(path: Path) -> bool:
    """The workbook carries a VBA project (whatever its extension says)."""
    with zipfile.ZipFile(path) as package:
        return any(name.lower().endswith("vbaproject.bin") for name in package.namelist())


def list_macros(path: Path) -> Macros:
    """Every VBA module of the workbook (document modules included) and its procedures."""
    found = Macros()
    parser = VBA_Parser(str(path))
    try:
        if not parser.detect_vba_macros():
            return found
        for _, _, filename, code in parser.extract_macros():
            module = Path(filename).stem
            if module not in found.modules:
                found.modules.append(module)
                found.procedures += procedures_of(module, code)
    finally:
        parser.close()
    return found
