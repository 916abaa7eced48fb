"""Ledger core: hand-counted late days and unreturned parts, the month-end report recomputed
independently, and every validation rule triggered by a real bad entry."""

from datetime import date, datetime

import pandas as pd
import pytest

from xlpy.ledgers.catalog import LEDGERS
from xlpy.ledgers.checks import validate_ledgers
from xlpy.ledgers.clean import clean_ledger
from xlpy.ledgers.evidence import LATE, UNCLEAR, compare_with_entries, evidence_for_monthly
from xlpy.ledgers.report import month_end_report
from xlpy.ledgers.sample import PARTS, QUOTA, sample_ledgers
from xlpy.rules import load_rules

MONTH = "2026-11"  # 1 Nov 2026 is a Sunday
ROSTER = ["张三", "李四", "王五"]


def frame(key, rows):
    return pd.DataFrame(rows, columns=[c.key for c in LEDGERS[key].columns], dtype=object)


def fee(day, who, paid=None, approved=None, amount=100.0, no=None):
    return {
        "date": date(2026, 11, day),
        "engineer": who,
        "amount": amount,
        "approved": approved,
        "payment_no": no or (f"JK-{day}-{who}" if paid else None),
        "paid_on": paid,
    }


FEES = [  # hand-counted late days (working days; Sat/Sun do not count)
    fee(6, "张三", date(2026, 11, 9)),  # Fri → Mon: Friday missed = 1
    fee(13, "张三", date(2026, 11, 16), approved="是"),  # Fri, approved → due Mon = 0
    fee(14, "张三", date(2026, 11, 16)),  # collected Sat → due Mon = 0
    fee(17, "张三", date(2026, 11, 20)),  # Tue → Fri: Tue, Wed, Thu = 3
    fee(18, "张三", date(2026, 11, 20), approved="是"),  # Wed approved → due Thu, Fri = 1
    fee(23, "李四", date(2026, 11, 23)),  # same day = 0
    fee(27, "李四"),  # Fri, not handed in by Mon 30 (month end) = 1 so far
    fee(30, "李四", date(2026, 12, 2)),  # Mon → Wed 2 Dec (next month): Mon, Tue = 2
    fee(24, "李四", date(2026, 11, 23)),  # 缴款单 before collection: a ledger error, 0 here
]


def typed(key, rows, month=MONTH):
    clean, _ = clean_ledger(LEDGERS[key], frame(key, rows), month)
    return clean


def test_late_days_hand_counted_with_weekend_and_approval():
    evidence = evidence_for_monthly(typed("fee_log", FEES), typed("parts_log", []), MONTH)
    assert evidence.fees["late_days"].tolist() == [1, 0, 0, 3, 1, 0, 1, 2, 0]
    assert evidence.counts[LATE].to_dict() == {"张三": 5, "李四": 3}
    rows = evidence.rows[evidence.rows["item"] == LATE]
    assert rows["row"].tolist() == [0, 3, 4, 6, 7] and rows["count"].sum() == 8
    assert "截至 2026-11-30 未缴款" in evidence.fees["detail"].iloc[6]
    assert "已报批次日" in evidence.fees["detail"].iloc[4]


def test_late_days_calendar_mode_and_holidays():
    calendar = load_rules(overrides={"ledgers.workdays_only": False})
    evidence = evidence_for_monthly(typed("fee_log", FEES), typed("parts_log", []), MONTH, calendar)
    # Fri→Mon 3; approved Fri→Mon 2; Sat→Mon 2; Tue→Fri 3; approved Wed→Fri 1
    assert evidence.counts.loc["张三", LATE] == 3 + 2 + 2 + 3 + 1
    holiday = load_rules(overrides={"ledgers.holidays": "2026-11-19"})  # Thursday
    evidence = evidence_for_monthly(typed("fee_log", FEES), typed("parts_log", []), MONTH, holiday)
    # Tue→Fri: Tue, Wed = 2; Wed approved → due Fri (Thu is a holiday) = 0
    assert evidence.fees["late_days"].tolist()[3:5] == [2, 0]


