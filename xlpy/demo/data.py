"""The sample department: 12 engineers in 2 teams over 3 months, with the events that make the
forms interesting (a veto, late fees, complaints, a falsified record, survey responses) and one
deliberate entry mistake. Deterministic: the same seed gives the same department."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from xlpy.words import NO, YES, yes_no_word

MONTHS = ("2026-01", "2026-02", "2026-03")

# The story of the quarter, by (month, roster position): entries that differ from an ordinary
# month. Positions refer to the roster (the built-in sample: 12 engineers, 一班 and 二班).
EVENTS: dict[tuple[str, int], dict[str, Any]] = {
    ("2026-01", 2): {"M02.late_days": 3},  # late service fees
    ("2026-01", 7): {"M06.attitude_complaint": 2},  # attitude complaints
    ("2026-03", 9): {"M11": YES},  # veto: private paid repair
    ("2026-02", 4): {"M03.falsified": 1},  # a falsified repair record
    ("2026-02", 6): {"M08.skill_complaint": 1, "M02.late_days": 1},
    ("2026-03", 1): {"M05.unclear_account": 1, "M05.transport_damage": 2},
    ("2026-03", 11): {"M02.late_days": 2, "M06.attitude_complaint": 1},
}
# The deliberate mistake: typed in the latest month (「两次」 in a count), caught by validation,
# then corrected to 2.
MISTAKE = ("2026-03", 8, "M01.unreachable", "两次", 2)
UNHAPPY = (7, 11)  # roster positions whose customers are less satisfied

SURVEY_PRODUCTS = ("数控车床 CK6150", "立式加工中心 VMC850", "数控铣床 XK714", "卧式车床 CA6140")
SURVEY_CHANNELS = ("经销商", "官网", "展会")
FEEDBACK = (
    "响应很快,工程师很专业",
    "希望配件到货再快一些",
    "服务态度好,现场清理干净",
    "第一次没修好,第二次才解决",
    "",
    "",
    "",
)


@dataclass
class DemoMonth:
    month: str
    monthly: dict[str, dict[str, Any]] = field(default_factory=dict)  # 工号 -> scheme M entries
    kpi: dict[str, dict[str, Any]] = field(default_factory=dict)  # 工号 -> scheme K entries
    survey: list[dict[str, Any]] = field(default_factory=list)  # one dict per response
    department: dict[str, Any] = field(default_factory=dict)  # 部门评价 counts/checklist


def _monthly(rng: random.Random) -> dict[str, Any]:
    return {
        "M01.unreachable": rng.choice((0, 0, 0, 1)),
        "M03.incomplete": rng.choice((0, 0, 0, 1, 2)),
        "M07.confirmation_error": rng.choice((0, 0, 0, 0, 1)),
        "M09": rng.choice(("强", "较好", "较好", "一般")),
        "M10": rng.choice(("多", "较好", "较好", "一般")),
        "M11": NO,
    }


def _kpi(rng: random.Random) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for code, target in (("K1", 40), ("K2", 30), ("K3", 25), ("K4", 10), ("K5", 90)):
        entries[f"{code}.target"] = target
        entries[f"{code}.actual"] = round(target * rng.choice((0.7, 0.78, 0.85, 0.95, 1.0, 1.05)))
    for code in ("B1", "B2"):
        entries[f"{code}.self"] = rng.choice((3, 4, 4, 5))
        entries[f"{code}.manager"] = rng.choice((3, 3, 4, 4, 5))
    return entries


def _survey(rng: random.Random, month: str, ids: list[str]) -> list[dict[str, Any]]:
    responses = []
    for i in range(30):
        position = rng.randrange(len(ids))
        base = 3 if position in UNHAPPY else 4
        response: dict[str, Any] = {
            "engineer_id": ids[position],
            "customer_name": f"客户{month[-2:]}{i + 1:02d}",
            "customer_phone": f"139{rng.randrange(10**8):08d}",
            "customer_email": f"customer{i + 1}@example.com",
            "product": rng.choice(SURVEY_PRODUCTS),
            "purchase_date": f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}",
            "channel": rng.choice(SURVEY_CHANNELS),
            "feedback": rng.choice(FEEDBACK),
        }
        for code in ("S1", "S2", "S3", "S4", "S5"):
            response[code] = min(5, max(1, base + rng.choice((-1, 0, 0, 1, 1))))
        response["S6"] = rng.choice((None, 4, 5))
        responses.append(response)
    return responses


def build(ids: list[str], seed: int = 2026) -> list[DemoMonth]:
    """Three months of entries for the people ``ids`` (工号, in roster order)."""
    rng = random.Random(seed)
    months = []
    for month in MONTHS:
        demo = DemoMonth(month)
        for position, pid in enumerate(ids):
            demo.monthly[pid] = _monthly(rng) | EVENTS.get((month, position), {})
            demo.kpi[pid] = _kpi(rng)
        demo.survey = _survey(rng, month, ids)
        for response in demo.survey:  # K5 客户满意度 comes from the survey: nothing to type
            demo.kpi[response["engineer_id"]]["K5.actual"] = None
        checklist = [True, True, month != "2026-01", True, True, month == "2026-03"]
        demo.department = {
            "complaints_received": 6,
            "complaints_resolved": rng.choice((5, 6)),
            "followups_planned": 40,
            "followups_made": rng.choice((34, 37, 40)),
        }
        demo.department |= {f"checklist.{i}": yes_no_word(done) for i, done in enumerate(checklist)}
        months.append(demo)
    month, position, column, wrong, _ = MISTAKE
    next(m for m in months if m.month == month).monthly[ids[position]][column] = wrong
    return months
