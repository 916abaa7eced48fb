"""A department's entry as the core's entry: points deducted or an item's score become counts of
occurrences, a score becomes a rating word — only where that is exact; otherwise a problem
naming what was typed and what is expected (the caller adds the cell)."""

from __future__ import annotations

import itertools
import math
from typing import Any

from xlpy.adopt.layout import COUNT, DEDUCTED, FLAG, RATING, SCORE
from xlpy.core.grading import num
from xlpy.rules import Rules
from xlpy.rules.model import MonthlyItem
from xlpy.words import NO, TOLERANCE, YES, is_blank, same_number

MAX_COUNT = 1000  # no month has more occurrences of one kind


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


def counts_for(item: MonthlyItem, deducted: float, only: str = "") -> dict[str, int]:
    """The one way of reaching ``deducted`` points with the item's per-occurrence deductions
    (``only``: with that kind alone, a cell per kind)."""
    kinds = [
        (key, rule.per)
        for key, rule in item.deductions.items()
        if not rule.zeroes_item and rule.per and key == (only or key)
    ]
    ways = []
    ranges = [
        range(0, min(MAX_COUNT, math.floor(deducted / per + TOLERANCE)) + 1) for _, per in kinds
    ]
    for combo in itertools.product(*ranges):
        if same_number(sum(c * per for c, (_, per) in zip(combo, kinds, strict=True)), deducted):
            ways.append(dict(zip((key for key, _ in kinds), combo, strict=True)))
            if len(ways) > 1:
                break
    per_text = "、".join(f"{item.deductions[k].label}每次 {num(p)} 分" for k, p in kinds)
    if not ways:
        raise NotExact(
            f"扣 {num(deducted)} 分不能换算成扣分次数({per_text})", f"{per_text} 的整数倍"
        )
    if len(ways) > 1:
        raise NotExact(
            f"扣 {num(deducted)} 分不能唯一换算成次数({per_text})",
            '按次数分列填写,或在布局文件中改为 holds = "count"',
        )
    return ways[0]


def core_entries(
    code: str, item: MonthlyItem, holds: str, value: Any, rules: Rules, deduction: str = ""
) -> dict[str, Any]:
    """{core column: value} for one entry cell; raises :class:`NotExact`."""
    if holds in (COUNT, RATING, FLAG):  # typed as the core reads it: the core checks the value
        if item.deductions:
            return {f"{code}.{deduction or next(iter(item.deductions))}": value}
        return {code: value}
    full = float(item.full)
    word = "扣分" if holds == DEDUCTED else "得分"
    expected = f"0 到 {num(full)} 之间的{word}"
    if is_blank(value):
        if holds == DEDUCTED:
            return {}  # nothing deducted, as a blank count
        raise NotExact(f"{item.name}的得分未填写", expected)
    number = _number(value, f"{item.name}的{word}", expected)
    if number < 0 or (holds == SCORE and number > full):
        raise NotExact(f"{item.name}的{word}填了 {num(number)}", expected)
    deducted = min(full, number) if holds == DEDUCTED else full - number
    if item.deductions:
        counts = counts_for(item, deducted, deduction if holds == DEDUCTED else "")
        return {f"{code}.{key}": count for key, count in counts.items()}
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
