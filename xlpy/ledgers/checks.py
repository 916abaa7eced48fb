"""Ledger validation: every ledger's entries, then the checks across rows and ledgers.

Within a ledger: bad dates, money and quantities (:mod:`xlpy.ledgers.clean`), duplicate slip
numbers, 金额 ≠ 数量 × 单价. The 零配件销货卡: each row's 结存 = previous 结存 + 收入 − 发出, no
negative stock, its last 结存 equal to the slips' closing. Across ledgers: a 缴款单 dated before
the fee's collection, a fee log pointing at a 缴款单 that is missing, dated otherwise or smaller
than its fees; a part returned before it was replaced; 验收差错 counts that contradict their kind.
Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from xlpy.ledgers.catalog import LEDGERS, OPENING_SUMMARY, Ledger
from xlpy.ledgers.clean import LedgerProblem, clean_ledger
from xlpy.ledgers.report import empty_frame, stock_movement
from xlpy.rules import Rules, default_rules


def validate_ledgers(
    raw: dict[str, pd.DataFrame],
    month: str | pd.Period,
    roster: Iterable[str] | None = None,
    rules: Rules | None = None,
) -> tuple[dict[str, pd.DataFrame], list[LedgerProblem]]:
    """Typed frames for every ledger (missing ones empty) and all problems found, in sheet order.

    ``raw``: ledger key → what the sheet holds (columns = column keys, index = sheet row)."""
    rules = rules or default_rules()
    roster = list(roster) if roster is not None else None
    typed: dict[str, pd.DataFrame] = {}
    problems: list[LedgerProblem] = []
    for key, ledger in LEDGERS.items():
        frame = raw.get(key)
        if frame is None:
            typed[key] = empty_frame(key)
            continue
        typed[key], found = clean_ledger(ledger, frame, month, roster, rules.ledgers.return_months)
        found += duplicate_slips(ledger, typed[key])
        found += amount_mismatch(ledger, typed[key])
        order = {row: i for i, row in enumerate(typed[key].index)}
        problems += sorted(found, key=lambda p: order.get(p.row, -1))
    problems += card_balances(typed["parts_card"])
    problems += card_against_slips(typed)
    problems += fee_hand_ins(typed["fee_log"], typed["payment_slip"], month)
    problems += part_returns(typed["parts_log"])
    problems += inspection_counts(typed["inspection_errors"])
    return typed, problems


def _problem(ledger: Ledger, row: object, key: str, value: object, message: str) -> LedgerProblem:
    label = ledger.column(key).label if key else ""
    return LedgerProblem(ledger.sheet, row, key, label, value, message)


def duplicate_slips(ledger: Ledger, frame: pd.DataFrame) -> list[LedgerProblem]:
    """A slip number used twice: on two documents (rows disagreeing on date or parties), or the
    same part listed twice on one slip; for one-row-per-document ledgers, any repeat."""
    key = ledger.slip
    if not key or frame.empty:
        return []
    rows = frame[frame[key].notna()]
    numbers = rows[key].astype(str)
    repeated = numbers.duplicated(keep=False).to_numpy(dtype=bool, copy=True)
    if "part_no" in rows:
        same_line = rows.assign(_n=numbers).duplicated(["_n", "part_no"], keep=False)
        differs = np.zeros(len(rows), dtype=bool)
        for field in ledger.slip_fields:
            values = rows[field].astype(object).where(rows[field].notna(), "")
            differs |= (values.groupby(numbers).transform("nunique") > 1).to_numpy(dtype=bool)
        repeated &= same_line.to_numpy(dtype=bool) | differs
    label = ledger.column(key).label
    return [
        _problem(ledger, row, key, number, f"{label}重复:同一编号出现在多张单据或多行")
        for row, number in zip(rows.index[repeated], numbers[repeated])
    ]


def amount_mismatch(ledger: Ledger, frame: pd.DataFrame) -> list[LedgerProblem]:
    if not {"qty", "price", "amount"} <= set(frame.columns) or frame.empty:
        return []
    qty, price, amount = (frame[c].astype(float) for c in ("qty", "price", "amount"))
    expected = (qty * price).round(2)
    bad = (
        qty.notna() & price.notna() & amount.notna() & ((expected - amount).abs() > 0.005)
    ).to_numpy(dtype=bool)
    return [
        _problem(ledger, row, "amount", a, f"金额应为 数量 × 单价 = {e:g}")
        for row, a, e in zip(frame.index[bad], amount[bad], expected[bad])
    ]


def card_balances(card: pd.DataFrame) -> list[LedgerProblem]:
    """Running balance per part, in sheet order; negative stock; the card's closing vs slips."""
    ledger = LEDGERS["parts_card"]
    rows = card[card["part_no"].notna()]
    if rows.empty:
        return []
    problems: list[LedgerProblem] = []
    opening = (rows["summary"] == OPENING_SUMMARY).to_numpy(dtype=bool)
    delta = rows["qty_in"].fillna(0) - rows["qty_out"].fillna(0)
    previous = rows.groupby("part_no")["balance"].shift(1)
    expected = previous + delta
    first = previous.isna().to_numpy(dtype=bool) & rows["balance"].notna().to_numpy(dtype=bool)
    for row, part in zip(rows.index[first & ~opening], rows["part_no"][first & ~opening]):
        problems.append(
            _problem(ledger, row, "summary", None, f"配件 {part} 的第一行应为“{OPENING_SUMMARY}”")
        )
    later_opening = opening & ~first
    for row in rows.index[later_opening]:
        problems.append(
            _problem(ledger, row, "summary", OPENING_SUMMARY, "“上月结存”只能是该配件的第一行")
        )
    check = (
        ~first
        & ~later_opening
        & expected.notna().to_numpy(dtype=bool)
        & rows["balance"].notna().to_numpy(dtype=bool)
    )
    wrong = check & (expected != rows["balance"]).to_numpy(dtype=bool)
    for row, prev, d, bal, exp in zip(
        rows.index[wrong], previous[wrong], delta[wrong], rows["balance"][wrong], expected[wrong]
    ):
        problems.append(
            _problem(
                ledger,
                row,
                "balance",
                bal,
                f"结存不符:上行结存 {prev:g} + 收入 − 发出({d:+g}) = {exp:g}",
            )
        )
    negative = (rows["balance"] < 0).to_numpy(dtype=bool)
    for row, bal in zip(rows.index[negative], rows["balance"][negative]):
        problems.append(_problem(ledger, row, "balance", bal, "负库存:结存不能小于 0"))
    return problems


