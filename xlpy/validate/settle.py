"""Settling a batch's rules: from the 参数 sheet(s) of its workbooks, which must all agree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlpy.forms.params import default_values
from xlpy.rules import RuleError, Rules, default_rules
from xlpy.shared.findings import WARNING, Finding
from xlpy.validate.params import rules_from
from xlpy.validate.reading import WorkbookRead
from xlpy.words import describe_value

_UNSET = object()

NO_PARAMS = "本批文件中没有找到参数表(表头为 参数键 / 项 / 值 / 说明 的工作表),按默认规则计分"
NO_PARAMS_FIX = "如本月改过参数,请一并校验含「参数」表的月度工作簿"


def resolve_rules(workbooks: list[WorkbookRead]) -> tuple[Rules, list[Finding]]:
    """Rules from the 参数 sheet(s); all workbooks of a batch must agree. Defaults if none."""
    findings: list[Finding] = []
    chosen: Rules | None = None
    chosen_from, chosen_params = "", {}
    refused = False
    for wb in workbooks:
        if wb.params is None:
            continue
        try:
            rules = rules_from(wb.params)
        except RuleError as exc:
            refused = True
            flagged = {f.cell for f in wb.findings if f.sheet == wb.param_sheet}
            for key, message in exc.problems:
                cell = _cell_of(wb, key)
                if cell in flagged:
                    continue  # the cell's own finding says what is wrong with it
                findings.append(
                    Finding(
                        wb.name,
                        wb.param_sheet,
                        cell,
                        f"参数 {key} {message}",
                        "有效的参数值(或恢复默认值)",
                    )
                )
            continue
        if chosen is None:
            chosen, chosen_from, chosen_params = rules, wb.name, wb.params
        elif rules is not chosen and rules != chosen:
            findings.append(_differs(wb, chosen_from, chosen_params))
    if chosen is None and not refused:
        with_forms = [wb for wb in workbooks if wb.forms]
        if with_forms:  # one line for the batch: a form e-mailed back alone has no 参数 of its own
            findings.append(Finding(with_forms[0].name, "", "", NO_PARAMS, NO_PARAMS_FIX, WARNING))
    return chosen or default_rules(), findings


def _cell_of(wb: WorkbookRead, key: str) -> str:
    """The 值 cell a rule problem is about: its key's, or for a problem of a group of values
    (``grade``: the bands must descend) the first value of the group this sheet changed."""
    if key in wb.param_cells:
        return wb.param_cells[key]
    changed = (k for k in wb.params or {} if k.startswith(f"{key}.") and k in wb.param_cells)
    return next((wb.param_cells[k] for k in changed), "")


DIFFERENCES_SHOWN = 3  # parameters named in the finding; the rest are counted


def _differs(wb: WorkbookRead, other: str, theirs: Mapping[str, Any]) -> Finding:
    """The finding for a workbook whose 参数 differ from those of ``other`` (its overrides
    ``theirs``): the first few parameters that differ, on the cell of the first one it changed."""
    ours = wb.params or {}
    defaults = default_values()
    keys = sorted(
        k for k in ours.keys() | theirs.keys() if ours.get(k, _UNSET) != theirs.get(k, _UNSET)
    )
    shown = "、".join(
        f"{k} 为 {describe_value(ours.get(k, defaults.get(k)))}"
        f"(那里为 {describe_value(theirs.get(k, defaults.get(k)))})"
        for k in keys[:DIFFERENCES_SHOWN]
    )
    more = f" 等 {len(keys)} 项" if len(keys) > DIFFERENCES_SHOWN else ""
    return Finding(
        wb.name,
        wb.param_sheet,
        next((wb.param_cells[k] for k in keys if k in wb.param_cells), ""),
        f"参数与 {other} 不同:{shown}{more}",  # rules that differ come from values that differ
        "同一个月的工作簿使用同一套参数",
    )
