"""A department's entry as the core's entry. Points deducted from a deduction item go to the
core as they are (it scores and checks them: full − deducted); an item's score goes as the
points it lost. Points deducted of one named kind become counts of that kind, a score or points
deducted of a rated or veto item a rating word or 是/否 — only where that is exact; otherwise a
problem naming what was typed and what is expected (the caller adds the cell)."""

from __future__ import annotations

import math
from typing import Any

from xlpy.adopt.layout import COUNT, DEDUCTED, FLAG, RATING, SCORE
from xlpy.core.scheme_entries import deducted_column
from xlpy.rules import Rules
from xlpy.rules.model import MonthlyItem
from xlpy.words import NO, YES, is_blank, num, same_number


class NotExact(Exception):
    def __init__(self, problem: str, expected: str) -> None:
        self.problem, self.expected = problem, expected
        super().__init__(problem)


def _number(value: Any, what: str, expected: str) -> float:
    if isinstance(value, bool):
        raise NotExact(f"{what}填了 {value}", expected)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().rstrip("分"))
        except ValueError:
            raise NotExact(f"{what}填了“{value}”", expected) from None
    if not math.isfinite(number):
        raise NotExact(f"{what}填了 {value}", expected)
    return number


def count_of(item: MonthlyItem, key: str, deducted: float) -> int:
    """The occurrences of deduction kind ``key`` that deduct ``deducted`` points (a cell of
    points deducted per kind): a whole number of its per-occurrence points, or for a kind that
    zeroes the item, 0 or the item's full points."""
    rule = item.deductions[key]
    if rule.zeroes_item:
        if deducted == 0 or same_number(deducted, item.full):
            return int(deducted > 0)
        raise NotExact(
            f"{rule.label}扣 {num(deducted)} 分(出现即该项记 0 分)",
            f"0 或 {num(item.full)}",
        )
    per = rule.per or 0.0
    count = round(deducted / per)
    if not same_number(count * per, deducted):
        raise NotExact(
            f"扣 {num(deducted)} 分不能换算成{rule.label}次数(每次 {num(per)} 分)",
            f"{num(per)} 分的整数倍",
        )
    return count


def core_entries(
    code: str, item: MonthlyItem, holds: str, value: Any, rules: Rules, deduction: str = ""
) -> dict[str, Any]:
    """{core column: value} for one entry cell; raises :class:`NotExact`."""
    if holds in (COUNT, RATING, FLAG):  # typed as the core reads it: the core checks the value
        if item.deductions:
            return {f"{code}.{deduction or next(iter(item.deductions))}": value}
        return {code: value}
    if holds == DEDUCTED and item.deductions and not deduction:
        return {deducted_column(code): value}  # the core checks and scores it
    full = float(item.full)
    word = "扣分" if holds == DEDUCTED else "得分"
    expected = f"0 到 {num(full)} 之间的{word}"
    if is_blank(value):
        if holds == DEDUCTED:
            return {}  # nothing deducted, as a blank count
        raise NotExact(f"{item.name}的得分未填写", expected)
    number = _number(value, f"{item.name}的{word}", expected)
    if number < 0:
        raise NotExact(f"{item.name}的{word}填了 {num(number)}", expected)
    if number > full:
        raise NotExact(f"{item.name}的{word}填了 {num(number)},超过满分", expected)
    deducted = number if holds == DEDUCTED else full - number
    if item.deductions:
        if holds == SCORE:
            return {deducted_column(code): deducted}
        return {f"{code}.{deduction}": count_of(item, deduction, deducted)}
    if item.scale is not None:
        points = full - deducted
        words = [w for w, p in rules.scales[item.scale].points.items() if same_number(p, points)]
        if len(words) != 1:
            allowed = "、".join(f"{w} {num(p)}" for w, p in rules.scales[item.scale].points.items())
            raise NotExact(f"{item.name}{word} {num(number)} 不对应任何评级", allowed)
        return {code: words[0]}
    if deducted in (0.0, full):
        return {code: YES if deducted == full else NO}
    raise NotExact(f"{item.name}{word} {num(number)}", f"0 或 {num(full)}(确认违规)")