def card_against_slips(typed: dict[str, pd.DataFrame]) -> list[LedgerProblem]:
    """Each part's last 结存 on its card against opening + slips; negative closing stock."""
    ledger = LEDGERS["parts_card"]
    stock = stock_movement(typed)
    card = typed["parts_card"]
    problems = []
    last_row = card[card["part_no"].notna()].groupby("part_no").tail(1)
    where = dict(zip(last_row["part_no"], last_row.index))
    for _, s in stock[stock["status"] != ""].iterrows():
        row = where.get(s["part_no"])
        if s["card_closing"] == s["card_closing"] and s["card_closing"] != s["closing"]:
            problems.append(
                _problem(
                    ledger,
                    row,
                    "balance",
                    s["card_closing"],
                    f"配件 {s['part_no']} 销货卡结存 {s['card_closing']:g} 与单据不符:上月结存 "
                    f"{s['opening']:g} + 入库 {s['received']:g} − 出库 {s['issued']:g} + 调入 "
                    f"{s['transfer_in']:g} − 调出 {s['transfer_out']:g} = {s['closing']:g}",
                )
            )
        if s["closing"] < 0:
            problems.append(
                _problem(
                    ledger,
                    row,
                    "balance",
                    s["closing"],
                    f"配件 {s['part_no']} 按单据计算期末为 {s['closing']:g}:负库存",
                )
            )
    return problems