def part(day, who, part_no, returned=None, receipt=None):
    return {
        "date": date(2026, 11, day),
        "engineer": who,
        "machine": f"M-{day}",
        "part_no": part_no,
        "part_name": None,
        "qty": 1,
        "returned_on": returned,
        "receipt_no": receipt,
    }


PARTS_LOG = [
    part(3, "张三", "P-100", date(2026, 11, 5), "RK-01"),  # returned, on RK-01: fine
    part(10, "张三", "P-200"),  # never returned
    part(27, "李四", "P-300", date(2026, 12, 3), "RK-1201"),  # returned next month: fine
    part(12, "李四", "P-200", date(2026, 11, 20), "RK-01"),  # RK-01 does not list P-200
    part(14, "李四", "P-100", date(2027, 1, 5), "RK-0105"),  # after the window (end of Dec)
    part(16, "张三", "P-100", date(2026, 11, 18)),  # returned without a 入库单 number
]
RECEIPTS = [
    {"slip_no": "RK-01", "date": date(2026, 11, 5), "part_no": "P-100", "qty": 1, "amount": 0}
]


def test_unreturned_parts_hand_counted_with_next_month_return():
    evidence = evidence_for_monthly(
        typed("fee_log", []),
        typed("parts_log", PARTS_LOG),
        MONTH,
        receipts=typed("receipt_slip", RECEIPTS),
    )
    assert evidence.parts["unreturned"].tolist() == [False, True, False, True, True, True]
    assert evidence.counts[UNCLEAR].to_dict() == {"张三": 2, "李四": 2}
    reasons = evidence.parts["reason"].tolist()
    assert reasons[1] == "旧件未退回" and reasons[3] == "入库单中无此配件"
    assert reasons[4].startswith("退回超期(应在 2026-12-31") and reasons[5] == "已退回但无入库单号"
    # with no grace month, the part returned on 3 December is unreturned too
    strict = load_rules(overrides={"ledgers.return_months": 0})
    evidence = evidence_for_monthly(
        typed("fee_log", []),
        typed("parts_log", PARTS_LOG),
        MONTH,
        strict,
        receipts=typed("receipt_slip", RECEIPTS),
    )
    assert evidence.counts[UNCLEAR].to_dict() == {"张三": 2, "李四": 3}


def test_suggestions_beside_supervisor_entries():
    evidence = evidence_for_monthly(
        typed("fee_log", FEES),
        typed("parts_log", PARTS_LOG),
        MONTH,
        receipts=typed("receipt_slip", RECEIPTS),
    )
    entered = pd.DataFrame(
        {LATE: [5, None, 1], UNCLEAR: [2, 1, None]}, index=["张三", "李四", "王五"]
    )
    table = compare_with_entries(evidence, entered).set_index(["engineer", "item"])
    assert table.loc[("张三", LATE), "agrees"] and table.loc[("张三", UNCLEAR), "agrees"]
    assert table.loc[("李四", LATE), ["entered", "suggested"]].tolist() == [0, 3]
    assert not table.loc[("李四", LATE), "agrees"]
    assert "多于主管填报" in table.loc[("李四", UNCLEAR), "note"]
    assert "主管填报多于" in table.loc[("王五", LATE), "note"]
    assert table["agrees"].sum() == 3


@pytest.fixture(scope="module")
def sample():
    raw = sample_ledgers(MONTH, ROSTER)
    clean, problems = validate_ledgers(raw, MONTH, ROSTER)
    return raw, clean, problems


def test_sample_month_is_clean(sample):
    _, _, problems = sample
    assert [str(p) for p in problems] == []


