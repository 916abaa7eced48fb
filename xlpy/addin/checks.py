"""Cross-checks of the add-in sources, run by every build (and by the tests).

- the ribbon XML validates against Microsoft's customUI14 schema (``schema/customUI14.xsd``);
- every ``onAction="Module.Sub"`` names a public ``Sub Name(control As IRibbonControl)``;
- every ``RunPython "import m; m.f()"`` names a function of :mod:`xlpy.ribbon` callable without
  arguments;
- every module parses with pyOpenVBA's VBA interpreter (syntax only: block structure, statements,
  expressions; it resolves no types or names, so it is no substitute for Excel's compiler);
- no module declares a name VBA reserves (MS-VBAL 3.3.5.2, :mod:`xlpy.addin.vba_reserved`) as a
  procedure, parameter, variable, constant, enum, event, label or loop variable: Excel refuses
  to compile the whole module, and pyOpenVBA's parser accepts ``Function F(dim)``;
- every function of ``udfs.CATALOG`` has its wrapper in ``xlpy_udfs.bas`` with the Python
  function's own argument list (read from its signature, not from the catalog), and the module
  has no wrapper for a function that no longer exists.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from functools import cache
from xml.etree import ElementTree

import xmlschema

from udfs._registry import CATALOG
from xlpy.addin.declarations import declarations
from xlpy.addin.generate import UDF_MODULE, UDF_PYTHON_MODULE, vba_name
from xlpy.addin.locations import SCHEMA
from xlpy.addin.sources import RIBBON_FILE, VBA_DIR, AddinSources, VbaModule
from xlpy.addin.vba_reserved import reserved_groups

RIBBON_MODULE = "xlpy.ribbon"
_PROCEDURE = re.compile(
    r"^\s*(?:(Public|Private|Friend)\s+)?(?:Static\s+)?(Sub|Function)\s+(\w+)\s*\((.*)\)"
    r"(?:\s+As\s+\w+)?\s*(?:'.*)?$",
    re.IGNORECASE,
)
_RUNPYTHON = re.compile(r'\bRunPython\s*\(?\s*"([^"]*)"', re.IGNORECASE)
_COMMAND = re.compile(r"^import\s+([\w.]+)\s*;\s*([\w.]+)\.(\w+)\(\)$")
_DIRECTIVE_COMMENT = re.compile(
    r"^(\s*#(?:Const|If|ElseIf|Else|End If)\b[^'\r\n]*?)\s*'[^\r\n]*", re.MULTILINE
)
_RIBBON_PARAMETER = re.compile(r"^(?:ByRef\s+)?\w+\s+As\s+IRibbonControl$", re.IGNORECASE)


@dataclass(frozen=True)
class Procedure:
    module: str
    line: int
    scope: str  # "public" unless declared Private/Friend
    kind: str  # "sub" or "function"
    name: str
    parameters: tuple[str, ...]


def check_all(sources: AddinSources) -> list[str]:
    return (
        schema_problems(sources)
        + syntax_problems(sources)
        + reserved_name_problems(sources)
        + callback_problems(sources)
        + runpython_problems(sources)
        + udf_problems(sources)
    )


def syntax_problems(sources: AddinSources) -> list[str]:
    from pyopenvba.apps.excel import ExcelApplication
    from pyopenvba.exceptions import PyOpenVBAError

    excel = ExcelApplication()
    excel.add_workbook()
    problems = []
    for module in sources.modules:
        try:
            excel.add_module(
                parsable_text(module),
                name=module.name,
                kind="class" if module.is_class else "standard",
            )
        except PyOpenVBAError as error:
            problems.append(f"{VBA_DIR}/{module.file_name}: VBA 语法错误(pyOpenVBA 解析):{error}")
    return problems


def parsable_text(module: VbaModule) -> str:
    """The module's text as pyOpenVBA's parser takes it: that parser rejects a comment after a
    ``#If``/``#Const`` directive, which VBA allows."""
    return _DIRECTIVE_COMMENT.sub(r"\1", module.text)


def reserved_name_problems(sources: AddinSources) -> list[str]:
    problems = []
    for module in sources.modules:
        hint = (
            "(生成的函数包装:在 xlpy/addin/generate.py 的 VBA_ARGUMENT_NAMES 中为这个参数指定"
            " VBA 名称,再运行 xlpy addin build)"
            if module.name == UDF_MODULE
            else ""
        )
        for found in declarations(module):
            groups = reserved_groups(found.name)
            if groups:
                problems.append(
                    f"{VBA_DIR}/{module.file_name} 第 {found.line} 行: {found.kind} {found.name} 是 "
                    f"VBA 保留字(MS-VBAL §3.3.5.2 {'、'.join(groups)}),不能用作名称:Excel 编译时"
                    f"会拒绝整个模块,请改名{hint}"
                )
    return problems


def logical_lines(module: VbaModule) -> list[tuple[int, str]]:
    """(first physical line number, text) with `` _`` continuations joined."""
    lines: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, line in enumerate(module.text.split("\r\n"), start=1):
        if not pending:
            start = number
        if line.endswith(" _"):
            pending += line[:-1]
            continue
        lines.append((start, pending + line))
        pending = ""
    return lines


def procedures(module: VbaModule) -> dict[str, Procedure]:
    found = {}
    for number, line in logical_lines(module):
        match = _PROCEDURE.match(line)
        if match is None:
            continue
        scope, kind, name, params = match.groups()
        parameters = tuple(" ".join(p.split()) for p in params.split(",")) if params.strip() else ()
        found[name.lower()] = Procedure(
            module.name, number, (scope or "public").lower(), kind.lower(), name, parameters
        )
    return found


