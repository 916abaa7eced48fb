"""进销存及资金使用情况月报表 (SH/BD-06) and the monthly 经济核算 roll-up of the daily reports.

Stock per part: opening (the 零配件销货卡's 上月结存 row) + 入库单 − 出库/销售单 + 调入 − 调出
(调拨单) = closing, compared with the card's last balance. Funds: fees collected (服务费收取记录),
sales received (销售结帐表), money handed in (缴款单) and spending (费用开支登记簿) against the
本月费用定额. The roll-up sums the 经济核算日报 (SH/BD-05) and sets each total beside the ledger
that should agree with it (销售收入: 销售结帐表 应收; 服务费收入: 服务费收取记录; 费用支出: 费用开支
登记簿; 缴款金额: 缴款单; 销售成本 has no ledger). Inputs are typed frames (:mod:`xlpy.ledgers.clean`). Pure; no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xlpy.ledgers.catalog import LEDGERS, OPENING_SUMMARY

STOCK_LABELS = {
    "part_no": "配件编号",
    "part_name": "配件名称",
    "opening": "上月结存",
    "received": "本月入库",
    "issued": "本月出库",
    "transfer_in": "调入",
    "transfer_out": "调出",
    "closing": "本月结存",
    "card_closing": "销货卡结存",
    "status": "核对",
}
FUNDS_LABELS = {"item": "项目", "amount": "金额", "note": "说明"}
ACCOUNTING_LABELS = {
    "item": "项目",
    "daily_total": "日报合计",
    "ledger_total": "台账合计",
    "difference": "差额",
    "status": "核对",
}
NEGATIVE = "负库存"
CARD_MISMATCH = "与销货卡不符"


@dataclass(frozen=True)
class MonthEndReport:
    month: str
    stock: pd.DataFrame  # one row per part, columns STOCK_LABELS
    funds: pd.DataFrame  # 项目 / 金额 / 说明
    accounting: pd.DataFrame  # 经济核算 roll-up, columns ACCOUNTING_LABELS
    quota: float  # 本月费用定额 (NaN when not set)
    spent: float
    over_quota: bool


def empty_frame(key: str) -> pd.DataFrame:
    """A typed, empty frame with the columns of ledger ``key``."""
    return pd.DataFrame({c.key: pd.Series(dtype=object) for c in LEDGERS[key].columns})


def _get(ledgers: dict[str, pd.DataFrame], key: str) -> pd.DataFrame:
    frame = ledgers.get(key)
    return empty_frame(key) if frame is None else frame


def _by_part(frame: pd.DataFrame, column: str = "qty") -> pd.Series:
    if frame.empty:
        return pd.Series(dtype=float)
    return frame.groupby("part_no")[column].sum(min_count=1).fillna(0)


def card_closing(card: pd.DataFrame) -> pd.Series:
    """Each part's last balance on its 销货卡 (rows in date order, then sheet order)."""
    rows = card[card["part_no"].notna() & card["balance"].notna()]
    if rows.empty:
        return pd.Series(dtype=float)
    rows = rows.assign(_order=np.arange(len(rows))).sort_values(["date", "_order"], kind="stable")
    return rows.groupby("part_no")["balance"].last()


def stock_movement(ledgers: dict[str, pd.DataFrame]) -> pd.DataFrame:
    card = _get(ledgers, "parts_card")
    receipts = _get(ledgers, "receipt_slip")
    issues = _get(ledgers, "issue_slip")
    transfers = _get(ledgers, "transfer_slip")
    opening_rows = card[card["summary"] == OPENING_SUMMARY]
    opening = (
        opening_rows.groupby("part_no")["balance"].first()
        if not opening_rows.empty
        else pd.Series(dtype=float)
    )
    columns = {
        "opening": opening,
        "received": _by_part(receipts),
        "issued": _by_part(issues),
        "transfer_in": _by_part(transfers[transfers["direction"] == "调入"]),
        "transfer_out": _by_part(transfers[transfers["direction"] == "调出"]),
    }
    parts = sorted(
        set().union(*[s.index for s in columns.values()], card["part_no"].dropna()), key=str
    )
    stock = pd.DataFrame(
        {k: s.reindex(parts).fillna(0).astype(float) for k, s in columns.items()},
        index=pd.Index(parts, name="part_no"),
    )
    names = pd.concat([f[["part_no", "part_name"]] for f in (card, receipts, issues, transfers)])
    names = names.dropna().drop_duplicates("part_no").set_index("part_no")["part_name"]
    stock.insert(0, "part_name", names.reindex(parts).to_numpy(dtype=object))
    stock["closing"] = (
        stock["opening"]
        + stock["received"]
        - stock["issued"]
        + stock["transfer_in"]
        - stock["transfer_out"]
    )
    stock["card_closing"] = card_closing(card).reindex(parts).to_numpy(dtype=float)
    negative = stock["closing"] < 0
    mismatch = stock["card_closing"].notna() & (stock["card_closing"] != stock["closing"])
    stock["status"] = np.where(
        negative & mismatch,
        f"{NEGATIVE}、{CARD_MISMATCH}",
        np.where(negative, NEGATIVE, np.where(mismatch, CARD_MISMATCH, "")),
    )
    return stock.reset_index()


