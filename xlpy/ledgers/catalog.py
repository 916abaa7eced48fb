"""The department's ledgers (SCORING.md §7, seed SH/BD forms) as plain data: columns, kinds, copies.

One :class:`Ledger` per form: its sheet name, form code, header fields (e.g. 本月费用定额), the
columns of its table (one row per slip line, day or event), and for slips the seed's 一式N联
destinations and signature boxes. The sheet descriptions, the cleaning, the checks, the month-end
report and the slip printer all derive from this module. Pure data; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Col(StrEnum):
    DATE = "date"  # a day of the month (or later, for ``late_ok`` columns)
    MONEY = "money"  # amount ≥ 0 with at most 2 decimals
    QTY = "qty"  # whole number ≥ 0
    BALANCE = "balance"  # whole number; below 0 is negative stock
    TEXT = "text"
    SLIP = "slip"  # a slip number (text or number), compared as text
    CHOICE = "choice"  # one of ``choices``
    FLAG = "flag"  # 是/否, blank = 否
    PERSON = "person"  # an engineer on the roster


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Col
    required: bool = False
    hint: str = ""
    choices: tuple[str, ...] = ()
    late_ok: bool = False  # a DATE that may fall after the month (hand-ins, returns)
    width: float = 12

    @property
    def expected(self) -> str:
        """What a valid entry looks like, in the words staff read."""
        return {
            Col.DATE: "日期" + ("(可晚于本月)" if self.late_ok else "(本月内)"),
            Col.MONEY: "金额:不小于 0 的数,最多两位小数",
            Col.QTY: "不小于 0 的整数",
            Col.BALANCE: "整数",
            Col.TEXT: "文字",
            Col.SLIP: "单据编号",
            Col.CHOICE: " / ".join(self.choices),
            Col.FLAG: "是 / 否(空白视为否)",
            Col.PERSON: "花名册中的姓名",
        }[self.kind]


@dataclass(frozen=True)
class Ledger:
    key: str
    title: str  # the form's name, as printed
    sheet: str  # worksheet name (Excel: ≤ 31 characters, no / \\ ? * [ ] :)
    columns: tuple[Column, ...]
    code: str = ""  # SH/BD form code where the seed gives one
    header: tuple[Column, ...] = ()  # single fields above the table (本月费用定额 …)
    slip: str = ""  # key of the slip-number column when rows are lines of numbered slips
    slip_fields: tuple[str, ...] = ()  # keys every line of one slip shares (date, parties)
    copies: tuple[str, ...] = ()  # 一式N联: each copy's destination label, in order
    signatures: tuple[str, ...] = ()  # signature boxes printed at the foot of a slip
    notes: tuple[str, ...] = ()  # the seed's printed notes (注)
    number_prefix: str = ""  # printed before the slip number, e.g. 售后调字第

    @property
    def heading(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    def column(self, key: str) -> Column:
        return next(c for c in self.columns + self.header if c.key == key)

    def keys(self, *kinds: Col) -> list[str]:
        return [c.key for c in self.columns if c.kind in kinds]


COPY_NUMERALS = "一二三四五六七八九十"

# ── Columns shared by several forms ─────────────────────────────────────────────────────────────
_DATE = Column("date", "日期", Col.DATE, required=True, hint="本月内的日期,如 2026-11-03", width=12)
_PART_NO = Column("part_no", "配件编号", Col.TEXT, required=True, hint="配件编号", width=12)
_PART_NAME = Column("part_name", "配件名称", Col.TEXT, hint="配件名称", width=16)
_UNIT = Column("unit", "单位", Col.TEXT, hint="件 / 套 / 个", width=6)
_QTY = Column("qty", "数量", Col.QTY, required=True, hint="不小于 0 的整数", width=8)
_PRICE = Column("price", "单价", Col.MONEY, hint="元,最多两位小数", width=10)
_AMOUNT = Column("amount", "金额", Col.MONEY, required=True, hint="元,最多两位小数", width=12)
_DEPARTMENT = Column("department", "部门名称", Col.TEXT, hint="如 售后服务部")
_PREPARER = Column("preparer", "制表人", Col.TEXT)
_HEAD = Column("head", "部门负责人", Col.TEXT)


def _slip_no(label: str = "编号") -> Column:
    return Column("slip_no", label, Col.SLIP, required=True, hint="单据编号;同一单据的各行编号相同")


PARTS_CARD = Ledger(
    key="parts_card",
    title="零配件销货卡",
    sheet="零配件销货卡",
    code="SH/BD-01",
    header=(_DEPARTMENT,),
    columns=(
        _DATE,
        _PART_NO,
        _PART_NAME,
        Column("summary", "摘要", Col.TEXT, hint="每种配件第一行写“上月结存”", width=14),
        Column("voucher", "凭证号", Col.TEXT, hint="入库单、出库单或调拨单编号"),
        Column("qty_in", "收入", Col.QTY, hint="收入数量"),
        Column("qty_out", "发出", Col.QTY, hint="发出数量"),
        Column("balance", "结存", Col.BALANCE, required=True, hint="上行结存 + 收入 − 发出"),
        Column("clerk", "营业员", Col.TEXT),
    ),
)
OPENING_SUMMARY = "上月结存"

SALES_SETTLEMENT = Ledger(
    key="sales_settlement",
    title="销售结帐表",
    sheet="销售结帐表",
    header=(_DEPARTMENT,),
    columns=(
        _DATE,
        Column("slip_no", "出库/销售单号", Col.SLIP, required=True, hint="对应出库/销售单编号"),
        Column("customer", "用户", Col.TEXT, width=16),
        Column("due", "应收金额", Col.MONEY, required=True, hint="元,最多两位小数"),
        Column("received", "实收金额", Col.MONEY, required=True, hint="元,最多两位小数"),
        Column("clerk", "营业员", Col.TEXT),
    ),
    slip="slip_no",
    slip_fields=("date",),
)

EXPENSE_BOOK = Ledger(
    key="expense_book",
    title="费用开支登记簿",
    sheet="费用开支登记簿",
    code="SH/BD-07",
    header=(
        _DEPARTMENT,
        Column("quota", "本月费用定额", Col.MONEY, hint="元;月报表据此比较本月开支"),
        _PREPARER,
        _HEAD,
    ),
    columns=(
        _DATE,
        Column("voucher", "凭证号", Col.TEXT),
        Column("summary", "摘要", Col.TEXT, required=True, hint="开支用途", width=20),
        Column("handler", "经手人", Col.TEXT),
        _AMOUNT,
    ),
)

RECEIPT_SLIP = Ledger(
    key="receipt_slip",
    title="入库单",
    sheet="入库单",
    columns=(
        _slip_no(),
        _DATE,
        _PART_NO,
        _PART_NAME,
        _UNIT,
        _QTY,
        _PRICE,
        _AMOUNT,
        Column("deliverer", "交货人", Col.TEXT),
        Column("buyer", "采购员", Col.TEXT),
        Column("keeper", "库管员", Col.TEXT),
        Column("accountant", "会计员", Col.TEXT),
    ),
    slip="slip_no",
    slip_fields=("date", "deliverer", "buyer"),
    copies=("仓库记帐联", "财会记帐联", "采购员结算凭证联"),
    signatures=("交货人", "采购员", "库管员", "会计员"),
    notes=("本单一式三联,第一联仓库记帐联,第二联财会记帐联,第三联交采购员作结算凭证。",),
)

TRANSFER_SLIP = Ledger(
    key="transfer_slip",
    title="调拨单",
    sheet="调拨单",
    columns=(
        _slip_no("售后调字第…号"),
        _DATE,
        Column(
            "direction",
            "调入/调出",
            Col.CHOICE,
            required=True,
            choices=("调出", "调入"),
            hint="调出:本部调给调入单位;调入:他部调给本部",
        ),
        Column(
            "counterpart",
            "调入单位",
            Col.TEXT,
            required=True,
            hint="调出时填调入单位;调入时填调出单位",
            width=16,
        ),
        _PART_NO,
        _PART_NAME,
        _UNIT,
        _QTY,
        _PRICE,
        _AMOUNT,
        Column("maker", "制单", Col.TEXT),
        Column("keeper", "保管员", Col.TEXT),
        Column("accountant", "会计", Col.TEXT),
        Column("recipient", "收件人", Col.TEXT),
    ),
    slip="slip_no",
    slip_fields=("date", "direction", "counterpart"),
    copies=("材料会计联", "库管员联", "会计员联", "调入单位联", "财务会计部联"),
    signatures=("制单", "保管员", "会计", "收件人"),
    notes=("本单一式五联,依次分别交材料会计、库管员、会计员、调入单位、财务会计部。",),
    number_prefix="售后调字第",
)

ISSUE_SLIP = Ledger(
    key="issue_slip",
    title="出库/销售单",
    sheet="出库销售单",
    columns=(
        _slip_no(),
        _DATE,
        Column("customer", "用户", Col.TEXT, width=16),
        _PART_NO,
        _PART_NAME,
        _UNIT,
        _QTY,
        _PRICE,
        _AMOUNT,
        Column("biller", "开票员", Col.TEXT),
        Column("keeper", "保管员", Col.TEXT),
    ),
    slip="slip_no",
    slip_fields=("date", "customer"),
    copies=("开票员联", "库管员联", "财会室联", "用户联"),
    signatures=("开票员", "保管员", "财务", "用户"),
    notes=("本单一式四联,依次分别交开票员、库管员、财会室、用户。",),
)

PAYMENT_SLIP = Ledger(
    key="payment_slip",
    title="批发中心缴款单",
    sheet="缴款单",
    columns=(
        _slip_no(),
        _DATE,
        Column("payer", "交款员", Col.PERSON, required=True, hint="交款的工程师"),
        Column("summary", "摘要", Col.TEXT, hint="如 服务费", width=16),
        _AMOUNT,
        Column("cashier", "收款员", Col.TEXT),
    ),
    slip="slip_no",
    slip_fields=("date", "payer"),
    copies=("收款员存根联", "财会室联", "营业单位联"),
    signatures=("交款员", "收款员"),
    notes=("本单一式三联,依次交收款员(存根)、财会室、营业单位。",),
)

# The seed's three 备注 cases of the 收货单 (注一).
RECEIPT_REMARKS = (
    "送货人有送货单",
    "回收销售环节退、换货",
    "自提货先开收货单",
)

GOODS_RECEIPT = Ledger(
    key="goods_receipt",
    title="收货单",
    sheet="收货单",
    columns=(
        _slip_no(),
        _DATE,
        Column("supplier", "送货单位", Col.TEXT, width=16),
        _PART_NO,
        _PART_NAME,
        _UNIT,
        _QTY,
        Column(
            "remark_case",
            "备注",
            Col.CHOICE,
            choices=RECEIPT_REMARKS,
            hint="按注一:有送货单 / 退、换货 / 自提先开单;无则空白",
            width=18,
        ),
        Column("remark", "备注说明", Col.TEXT, width=16),
        Column("keeper", "库管员", Col.TEXT),
    ),
    slip="slip_no",
    slip_fields=("date", "supplier"),
    copies=("仓库留存联", "送货单位联", "财会室联"),
    signatures=("送货人", "库管员"),
    notes=(
        (
            "注一:备注栏填写说明:1、如果送货人有送货单则注明,不再向送货人发送本单。"
            "2、如果是回收销售环节退、换货则注明。3、如果是自提货需要先开收货单则注明。"
        ),
        "注二:本单一式三联,仓库留存一联,一联返送货单位,第三联交财会室。",
    ),
)

INSPECTION_ERRORS = Ledger(
    key="inspection_errors",
    title="商品进货验收差错登记簿",
    sheet="进货验收差错登记簿",
    header=(_DEPARTMENT, Column("category", "商品品种", Col.TEXT), _PREPARER, _HEAD),
    columns=(
        _DATE,
        Column("voucher", "单据编号", Col.TEXT, hint="收货单或入库单编号"),
        _PART_NO,
        _PART_NAME,
        Column("qty_listed", "单据数量", Col.QTY, required=True),
        Column("qty_received", "实收数量", Col.QTY, required=True),
        Column(
            "error",
            "差错情况",
            Col.CHOICE,
            required=True,
            choices=("短缺", "溢余", "破损", "规格不符", "质量问题"),
        ),
        Column("handling", "处理意见", Col.TEXT, width=16),
        Column("inspector", "验收人", Col.TEXT),
    ),
)

DAILY_REPORT = Ledger(
    key="daily_report",
    title="经济核算日报",
    sheet="经济核算日报",
    code="SH/BD-05",
    header=(
        _DEPARTMENT,
        Column("preparer", "制表", Col.TEXT),
        Column("finance_head", "财会负责人", Col.TEXT),
        Column("head", "部门负责", Col.TEXT),
    ),
    columns=(
        _DATE,
        Column("sales", "销售收入", Col.MONEY, hint="元"),
        Column("fees", "服务费收入", Col.MONEY, hint="元"),
        Column("cost", "销售成本", Col.MONEY, hint="元"),
        Column("expenses", "费用支出", Col.MONEY, hint="元"),
        Column("paid_in", "缴款金额", Col.MONEY, hint="元"),
        Column("remark", "备注", Col.TEXT, width=16),
    ),
    slip="date",  # one report per day
)

FEE_LOG = Ledger(
    key="fee_log",
    title="服务费收取记录",
    sheet="服务费收取记录",
    columns=(
        Column("date", "收取日期", Col.DATE, required=True, hint="本月内的收费日期"),
        Column("engineer", "工程师", Col.PERSON, required=True, hint="花名册中的姓名"),
        Column("customer", "客户", Col.TEXT, width=16),
        _AMOUNT,
        Column("approved", "报批次日上交", Col.FLAG, hint="主管批准次日上交填“是”"),
        Column("payment_no", "缴款单号", Col.SLIP, hint="上交后填缴款单编号"),
        Column("paid_on", "缴款日期", Col.DATE, late_ok=True, hint="缴款单日期,可在下月"),
    ),
)

PARTS_LOG = Ledger(
    key="parts_log",
    title="保修配件更换记录",
    sheet="保修配件更换记录",
    columns=(
        Column("date", "更换日期", Col.DATE, required=True, hint="本月内的更换日期"),
        Column("engineer", "工程师", Col.PERSON, required=True, hint="花名册中的姓名"),
        Column("machine", "机床编号", Col.TEXT, required=True, hint="保修机床的编号"),
        Column("customer", "客户", Col.TEXT, width=16),
        _PART_NO,
        _PART_NAME,
        Column("qty", "数量", Col.QTY, hint="空白视为 1"),
        Column("returned_on", "旧件退回日期", Col.DATE, late_ok=True, hint="旧件退回仓库的日期"),
        Column("receipt_no", "入库单号", Col.SLIP, hint="旧件退回的入库单编号"),
    ),
)

LEDGERS: dict[str, Ledger] = {
    ledger.key: ledger
    for ledger in (
        PARTS_CARD,
        SALES_SETTLEMENT,
        EXPENSE_BOOK,
        RECEIPT_SLIP,
        TRANSFER_SLIP,
        ISSUE_SLIP,
        PAYMENT_SLIP,
        GOODS_RECEIPT,
        INSPECTION_ERRORS,
        DAILY_REPORT,
        FEE_LOG,
        PARTS_LOG,
    )
}
SLIPS: dict[str, Ledger] = {k: v for k, v in LEDGERS.items() if v.copies}


def by_sheet(sheet: str) -> Ledger | None:
    """The ledger laid out on a worksheet of that name (or whose title/code is that name)."""
    for ledger in LEDGERS.values():
        if sheet.strip() in (ledger.sheet, ledger.title, ledger.code, ledger.key):
            return ledger
    return None


def copy_label(index: int, destination: str) -> str:
    """第一联 仓库记帐联 — the label printed on copy ``index`` (0-based) of a slip."""
    return f"第{COPY_NUMERALS[index]}联 {destination}"