def test_month_end_report_recomputed_independently(sample):
    raw, clean, _ = sample
    report = month_end_report(clean, MONTH, QUOTA)
    # Recompute from the raw rows with plain Python.
    expected = {}
    for part_no, (_, _, opening, _, _) in PARTS.items():
        received = sum(
            r["qty"] for r in raw["receipt_slip"].to_dict("records") if r["part_no"] == part_no
        )
        issued = sum(
            r["qty"] for r in raw["issue_slip"].to_dict("records") if r["part_no"] == part_no
        )
        moved = {"调入": 0, "调出": 0}
        for r in raw["transfer_slip"].to_dict("records"):
            if r["part_no"] == part_no:
                moved[r["direction"]] += r["qty"]
        expected[part_no] = (
            opening,
            received,
            issued,
            moved["调入"],
            moved["调出"],
            opening + received - issued + moved["调入"] - moved["调出"],
        )
    got = {
        r["part_no"]: (
            r["opening"],
            r["received"],
            r["issued"],
            r["transfer_in"],
            r["transfer_out"],
            r["closing"],
        )
        for r in report.stock.to_dict("records")
    }
    assert got == expected
    assert expected["P-100"] == (20, 10, 11, 0, 0, 19)  # by hand: 20 + 10 − 6 − 5
    card_last = {}
    for r in raw["parts_card"].to_dict("records"):
        card_last[r["part_no"]] = r["balance"]
    assert card_last == {p: v[-1] for p, v in expected.items()}
    assert (report.stock["status"] == "").all()
    funds = dict(zip(report.funds["item"], report.funds["amount"], strict=True))
    fees = sum(r["amount"] for r in raw["fee_log"].to_dict("records"))
    spent = sum(r["amount"] for r in raw["expense_book"].to_dict("records"))
    assert funds["服务费收入"] == pytest.approx(fees) and fees == pytest.approx(2090.50)
    assert funds["费用开支"] == pytest.approx(spent) == pytest.approx(2460.50)
    assert funds["定额结余"] == pytest.approx(QUOTA - spent) and not report.over_quota
    assert (report.accounting["status"].isin(["一致", ""])).all()


def test_quota_overrun_and_negative_stock(sample):
    raw, _, _ = sample
    raw = {k: v.copy() for k, v in raw.items()}
    raw["issue_slip"].loc[len(raw["issue_slip"])] = {
        "slip_no": "CK-99",
        "date": date(2026, 11, 28),
        "part_no": "P-300",
        "qty": 9,
        "price": 10.0,
        "amount": 90.0,
    }
    clean, problems = validate_ledgers(raw, MONTH, ROSTER)
    report = month_end_report(clean, MONTH, quota=2000)
    row = report.stock.set_index("part_no").loc["P-300"]
    assert row["closing"] == 2 + 3 - 9
    assert "负库存" in row["status"] and "与销货卡不符" in row["status"]
    assert report.over_quota and report.funds.set_index("item").at["定额结余", "note"] == "超支"
    messages = [p.message for p in problems]
    assert any("负库存" in m for m in messages)
    assert any("销货卡结存 5 与单据不符" in m for m in messages)


def messages(raw_key, rows, month=MONTH, **extra):
    raw = {raw_key: frame(raw_key, rows), **extra}
    _, problems = validate_ledgers(raw, month, ROSTER)
    return [(p.sheet, p.row, p.label, p.message) for p in problems]


def test_money_text_decimals_negative():
    rows = [
        {"date": date(2026, 11, 2), "summary": "油费", "amount": 12.345},
        {"date": date(2026, 11, 3), "summary": "路费", "amount": "12元"},
        {"date": date(2026, 11, 4), "summary": "退款", "amount": -5},
        {"date": date(2026, 11, 5), "summary": "住宿", "amount": "300"},  # number stored as text
        {"date": date(2026, 11, 6), "summary": "住宿", "amount": 0.1 + 0.2},  # float noise is fine
        {"date": None, "summary": None, "amount": None},  # blank row: ignored
    ]
    found = messages("expense_book", rows)
    assert found == [
        ("费用开支登记簿", 0, "金额", "金额最多两位小数"),
        ("费用开支登记簿", 1, "金额", "是文字,不是金额"),
        ("费用开支登记簿", 2, "金额", "金额不能为负"),
        ("费用开支登记簿", 3, "金额", "是文字,不是金额"),
    ]


