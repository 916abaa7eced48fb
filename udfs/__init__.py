"""The Excel function catalog (SCORING.md): thin wrappers over the xlpy scoring core.

Element-wise functions (TECH_LEVEL, GRADE_LEVEL, ITEM_SCORE, DEDUCTION, RATING_POINTS,
TARGET_SCORE, BEHAVIOR_SCORE) take single values or equally shaped ranges and return that shape.
Aggregate functions (TECH_SCORE, MONTHLY_TOTAL, WEIGHTED_TOTAL, SATISFACTION) reduce to one value.
Optional trailing table arguments let a workbook's 参数 sheet supply the rule parameters; left
out, the shipped defaults apply (the argument help quotes them from ``default_rules()``).

Every rule is the core's: entries are checked as on the forms (``xlpy.core.entries``), parameters
by the rules model's types, and the arithmetic is the scorers' own functions.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel

from udfs._args import (
    Scale,
    UdfError,
    broadcast,
    entries,
    fail,
    flat,
    grid,
    numbers,
    parameter,
    parameters,
    shaped,
    single,
    table,
)
from udfs._registry import CATALOG, excel_function
from xlpy.core.entries import LEVELS, Kind
from xlpy.core.grading import classify, percent_of
from xlpy.core.kpi import behavior_points, completion, scaled_points, tier_points
from xlpy.core.monthly import deduction_total, points_deducted, points_left
from xlpy.core.monthly import monthly_total as sum_items
from xlpy.core.survey import satisfaction_rate
from xlpy.core.tech import dimension_mean, weighted_mean
from xlpy.core.tech import rating_points as points_of_words
from xlpy.rules import default_rules
from xlpy.rules import model as rule
from xlpy.words import exceeds, num

__all__ = [
    "CATALOG",
    "UdfError",
    "behavior_score",
    "deduction",
    "grade_level",
    "item_score",
    "monthly_total",
    "rating_points",
    "satisfaction",
    "target_score",
    "tech_level",
    "tech_score",
    "weighted_total",
]


def _field(model: type[BaseModel], name: str) -> Any:
    """A rules model field's type with its bounds, for :func:`udfs._args.parameter`."""
    info = model.model_fields[name]
    return Annotated[info.annotation, *info.metadata]


# Each parameter argument obeys the rule of the parameter it stands for.
_WEIGHT = _field(rule.TechDimension, "weight")
_SHARE = _field(rule.Behavior, "self_weight")
_THRESHOLD = _field(rule.Survey, "satisfied_threshold")
_FULL = _field(rule.MonthlyItem, "full")
_MINIMUM = _field(rule.Band, "min")
_TIER_MIN = _field(rule.Tier, "min_completion")
_TIER_POINTS = _field(rule.Tier, "points")

_RULES = default_rules()
_TECH_SCALE = _RULES.scales[_RULES.tech.scale]
_TECH_LEVELS = [(lv.label, lv.min) for lv in _RULES.tech.levels.values()]
_GRADE_BANDS = [(b.label, b.min) for b in _RULES.grade.bands.values()]
_TIERS = [(t.min_completion, t.points) for t in _RULES.kpi.tiers]
_DIMENSIONS = _RULES.tech.dimensions
_LEVELS = f"{LEVELS[0]}-{LEVELS[1]}"


def _words(scale: rule.Scale) -> str:
    words = "/".join(scale.points)
    return words + (f" 或 {'/'.join(scale.aliases)}" if scale.aliases else "")


def _pairs(rows: list[tuple[str, float]]) -> str:
    return " ".join(f"{label}{num(value)}" for label, value in rows)


def _scale(func: str, arg: str, value: Any) -> Scale:
    """A scale by key or Chinese name (荣誉感/信息收集/技术), or a 评级/分值 table range."""
    if grid(value).size == 1:
        value = single(func, arg, value)  # a name in one cell, as Excel passes it: [[name]]
    if grid(value).ndim == 2:
        points = {
            str(word).strip(): parameter(func, arg, p, rule.Points)
            for word, p in table(func, arg, value)
        }
        aliases = {a: w for a, w in _TECH_SCALE.aliases.items() if w in points}
        return points, aliases
    for key, defined in _RULES.scales.items():
        if value in (key, defined.label):
            return dict(defined.points), dict(defined.aliases)
    names = " / ".join(s.label for s in _RULES.scales.values())
    raise fail(func, arg, value, f"量表名称({names})或两列的评级/分值表")


