"""The Excel function catalog (SCORING.md): thin wrappers over the xlpy scoring core.

Element-wise functions (TECH_LEVEL, GRADE_LEVEL, ITEM_SCORE, DEDUCTION, RATING_POINTS,
TARGET_SCORE, BEHAVIOR_SCORE) take single values or equally shaped ranges and return that shape.
Aggregate functions (TECH_SCORE, MONTHLY_TOTAL, WEIGHTED_TOTAL, SATISFACTION) reduce to one value.
Optional trailing table arguments let a workbook's 参数 sheet supply the rule parameters; left
out, the shipped defaults apply.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from udfs._args import (
    UdfError,
    broadcast,
    fail,
    flag,
    flags,
    flat,
    grid,
    is_blank,
    number,
    numbers,
    shaped,
    table,
)
from udfs._registry import CATALOG, excel_function
from xlpy.core import monthly as core_monthly
from xlpy.core.grading import classify
from xlpy.core.kpi import combined_level, completion, tier_points
from xlpy.core.survey import satisfaction_rate
from xlpy.core.tech import dimension_mean, weighted_mean
from xlpy.rules import default_rules

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

_RULES = default_rules()
_NONNEG = "不小于 0 的数"
_POSITIVE = "大于 0 的数"


def _scale(func: str, arg: str, scale: Any) -> tuple[dict[str, float], dict[str, str]]:
    """A scale by key or Chinese name (荣誉感/信息收集/技术), or a 评级/分值 table range."""
    if isinstance(scale, (list, tuple, np.ndarray)) and grid(scale).size == 1:
        scale = grid(scale).ravel()[0]  # a name in one cell, as Excel passes it: [[name]]
    if isinstance(scale, (list, tuple, np.ndarray)) and grid(scale).ndim == 2:
        points = {}
        for word, value in table(func, arg, scale):
            points[str(word).strip()] = number(func, arg, value, _NONNEG, lambda x: x >= 0)
        aliases = {a: w for a, w in _RULES.scales[_RULES.tech.scale].aliases.items() if w in points}
        return points, aliases
    for key, defined in _RULES.scales.items():
        if scale in (key, defined.label):
            return dict(defined.points), dict(defined.aliases)
    names = " / ".join(s.label for s in _RULES.scales.values())
    raise fail(func, arg, scale, f"量表名称({names})或两列的评级/分值表")


def _rating_points(func: str, arg: str, words: np.ndarray, scale: tuple[dict[str, float], dict[str, str]]
                   ) -> np.ndarray:
    points, aliases = scale
    out = []
    for word in words.ravel().tolist():
        if is_blank(word):
            out.append(np.nan)
            continue
        key = aliases.get(str(word).strip(), str(word).strip())
        if key not in points:
            raise fail(func, arg, word, " / ".join(list(points) + list(aliases)))
        out.append(points[key])
    return np.array(out, dtype=float).reshape(words.shape)


def _bands(func: str, arg: str, value: Any, default: list[tuple[str, float]]) -> tuple[list[float], list[str]]:
    rows = default if value is None else [
        (str(label), number(func, arg, m, "0-100 的数", lambda x: 0 <= x <= 100))
        for label, m in table(func, arg, value)]
    rows = sorted(rows, key=lambda r: -r[1])
    if not rows or rows[-1][1] != 0:
        raise fail(func, arg, value, "最低一档下限为 0 的等级表")
    return [m for _, m in rows], [label for label, _ in rows]


@excel_function(
    "aggregate",
    ability="技术能力:一个评级或该维度各子项评级的区域(优秀/良好/合格/不合格 或 A/B/C/D)",
    attitude="服务态度:一个评级或各子项评级的区域",
    business="业务水平:一个评级或各子项评级的区域",
    weights="可选:三个维度的权重(默认 0.5, 0.25, 0.25)",
    scale="可选:评级/分值两列表(默认 优秀100 良好80 合格60 不合格40)",
)
def tech_score(ability: Any, attitude: Any, business: Any, weights: Any = None, scale: Any = None) -> float:
    """技术等级考核得分:各维度取已评子项的平均分,再按权重加权(0-100)。"""
    func = "TECH_SCORE"
    points_of = _scale(func, "scale", scale if scale is not None else _RULES.tech.scale)
    dims = []
    for arg, value, dim in zip(("ability", "attitude", "business"), (ability, attitude, business),
                               _RULES.tech.dimensions.values()):
        points = _rating_points(func, arg, np.array(flat(value), dtype=object), points_of)
        mean = dimension_mean(points.reshape(1, -1))[0]
        if np.isnan(mean):
            raise fail(func, arg, None, f"至少一个{dim.name}评级")
        dims.append(mean)
    if weights is None:
        w = np.array([d.weight for d in _RULES.tech.dimensions.values()])
    else:
        w = numbers(func, "weights", np.array(flat(weights), dtype=object), _POSITIVE, lambda x: x > 0)
        if w.size != 3 or np.isnan(w).any():
            raise fail(func, "weights", weights, "三个大于 0 的权重")
    return float(weighted_mean(np.array(dims), w))


@excel_function(
    "elementwise",
    score="技术得分(0-100),可为区域",
    levels="可选:等级/下限两列表(默认 高级90 中级75 初级60 未定级0)",
)
def tech_level(score: Any, levels: Any = None) -> Any:
    """技术等级:高级 / 中级 / 初级 / 未定级。"""
    func = "TECH_LEVEL"
    default = [(lv.label, lv.min) for lv in _RULES.tech.levels.values()]
    mins, labels = _bands(func, "levels", levels, default)
    args, shape = broadcast(func, score=score)
    values = numbers(func, "score", args["score"], "0-100 的数", lambda x: 0 <= x <= 100)
    return shaped(classify(values, mins, labels), shape)


@excel_function(
    "elementwise",
    score="得分,可为区域",
    full_points="可选:满分(默认 100),得分按 得分/满分×100 定级",
    bands="可选:等级/下限两列表(默认 优秀90 良好80 合格60 不合格0)",
)
def grade_level(score: Any, full_points: Any = None, bands: Any = None) -> Any:
    """考核等级:优秀 / 良好 / 合格 / 不合格(按百分制)。"""
    func = "GRADE_LEVEL"
    default = [(b.label, b.min) for b in _RULES.grade.bands.values()]
    mins, labels = _bands(func, "bands", bands, default)
    args, shape = broadcast(func, score=score, full_points=100.0 if full_points is None else full_points)
    full = numbers(func, "full_points", args["full_points"], _POSITIVE, lambda x: x > 0)
    if np.isnan(full).any():
        raise fail(func, "full_points", None, _POSITIVE)
    values = numbers(func, "score", args["score"], "0 到满分之间的数", lambda x: x >= 0)
    percent = values / full * 100
    if (percent > 100 + 1e-9).any():
        bad = args["score"][percent > 100 + 1e-9][0]
        raise fail(func, "score", bad, "不大于满分的数")
    return shaped(classify(percent, mins, labels), shape)


def _deductions(func: str, full_points: Any, count1: Any, per1: Any, more: tuple[Any, ...]):
    if len(more) % 2:
        raise UdfError(f"{func}: 次数与每次扣分必须成对出现(count, per, count, per …)")
    pairs = [(count1, per1)] + list(zip(more[::2], more[1::2]))
    named = {"full_points": full_points}
    for i, (count, per) in enumerate(pairs, start=1):
        named[f"count{i}"], named[f"per{i}"] = count, per
    args, shape = broadcast(func, **named)
    full = numbers(func, "full_points", args["full_points"], _POSITIVE, lambda x: x > 0)
    if np.isnan(full).any():
        raise fail(func, "full_points", None, _POSITIVE)
    total = np.zeros(shape)
    for i in range(1, len(pairs) + 1):
        count = numbers(func, f"count{i}", args[f"count{i}"], "不小于 0 的整数次数",
                        lambda x: x >= 0 and x == int(x), blank=0.0)
        per = numbers(func, f"per{i}", args[f"per{i}"], _POSITIVE, lambda x: x > 0)
        if np.isnan(per[count > 0]).any():  # a blank per deducts nothing where nothing counts
            raise fail(func, f"per{i}", None, _POSITIVE)
        total = total + count * np.nan_to_num(per)
    return full, total, shape


_DEDUCTION_DOCS = dict(
    full_points="该项满分,可为区域",
    count1="第一种情况的发生次数(空白为 0),可为区域",
    per1="第一种情况每次扣分",
    more="可选:更多的 次数, 每次扣分 对",
)


@excel_function("elementwise", **_DEDUCTION_DOCS)
def item_score(full_points: Any, count1: Any, per1: Any, *more: Any) -> Any:
    """扣分后的项目得分:满分 − Σ 次数×每次扣分,最低为 0(扣完为止)。"""
    full, total, shape = _deductions("ITEM_SCORE", full_points, count1, per1, more)
    return shaped(core_monthly.points_left(full, total), shape)


@excel_function("elementwise", **_DEDUCTION_DOCS)
def deduction(full_points: Any, count1: Any, per1: Any, *more: Any) -> Any:
    """实际扣分:Σ 次数×每次扣分,最多扣到该项满分。"""
    full, total, shape = _deductions("DEDUCTION", full_points, count1, per1, more)
    return shaped(core_monthly.points_deducted(full, total), shape)


@excel_function(
    "elementwise",
    rating="评级文字,可为区域(如 强/较好/一般/差)",
    scale="量表:荣誉感 / 信息收集 / 技术,或两列的评级/分值表",
)
def rating_points(rating: Any, scale: Any) -> Any:
    """评级对应的分值。"""
    func = "RATING_POINTS"
    points_of = _scale(func, "scale", scale)
    args, shape = broadcast(func, rating=rating)
    return shaped(_rating_points(func, "rating", args["rating"], points_of), shape)


@excel_function(
    "aggregate",
    item_scores="各考核项得分的区域",
    veto="可选:职业道德否决(是/TRUE 则当月考核取消,总分为 0)",
)
def monthly_total(item_scores: Any, veto: Any = False) -> float:
    """月考核总分:各项得分之和;否决成立时为 0。"""
    func = "MONTHLY_TOTAL"
    values = np.array(flat(item_scores), dtype=object)
    scores = numbers(func, "item_scores", values, "各项的得分(不小于 0 的数)", lambda x: x >= 0)
    if np.isnan(scores).any():
        raise UdfError(f"{func}: 参数 item_scores 含空白,应为每个考核项都已评分")
    return float(core_monthly.monthly_total(scores, flag(func, "veto", veto)))


@excel_function(
    "elementwise",
    actual="实际值,可为区域",
    target="目标值,可为区域",
    lower_is_better="可选:是否越低越好(默认 否)",
    full_points="可选:该指标满分(默认为最高档得分 20)",
    tiers="可选:完成率下限/得分两列表(默认 100%→20, 80%→10, 75%→5)",
)
def target_score(actual: Any, target: Any, lower_is_better: Any = False, full_points: Any = None,
                 tiers: Any = None) -> Any:
    """KPI 档位得分:按完成率(实际/目标,越低越好时为 目标/实际)取档,并换算到满分。"""
    func = "TARGET_SCORE"
    k = _RULES.kpi
    if tiers is None:
        rows = [(t.min_completion, t.points) for t in k.tiers]
    else:
        rows = [(number(func, "tiers", m, _POSITIVE, lambda x: x > 0),
                 number(func, "tiers", p, _NONNEG, lambda x: x >= 0)) for m, p in table(func, "tiers", tiers)]
        rows.sort(key=lambda r: -r[0])
    if not rows:
        raise fail(func, "tiers", tiers, "至少一档")
    top = rows[0][1]
    # Without full_points, points are the tiers' own (the top tier's points are full marks).
    full = number(func, "full_points", top if full_points is None else full_points,
                  _POSITIVE, lambda x: x > 0)
    args, shape = broadcast(func, actual=actual, target=target, lower_is_better=lower_is_better)
    a = numbers(func, "actual", args["actual"], _NONNEG, lambda x: x >= 0)
    t = numbers(func, "target", args["target"], _NONNEG, lambda x: x >= 0)
    lower = flags(func, "lower_is_better", args["lower_is_better"])
    ratio = completion(a, t, lower)
    points = tier_points(ratio, [m for m, _ in rows], [p for _, p in rows])
    return shaped(points * full / top if top else points, shape)


@excel_function(
    "elementwise",
    self_level="自评等级 1-5,可为区域(空白 = 未评)",
    manager_level="上级评分等级 1-5,可为区域(空白 = 未评)",
    self_weight="可选:自评权重(默认 0.3,上级权重 = 1 − 自评权重)",
)
def behavior_score(self_level: Any, manager_level: Any, self_weight: Any = None) -> Any:
    """行为指标得分(0-100):自评与上级评分加权后的等级 ÷ 5 × 100;只有一方评分时按该方计。"""
    func = "BEHAVIOR_SCORE"
    weight = number(func, "self_weight", _RULES.kpi.behavior.self_weight if self_weight is None else self_weight,
                    "0-1 之间的权重", lambda x: 0 <= x <= 1)
    args, shape = broadcast(func, self_level=self_level, manager_level=manager_level)
    level_ok = "1-5 的整数等级"
    s = numbers(func, "self_level", args["self_level"], level_ok, lambda x: 1 <= x <= 5 and x == int(x))
    m = numbers(func, "manager_level", args["manager_level"], level_ok, lambda x: 1 <= x <= 5 and x == int(x))
    level, _ = combined_level(s, m, weight)
    return shaped(level / 5 * 100, shape)


@excel_function(
    "aggregate",
    scores="各部分得分的区域",
    weights="对应的权重区域(如 85/15 或 0.85/0.15)",
)
def weighted_total(scores: Any, weights: Any) -> float:
    """加权总分:Σ 得分×权重 ÷ Σ 权重。"""
    func = "WEIGHTED_TOTAL"
    s = numbers(func, "scores", np.array(flat(scores), dtype=object), "数值得分")
    w = numbers(func, "weights", np.array(flat(weights), dtype=object), _NONNEG, lambda x: x >= 0)
    if s.size != w.size:
        raise UdfError(f"{func}: scores 有 {s.size} 个值而 weights 有 {w.size} 个,应一一对应")
    if np.isnan(s).any():
        raise UdfError(f"{func}: 参数 scores 含空白,应为每部分都有得分")
    if np.isnan(w).any() or w.sum() <= 0:
        raise fail(func, "weights", weights, "之和大于 0 且无空白的权重")
    return float(weighted_mean(s, w))


@excel_function(
    "aggregate",
    scores="调查评分区域(1-5,空白 = 未回答)",
    threshold="可选:满意的最低分(默认 4)",
)
def satisfaction(scores: Any, threshold: Any = None) -> float:
    """满意度:已回答评分中不低于门槛分的比例(0-1)。"""
    func = "SATISFACTION"
    limit = number(func, "threshold", _RULES.survey.satisfied_threshold if threshold is None else threshold,
                   "1-5 之间的数", lambda x: 1 <= x <= 5)
    values = numbers(func, "scores", np.array(flat(scores), dtype=object), "1-5 的整数评分",
                     lambda x: 1 <= x <= 5 and x == int(x))
    rate = satisfaction_rate(values, limit)
    if np.isnan(rate):
        raise UdfError(f"{func}: 无数据,区域中没有已回答的评分")
    return rate
