"""Every check of the add-in sources passes on the real sources and fails, with a clear Chinese
message naming file and line, on a deliberately broken copy."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import udfs
import xlpy.ribbon
from udfs._registry import CATALOG, Udf, UdfArg
from xlpy.addin.build import build, checked_sources
from xlpy.addin.checks import check_all, procedures, udf_problems
from xlpy.addin.generate import UDF_MODULE, udf_module, vba_name
from xlpy.addin.locations import ADDIN_DIR
from xlpy.addin.sources import AddinSourceError, load_sources
from xlpy.cli import app


@pytest.fixture
def addin(tmp_path: Path) -> Path:
    copy = tmp_path / "addin"
    shutil.copytree(ADDIN_DIR, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    data = path.read_bytes().decode("utf-8")
    assert data.count(old) == 1, old
    path.write_bytes(data.replace(old, new).encode("utf-8"))


def problems_of(addin: Path) -> str:
    with pytest.raises(AddinSourceError) as caught:
        checked_sources(addin)
    return str(caught.value)


def test_real_sources_pass_every_check() -> None:
    assert check_all(load_sources(ADDIN_DIR)) == []


def test_every_ribbon_button_has_a_callback_sub_and_a_python_function() -> None:
    sources = load_sources(ADDIN_DIR)
    ribbon = sources.module("XlpyRibbon")
    assert ribbon is not None
    subs = procedures(ribbon)
    for name in ("ValidateSheet", "ConsolidateMonth", "NewMonth", "UpdateParameters", "ShowHelp"):
        assert subs[name.lower()].parameters == ("control As IRibbonControl",)
    for function in (
        "validate_sheet",
        "consolidate_month",
        "new_month",
        "update_parameters",
        "show_help",
    ):
        assert callable(getattr(xlpy.ribbon, function))
        assert f"xlpy.ribbon.{function}()" in ribbon.text


def test_every_udf_has_a_wrapper_with_its_python_argument_list() -> None:
    module = load_sources(ADDIN_DIR).module(UDF_MODULE)
    assert module is not None
    found = procedures(module)
    assert set(found) == {name.lower() for name in CATALOG}
    for name, udf in CATALOG.items():
        vba = found[name.lower()].parameters
        python = list(inspect.signature(getattr(udfs, udf.python_name)).parameters.values())
        assert [p.split()[-1].removesuffix("()") for p in vba] == [vba_name(p.name) for p in python]
        assert [p.startswith("Optional ") for p in vba] == [
            p.default is not p.empty for p in python
        ]
        assert [p.startswith("ParamArray ") for p in vba] == [
            p.kind is p.VAR_POSITIONAL for p in python
        ]


def test_missing_sub_fails(addin: Path) -> None:
    edit(
        addin / "customUI14.xml",
        'onAction="XlpyRibbon.NewMonth"',
        'onAction="XlpyRibbon.NewMonths"',
    )
    message = problems_of(addin)
    assert 'xlpyNewMonth 的 onAction="XlpyRibbon.NewMonths"' in message
    assert "XlpyRibbon.bas 中没有过程 NewMonths" in message


def test_wrong_callback_signature_fails(addin: Path) -> None:
    edit(
        addin / "vba" / "XlpyRibbon.bas",
        "Sub ConsolidateMonth(control As IRibbonControl)",
        "Sub ConsolidateMonth(control As Object)",
    )
    message = problems_of(addin)
    assert "第 12 行应为 Sub ConsolidateMonth(control As IRibbonControl)" in message


def test_private_callback_and_unknown_module_fail(addin: Path) -> None:
    edit(
        addin / "vba" / "XlpyRibbon.bas",
        "Sub ShowHelp(control As IRibbonControl)",
        "Private Sub ShowHelp(control As IRibbonControl)",
    )
    edit(
        addin / "customUI14.xml",
        'onAction="XlpyRibbon.ValidateSheet"',
        'onAction="Ribbon.ValidateSheet"',
    )
    message = problems_of(addin)
    assert "ShowHelp 是 private,功能区调用不到" in message
    assert 'onAction="Ribbon.ValidateSheet" 应为 模块名.过程名' in message


def test_non_ascii_vba_line_fails(addin: Path) -> None:
    edit(
        addin / "vba" / "XlpyRibbon.bas",
        'RunPython "import xlpy.ribbon; xlpy.ribbon.show_help()"',
        'MsgBox "帮助"',
    )
    message = problems_of(addin)
    assert "vba/XlpyRibbon.bas 第 29 行: 含非 ASCII 字符" in message


def test_class_module_in_export_form_fails(addin: Path) -> None:
    path = addin / "vba" / "Dictionary.cls"
    text = (
        path.read_bytes()
        .decode("ascii")
        .replace('Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\r\n', "")
    )
    path.write_bytes(
        ("VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n" + text).encode("ascii")
    )
    message = problems_of(addin)
    assert "vba/Dictionary.cls 第 1 行: 应为 Attribute VB_Name" in message
    assert "类模块不能带 VERSION/BEGIN/END 导出头" in message
    assert '缺少 Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"(类模块)' in message


def test_lf_line_endings_and_mismatched_module_name_fail(addin: Path) -> None:
    path = addin / "vba" / "XlpyRibbon.bas"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    (addin / "vba" / "Extra.bas").write_bytes(b'Attribute VB_Name = "Other"\r\n')
    message = problems_of(addin)
    assert "vba/XlpyRibbon.bas: 换行符应全部为 CRLF" in message
    assert 'vba/Extra.bas 第 1 行: 应为 Attribute VB_Name = "Extra"' in message


def test_runpython_to_a_missing_or_foreign_function_fails(addin: Path) -> None:
    edit(addin / "vba" / "XlpyRibbon.bas", "xlpy.ribbon.new_month()", "xlpy.ribbon.next_month()")
    edit(
        addin / "vba" / "XlpyRibbon.bas",
        "import xlpy.ribbon; xlpy.ribbon.update_parameters()",
        "import os; os.getcwd()",
    )
    message = problems_of(addin)
    assert "xlpy.ribbon 中没有函数 next_month" in message
    assert "按钮只能调用 xlpy.ribbon 中的函数" in message


def test_ribbon_violating_the_schema_fails(addin: Path) -> None:
    edit(addin / "customUI14.xml", 'label="帮助" size="large"', 'label="帮助" size="huge"')
    message = problems_of(addin)
    assert "customUI14.xml: 不符合 customUI14 架构" in message and "huge" in message


def test_udf_wrapper_with_a_different_argument_list_fails(addin: Path) -> None:
    path = addin / "vba" / f"{UDF_MODULE}.bas"
    line = next(
        line
        for line in path.read_text("ascii").splitlines()
        if line.startswith("Function TECH_LEVEL(")
    )
    edit(path, line, "Function TECH_LEVEL()")
    edit(path, "Function WEIGHTED_TOTAL(", "Function OLD_TOTAL(")
    message = problems_of(addin)
    assert f"TECH_LEVEL 应为 {line},实为 Function TECH_LEVEL()" in message
    assert "缺少 WEIGHTED_TOTAL 的 VBA 包装" in message
    assert "OLD_TOTAL 不在 udfs 目录中(过期的包装)" in message


def test_a_new_udf_needs_no_hand_written_vba() -> None:
    def bonus_points(score, *extras, cap=100):  # type: ignore[no-untyped-def]
        return score

    udf = Udf(
        "BONUS_POINTS",
        bonus_points,
        "加分",
        (UdfArg("score", "得分", False, False), UdfArg("extras", "加分项", False, True)),
        "aggregate",
    )
    text = udf_module([udf]).decode("ascii")
    assert "Function BONUS_POINTS(score, ParamArray extras())" in text
    assert (
        'XLPy.CallUDF("udfs", "bonus_points", argsArray, ActiveWorkbook, Application.Caller)'
        in text
    )
    with pytest.raises(AddinSourceError, match="'type' 是 VBA 保留字"):
        udf_module([Udf("BAD", bonus_points, "", (UdfArg("type", "", False, False),), "aggregate")])


def test_stale_generated_sources_are_reported_and_rebuilt(addin: Path, tmp_path: Path) -> None:
    out = tmp_path / "xlpy.xlam"
    (addin / "vba" / f"{UDF_MODULE}.bas").unlink()
    assert build(addin, [out], check_only=True).stale == [f"vba/{UDF_MODULE}.bas"]
    assert not out.exists()
    result = build(addin, [out])
    assert result.stale == [f"vba/{UDF_MODULE}.bas", "xlpy.xlam"]
    assert udf_problems(load_sources(addin)) == []
    assert out.read_bytes() == (ADDIN_DIR.parent / "xlpy.xlam").read_bytes()


def test_cli_build_check_passes_on_the_repository() -> None:
    result = CliRunner().invoke(app, ["addin", "build", "--check"])
    assert result.exit_code == 0, result.output
    assert "加载项与源码一致" in result.output


def test_vba_syntax_error_fails(addin: Path) -> None:
    edit(
        addin / "vba" / "XlpyRibbon.bas",
        "    If Not HasWorkbook Then\r\n",
        "    If Not HasWorkbook Then\r\n    If True Then\r\n",
    )
    message = problems_of(addin)
    assert "vba/XlpyRibbon.bas: VBA 语法错误(pyOpenVBA 解析)" in message and "End If" in message


def test_function_descriptions_decode_to_the_catalog_in_a_vba_interpreter() -> None:
    """xlpy_help.bas keeps the Chinese descriptions as hexadecimal UTF-16 (VBA source is ASCII);
    pyOpenVBA's VBA interpreter runs it and must get the catalog's text back."""
    from pyopenvba.apps.excel import ExcelApplication
    from pyopenvba.exceptions import VBAUnsupportedError

    excel = ExcelApplication()
    excel.add_workbook()
    excel.add_module(
        (ADDIN_DIR / "vba" / "xlpy_help.bas").read_bytes().decode("ascii"), name="xlpy_help"
    )
    expected = [
        [u.excel_name, u.doc[:255], "售后考核", [a.doc[:255] for a in u.args]]
        for u in sorted(CATALOG.values(), key=lambda u: u.excel_name)
    ]
    assert excel.run("FunctionHelp") == expected
    # RegisterFunctions runs up to Excel's MacroOptions, which only Excel implements
    with pytest.raises(VBAUnsupportedError, match=r"Application\.MacroOptions"):
        excel.run("RegisterFunctions")


def test_thisworkbook_is_a_document_module_calling_the_registration() -> None:
    module = load_sources(ADDIN_DIR).module("ThisWorkbook")
    assert module is not None and module.is_document
    assert procedures(module)["workbook_open"].scope == "private"
    assert "xlpy_help.RegisterFunctions" in module.text