def fee_hand_ins(
    fees: pd.DataFrame, payments: pd.DataFrame, month: str | pd.Period
) -> list[LedgerProblem]:
    ledger, slips = LEDGERS["fee_log"], LEDGERS["payment_slip"]
    problems: list[LedgerProblem] = []
    if fees.empty:
        return problems
    early = (fees["paid_on"] < fees["date"]).to_numpy(dtype=bool)
    for row, paid in zip(fees.index[early], fees["paid_on"][early]):
        problems.append(
            _problem(ledger, row, "paid_on", f"{paid:%Y-%m-%d}", "缴款单日期早于收取日期")
        )
    has_no, has_date = fees["payment_no"].notna(), fees["paid_on"].notna()
    half = (has_no ^ has_date).to_numpy(dtype=bool)
    for row, no in zip(fees.index[half], has_no[half]):
        missing = "paid_on" if no else "payment_no"
        problems.append(_problem(ledger, row, missing, None, "缴款单号与缴款日期应同时填写"))
    if payments.empty:
        return problems
    period_end = pd.Period(month, freq="M").end_time.normalize()
    known = payments[payments["slip_no"].notna()].drop_duplicates("slip_no").set_index("slip_no")
    linked = fees[has_no & has_date & (fees["paid_on"] <= period_end)]
    numbers = linked["payment_no"].astype(object)
    missing = ~numbers.isin(known.index).to_numpy(dtype=bool)
    for row, no in zip(linked.index[missing], numbers[missing]):
        problems.append(_problem(ledger, row, "payment_no", no, "本月缴款单中没有这个编号"))
    found = linked[~missing]
    slip_date = found["payment_no"].map(known["date"])
    wrong_date = (slip_date != found["paid_on"]).to_numpy(dtype=bool)
    for row, paid, d in zip(
        found.index[wrong_date], found["paid_on"][wrong_date], slip_date[wrong_date]
    ):
        problems.append(
            _problem(ledger, row, "paid_on", f"{paid:%Y-%m-%d}", f"与缴款单日期 {d:%Y-%m-%d} 不符")
        )
    fee_sums = found.groupby("payment_no")["amount"].sum()
    short = fee_sums[(fee_sums - known["amount"].reindex(fee_sums.index)).round(2) > 0]
    slip_rows = payments[payments["slip_no"].notna()].drop_duplicates("slip_no")
    row_of = dict(zip(slip_rows["slip_no"], slip_rows.index))
    for no, total in short.items():
        problems.append(
            _problem(
                slips,
                row_of[no],
                "amount",
                known.at[no, "amount"],
                f"少于服务费收取记录中该缴款单的服务费合计 {total:g}",
            )
        )
    return problems


def inspection_counts(errors: pd.DataFrame) -> list[LedgerProblem]:
    """短缺 needs fewer received than listed, 溢余 more."""
    ledger = LEDGERS["inspection_errors"]
    listed, received = errors["qty_listed"].astype(float), errors["qty_received"].astype(float)
    short = ((errors["error"] == "短缺") & ~(received < listed)).to_numpy(dtype=bool)
    over = ((errors["error"] == "溢余") & ~(received > listed)).to_numpy(dtype=bool)
    both = listed.notna().to_numpy(dtype=bool) & received.notna().to_numpy(dtype=bool)
    return [
        _problem(ledger, row, "qty_received", q, "差错为短缺,实收数量应少于单据数量")
        for row, q in zip(errors.index[short & both], received[short & both])
    ] + [
        _problem(ledger, row, "qty_received", q, "差错为溢余,实收数量应多于单据数量")
        for row, q in zip(errors.index[over & both], received[over & both])
    ]


def part_returns(parts: pd.DataFrame) -> list[LedgerProblem]:
    ledger = LEDGERS["parts_log"]
    early = (parts["returned_on"] < parts["date"]).to_numpy(dtype=bool)
    return [
        _problem(ledger, row, "returned_on", f"{r:%Y-%m-%d}", "旧件退回日期早于更换日期")
        for row, r in zip(parts.index[early], parts["returned_on"][early])
    ]