def _total(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if not frame.empty else 0.0


def month_end_report(
    ledgers: dict[str, pd.DataFrame], month: str | pd.Period, quota: float | None = None
) -> MonthEndReport:
    """The month's SH/BD-06 report from typed ledger frames keyed by ledger key.

    ``quota``: the 费用开支登记簿's 本月费用定额 (None or NaN when not set)."""
    fees = _total(_get(ledgers, "fee_log"), "amount")
    sales = _total(_get(ledgers, "sales_settlement"), "received")
    paid_in = _total(_get(ledgers, "payment_slip"), "amount")
    spent = _total(_get(ledgers, "expense_book"), "amount")
    quota_value = float("nan") if quota is None else float(quota)
    has_quota = not math.isnan(quota_value)
    left = quota_value - spent
    over = bool(has_quota and spent > quota_value)
    funds = pd.DataFrame(
        [
            ("服务费收入", fees, "服务费收取记录合计"),
            ("销售实收", sales, "销售结帐表实收金额合计"),
            ("资金收入合计", fees + sales, "服务费收入 + 销售实收"),
            ("上交缴款", paid_in, "缴款单合计"),
            ("费用开支", spent, "费用开支登记簿合计"),
            ("本月费用定额", quota_value, "费用开支登记簿表头" if has_quota else "未填写定额"),
            ("定额结余", left, ("超支" if over else "未超支") if has_quota else "未填写定额"),
            (
                "定额使用率(%)",
                round(spent / quota_value * 100, 2)
                if has_quota and quota_value > 0
                else float("nan"),
                "费用开支 ÷ 本月费用定额 × 100",
            ),
        ],
        columns=list(FUNDS_LABELS),
    )
    return MonthEndReport(
        str(pd.Period(month, freq="M")),
        stock_movement(ledgers),
        funds,
        economic_rollup(ledgers),
        quota_value,
        spent,
        over,
    )


def economic_rollup(ledgers: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Monthly sums of the 经济核算日报 beside the ledger totals that should equal them."""
    daily = _get(ledgers, "daily_report")
    ledger_totals = {
        "sales": _total(_get(ledgers, "sales_settlement"), "due"),
        "fees": _total(_get(ledgers, "fee_log"), "amount"),
        "cost": float("nan"),
        "expenses": _total(_get(ledgers, "expense_book"), "amount"),
        "paid_in": _total(_get(ledgers, "payment_slip"), "amount"),
    }
    labels = {c.key: c.label for c in LEDGERS["daily_report"].columns}
    rows = []
    for key, ledger_total in ledger_totals.items():
        total = _total(daily, key)
        difference = round(total - ledger_total, 2)
        status = "" if math.isnan(ledger_total) else ("一致" if difference == 0 else "不一致")
        rows.append((labels[key], total, ledger_total, difference, status))
    sales, fees = _total(daily, "sales"), _total(daily, "fees")
    cost, expenses = _total(daily, "cost"), _total(daily, "expenses")
    nan = float("nan")
    rows += [
        ("毛利(销售收入 − 销售成本)", round(sales - cost, 2), nan, nan, ""),
        (
            "核算结果(收入合计 − 成本 − 费用)",
            round(sales + fees - cost - expenses, 2),
            nan,
            nan,
            "",
        ),
        ("填报天数", float(daily["date"].nunique()) if not daily.empty else 0.0, nan, nan, ""),
    ]
    return pd.DataFrame(rows, columns=list(ACCOUNTING_LABELS))