@cache
def _schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA), validation="lax")


def schema_problems(sources: AddinSources) -> list[str]:
    try:
        root = ElementTree.fromstring(sources.ribbon_xml)
    except ElementTree.ParseError as error:
        return [f"{RIBBON_FILE}: 不是合法的 XML({error})"]
    del root
    errors = list(_schema().iter_errors(sources.ribbon_xml.decode("utf-8")))
    return [f"{RIBBON_FILE}: 不符合 customUI14 架构:{e.reason} (位置 {e.path})" for e in errors]


def callback_problems(sources: AddinSources) -> list[str]:
    try:
        root = ElementTree.fromstring(sources.ribbon_xml)
    except ElementTree.ParseError:
        return []  # reported by schema_problems
    problems = []
    for element in root.iter():
        control = element.get("id", element.tag.split("}")[-1])
        for attribute, target in sorted(element.attrib.items()):
            if not (attribute.startswith(("on", "get"))):
                continue
            where = f'{RIBBON_FILE}: {control} 的 {attribute}="{target}"'
            module_name, _, sub_name = target.rpartition(".")
            module = sources.module(module_name) if module_name else None
            if module is None:
                problems.append(f"{where} 应为 模块名.过程名,且模块存在于 {VBA_DIR}/")
                continue
            procedure = procedures(module).get(sub_name.lower())
            if procedure is None:
                problems.append(f"{where}: {module.file_name} 中没有过程 {sub_name}")
            elif procedure.scope != "public":
                problems.append(
                    f"{where}: {module.file_name} 第 {procedure.line} 行的 "
                    f"{sub_name} 是 {procedure.scope},功能区调用不到"
                )
            elif attribute == "onAction" and not (
                procedure.kind == "sub"
                and len(procedure.parameters) == 1
                and _RIBBON_PARAMETER.match(procedure.parameters[0])
            ):
                problems.append(
                    f"{where}: {module.file_name} 第 {procedure.line} 行应为 "
                    f"Sub {sub_name}(control As IRibbonControl)"
                )
    return problems


def runpython_problems(sources: AddinSources) -> list[str]:
    problems = []
    for module in sources.modules:
        for number, line in logical_lines(module):
            if line.lstrip().startswith("'"):
                continue
            for command in _RUNPYTHON.findall(line):
                where = f'{VBA_DIR}/{module.file_name} 第 {number} 行 RunPython "{command}"'
                problems.extend(f"{where}: {p}" for p in _command_problems(command))
    return problems


def _command_problems(command: str) -> list[str]:
    match = _COMMAND.match(command.strip())
    if match is None or match.group(1) != match.group(2):
        return ["应为 import 模块; 模块.函数()"]
    module_name, _, function_name = match.groups()
    if module_name != RIBBON_MODULE:
        return [f"按钮只能调用 {RIBBON_MODULE} 中的函数"]
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        return [f"无法导入 {module_name}({error})"]
    function = getattr(module, function_name, None)
    if not callable(function):
        return [f"{module_name} 中没有函数 {function_name}"]
    required = [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    return [f"{function_name} 需要参数 {required},按钮调用时不传参数"] if required else []


def expected_parameters(function: object) -> list[str]:
    """A Python function's argument list as its VBA wrapper must declare it."""
    result = []
    for p in inspect.signature(function).parameters.values():  # type: ignore[arg-type]
        name = vba_name(p.name)
        if p.kind is p.VAR_POSITIONAL:
            result.append(f"ParamArray {name}()")
        elif p.default is not p.empty:
            result.append(f"Optional {name}")
        else:
            result.append(name)
    return result


def udf_problems(sources: AddinSources) -> list[str]:
    module = sources.module(UDF_MODULE)
    where = f"{VBA_DIR}/{UDF_MODULE}.bas"
    if module is None:
        return [f"{where}: 缺少函数包装模块(运行 xlpy addin build 生成)"]
    found = procedures(module)
    package = importlib.import_module(UDF_PYTHON_MODULE)
    problems = []
    for excel_name, udf in sorted(CATALOG.items()):
        procedure = found.pop(excel_name.lower(), None)
        expected = expected_parameters(udf.function)
        if getattr(package, udf.python_name, None) is not udf.function:
            problems.append(
                f"{UDF_PYTHON_MODULE}.{udf.python_name} 不是目录中的 {excel_name}"
                "(xlwings 按这个名字调用)"
            )
        if procedure is None:
            problems.append(f"{where}: 缺少 {excel_name} 的 VBA 包装(运行 xlpy addin build)")
        elif procedure.kind != "function" or list(procedure.parameters) != expected:
            problems.append(
                f"{where} 第 {procedure.line} 行: {excel_name} 应为 Function "
                f"{excel_name}({', '.join(expected)}),实为 "
                f"{procedure.kind.title()} {procedure.name}"
                f"({', '.join(procedure.parameters)})"
            )
        elif f'XLPy.CallUDF("{UDF_PYTHON_MODULE}", "{udf.python_name}",' not in module.text:
            problems.append(f"{where}: {excel_name} 没有调用 Python 函数 {udf.python_name}")
    for extra in found.values():
        problems.append(f"{where} 第 {extra.line} 行: {extra.name} 不在 udfs 目录中(过期的包装)")
    return problems
