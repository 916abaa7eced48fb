"""Evidence for scheme M from the ledgers: M02 late days and M05 unreturned warranty parts.

M02 服务费上交: a fee is due on the day it is collected — on the first working day after, when it
was collected on a weekend or holiday — and ``approved_days`` later when a next-day hand-in was
approved. Late days are the working days (or calendar days, by parameter) from the due day to
the 缴款单 date; a fee not yet handed in counts up to ``as_of`` (default: the month's last day).

M05 配件管理: each warranty replacement needs its old part returned (a return date and a 入库单
number) by the end of ``return_months`` months after the replacement's month; when the return
falls in this month and the month's 入库单 are given, the 入库单 must list that part. Each
replacement without such a return is one unclear account (账目不清), whatever its quantity.

Inputs are typed frames from :func:`xlpy.ledgers.clean.clean_ledger`. Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from xlpy.ledgers.clean import month_bounds
from xlpy.rules import Rules, default_rules

LATE = "M02.late_days"
UNCLEAR = "M05.unclear_account"
ITEM_LABELS = {LATE: "M02 服务费上交·延迟天数", UNCLEAR: "M05 配件管理·账目不清"}


@dataclass(frozen=True)
class MonthlyEvidence:
    """``counts``: suggested counts per engineer (index) for :data:`LATE` and :data:`UNCLEAR`.
    ``rows``: the evidence behind every non-zero count (engineer, item, date, count, detail,
    sheet, row). ``fees`` / ``parts``: every fee and replacement with its finding."""

    counts: pd.DataFrame
    rows: pd.DataFrame
    fees: pd.DataFrame
    parts: pd.DataFrame


def _days(values: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]")


def _fmt(days: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[np.isnat(days)] = ""
    return text


def late_fee_days(
    fees: pd.DataFrame,
    month: str | pd.Period,
    rules: Rules | None = None,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per fee: its due day, hand-in day, late days and a Chinese explanation."""
    p = (rules or default_rules()).ledgers
    _, last = month_bounds(month)
    cutoff = np.datetime64(pd.Timestamp(as_of or last).normalize().date(), "D")
    usable = fees[fees["date"].notna() & fees["engineer"].notna()]
    collected = _days(usable["date"])
    paid = _days(usable["paid_on"])
    approved = usable["approved"].to_numpy(dtype=bool)
    allowed = p.allowed_days + approved * p.approved_days
    unpaid = np.isnat(paid)
    handed = np.where(unpaid, cutoff, paid)
    if p.workdays_only:
        holidays = np.array(p.holiday_dates, dtype="datetime64[D]")
        start = np.busday_offset(collected, 0, roll="forward", holidays=holidays)
        due = np.busday_offset(start, allowed, roll="forward", holidays=holidays)
        late = np.busday_count(due, handed, holidays=holidays)
        unit = "个工作日"
    else:
        due = collected + allowed.astype("timedelta64[D]")
        late = (handed - due).astype(int)
        unit = "天"
    early = ~unpaid & (paid < collected)  # a 缴款单 before its collection: a ledger error
    late = np.where(early, 0, np.maximum(late, 0))
    due_text, paid_text = _fmt(due), _fmt(paid)
    detail = np.where(
        early,
        "缴款日期早于收取日期(见校验),不计迟交",
        np.where(
            unpaid,
            [f"截至 {cutoff} 未缴款,应于 {d} 上交,迟 {n} {unit}" for d, n in zip(due_text, late)],
            [
                f"应于 {d} 上交{'(已报批次日)' if a else ''},{t} 缴款,迟 {n} {unit}"
                for d, a, t, n in zip(due_text, approved, paid_text, late)
            ],
        ),
    )
    out = usable.copy()
    out["due"] = due.astype("datetime64[ns]")
    out["late_days"] = late.astype(int)
    out["detail"] = detail
    return out


