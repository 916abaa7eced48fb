"""Every name a VBA module declares: procedures, parameters, variables, constants, enums, events,
labels and loop variables, with the line that declares it.

A small scanner of its own rather than pyOpenVBA's parser: that parser keeps only the branch of
``#If … #Else`` that its constants select (the Mac branches of xlwings' module would go
unchecked) and accepts keywords as names. Strings, comments (``'`` and ``Rem``), `` _`` line
continuations and ``:`` statement separators are honoured; member accesses (``.Scale``,
``obj!Input``) and bracketed names (``[Scale]``) are uses, never declarations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from xlpy.addin.sources import VbaModule
from xlpy.addin.vba_reserved import reserved_groups

_TOKEN = re.compile(
    r"""
    (?P<string>"(?:[^"]|"")*"?)
  | (?P<comment>'.*)
  | (?P<foreign>\[[^\]]*\])
  | (?P<word>[A-Za-z][A-Za-z0-9_]*(?:[%&^!\#@$](?![A-Za-z0-9_]))?)
  | (?P<number>&[HhOo][0-9A-Fa-f]+&?|[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?[%&^!\#@$]?)
  | (?P<op>:=|\S)
""",
    re.VERBOSE,
)
_SCOPES = {"public", "private", "friend", "global"}
_PARAMETER_MODIFIERS = {"optional", "byval", "byref", "paramarray"}
_VARIABLE_MODIFIERS = {"withevents", "shared"}


@dataclass(frozen=True)
class Declaration:
    line: int
    kind: str  # Chinese: what the name names, for messages
    name: str


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str

    @property
    def word(self) -> str:
        return self.text.lower() if self.kind == "word" else ""


def declarations(module: VbaModule) -> list[Declaration]:
    found: list[Declaration] = []
    block = ""  # "enum" or "type" while inside one
    for number, line in _logical_lines(module.text):
        if line.lstrip().startswith(("#", "Attribute ")):
            continue  # compiler directives and module attributes declare nothing here
        for statement, is_label in _statements(_tokens(line)):
            words = [t.word for t in statement]
            if is_label:
                found.append(Declaration(number, "标签", statement[0].text))
            elif block:
                if words[:2] == ["end", block]:
                    block = ""
                elif block == "enum":
                    found += [
                        Declaration(number, kind, name)
                        for kind, name in _first_names("枚举成员", [statement])
                    ]
                # members of a user-defined type may be reserved words (MS-VBAL 5.2.3.3)
            else:
                found += [Declaration(number, kind, name) for kind, name in _declared(statement)]
                head = [w for w in words if w not in _SCOPES][:1]
                block = head[0] if head in (["enum"], ["type"]) else ""
    return found


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line number, text) with `` _`` continuations joined."""
    pending, start = "", 1
    for number, line in enumerate(text.split("\r\n"), start=1):
        if not pending:
            start = number
        if line.endswith(" _"):
            pending += line[:-1]
            continue
        yield start, pending + line
        pending = ""


def _tokens(line: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(line):
        kind = match.lastgroup or "op"
        if kind == "comment":
            break
        tokens.append(_Token(kind, match.group()))
    return tokens


def _statements(tokens: list[_Token]) -> Iterator[tuple[list[_Token], bool]]:
    """(statement, is it a label): split at ``:``, single-line ``If`` bodies apart from their
    condition; ``Rem`` ends the line."""
    statement: list[_Token] = []
    first = True
    for token in tokens:
        if token.text == ":":
            if statement:
                yield statement, first and _is_label(statement)
            statement, first = [], False
            continue
        if not statement and token.word == "rem":
            return
        statement.append(token)
        if token.word in ("then", "else") and statement[0].word in ("if", "elseif", "else"):
            yield statement, False
            statement, first = [], False
    if statement:
        yield statement, False


def _is_label(statement: list[_Token]) -> bool:
    """One word before the line's first ``:``; a reserved word there is a statement
    (``Else:``, ``DoEvents:``, ``Close:``), as VBA reads it."""
    return (
        len(statement) == 1
        and statement[0].kind == "word"
        and not reserved_groups(statement[0].text)
    )


def _declared(statement: list[_Token]) -> Iterator[tuple[str, str]]:
    words = [t.word for t in statement]
    i = 0
    scoped = False
    while i < len(words) and words[i] in _SCOPES:
        i, scoped = i + 1, True
    head = words[i] if i < len(words) else ""
    if head == "static" and i + 1 < len(words) and words[i + 1] in ("sub", "function", "property"):
        i += 1
        head = words[i]
    rest = statement[i + 1 :]
    if head in ("sub", "function"):
        yield from _procedure("过程名", rest)
    elif head == "property" and rest and rest[0].word in ("get", "let", "set"):
        yield from _procedure("属性名", rest[1:])
    elif head == "declare":
        rest = rest[1:] if rest and rest[0].word == "ptrsafe" else rest
        yield from _procedure("外部过程名", rest[1:] if rest else rest)
    elif head == "event":
        yield from _procedure("事件名", rest)
    elif head in ("type", "enum"):
        yield from _first_names("类型名" if head == "type" else "枚举名", [rest])
    elif head == "const":
        yield from _first_names("常量", _split(rest))
    elif head in ("dim", "static", "redim"):
        rest = rest[1:] if head == "redim" and rest and rest[0].word == "preserve" else rest
        yield from _first_names("变量", _split(rest), skip=_VARIABLE_MODIFIERS)
    elif scoped:
        yield from _first_names("变量", _split(statement[i:]), skip=_VARIABLE_MODIFIERS)
    elif head == "for":
        yield from _first_names("循环变量", [rest], skip={"each"})


def _procedure(kind: str, rest: list[_Token]) -> Iterator[tuple[str, str]]:
    if not rest:
        return
    yield from _first_names(kind, [rest[:1]])
    opening = next((n for n, t in enumerate(rest) if t.text == "("), None)
    if opening is None:
        return
    depth, inside = 0, []
    for token in rest[opening:]:
        depth += (token.text == "(") - (token.text == ")")
        if depth == 0:
            break
        inside.append(token)
    yield from _first_names("参数", _split(inside[1:]), skip=_PARAMETER_MODIFIERS)


def _split(tokens: list[_Token]) -> list[list[_Token]]:
    """``tokens`` split at the commas outside parentheses."""
    parts: list[list[_Token]] = [[]]
    depth = 0
    for token in tokens:
        depth += (token.text == "(") - (token.text == ")")
        if token.text == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def _first_names(
    kind: str, parts: list[list[_Token]], skip: frozenset[str] | set[str] = frozenset()
) -> Iterator[tuple[str, str]]:
    for part in parts:
        name = next((t for t in part if t.word not in skip), None)
        if name is not None and name.kind == "word":
            yield kind, name.text.rstrip("%&^!#@$")