def _points(func: str, arg: str, values: np.ndarray, scale: Scale) -> np.ndarray:
    words = entries(func, arg, values, Kind.RATING, scale)
    return points_of_words(words.ravel(), scale[0]).reshape(words.shape)


def _bands(
    func: str, arg: str, value: Any, default: list[tuple[str, float]], what: str
) -> tuple[list[float], list[str]]:
    rows = (
        default
        if value is None
        else [
            (str(label), parameter(func, arg, minimum, _MINIMUM))
            for label, minimum in table(func, arg, value)
        ]
    )
    rows = sorted(rows, key=lambda r: -r[1])
    try:
        rule.check_descending(what, [minimum for _, minimum in rows])
    except ValueError as error:
        raise UdfError(f"{func}: 参数 {arg}: {error}") from None
    if not rows:
        raise fail(func, arg, value, f"{what}表")
    return [minimum for _, minimum in rows], [label for label, _ in rows]


@excel_function(
    "aggregate",
    ability=f"技术能力:一个评级或该维度各子项评级的区域({_words(_TECH_SCALE)})",
    attitude="服务态度:一个评级或各子项评级的区域",
    business="业务水平:一个评级或各子项评级的区域",
    weights="可选:三个维度的权重(默认 "
    + ", ".join(num(d.weight) for d in _DIMENSIONS.values())
    + ")",
    scale=f"可选:评级/分值两列表(默认 {_pairs(list(_TECH_SCALE.points.items()))})",
)
def tech_score(
    ability: Any, attitude: Any, business: Any, weights: Any = None, scale: Any = None
) -> float:
    """技术等级考核得分:各维度取已评子项的平均分,再按权重加权(0-100)。"""
    func = "TECH_SCORE"
    points_of = _scale(func, "scale", scale if scale is not None else _RULES.tech.scale)
    means = []
    for arg, value, dim in zip(
        ("ability", "attitude", "business"),
        (ability, attitude, business),
        _DIMENSIONS.values(),
        strict=True,
    ):
        points = _points(func, arg, flat(value), points_of)
        mean = dimension_mean(points.reshape(1, -1))[0]
        if np.isnan(mean):
            raise fail(func, arg, None, f"至少一个{dim.name}评级")
        means.append(mean)
    if weights is None:
        w = np.array([d.weight for d in _DIMENSIONS.values()])
    else:
        cells = flat(weights)
        if cells.size != len(_DIMENSIONS):
            raise fail(func, "weights", weights, f"{len(_DIMENSIONS)} 个大于 0 的权重")
        w = np.array([parameter(func, "weights", c, _WEIGHT) for c in cells])
    return float(weighted_mean(np.array(means), w))


@excel_function(
    "elementwise",
    score="技术得分(0-100),可为区域",
    levels=f"可选:等级/下限两列表(默认 {_pairs(_TECH_LEVELS)})",
)
def tech_level(score: Any, levels: Any = None) -> Any:
    """技术等级:高级 / 中级 / 初级 / 未定级。"""
    func = "TECH_LEVEL"
    mins, labels = _bands(func, "levels", levels, _TECH_LEVELS, "技术等级")
    args, shape = broadcast(func, score=score)
    values = entries(func, "score", args["score"], Kind.SCORE)
    return shaped(classify(values, mins, labels), shape)


@excel_function(
    "elementwise",
    score="得分,可为区域",
    full_points="可选:满分(默认 100),得分按 得分/满分×100 定级",
    bands=f"可选:等级/下限两列表(默认 {_pairs(_GRADE_BANDS)})",
)
def grade_level(score: Any, full_points: Any = None, bands: Any = None) -> Any:
    """考核等级:优秀 / 良好 / 合格 / 不合格(按百分制)。"""
    func = "GRADE_LEVEL"
    mins, labels = _bands(func, "bands", bands, _GRADE_BANDS, "等级")
    full_points = 100.0 if full_points is None else full_points
    args, shape = broadcast(func, score=score, full_points=full_points)
    full = parameters(func, "full_points", args["full_points"], _FULL)
    if np.isnan(full).any():
        raise fail(func, "full_points", None, "大于 0 的满分")
    percent = percent_of(entries(func, "score", args["score"], Kind.AMOUNT), full)
    over = exceeds(percent, 100)
    if over.any():
        raise fail(func, "score", args["score"][over][0], "不大于满分的数")
    return shaped(classify(percent, mins, labels), shape)


