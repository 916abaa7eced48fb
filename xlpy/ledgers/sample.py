"""A plausible month of the department's ledgers, for the demo workbook and tests.

Everything agrees with everything else (cards with slips, 缴款单 with fees, daily reports with
ledgers) except on purpose: one fee handed in late, one approved next-day hand-in, one warranty
part not returned and one returned in the following month. Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from xlpy.ledgers.catalog import LEDGERS, OPENING_SUMMARY
from xlpy.words import YES

PARTS = {  # part_no: (name, unit, opening stock, cost price, sale price)
    "P-100": ("滤芯", "件", 20, 35.00, 48.00),
    "P-200": ("主轴轴承", "套", 5, 280.00, 360.00),
    "P-300": ("伺服电机编码器", "个", 2, 1150.00, 1480.00),
    "P-400": ("导轨滑块", "件", 8, 120.50, 158.00),
}
QUOTA = 3000.00


def _frame(key: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c.key for c in LEDGERS[key].columns], dtype=object)


def sample_ledgers(month: str | pd.Period, engineers: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Raw ledger frames (ledger key → rows as typed by staff) for ``month``."""
    period = pd.Period(month, freq="M")
    y, m = period.year, period.month
    tag = f"{y % 100:02d}{m:02d}"
    nxt = (period + 1).start_time.date()

    def d(day: int) -> date:
        return date(y, m, day)

    e = [engineers[i % len(engineers)] for i in range(3)]

    def slip_line(no, day, part, qty, price, **extra):
        name, unit = PARTS[part][0], PARTS[part][1]
        return {
            "slip_no": no,
            "date": d(day),
            "part_no": part,
            "part_name": name,
            "unit": unit,
            "qty": qty,
            "price": price,
            "amount": round(qty * price, 2),
            **extra,
        }

    receipts = [
        slip_line(
            f"RK{tag}-01",
            3,
            "P-100",
            10,
            35.00,
            deliverer="宏达配件",
            buyer="周采购",
            keeper="钱库管",
            accountant="孙会计",
        ),
        slip_line(
            f"RK{tag}-01",
            3,
            "P-200",
            4,
            280.00,
            deliverer="宏达配件",
            buyer="周采购",
            keeper="钱库管",
            accountant="孙会计",
        ),
        slip_line(
            f"RK{tag}-02",
            12,
            "P-400",
            6,
            120.50,
            deliverer="自提",
            buyer="周采购",
            keeper="钱库管",
            accountant="孙会计",
        ),
        slip_line(
            f"RK{tag}-03",
            20,
            "P-200",
            1,
            0.00,
            deliverer=e[1],
            buyer=None,
            keeper="钱库管",
            accountant="孙会计",
        ),  # an old warranty part returned
    ]
    issues = [
        slip_line(
            f"CK{tag}-01",
            5,
            "P-100",
            6,
            48.00,
            customer="华东机械厂",
            biller="吴开票",
            keeper="钱库管",
        ),
        slip_line(
            f"CK{tag}-02",
            9,
            "P-200",
            3,
            360.00,
            customer="精工模具",
            biller="吴开票",
            keeper="钱库管",
        ),
        slip_line(
            f"CK{tag}-03",
            18,
            "P-400",
            4,
            158.00,
            customer="华东机械厂",
            biller="吴开票",
            keeper="钱库管",
        ),
        slip_line(
            f"CK{tag}-04",
            25,
            "P-100",
            5,
            48.00,
            customer="联合重工",
            biller="吴开票",
            keeper="钱库管",
        ),
    ]
    transfers = [
        slip_line(
            "001",
            15,
            "P-400",
            2,
            120.50,
            direction="调出",
            counterpart="售后二分部",
            maker="吴开票",
            keeper="钱库管",
            accountant="孙会计",
            recipient="郑收件",
        ),
        slip_line(
            "002",
            22,
            "P-300",
            3,
            1150.00,
            direction="调入",
            counterpart="总公司配件库",
            maker="吴开票",
            keeper="钱库管",
            accountant="孙会计",
            recipient="钱库管",
        ),
    ]

    # The parts cards: 上月结存, then every slip line in date order, with running balances.
    moves = (
        [(r["date"], r["part_no"], r["slip_no"], "入库", r["qty"], 0) for r in receipts]
        + [(r["date"], r["part_no"], r["slip_no"], "销售出库", 0, r["qty"]) for r in issues]
        + [
            (
                r["date"],
                r["part_no"],
                "售后调字第" + r["slip_no"] + "号",
                r["direction"],
                r["qty"] if r["direction"] == "调入" else 0,
                r["qty"] if r["direction"] == "调出" else 0,
            )
            for r in transfers
        ]
    )
    card = []
    for part, (name, _, opening, _, _) in PARTS.items():
        balance = opening
        card.append(
            {
                "date": d(1),
                "part_no": part,
                "part_name": name,
                "summary": OPENING_SUMMARY,
                "voucher": None,
                "qty_in": None,
                "qty_out": None,
                "balance": balance,
                "clerk": "钱库管",
            }
        )
        for day, _p, voucher, summary, qin, qout in sorted(m for m in moves if m[1] == part):
            balance += qin - qout
            card.append(
                {
                    "date": day,
                    "part_no": part,
                    "part_name": name,
                    "summary": summary,
                    "voucher": voucher,
                    "qty_in": qin or None,
                    "qty_out": qout or None,
                    "balance": balance,
                    "clerk": "钱库管",
                }
            )

    fees = [  # (collected, engineer, customer, amount, approved, paid day or None (next month))
        (4, e[0], "华东机械厂", 300.00, False, 4),
        (6, e[1], "精工模具", 450.00, True, 7),  # approved next-day hand-in: on time
        (10, e[2], "联合重工", 200.00, False, 13),  # handed in late
        (16, e[0], "明达数控", 380.00, False, 16),
        (23, e[1], "华东机械厂", 260.50, False, 23),
        (26, e[2], "精工模具", 500.00, True, 27),
    ]
    fee_rows, payments = [], []
    for i, (day, who, customer, amount, approved, paid) in enumerate(fees, start=1):
        no = f"JK{tag}-{i:02d}"
        fee_rows.append(
            {
                "date": d(day),
                "engineer": who,
                "customer": customer,
                "amount": amount,
                "approved": YES if approved else None,
                "payment_no": no,
                "paid_on": d(paid),
            }
        )
        payments.append(
            {
                "slip_no": no,
                "date": d(paid),
                "payer": who,
                "summary": "服务费",
                "amount": amount,
                "cashier": "李收款",
            }
        )

    parts_log = [
        {
            "date": d(8),
            "engineer": e[0],
            "machine": "VMC-850-0112",
            "customer": "华东机械厂",
            "part_no": "P-200",
            "part_name": "主轴轴承",
            "qty": 1,
            "returned_on": d(20),
            "receipt_no": f"RK{tag}-03",
        },
        {
            "date": d(14),
            "engineer": e[1],
            "machine": "CK6150-0331",
            "customer": "精工模具",
            "part_no": "P-300",
            "part_name": "伺服电机编码器",
            "qty": 1,
            "returned_on": None,
            "receipt_no": None,
        },  # not returned: an unclear account
        {
            "date": d(27),
            "engineer": e[2],
            "machine": "XK714-0907",
            "customer": "联合重工",
            "part_no": "P-400",
            "part_name": "导轨滑块",
            "qty": 2,
            "returned_on": nxt.replace(day=3),
            "receipt_no": f"RK{(period + 1).year % 100:02d}{(period + 1).month:02d}-01",
        },
    ]
    expenses = [
        {
            "date": d(2),
            "voucher": "FY-01",
            "summary": "维修车辆燃油费",
            "handler": e[0],
            "amount": 820.00,
        },
        {
            "date": d(11),
            "voucher": "FY-02",
            "summary": "工具校准费",
            "handler": e[1],
            "amount": 640.50,
        },
        {
            "date": d(19),
            "voucher": "FY-03",
            "summary": "差旅住宿费",
            "handler": e[2],
            "amount": 1000.00,
        },
    ]
    sales = [
        {
            "date": r["date"],
            "slip_no": r["slip_no"],
            "customer": r["customer"],
            "due": r["amount"],
            "received": r["amount"] if r["slip_no"][-2:] != "04" else 100.00,
            "clerk": "吴开票",
        }
        for r in issues
    ]
    days = sorted({r["date"] for r in issues + fee_rows + expenses + payments})
    daily = [
        {
            "date": day,
            "sales": round(sum(r["amount"] for r in issues if r["date"] == day), 2),
            "fees": round(sum(r["amount"] for r in fee_rows if r["date"] == day), 2),
            "cost": round(
                sum(r["qty"] * PARTS[r["part_no"]][3] for r in issues if r["date"] == day), 2
            ),
            "expenses": round(sum(r["amount"] for r in expenses if r["date"] == day), 2),
            "paid_in": round(sum(r["amount"] for r in payments if r["date"] == day), 2),
            "remark": None,
        }
        for day in days
    ]
    goods = [
        {
            "slip_no": f"SH{tag}-01",
            "date": d(3),
            "supplier": "宏达配件",
            "part_no": "P-100",
            "part_name": "滤芯",
            "unit": "件",
            "qty": 10,
            "remark_case": "送货人有送货单",
            "remark": "送货单号 HD-5521",
            "keeper": "钱库管",
        },
        {
            "slip_no": f"SH{tag}-02",
            "date": d(12),
            "supplier": "自提",
            "part_no": "P-400",
            "part_name": "导轨滑块",
            "unit": "件",
            "qty": 6,
            "remark_case": "自提货先开收货单",
            "remark": None,
            "keeper": "钱库管",
        },
        {
            "slip_no": f"SH{tag}-03",
            "date": d(20),
            "supplier": e[1],
            "part_no": "P-200",
            "part_name": "主轴轴承",
            "unit": "套",
            "qty": 1,
            "remark_case": "回收销售环节退、换货",
            "remark": "保修旧件退回",
            "keeper": "钱库管",
        },
    ]
    inspection = [
        {
            "date": d(12),
            "voucher": f"SH{tag}-02",
            "part_no": "P-400",
            "part_name": "导轨滑块",
            "qty_listed": 7,
            "qty_received": 6,
            "error": "短缺",
            "handling": "已联系供方补发",
            "inspector": "钱库管",
        },
    ]
    return {
        "parts_card": _frame("parts_card", card),
        "sales_settlement": _frame("sales_settlement", sales),
        "expense_book": _frame("expense_book", expenses),
        "receipt_slip": _frame("receipt_slip", receipts),
        "transfer_slip": _frame("transfer_slip", transfers),
        "issue_slip": _frame("issue_slip", issues),
        "payment_slip": _frame("payment_slip", payments),
        "goods_receipt": _frame("goods_receipt", goods),
        "inspection_errors": _frame("inspection_errors", inspection),
        "daily_report": _frame("daily_report", daily),
        "fee_log": _frame("fee_log", fee_rows),
        "parts_log": _frame("parts_log", parts_log),
    }


def sample_headers() -> dict[str, dict[str, object]]:
    """Header fields (above each table) of the sample month."""
    return {
        "expense_book": {
            "department": "售后服务部",
            "quota": QUOTA,
            "preparer": "孙会计",
            "head": "刘经理",
        },
        "parts_card": {"department": "售后服务部"},
        "sales_settlement": {"department": "售后服务部"},
        "inspection_errors": {
            "department": "售后服务部",
            "category": "机床配件",
            "preparer": "钱库管",
            "head": "刘经理",
        },
        "daily_report": {
            "department": "售后服务部",
            "preparer": "孙会计",
            "finance_head": "孙会计",
            "head": "刘经理",
        },
    }