def test_dates_outside_month_and_not_dates():
    rows = [
        {"date": date(2026, 10, 31), "summary": "油费", "amount": 1},
        {"date": "2026/11/3", "summary": "油费", "amount": 1},  # typed as text: still a date
        {"date": "十一月三日", "summary": "油费", "amount": 1},
        {"date": 45000, "summary": "油费", "amount": 1},  # a number is not a date
        {"date": datetime(2026, 12, 1, 9, 30), "summary": "油费", "amount": 1},
    ]
    found = messages("expense_book", rows)
    assert [(r, m) for _, r, _, m in found] == [
        (0, "日期不在本月(2026年11月)内"),
        (2, "不是日期(应写作 2026-11-03)"),
        (3, "不是日期(应写作 2026-11-03)"),
        (4, "日期不在本月(2026年11月)内"),
    ]


def test_duplicate_slip_numbers():
    line = {
        "date": date(2026, 11, 3),
        "part_no": "P-1",
        "qty": 1,
        "price": 2.0,
        "amount": 2.0,
        "deliverer": "甲",
    }
    rows = [
        {**line, "slip_no": "RK-1"},
        {**line, "slip_no": "RK-1", "part_no": "P-2"},  # one slip
        {**line, "slip_no": "RK-2"},
        {**line, "slip_no": "RK-2", "date": date(2026, 11, 9)},
        {**line, "slip_no": "RK-3"},
        {**line, "slip_no": "RK-3"},  # same part twice
    ]
    found = messages("receipt_slip", rows)
    assert [(r, m) for _, r, _, m in found] == [
        (2, "编号重复:同一编号出现在多张单据或多行"),
        (3, "编号重复:同一编号出现在多张单据或多行"),
        (4, "编号重复:同一编号出现在多张单据或多行"),
        (5, "编号重复:同一编号出现在多张单据或多行"),
    ]
    payments = [
        {"slip_no": 1001, "date": date(2026, 11, 3), "payer": "张三", "amount": 5},
        {"slip_no": "1001", "date": date(2026, 11, 3), "payer": "张三", "amount": 6},
    ]
    assert len(messages("payment_slip", payments)) == 2  # 1001 and "1001" are one number


def test_card_balances_that_do_not_add_up():
    rows = [
        {"date": date(2026, 11, 1), "part_no": "P-1", "summary": "上月结存", "balance": 5},
        {"date": date(2026, 11, 2), "part_no": "P-1", "summary": "入库", "qty_in": 3, "balance": 8},
        {
            "date": date(2026, 11, 3),
            "part_no": "P-1",
            "summary": "出库",
            "qty_out": 4,
            "balance": 3,
        },
        {
            "date": date(2026, 11, 4),
            "part_no": "P-1",
            "summary": "出库",
            "qty_out": 5,
            "balance": -2,
        },
        {"date": date(2026, 11, 2), "part_no": "P-2", "summary": "入库", "qty_in": 1, "balance": 1},
    ]
    found = messages("parts_card", rows)
    assert ("零配件销货卡", 2, "结存", "结存不符:上行结存 8 + 收入 − 发出(-4) = 4") in found
    assert ("零配件销货卡", 3, "结存", "结存不符:上行结存 3 + 收入 − 发出(-5) = -2") not in found
    assert ("零配件销货卡", 3, "结存", "负库存:结存不能小于 0") in found
    assert ("零配件销货卡", 4, "摘要", "配件 P-2 的第一行应为“上月结存”") in found