def _deductions(func: str, full_points: Any, count1: Any, per1: Any, more: tuple[Any, ...]):
    if len(more) % 2:
        raise UdfError(f"{func}: 次数与每次扣分必须成对出现(count, per, count, per …)")
    pairs = [(count1, per1), *zip(more[::2], more[1::2], strict=True)]
    named = {"full_points": full_points}
    for i, (count, per) in enumerate(pairs, start=1):
        named[f"count{i}"], named[f"per{i}"] = count, per
    args, shape = broadcast(func, **named)
    full = parameters(func, "full_points", args["full_points"], _FULL)
    if np.isnan(full).any():
        raise fail(func, "full_points", None, "大于 0 的满分")
    numbers = range(1, len(pairs) + 1)
    counts = np.array([entries(func, f"count{i}", args[f"count{i}"], Kind.COUNT) for i in numbers])
    pers = np.array([parameters(func, f"per{i}", args[f"per{i}"], rule.Positive) for i in numbers])
    blank = np.isnan(pers)
    unpriced = (blank & (counts > 0)).reshape(len(pairs), -1).any(axis=1)
    if unpriced.any():  # a blank per deducts nothing where nothing counts
        raise fail(func, f"per{int(np.argmax(unpriced)) + 1}", None, "大于 0 的每次扣分")
    pers[blank] = 0.0
    return full, deduction_total(np.moveaxis(counts, 0, -1), np.moveaxis(pers, 0, -1)), shape


_DEDUCTION_DOCS = {
    "full_points": "该项满分,可为区域",
    "count1": "第一种情况的发生次数(空白为 0),可为区域",
    "per1": "第一种情况每次扣分,可为区域",
    "more": "可选:更多的 次数, 每次扣分 对",
}


@excel_function("elementwise", **_DEDUCTION_DOCS)
def item_score(full_points: Any, count1: Any, per1: Any, *more: Any) -> Any:
    """扣分后的项目得分:满分 − Σ 次数×每次扣分,最低为 0(扣完为止)。"""
    full, total, shape = _deductions("ITEM_SCORE", full_points, count1, per1, more)
    return shaped(points_left(full, total), shape)


@excel_function("elementwise", **_DEDUCTION_DOCS)
def deduction(full_points: Any, count1: Any, per1: Any, *more: Any) -> Any:
    """实际扣分:Σ 次数×每次扣分,最多扣到该项满分。"""
    full, total, shape = _deductions("DEDUCTION", full_points, count1, per1, more)
    return shaped(points_deducted(full, total), shape)


@excel_function(
    "elementwise",
    rating="评级文字,可为区域(如 " + "/".join(next(iter(_RULES.scales.values())).points) + ")",
    scale=f"量表:{' / '.join(s.label for s in _RULES.scales.values())},或两列的评级/分值表",
)
def rating_points(rating: Any, scale: Any) -> Any:
    """评级对应的分值。"""
    func = "RATING_POINTS"
    points_of = _scale(func, "scale", scale)
    args, shape = broadcast(func, rating=rating)
    return shaped(_points(func, "rating", args["rating"], points_of), shape)


@excel_function(
    "aggregate",
    item_scores="各考核项得分的区域",
    veto="可选:职业道德否决(是/TRUE 则当月考核取消,总分为 0)",
)
def monthly_total(item_scores: Any, veto: Any = False) -> float:
    """月考核总分:各项得分之和;否决成立时为 0。"""
    func = "MONTHLY_TOTAL"
    scores = entries(func, "item_scores", flat(item_scores), Kind.AMOUNT)
    if np.isnan(scores).any():
        raise UdfError(f"{func}: 参数 item_scores 含空白", expected="每个考核项都已评分")
    vetoed = entries(func, "veto", grid(single(func, "veto", veto)), Kind.FLAG)
    return float(sum_items(scores, bool(vetoed)))


