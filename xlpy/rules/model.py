"""The typed shape of the rule parameters (SCORING.md). Validation only; no I/O."""

from __future__ import annotations

import itertools
import math
import re
from datetime import date as _date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from xlpy.words import TOLERANCE, yes_no

Points = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Share = Annotated[float, Field(ge=0, le=1)]
Percent = Annotated[float, Field(ge=0, le=100)]


def _yes_no_word(value: Any) -> Any:
    flag = yes_no(value) if isinstance(value, str) else None
    return value if flag is None else flag


# A yes/no parameter, also as staff type it on the 参数 sheet (是/否).
YesNo = Annotated[bool, BeforeValidator(_yes_no_word)]

# Text a form shows beside an item (考核内容, 考核标准); a blank 参数 cell is no text.
FormText = Annotated[str, BeforeValidator(lambda value: "" if value is None else value)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, allow_inf_nan=False)


class Band(_Model):
    label: str
    min: Percent
    coefficient: Points


def check_descending(what: str, mins: list[float]) -> None:
    """Band minimums listed best first: strictly falling, the last one 0 (ValueError if not)."""
    if any(a <= b for a, b in itertools.pairwise(mins)):
        raise ValueError(f"{what}的下限必须从高到低严格递减")
    if mins and mins[-1] != 0:
        raise ValueError(f"{what}的最后一档下限必须为 0")


# An item code is written on the form, in messages and in defined names (prm_monthly_items_M05…):
# ASCII letters then digits, as the department's paper forms number their items.
ITEM_CODE = re.compile(r"^[A-Z]{1,3}[0-9]{1,3}$")


def _check_codes(entries: dict[str, Any]) -> None:
    bad = [code for code in entries if not ITEM_CODE.match(code)]
    if bad:
        raise ValueError(f"项目代码 {'、'.join(bad)} 无效(应为大写字母加数字,如 M12)")


def _check_sum(what: str, weights: list[float], total: float) -> None:
    if not math.isclose(sum(weights), total, rel_tol=0, abs_tol=TOLERANCE * total):
        raise ValueError(f"{what}之和为 {sum(weights):g},应为 {total:g}")


class Guideline(_Model):
    excellent_share_max: Share


class Grade(_Model):
    bands: dict[str, Band]
    guideline: Guideline

    @model_validator(mode="after")
    def _ordered(self) -> Grade:
        check_descending("等级", [b.min for b in self.bands.values()])
        labels = [band.label.strip() for band in self.bands.values()]
        if not all(labels):
            raise ValueError("等级名称不能为空")
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        if repeated:
            raise ValueError(f"等级名称 {'、'.join(repeated)} 重复(每个等级的名称须不同)")
        return self


class Scale(_Model):
    label: str
    points: dict[str, Points] = Field(min_length=1)
    aliases: dict[str, str] = {}

    @model_validator(mode="after")
    def _aliases_known(self) -> Scale:
        for alias, target in self.aliases.items():
            if target not in self.points:
                raise ValueError(f"别名 {alias} 指向未知评级 {target}")
        return self


class Deduction(_Model):
    label: str
    per: Positive | None = None
    zeroes_item: YesNo = False

    @model_validator(mode="after")
    def _one_rule(self) -> Deduction:
        if (self.per is None) == (not self.zeroes_item):
            raise ValueError("扣分项须且只能设 per(每次扣分)或 zeroes_item(该项记 0 分)之一")
        return self


class MonthlyItem(_Model):
    category: str
    name: str
    full: Positive
    deductions: dict[str, Deduction] = {}
    scale: str | None = None
    veto: YesNo = False
    content: FormText = ""  # 考核内容及标准 as the paper form words it (text only)

    @model_validator(mode="after")
    def _one_kind(self) -> MonthlyItem:
        kinds = bool(self.deductions) + (self.scale is not None) + self.veto
        if kinds != 1:
            raise ValueError("考核项须且只能是扣分项、评级项或否决项之一")
        return self