def unreturned_parts(
    parts: pd.DataFrame,
    month: str | pd.Period,
    rules: Rules | None = None,
    receipts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per warranty replacement: ``unreturned`` (bool) and the reason in Chinese.

    ``receipts``: the month's 入库单 lines (slip_no, part_no); when given, a return dated in the
    month must appear on the named 入库单 with the same part number."""
    p = (rules or default_rules()).ledgers
    last = month_bounds(month)[1]
    deadline = (pd.Period(month, freq="M") + p.return_months).end_time.normalize()
    usable = parts[parts["date"].notna() & parts["engineer"].notna()]
    replaced = usable["date"].to_numpy(dtype="datetime64[ns]")
    returned = usable["returned_on"].to_numpy(dtype="datetime64[ns]")
    receipt = usable["receipt_no"]
    no_return = np.isnat(returned)
    no_receipt = receipt.isna().to_numpy(dtype=bool)
    too_late = ~no_return & (returned > deadline.to_datetime64())
    before = ~no_return & (returned < replaced)
    unmatched = np.zeros(len(usable), dtype=bool)
    if receipts is not None:
        listed = set(zip(receipts["slip_no"].astype(object), receipts["part_no"].astype(object)))
        in_month = ~no_return & (returned <= last.to_datetime64())
        pairs = zip(receipt.astype(object), usable["part_no"].astype(object))
        unmatched = (
            in_month & ~no_receipt & ~np.array([pair in listed for pair in pairs], dtype=bool)
        )
    reason = np.select(
        [no_return, no_receipt, too_late, before, unmatched],
        [
            "旧件未退回",
            "已退回但无入库单号",
            f"退回超期(应在 {deadline:%Y-%m-%d} 前)",
            "退回日期早于更换日期",
            "入库单中无此配件",
        ],
        default="",
    )
    detail = [
        f"{d:%Y-%m-%d} {m} 更换 {pn or ''}{'(' + name + ')' if isinstance(name, str) else ''}"
        + (f",{r}" if r else f",{rt:%Y-%m-%d} 退回,入库单 {no}")
        + (f" {no}" if r == "入库单中无此配件" else "")
        for d, m, pn, name, r, rt, no in zip(
            pd.to_datetime(usable["date"]),
            usable["machine"],
            usable["part_no"],
            usable["part_name"],
            reason,
            pd.to_datetime(usable["returned_on"]),
            receipt,
        )
    ]
    out = usable.copy()
    out["unreturned"] = reason != ""
    out["reason"] = reason
    out["detail"] = detail
    return out


def evidence_for_monthly(
    fee_log: pd.DataFrame,
    parts_log: pd.DataFrame,
    month: str | pd.Period,
    rules: Rules | None = None,
    receipts: pd.DataFrame | None = None,
    as_of: str | pd.Timestamp | None = None,
    sheets: tuple[str, str] = ("服务费收取记录", "保修配件更换记录"),
) -> MonthlyEvidence:
    """Suggested M02 late days and M05 unclear accounts per engineer, with the rows behind them."""
    fees = late_fee_days(fee_log, month, rules, as_of)
    parts = unreturned_parts(parts_log, month, rules, receipts)
    late = fees.groupby("engineer")["late_days"].sum()
    unclear = parts.groupby("engineer")["unreturned"].sum()
    counts = pd.concat([late.rename(LATE), unclear.rename(UNCLEAR)], axis=1)
    counts = counts.fillna(0).astype(int).sort_index()
    counts.index.name = "engineer"
    fee_rows = fees[fees["late_days"] > 0]
    part_rows = parts[parts["unreturned"]]
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "engineer": fee_rows["engineer"],
                    "item": LATE,
                    "date": fee_rows["date"],
                    "count": fee_rows["late_days"],
                    "detail": fee_rows["detail"],
                    "sheet": sheets[0],
                    "row": fee_rows.index,
                }
            ),
            pd.DataFrame(
                {
                    "engineer": part_rows["engineer"],
                    "item": UNCLEAR,
                    "date": part_rows["date"],
                    "count": 1,
                    "detail": part_rows["detail"],
                    "sheet": sheets[1],
                    "row": part_rows.index,
                }
            ),
        ],
        ignore_index=True,
    )
    rows = rows.sort_values(["engineer", "item", "date"], kind="stable", ignore_index=True)
    return MonthlyEvidence(counts, rows, fees, parts)


def compare_with_entries(evidence: MonthlyEvidence, entered: pd.DataFrame) -> pd.DataFrame:
    """Suggested counts beside the supervisor's entries (``entered``: index = engineer, columns
    :data:`LATE` / :data:`UNCLEAR`, blank = 0). The supervisor's entry keeps scoring; rows where
    the two differ are flagged ``agrees = False``."""
    names = evidence.counts.index.union(entered.index)
    parts = []
    for item in (LATE, UNCLEAR):
        typed = pd.to_numeric(entered.get(item, pd.Series(dtype=float)), errors="coerce")
        given = typed.reindex(names).fillna(0).to_numpy(dtype=float)
        suggested = evidence.counts[item].reindex(names).fillna(0).to_numpy(dtype=float)
        agrees = given == suggested
        parts.append(
            pd.DataFrame(
                {
                    "engineer": names,
                    "item": item,
                    "label": ITEM_LABELS[item],
                    "entered": given,
                    "suggested": suggested,
                    "agrees": agrees,
                    "note": np.where(
                        agrees,
                        "",
                        np.where(
                            given < suggested,
                            "台账显示的次数多于主管填报,请核实",
                            "主管填报多于台账记录(可能另有依据),请核实",
                        ),
                    ),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).sort_values(["engineer", "item"], ignore_index=True)
