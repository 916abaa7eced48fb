"""No VBA source of the add-in declares a name VBA reserves (MS-VBAL 3.3.5.2): Excel would refuse
to compile the whole module. ``Scale`` as a wrapper argument was the case that reached the
committed add-in; the build now refuses it, and the wrappers name that argument otherwise."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from pyopenvba.interpreter import parse_module

from udfs._registry import CATALOG, Udf, UdfArg
from xlpy.addin.build import checked_sources
from xlpy.addin.checks import parsable_text, reserved_name_problems
from xlpy.addin.declarations import declarations
from xlpy.addin.generate import UDF_MODULE, VBA_ARGUMENT_NAMES, udf_module, vba_name
from xlpy.addin.locations import ADDIN_DIR
from xlpy.addin.sources import AddinSourceError, VbaModule, load_sources
from xlpy.addin.vba_reserved import RESERVED_GROUPS, reserved_groups


def module(*lines: str, is_class: bool = False) -> VbaModule:
    return VbaModule("Probe", is_class, "\r\n".join(['Attribute VB_Name = "Probe"', *lines, ""]))


def test_the_list_is_the_specs() -> None:
    assert reserved_groups("Scale") == ("reserved-name", "special-form")
    for word in (
        "Array",
        "Circle",
        "Input",
        "InputB",
        "LBound",
        "Print",
        "UBound",
        "Dim",
        "Tab",
        "Spc",
        "Shared",
        "Attribute",
        "VB_Name",
        "Decimal",
        "CDecl",
        "LongPtr",
        "Null",
    ):
        assert reserved_groups(word.upper()), word
    for word in ("Value", "Name", "Path", "Command", "Log", "Object", "Text", "rating_scale"):
        assert not reserved_groups(word), word
    assert sum(len(words) for words in RESERVED_GROUPS.values()) == 180  # 172 distinct words


def test_no_module_of_the_addin_declares_a_reserved_name() -> None:
    assert reserved_name_problems(load_sources(ADDIN_DIR)) == []


def test_the_wrappers_name_the_scale_argument_for_vba() -> None:
    text = (ADDIN_DIR / "vba" / f"{UDF_MODULE}.bas").read_text("ascii")
    assert "Function RATING_POINTS(rating, rating_scale)" in text
    assert (
        "Function TECH_SCORE(ability, attitude, business, Optional weights, Optional rating_scale)"
    ) in text
    assert [a.name for a in CATALOG["RATING_POINTS"].args] == ["rating", "scale"]
    assert vba_name("scale") == "rating_scale" and vba_name("rating") == "rating"
    for udf in CATALOG.values():
        assert all(not reserved_groups(vba_name(a.name)) for a in udf.args), udf.excel_name


def test_the_wrappers_as_they_were_are_refused(tmp_path: Path) -> None:
    addin = tmp_path / "addin"
    shutil.copytree(ADDIN_DIR, addin)
    path = addin / "vba" / f"{UDF_MODULE}.bas"
    path.write_bytes(path.read_bytes().replace(b"rating_scale", b"scale"))
    lines = path.read_bytes().decode("ascii").split("\r\n")
    with pytest.raises(AddinSourceError) as caught:
        checked_sources(addin)
    message = str(caught.value)
    for function in ("RATING_POINTS", "TECH_SCORE"):
        number = next(
            n for n, line in enumerate(lines, 1) if line.startswith(f"Function {function}(")
        )
        assert (
            f"vba/{UDF_MODULE}.bas 第 {number} 行: 参数 scale 是 VBA 保留字"
            "(MS-VBAL §3.3.5.2 reserved-name、special-form)"
        ) in message
    assert "VBA_ARGUMENT_NAMES" in message


def test_a_hand_written_module_with_a_reserved_name_is_refused(tmp_path: Path) -> None:
    addin = tmp_path / "addin"
    shutil.copytree(ADDIN_DIR, addin)
    path = addin / "vba" / "XlpyRibbon.bas"
    path.write_bytes(
        path.read_bytes() + b"Private Function Twice(Array)\r\n    Twice = 2\r\nEnd Function\r\n"
    )
    with pytest.raises(
        AddinSourceError,
        match=r"vba/XlpyRibbon.bas 第 \d+ 行: 参数 Array 是 VBA "
        r"保留字\(MS-VBAL §3.3.5.2 special-form\)",
    ):
        checked_sources(addin)


def test_every_kind_of_declaration_is_checked() -> None:
    probe = module(
        "Option Explicit",
        "Private Const Len As Long = 1, Fine = 2",
        "Public Print As Long, Other As String",
        'Private Declare PtrSafe Function Seek Lib "k32" Alias "A" (ByVal Tab As Long) As Long',
        "Public Enum Shade",
        "    Circle = 1",
        "End Enum",
        "Public Event Changed(ByRef Input As Variant)",
        "Function Scale(ByVal a As Long, Optional Scale As Variant = Empty, _",
        "                ParamArray UBound() As Variant) As Variant",
        "    Dim LBound As Long, ok(1 To 2) As Long: Static Lock",
        "    ReDim Preserve InputB(0 To 1)",
        "    For Each Debug In ok",
        "    Next",
        "    If a Then Dim Spc",
        "Again:",
        "End Function",
        "Property Get Int() As Long",
        "End Property",
    )
    everything = {(d.line, d.kind, d.name) for d in declarations(probe)}
    assert (17, "标签", "Again") in everything
    found = {d for d in everything if reserved_groups(d[2])}
    assert found == {
        (3, "常量", "Len"),
        (4, "变量", "Print"),
        (5, "外部过程名", "Seek"),
        (5, "参数", "Tab"),
        (7, "枚举成员", "Circle"),
        (9, "参数", "Input"),
        (10, "过程名", "Scale"),
        (10, "参数", "Scale"),
        (10, "参数", "UBound"),
        (12, "变量", "LBound"),
        (12, "变量", "Lock"),
        (13, "变量", "InputB"),
        (14, "循环变量", "Debug"),
        (16, "变量", "Spc"),
        (19, "属性名", "Int"),
    }


def test_uses_of_reserved_words_are_not_declarations() -> None:
    """Member access, keywords in their statements, strings, comments, bracketed names and the
    members of a user-defined type (which the spec allows) are not refused."""
    probe = module(
        "Private Type Point",
        "    Scale As Double",
        "    Input As String",
        "End Type",
        "Sub Draw(p As Point)",
        '    Debug.Print p.Scale, Me.Name: Debug.Print "Dim Scale"',
        '    With Application: .Run "x": End With',
        '    x = Range("A1").End(-4121).Row + obj!Input',
        "    [Scale] = Array(1, 2)  ' Function F(scale)",
        "    Rem Dim Array",
        '    Open "f" For Input As #1: Print #1, "a:b": Close #1',
        "    If x Then Exit Sub Else Stop",
        "    Call obj.Input(1, Scale:=2)",
        "    If x Then",
        "    Else: DoEvents: Close",
        "    End If",
        "DoEvents: Stop",
        "End Sub",
    )
    assert [d for d in declarations(probe) if reserved_groups(d.name)] == []
    assert {(d.kind, d.name) for d in declarations(probe)} == {
        ("类型名", "Point"),
        ("过程名", "Draw"),
        ("参数", "p"),
    }


def _parser_names(node: object) -> set[str]:
    """Every name pyOpenVBA's parser records as declared, anywhere in its tree."""
    from pyopenvba.interpreter import _ast

    names: set[str] = set()
    if isinstance(node, list | tuple):
        for item in node:
            names |= _parser_names(item)
        return names
    if isinstance(node, _ast.For | _ast.ForEach) and isinstance(node.target, _ast.Name):
        names.add(node.target.name)
    if isinstance(node, _ast.ConstDecl):
        names |= {name for name, _, _ in node.names}
    if isinstance(node, _ast.EnumDef):
        names |= {name for name, _ in node.members}
    declaring = (
        _ast.VarDecl,
        _ast.Label,
        _ast.Param,
        _ast.Procedure,
        _ast.EnumDef,
        _ast.DeclareDef,
        _ast.EventDef,
        _ast.TypeDef,
    )
    if isinstance(node, declaring):
        names.add(node.name)
    if dataclasses.is_dataclass(node) and not isinstance(node, _ast.TypeDef):
        for field in dataclasses.fields(node):
            if field.name not in ("attributes", "source"):
                names |= _parser_names(getattr(node, field.name))
    return names


