"""Late days and stock balances against naive day-by-day / row-by-row oracles (hypothesis)."""

from datetime import date, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xlpy.ledgers.catalog import LEDGERS
from xlpy.ledgers.clean import clean_ledger
from xlpy.ledgers.evidence import late_fee_days
from xlpy.ledgers.report import stock_movement
from xlpy.rules import load_rules

MONTH = "2026-11"
HOLIDAYS = [date(2026, 11, 19), date(2026, 11, 20)]
RULES = load_rules(overrides={"ledgers.holidays": ",".join(d.isoformat() for d in HOLIDAYS)})


def frame(key, rows):
    return pd.DataFrame(rows, columns=[c.key for c in LEDGERS[key].columns], dtype=object)


def naive_late(collected: date, paid: date, approved: bool) -> int:
    def working(d: date) -> bool:
        return d.weekday() < 5 and d not in HOLIDAYS

    due = collected
    while not working(due):
        due += timedelta(days=1)
    for _ in range(1 if approved else 0):
        due += timedelta(days=1)
        while not working(due):
            due += timedelta(days=1)
    late, day = 0, due
    while day < paid:
        late += working(day)
        day += timedelta(days=1)
    return late


fees = st.lists(
    st.tuples(st.integers(1, 30), st.integers(0, 25), st.booleans()), min_size=1, max_size=30
)


@settings(max_examples=60, deadline=None)
@given(fees)
def test_late_days_equal_a_day_by_day_count(cases):
    rows = [
        {
            "date": date(2026, 11, d),
            "engineer": "张三",
            "amount": 10.0,
            "approved": "是" if a else "否",
            "payment_no": f"JK{i}",
            "paid_on": date(2026, 11, d) + timedelta(days=k),
        }
        for i, (d, k, a) in enumerate(cases)
    ]
    typed, _ = clean_ledger(LEDGERS["fee_log"], frame("fee_log", rows), MONTH)
    got = late_fee_days(typed, MONTH, RULES)["late_days"].tolist()
    pairs = zip(rows, cases, strict=True)
    assert got == [naive_late(r["date"], r["paid_on"], a) for r, (_, _, a) in pairs]


moves = st.lists(
    st.tuples(
        st.sampled_from(["P1", "P2", "P3"]),
        st.sampled_from(["in", "out", "调入", "调出"]),
        st.integers(0, 9),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["P1", "P2", "P3"]), st.integers(0, 50)), moves)
def test_closing_equals_opening_plus_moves(openings, lines):
    card = [
        {"date": date(2026, 11, 1), "part_no": p, "summary": "上月结存", "balance": b}
        for p, b in openings.items()
    ]
    receipts = [
        {"slip_no": f"R{i}", "date": date(2026, 11, 2), "part_no": p, "qty": q}
        for i, (p, kind, q) in enumerate(lines)
        if kind == "in"
    ]
    issues = [
        {"slip_no": f"C{i}", "date": date(2026, 11, 2), "part_no": p, "qty": q}
        for i, (p, kind, q) in enumerate(lines)
        if kind == "out"
    ]
    transfers = [
        {
            "slip_no": f"T{i}",
            "date": date(2026, 11, 2),
            "direction": kind,
            "counterpart": "二部",
            "part_no": p,
            "qty": q,
        }
        for i, (p, kind, q) in enumerate(lines)
        if kind in ("调入", "调出")
    ]
    typed = {
        key: clean_ledger(LEDGERS[key], frame(key, rows), MONTH)[0]
        for key, rows in (
            ("parts_card", card),
            ("receipt_slip", receipts),
            ("issue_slip", issues),
            ("transfer_slip", transfers),
        )
    }
    stock = stock_movement(typed).set_index("part_no")
    expected = dict(openings)
    for p, kind, q in lines:
        expected[p] = expected.get(p, 0) + (q if kind in ("in", "调入") else -q)
    assert stock["closing"].to_dict() == {p: float(v) for p, v in expected.items()}
    assert set(stock.index[stock["status"].str.contains("负库存")]) == {
        p for p, v in expected.items() if v < 0
    }
