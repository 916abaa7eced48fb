"""What staff type for each scheme: the entry lists the forms place, the reader reads and the
scorers check, derived from the rules. Pure (no numpy, no pandas): reading a workbook needs these
and nothing of the scoring."""

from __future__ import annotations

from xlpy.core.entries import Entry, Kind
from xlpy.rules import Rules


def monthly_entries(rules: Rules) -> list[Entry]:
    entries = []
    for code, item in rules.monthly.items.items():
        if item.deductions:
            for key, rule in item.deductions.items():
                entries.append(Entry(f"{code}.{key}", f"{item.name}·{rule.label}", Kind.COUNT))
        elif item.scale is not None:
            scale = rules.scales[item.scale]
            choices = tuple(scale.points) + tuple(scale.aliases)
            entries.append(Entry(code, item.name, Kind.RATING, choices))
        else:
            entries.append(Entry(code, f"{item.name}(确认违规)", Kind.FLAG))
    return entries


def deducted_column(code: str) -> str:
    """The entry column of an item's points deducted (``:`` is in no deduction kind's key)."""
    return f"{code}:deducted"


def deducted_entries(rules: Rules) -> list[Entry]:
    """The optional points-deducted entry of every deduction item (0 to the item's full points)."""
    return [
        Entry(deducted_column(code), f"{item.name}·扣分", Kind.DEDUCTED, most=item.full)
        for code, item in rules.monthly.items.items()
        if item.deductions
    ]


def full_total(rules: Rules) -> float:
    return sum(item.full for item in rules.monthly.items.values())


def kpi_entries(rules: Rules) -> list[Entry]:
    entries = []
    for code, kpi in rules.kpi.indicators.items():
        entries.append(Entry(f"{code}.target", f"{kpi.name}·目标值", Kind.AMOUNT))
        entries.append(Entry(f"{code}.actual", f"{kpi.name}·实际值", Kind.AMOUNT))
    for code, behavior in rules.kpi.behavior.indicators.items():
        entries.append(Entry(f"{code}.self", f"{behavior.name}·自评", Kind.LEVEL))
        entries.append(Entry(f"{code}.manager", f"{behavior.name}·上级评分", Kind.LEVEL))
    return entries


def performance_entries(rules: Rules) -> list[Entry]:
    return [Entry(code, dim.name, Kind.SCORE) for code, dim in rules.performance.dimensions.items()]


def tech_entries(rules: Rules) -> list[Entry]:
    scale = rules.scales[rules.tech.scale]
    choices = tuple(scale.points) + tuple(scale.aliases)
    return [
        Entry(f"{key}.{i}", f"{dim.name}·{item}", Kind.RATING, choices)
        for key, dim in rules.tech.dimensions.items()
        for i, item in enumerate(dim.items, start=1)
    ]


CUSTOMER_FIELDS = {
    "customer_name": ("姓名", True),
    "customer_phone": ("联系电话", True),
    "customer_email": ("电子邮件", True),
    "product": ("产品名称", False),
    "purchase_date": ("购买日期", False),
    "channel": ("购买渠道", False),
}


# Department counts typed on the 部门评价 sheet: (numerator, denominator) of each rate.
DEPARTMENT_COUNTS = {
    "complaints": ("投诉处理", "complaints_resolved", "complaints_received", "已解决", "收到投诉"),
    "followups": ("服务回访", "followups_made", "followups_planned", "已回访", "计划回访"),
}


def survey_entries(rules: Rules) -> list[Entry]:
    entries = [Entry("engineer_id", "服务工程师工号", Kind.TEXT)]
    entries += [
        Entry(col, label, Kind.TEXT, personal=personal)
        for col, (label, personal) in CUSTOMER_FIELDS.items()
    ]
    for code, question in rules.survey.questions.items():
        entries.append(Entry(code, question, Kind.SURVEY))
        entries.append(Entry(f"{code}.feedback", f"{question}·反馈意见", Kind.TEXT))
    entries.append(Entry("feedback", "其他反馈意见", Kind.TEXT))
    return entries


def department_entries(rules: Rules) -> list[Entry]:
    """What the department types on its sheet: the two counts of each rate, and the checklist."""
    entries = []
    for name, num_key, den_key, num_label, den_label in DEPARTMENT_COUNTS.values():
        entries.append(Entry(den_key, f"{name}·{den_label}", Kind.COUNT))
        entries.append(Entry(num_key, f"{name}·{num_label}", Kind.COUNT))
    entries += [
        Entry(f"checklist.{i}", item, Kind.FLAG)
        for i, item in enumerate(rules.department.checklist)
    ]
    return entries