def test_payment_before_collection_and_missing_slip():
    fees = [
        {
            "date": date(2026, 11, 10),
            "engineer": "张三",
            "amount": 100,
            "payment_no": "JK-1",
            "paid_on": date(2026, 11, 9),
        },
        {
            "date": date(2026, 11, 10),
            "engineer": "张三",
            "amount": 100,
            "payment_no": "JK-9",
            "paid_on": date(2026, 11, 10),
        },
        {
            "date": date(2026, 11, 11),
            "engineer": "王五",
            "amount": 80,
            "payment_no": "JK-2",
            "paid_on": date(2026, 11, 12),
        },
        {"date": date(2026, 11, 11), "engineer": "李四", "amount": 80, "payment_no": "JK-3"},
        {"date": date(2026, 11, 12), "engineer": "赵六", "amount": 80},
    ]
    slips = frame(
        "payment_slip",
        [
            {"slip_no": "JK-1", "date": date(2026, 11, 9), "payer": "张三", "amount": 100},
            {"slip_no": "JK-2", "date": date(2026, 11, 13), "payer": "王五", "amount": 50},
        ],
    )
    found = messages("fee_log", fees, payment_slip=slips)
    assert ("服务费收取记录", 0, "缴款日期", "缴款单日期早于收取日期") in found
    assert ("服务费收取记录", 1, "缴款单号", "本月缴款单中没有这个编号") in found
    assert ("服务费收取记录", 2, "缴款日期", "与缴款单日期 2026-11-13 不符") in found
    assert ("缴款单", 1, "金额", "少于服务费收取记录中该缴款单的服务费合计 80") in found
    assert ("服务费收取记录", 3, "缴款日期", "缴款单号与缴款日期应同时填写") in found
    assert ("服务费收取记录", 4, "工程师", "不在花名册中") in found


def test_required_choices_quantities_and_line_amounts():
    rows = [
        {
            "slip_no": "001",
            "date": date(2026, 11, 5),
            "direction": "调走",
            "counterpart": "二部",
            "part_no": "P-1",
            "qty": 1.5,
            "price": 10,
            "amount": 15,
        },
        {
            "slip_no": "002",
            "date": date(2026, 11, 5),
            "direction": "调出",
            "counterpart": None,
            "part_no": "P-1",
            "qty": 2,
            "price": 10,
            "amount": 25,
        },
    ]
    found = messages("transfer_slip", rows)
    assert ("调拨单", 0, "调入/调出", "应为 调出 / 调入") in found
    assert ("调拨单", 0, "数量", "应为整数") in found
    assert ("调拨单", 1, "调入单位", "必填,不能空白") in found
    assert ("调拨单", 1, "金额", "金额应为 数量 × 单价 = 20") in found
    # no 销货卡 for P-1: opening 0, and 调出 2 leaves −2 (the invalid 调走 line is not counted)
    assert ("零配件销货卡", None, "结存", "配件 P-1 按单据计算期末为 -2:负库存") in found
    assert len(found) == 5


def test_return_before_replacement_is_reported():
    found = messages("parts_log", [part(10, "张三", "P-1", date(2026, 11, 8), "RK-1")])
    assert found == [("保修配件更换记录", 0, "旧件退回日期", "旧件退回日期早于更换日期")]


def test_core_modules_import_no_io_library():
    import subprocess
    import sys

    code = (
        "import sys, xlpy.ledgers, xlpy.ledgers.sample; "
        "print(sorted(m for m in ('openpyxl', 'xlwings', 'python_calamine', 'xlsxwriter', "
        "'xlpy.engines') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_inspection_error_counts_match_the_error_kind():
    rows = [
        {
            "date": date(2026, 11, 3),
            "part_no": "P-1",
            "qty_listed": 5,
            "qty_received": 4,
            "error": "短缺",
        },
        {
            "date": date(2026, 11, 3),
            "part_no": "P-2",
            "qty_listed": 5,
            "qty_received": 5,
            "error": "短缺",
        },
        {
            "date": date(2026, 11, 3),
            "part_no": "P-3",
            "qty_listed": 5,
            "qty_received": 4,
            "error": "溢余",
        },
        {
            "date": date(2026, 11, 3),
            "part_no": "P-4",
            "qty_listed": 5,
            "qty_received": 5,
            "error": "破损",
        },
    ]
    found = messages("inspection_errors", rows)
    assert found == [
        ("进货验收差错登记簿", 1, "实收数量", "差错为短缺,实收数量应少于单据数量"),
        ("进货验收差错登记簿", 2, "实收数量", "差错为溢余,实收数量应多于单据数量"),
    ]