class Monthly(_Model):
    categories: dict[str, str]
    performance_categories: list[str]
    performance_label: str
    veto_coefficient: Points
    items: dict[str, MonthlyItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _categories_known(self) -> Monthly:
        for code, item in self.items.items():
            if item.category not in self.categories:
                raise ValueError(f"{code} 的类别 {item.category} 未定义")
        for key in self.performance_categories:
            if key not in self.categories:
                raise ValueError(f"业绩类别 {key} 未定义")
        if sum(item.veto for item in self.items.values()) > 1:
            raise ValueError("最多只能有一个否决项")
        empty = [
            key for key in self.categories if all(i.category != key for i in self.items.values())
        ]
        if empty:
            raise ValueError(f"类别 {'、'.join(empty)} 没有任何考核项(删除该类别,或为它添加考核项)")
        _check_codes(self.items)
        return self


class Tier(_Model):
    min_completion: Positive
    points: Points


class KpiIndicator(_Model):
    name: str
    lower_is_better: YesNo
    # The KPI whose actual the month's 客户评价 can supply (its satisfaction rate × 100). Set
    # (是 or 否) only on that KPI, which then has the survey rows on its form; 否 keeps the typed
    # actual. None: an ordinary KPI.
    from_survey: YesNo | None = None


class BehaviorIndicator(_Model):
    name: str
    weight: Positive
    levels: list[str] = Field(min_length=5, max_length=5)


class Behavior(_Model):
    self_weight: Share
    indicators: dict[str, BehaviorIndicator] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights_add_up(self) -> Behavior:
        _check_sum("行为考核各指标的权重", [i.weight for i in self.indicators.values()], 1)
        return self


class Kpi(_Model):
    performance_weight: Points
    behavior_weight: Points
    tiers: list[Tier] = Field(min_length=1)
    indicators: dict[str, KpiIndicator] = Field(min_length=1)
    behavior: Behavior

    @model_validator(mode="after")
    def _tiers_ordered(self) -> Kpi:
        _check_codes(self.indicators)
        _check_codes(self.behavior.indicators)
        fed = [code for code, kpi in self.indicators.items() if kpi.from_survey is not None]
        if len(fed) > 1:
            raise ValueError(f"只能有一个 KPI 的实际值取自客户评价(现有 {'、'.join(fed)})")
        mins = [t.min_completion for t in self.tiers]
        points = [t.points for t in self.tiers]
        if any(a <= b for a, b in itertools.pairwise(mins)):
            raise ValueError("档位的完成率下限必须从高到低严格递减")
        if any(a < b for a, b in itertools.pairwise(points)):
            raise ValueError("档位得分必须从高到低递减")
        if self.performance_weight + self.behavior_weight <= 0:
            raise ValueError("业绩与行为权重之和必须大于 0")
        return self

    @property
    def survey_indicator(self) -> str | None:
        """Code of the KPI whose actual the survey can supply (its form has the survey rows)."""
        return next((c for c, kpi in self.indicators.items() if kpi.from_survey is not None), None)

    @property
    def full_points(self) -> float:
        """Points of one KPI at 100% completion (the top tier)."""
        return self.tiers[0].points


class TechDimension(_Model):
    name: str
    weight: Positive
    items: list[str] = Field(min_length=1)
    standard: FormText = ""  # 考核标准 as the paper form words it (text only)


class Level(_Model):
    label: str
    min: Percent


class Tech(_Model):
    scale: str
    dimensions: dict[str, TechDimension] = Field(min_length=3, max_length=3)
    levels: dict[str, Level]

    @model_validator(mode="after")
    def _ordered(self) -> Tech:
        check_descending("技术等级", [lv.min for lv in self.levels.values()])
        _check_sum("技术等级各维度的权重", [d.weight for d in self.dimensions.values()], 1)
        return self


class Survey(_Model):
    satisfied_threshold: Annotated[float, Field(ge=1, le=5)]
    questions: dict[str, str] = Field(min_length=1)


class DepartmentMetric(_Model):
    name: str
    questions: list[str] = Field(min_length=1)


class Department(_Model):
    target_rate: Share
    checklist: list[str]
    metrics: dict[str, DepartmentMetric]


class PerformanceDimension(_Model):
    name: str
    weight: Positive
    content: FormText = ""  # 考核内容 as the paper form words it (text only)


class Performance(_Model):
    dimensions: dict[str, PerformanceDimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights_add_up(self) -> Performance:
        _check_sum("绩效考核各维度的权重", [d.weight for d in self.dimensions.values()], 100)
        _check_codes(self.dimensions)
        return self


class Ledgers(_Model):
    """Reading the SH/BD ledgers as evidence for scheme M (M02 late days, M05 unreturned parts)."""

    allowed_days: Annotated[int, Field(ge=0)]
    approved_days: Annotated[int, Field(ge=0)]
    workdays_only: YesNo
    holidays: str = ""
    return_months: Annotated[int, Field(ge=0)]

    @property
    def holiday_dates(self) -> list[str]:
        """ISO dates of the listed holidays (``holidays`` is text: dates separated by , 、 or space)."""
        return [d for d in re.split(r"[\s,,、;;]+", self.holidays.strip()) if d]

    @model_validator(mode="after")
    def _holidays_are_dates(self) -> Ledgers:
        for text in self.holiday_dates:
            try:
                _date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"节假日 {text} 不是日期(应写作 2026-10-01)") from None
        return self


# How a month counts in a quarter's or year's mean (xlpy period).
COUNTS_ZERO, LEFT_OUT = "计0分", "不计入"


class Period(_Model):
    """``cancelled``: a month cancelled by the veto; ``missing``: a month without a score."""

    cancelled: str
    missing: str

    @field_validator("cancelled", "missing")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in (COUNTS_ZERO, LEFT_OUT):
            raise ValueError(f"应为 {COUNTS_ZERO} 或 {LEFT_OUT}")
        return value


class Rules(_Model):
    grade: Grade
    scales: dict[str, Scale]
    monthly: Monthly
    kpi: Kpi
    tech: Tech
    survey: Survey
    department: Department
    performance: Performance
    ledgers: Ledgers
    period: Period

    @model_validator(mode="after")
    def _references_known(self) -> Rules:
        for code, item in self.monthly.items.items():
            if item.scale is None:
                continue
            if item.scale not in self.scales:
                raise ValueError(f"{code} 的评级量表 {item.scale} 未定义")
            if max(self.scales[item.scale].points.values()) > item.full:
                raise ValueError(f"{code} 的评级最高分超过满分 {item.full:g}")
        if self.tech.scale not in self.scales:
            raise ValueError(f"技术评级量表 {self.tech.scale} 未定义")
        for key, metric in self.department.metrics.items():
            for q in metric.questions:
                if q not in self.survey.questions:
                    raise ValueError(f"部门指标 {key} 引用了未定义的问题 {q}")
        codes = [
            *self.monthly.items,
            *self.kpi.indicators,
            *self.kpi.behavior.indicators,
            *self.performance.dimensions,
        ]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise ValueError(f"项目代码 {'、'.join(twice)} 在多张表中重复(每个代码只能用一次)")
        return self
