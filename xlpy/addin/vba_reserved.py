"""VBA's reserved identifiers: no VBA name (procedure, parameter, variable, constant, enum,
label) may be one of these words, in any letter case.

Source: [MS-VBAL] VBA Language Specification, section 3.3.5.2 "Reserved Identifiers and
IDENTIFIER",
https://learn.microsoft.com/en-us/openspecs/microsoft_general_purpose_programming_languages/ms-vbal/7df907cb-ab6c-40d3-aa81-272742ce00c3
(``IDENTIFIER = <any lex-identifier that is not a reserved-identifier>``). The groups below are
the spec's grammar rules, word for word (two stray spaces in the spec, ``"ByVal "`` and
``"VB_Ext_KEY "``, dropped). Members of a user-defined type are the one place the spec allows
most of these words (section 5.2.3.3, ``reserved-member-name``).
"""

from __future__ import annotations

RESERVED_GROUPS: dict[str, tuple[str, ...]] = {
    "statement-keyword": (
        "Call", "Case", "Close", "Const", "Declare", "DefBool", "DefByte", "DefCur", "DefDate",
        "DefDbl", "DefInt", "DefLng", "DefLngLng", "DefLngPtr", "DefObj", "DefSng", "DefStr",
        "DefVar", "Dim", "Do", "Else", "ElseIf", "End", "EndIf", "Enum", "Erase", "Event", "Exit",
        "For", "Friend", "Function", "Get", "Global", "GoSub", "GoTo", "If", "Implements",
        "Input", "Let", "Lock", "Loop", "LSet", "Next", "On", "Open", "Option", "Print",
        "Private", "Public", "Put", "RaiseEvent", "ReDim", "Resume", "Return", "RSet", "Seek",
        "Select", "Set", "Static", "Stop", "Sub", "Type", "Unlock", "Wend", "While", "With",
        "Write"),
    "rem-keyword": ("Rem",),
    "marker-keyword": (
        "Any", "As", "ByRef", "ByVal", "Case", "Each", "Else", "In", "New", "Shared", "Until",
        "WithEvents", "Write", "Optional", "ParamArray", "Preserve", "Spc", "Tab", "Then", "To"),
    "operator-identifier": (
        "AddressOf", "And", "Eqv", "Imp", "Is", "Like", "New", "Mod", "Not", "Or", "TypeOf",
        "Xor"),
    "reserved-name": (
        "Abs", "CBool", "CByte", "CCur", "CDate", "CDbl", "CDec", "CInt", "CLng", "CLngLng",
        "CLngPtr", "CSng", "CStr", "CVar", "CVErr", "Date", "Debug", "DoEvents", "Fix", "Int",
        "Len", "LenB", "Me", "PSet", "Scale", "Sgn", "String"),
    "special-form": ("Array", "Circle", "Input", "InputB", "LBound", "Scale", "UBound"),
    "reserved-type-identifier": (
        "Boolean", "Byte", "Currency", "Date", "Double", "Integer", "Long", "LongLong", "LongPtr",
        "Single", "String", "Variant"),
    "literal-identifier": ("True", "False", "Nothing", "Empty", "Null"),
    "reserved-for-implementation-use": (
        "Attribute", "LINEINPUT", "VB_Base", "VB_Control", "VB_Creatable", "VB_Customizable",
        "VB_Description", "VB_Exposed", "VB_Ext_KEY", "VB_GlobalNameSpace", "VB_HelpID",
        "VB_Invoke_Func", "VB_Invoke_Property", "VB_Invoke_PropertyPut",
        "VB_Invoke_PropertyPutRef", "VB_MemberFlags", "VB_Name", "VB_PredeclaredId",
        "VB_ProcData", "VB_TemplateDerived", "VB_UserMemId", "VB_VarDescription", "VB_VarHelpID",
        "VB_VarMemberFlags", "VB_VarProcData", "VB_VarUserMemId"),
    "future-reserved": ("CDecl", "Decimal", "DefDec"),
}


def _categories() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for group, words in RESERVED_GROUPS.items():
        for word in words:
            found.setdefault(word.lower(), []).append(group)
    return {word: tuple(groups) for word, groups in found.items()}


RESERVED_CATEGORIES = _categories()  # lower-case word -> the spec's groups that list it


def reserved_groups(name: str) -> tuple[str, ...]:
    """The spec's groups listing ``name`` (case-insensitive); empty when it may name things."""
    return RESERVED_CATEGORIES.get(name.lower(), ())