@excel_function(
    "elementwise",
    actual="实际值,可为区域",
    target="目标值,可为区域",
    lower_is_better="可选:是否越低越好(默认 否),可为区域",
    full_points=f"可选:该指标满分(默认为最高档得分 {num(_RULES.kpi.full_points)})",
    tiers="可选:完成率下限/得分两列表(默认 "
    + ", ".join(f"{num(m * 100)}%→{num(p)}" for m, p in _TIERS)
    + ")",
)
def target_score(
    actual: Any,
    target: Any,
    lower_is_better: Any = False,
    full_points: Any = None,
    tiers: Any = None,
) -> Any:
    """KPI 档位得分:按完成率(实际/目标,越低越好时为 目标/实际)取档,并换算到满分。"""
    func = "TARGET_SCORE"
    rows = (
        _TIERS
        if tiers is None
        else sorted(
            (
                (parameter(func, "tiers", m, _TIER_MIN), parameter(func, "tiers", p, _TIER_POINTS))
                for m, p in table(func, "tiers", tiers)
            ),
            key=lambda r: -r[0],
        )
    )
    if not rows:
        raise fail(func, "tiers", tiers, "至少一档")
    top = rows[0][1]
    # Without full_points, points are the tiers' own (the top tier's points are full marks).
    full = (
        top if full_points is None else parameter(func, "full_points", full_points, rule.Positive)
    )
    args, shape = broadcast(func, actual=actual, target=target, lower_is_better=lower_is_better)
    a = entries(func, "actual", args["actual"], Kind.AMOUNT)
    t = entries(func, "target", args["target"], Kind.AMOUNT)
    lower = entries(func, "lower_is_better", args["lower_is_better"], Kind.FLAG)
    points = tier_points(completion(a, t, lower), [m for m, _ in rows], [p for _, p in rows])
    return shaped(scaled_points(points, full, top), shape)


@excel_function(
    "elementwise",
    self_level=f"自评等级 {_LEVELS},可为区域(空白 = 未评)",
    manager_level=f"上级评分等级 {_LEVELS},可为区域(空白 = 未评)",
    self_weight=f"可选:自评权重(默认 {num(_RULES.kpi.behavior.self_weight)},"
    "上级权重 = 1 − 自评权重)",
)
def behavior_score(self_level: Any, manager_level: Any, self_weight: Any = None) -> Any:
    """行为指标得分(0-100):自评与上级评分加权后的等级 ÷ 最高等级 × 100;只有一方评分时按该方计。"""
    func = "BEHAVIOR_SCORE"
    weight = (
        _RULES.kpi.behavior.self_weight
        if self_weight is None
        else parameter(func, "self_weight", self_weight, _SHARE)
    )
    args, shape = broadcast(func, self_level=self_level, manager_level=manager_level)
    s = entries(func, "self_level", args["self_level"], Kind.LEVEL)
    m = entries(func, "manager_level", args["manager_level"], Kind.LEVEL)
    score, _ = behavior_points(s, m, weight)
    return shaped(score, shape)


@excel_function(
    "aggregate",
    scores="各部分得分的区域",
    weights="对应的权重区域(如 85/15 或 0.85/0.15)",
)
def weighted_total(scores: Any, weights: Any) -> float:
    """加权总分:Σ 得分×权重 ÷ Σ 权重。"""
    func = "WEIGHTED_TOTAL"
    s = numbers(func, "scores", flat(scores))
    cells = flat(weights)
    if s.size != cells.size:
        raise UdfError(
            f"{func}: scores 有 {s.size} 个值而 weights 有 {cells.size} 个", expected="一一对应"
        )
    if np.isnan(s).any():
        raise UdfError(f"{func}: 参数 scores 含空白", expected="每部分都有得分")
    w = parameters(func, "weights", cells, rule.Points)
    if np.isnan(w).any() or w.sum() <= 0:
        raise fail(func, "weights", weights, "之和大于 0 且无空白的权重")
    return float(weighted_mean(s, w))


@excel_function(
    "aggregate",
    scores=f"调查评分区域({_LEVELS},空白 = 未回答)",
    threshold=f"可选:满意的最低分(默认 {num(_RULES.survey.satisfied_threshold)})",
)
def satisfaction(scores: Any, threshold: Any = None) -> float:
    """满意度:已回答评分中不低于门槛分的比例(0-1)。"""
    func = "SATISFACTION"
    limit = (
        _RULES.survey.satisfied_threshold
        if threshold is None
        else parameter(func, "threshold", threshold, _THRESHOLD)
    )
    rate = satisfaction_rate(entries(func, "scores", flat(scores), Kind.SURVEY), limit)
    if np.isnan(rate):
        raise UdfError(f"{func}: 无数据,区域中没有已回答的评分")
    return rate