@pytest.mark.parametrize("name", [m.name for m in load_sources(ADDIN_DIR).modules])
def test_the_scanner_finds_every_name_pyopenvbas_parser_finds(name: str) -> None:
    """Cross-check against an independent VBA parser (it sees only the branch of #If its
    constants select; the scanner sees every branch, so it finds at least as much)."""
    real = load_sources(ADDIN_DIR).module(name)
    assert real is not None
    tree = parse_module(
        parsable_text(real), name=name, kind="class" if real.is_class else "standard"
    )
    parsed = {n.lower() for n in _parser_names(tree)} - {""}
    scanned = {d.name.lower() for d in declarations(real)}
    assert parsed, name
    assert parsed <= scanned, sorted(parsed - scanned)


def test_the_generator_refuses_an_unnamed_reserved_argument() -> None:
    def scaled(value, scale):  # type: ignore[no-untyped-def]
        return value

    args = (UdfArg("value", "", False, False), UdfArg("input", "", False, False))
    with pytest.raises(AddinSourceError, match=r"'input' 是 VBA 保留字.*VBA_ARGUMENT_NAMES"):
        udf_module([Udf("SCALED", scaled, "", args, "aggregate")])
    assert "scale" in VBA_ARGUMENT_NAMES
    text = udf_module(
        [Udf("SCALED", scaled, "", (args[0], UdfArg("scale", "", True, False)), "aggregate")]
    ).decode("ascii")
    assert "Function SCALED(value, Optional rating_scale)" in text
    assert '"scaled", Array(value, rating_scale)' in text
