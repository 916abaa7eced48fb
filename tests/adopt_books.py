"""Test support: department workbooks laid out in ways the xlpy template never writes, each with
its expected scores worked out by hand (default rules, SCORING.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lo_convert import soffice_xlsx
from openpyxl import Workbook, load_workbook
from pyopenvba import ExcelFile, VBAModuleKind

# The seed's 考核内容 wording, retyped with small differences (punctuation, a word or two).
WORDING = {
    "M01": "售服人员24小时保持公司提供的手机号码畅通,能够及时联系",
    "M02": "收取的服务费必须当天上交公司,特殊情况向主管领导报批,次日上交",
    "M03": "维修记录单填写完整,须经客户签字确认,按实际情况填写",
    "M04": "对配备的维修工具妥善保管,做好维护保养,延长使用寿命",
    "M05": "保修期内更换后的配件按公司规定退回售后服务部仓库,保证账目相符,转运过程中保护好防止损坏",
    "M06": "到客户现场规矩做人、礼貌待人,事先了解故障,准备相应工具及配件,维修后为客户清理现场",
    "M07": "亲自确认机床是否属于保修期内、是否属于制造质量问题,不可片面听信客户,"
    "如实上报公司主管领导",
    "M08": "以返修为评价标准,客户投诉经核实因诊断分析错误导致维修时间延误或更换不必要的配件",
    "M09": "在外维修服务时宣传公司的发展历史、现阶段发展情况、老产品新产品,主动邀请客户来我司参观",
    "M10": "与客户充分沟通,了解客户近期动态和设备采购需求,及时反馈给相应业务员",
    "M11": "严禁私自接维修任务并收费,保守公司各项秘密,不宣传有损公司形象的话",
}
NAMES = {
    "M01": "通讯畅通",
    "M02": "服务费上交",
    "M03": "维修记录单",
    "M04": "维修工具保管",
    "M05": "配件管理",
    "M06": "服务态度",
    "M07": "保修确认与信息上报",
    "M08": "维修技能",
    "M09": "企业荣誉感",
    "M10": "信息收集",
    "M11": "职业道德",
}
FULL = {
    "M01": 5,
    "M02": 5,
    "M03": 5,
    "M04": 5,
    "M05": 10,
    "M06": 5,
    "M07": 10,
    "M08": 20,
    "M09": 5,
    "M10": 10,
    "M11": 5,
}


@dataclass
class Book:
    path: Path
    totals: dict[str, float]  # 工号 -> 总分, by hand
    items: dict[str, dict[str, float]]  # 工号 -> {item: score}, by hand (only those checked)


def paper_counts(folder: Path) -> Book:
    """Title rows, 被考核人/工号 with the value beside, 月份 below its label, header on row 4
    (序号/考核项目/考核内容/分值/扣分次数/得分/备注), items by name, an extra item no rule has."""
    wb = Workbook()
    ws = wb.active
    ws.title = "张三"
    ws["A1"] = "售后服务部"
    ws["A2"] = "员工月度考核表"
    ws["A3"], ws["B3"], ws["D3"], ws["E3"], ws["G3"] = "被考核人", "张三", "工号", "1001", "月份"
    ws["G4"] = "2026-11"
    header = ["序号", "考核项目", "考核内容", "分值", "扣分次数", "得分", "备注"]
    for c, text in enumerate(header, 1):
        ws.cell(5, c, text)
    counts = {
        "M01": 2,
        "M03": 3,
        "M05": 1,
        "M06": 1,
        "M07": 1,
        "M09": "较好",
        "M10": "多",
        "M11": "否",
    }
    row = 6
    for i, code in enumerate(FULL, 1):
        ws.cell(row, 1, i)
        ws.cell(row, 2, NAMES[code])
        ws.cell(row, 3, WORDING[code])
        ws.cell(row, 4, FULL[code])
        if code in counts:
            ws.cell(row, 5, counts[code])
        row += 1
    ws.cell(row, 1, 12)
    ws.cell(row, 2, "安全生产")  # not in the rules: listed, never dropped
    ws.cell(row, 4, 5)
    ws.cell(row + 1, 2, "合计")
    path = folder / "班组考核-张三.xlsx"
    wb.save(path)
    # M01 5−2, M03 5−3×0.5, M05 10−1×5 (one count column: 账目不清), M06 5−1, M07 10−1,
    # 较好 3, 多 10
    return Book(
        path,
        {"1001": 3 + 5 + 3.5 + 5 + 5 + 4 + 9 + 20 + 3 + 10 + 5},
        {"1001": {"M03": 3.5, "M05": 5}},
    )


def percent_deducted(folder: Path) -> Book:
    """Header on row 7 in another column order (扣分 / 分值 as "5%" / 考核内容及评分标准), items
    known only by the seed's wording, identity inline ("姓名:李四"), the month in the title."""
    wb = Workbook()
    ws = wb.active
    ws.title = "李四"
    ws["B1"] = "2026年11月 售后服务人员考核"
    ws["B3"] = "姓名:李四"
    ws["D3"] = "工号:1002"
    ws["B4"] = "班组:一组"
    for c, text in enumerate(["扣分", "分值", "考核内容及评分标准", "备注"], 2):
        ws.cell(7, c, text)
    deducted = {"M02": 1, "M03": 1.5, "M05": 3, "M09": 2, "M10": 0, "M11": 0}
    for r, code in enumerate(FULL, 8):
        if code in deducted:
            ws.cell(r, 2, deducted[code])
        ws.cell(r, 3, f"{FULL[code]}%")
        ws.cell(r, 4, WORDING[code])
    path = folder / "李四.xlsx"
    wb.save(path)
    # M02 5−1, M03 5−1.5 (3 incomplete), M05 10−3 (3 transport damages: the only way),
    # M09 5−2 = 3
    return Book(
        path,
        {"1002": 5 + 4 + 3.5 + 5 + 7 + 5 + 10 + 20 + 3 + 10 + 5},
        {"1002": {"M03": 3.5, "M05": 7, "M09": 3}},
    )


def scores_by_code(folder: Path) -> Book:
    """Codes in the first column, 分值 as percentage numbers (0.05 shown as 5%), the item's score
    (得分) typed by the supervisor, ratings in 评级, 工号 and 月份 below their labels, no 姓名:
    the sheet's name is the person."""
    wb = Workbook()
    ws = wb.active
    ws.title = "王五"
    ws["A1"] = "月度考核评分表"
    ws["B2"], ws["D2"] = "工号", "考核月份"
    ws["B3"], ws["D3"] = 1003, "2026/11"
    for c, text in enumerate(["编号", "考核指标", "分值", "得分", "评级", "备注"], 1):
        ws.cell(5, c, text)
    scores = {"M01": 4, "M02": 5, "M03": 4.5, "M04": 0, "M05": 9, "M06": 5, "M07": 10, "M08": 15}
    ratings = {"M09": "一般", "M10": "差", "M11": "否"}
    for r, code in enumerate(FULL, 6):
        ws.cell(r, 1, code)
        ws.cell(r, 2, NAMES[code])
        ws.cell(r, 3, FULL[code] / 100).number_format = "0%"  # 分值 as a percentage number
        if code in scores:
            ws.cell(r, 4, scores[code])
        else:
            ws.cell(r, 5, ratings[code])
    path = folder / "王五-11月.xlsx"
    wb.save(path)
    return Book(
        path,
        {"1003": 4 + 5 + 4.5 + 0 + 9 + 5 + 10 + 15 + 2 + 0 + 5},
        {"1003": {"M04": 0, "M05": 9}},
    )


def grid(folder: Path) -> Book:
    """One sheet, a row per person, a column per item (code + name + 次数 in the header), M05 in
    two columns (one per kind of deduction), and a 月份 column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "11月考核"
    ws["A1"] = "售后服务部 月考核汇总"
    ws.cell(3, 1, "工号")
    ws.cell(3, 2, "姓名")
    ws.cell(3, 3 + len(FULL) + 1, "月份")  # a 月份 column after the items
    columns = [code for code in FULL if code != "M05"] + ["M05 账目不清", "M05 转运损伤"]
    for c, column in enumerate(columns, 3):
        code = column[:3]
        word = "评级" if code in ("M09", "M10") else "是否违规" if code == "M11" else "次数"
        ws.cell(3, c, f"{column if ' ' in column else code + ' ' + NAMES[code]}({word})")
    people = [
        (
            "1004",
            "赵六",
            {
                "M01": 1,
                "M03": 2,
                "M08": 1,
                "M09": "强",
                "M10": "一般",
                "M11": "否",
                "M05 账目不清": 0,
                "M05 转运损伤": 2,
            },
        ),
        ("1005", "钱七", {"M09": "强", "M10": "多", "M11": "是", "M05 账目不清": 1}),
    ]
    for r, (pid, name, values) in enumerate(people, 4):
        ws.cell(r, 1, pid)
        ws.cell(r, 2, name)
        ws.cell(r, 3 + len(FULL) + 1, "2026年11月")
        for c, column in enumerate(columns, 3):
            if column in values:
                ws.cell(r, c, values[column])
    path = folder / "部门月考核.xlsx"
    wb.save(path)
    # 赵六: M01 5−1, M03 5−2×0.5, M05 10−2×1 (转运损伤), M08 20−5, 强 5, 一般 3; 钱七: vetoed
    return Book(
        path,
        {"1004": 4 + 5 + 4 + 5 + 8 + 5 + 10 + 15 + 5 + 3 + 5, "1005": 0.0},
        {"1004": {"M03": 4, "M05": 8, "M08": 15}, "1005": {"M05": 5}},
    )


def deducted_points(folder: Path) -> Book:
    """Points deducted (扣分) per item, as the supervisor worked them out: amounts no count of
    occurrences reaches (M03 1.5 is, M05 6 and M07 2.5 are not), a full deduction (M08), and
    points deducted of the rated and veto items (M09 2 = 较好, M10 0 = 多, M11 0 = no violation).
    Identity as label/value pairs on row 2, the month written as 2026年11月."""
    wb = Workbook()
    ws = wb.active
    ws.title = "孙八"
    ws["A1"] = "售后服务人员月考核表"
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "被考核人", "孙八", "工号", 1006
    ws["E2"], ws["F2"] = "月份", "2026年11月"
    for c, text in enumerate(["序号", "考核项目", "分值", "扣分", "得分", "备注"], 1):
        ws.cell(4, c, text)
    deducted = {"M01": 0, "M03": 1.5, "M05": 6, "M07": 2.5, "M08": 20, "M09": 2, "M10": 0}
    deducted["M11"] = 0
    for r, code in enumerate(FULL, 5):
        ws.cell(r, 1, r - 4)
        ws.cell(r, 2, NAMES[code])
        ws.cell(r, 3, FULL[code])
        if code in deducted:
            ws.cell(r, 4, deducted[code])
    ws.cell(5 + len(FULL), 2, "合计")
    path = folder / "孙八-扣分.xlsx"
    wb.save(path)
    return Book(
        path,
        {"1006": 5 + 5 + 3.5 + 5 + 4 + 5 + 7.5 + 0 + 3 + 10 + 5},
        {"1006": {"M01": 5, "M03": 3.5, "M05": 4, "M07": 7.5, "M08": 0, "M09": 3}},
    )


def grid_deducted(folder: Path) -> Book:
    """A grid of points deducted: a row per person, a column per item headed by its name and
    扣分 (ratings and the veto by their words), the month in the title only."""
    wb = Workbook()
    ws = wb.active
    ws.title = "扣分登记"
    ws["A1"] = "2026年11月 月考核"
    ws.cell(2, 1, "工号")
    ws.cell(2, 2, "姓名")
    for c, code in enumerate(FULL, 3):
        word = "评级" if code in ("M09", "M10") else "是否违规" if code == "M11" else "扣分"
        ws.cell(2, c, f"{NAMES[code]}{word}")
    people = [
        ("1007", "周九", {"M01": 1, "M03": 1.5, "M05": 6, "M08": 2.5}, ("强", "较好", "否")),
        ("1008", "吴十", {"M02": 5, "M07": 0.5}, ("一般", "多", "否")),
        ("1009", "郑一", {"M04": 5}, ("较好", "较好", "否")),
    ]
    for r, (pid, name, deducted, words) in enumerate(people, 3):
        ws.cell(r, 1, pid)
        ws.cell(r, 2, name)
        for c, code in enumerate(FULL, 3):
            if code in deducted:
                ws.cell(r, c, deducted[code])
        for c, word in enumerate(words, 3 + len(FULL) - 3):
            ws.cell(r, c, word)
    path = folder / "扣分登记表.xlsx"
    wb.save(path)
    return Book(
        path,
        {
            "1007": 4 + 5 + 3.5 + 5 + 4 + 5 + 10 + 17.5 + 5 + 6 + 5,
            "1008": 5 + 0 + 5 + 5 + 10 + 5 + 9.5 + 20 + 2 + 10 + 5,
            "1009": 5 + 5 + 5 + 0 + 10 + 5 + 10 + 20 + 3 + 6 + 5,
        },
        {"1007": {"M03": 3.5, "M05": 4, "M08": 17.5}, "1008": {"M02": 0, "M07": 9.5}},
    )


def kpi_sheet(folder: Path) -> Book:
    """Scheme K on a sheet of the department's own: KPIs by name (one with a word more) in
    another order, 目标值/实际值 after a 权重 column, the behaviours in a second table with
    自评/上级评分, identity inline."""
    wb = Workbook()
    ws = wb.active
    ws.title = "陈二"
    ws["A1"] = "售后服务员考核评分表(月度)"
    ws["A2"], ws["C2"], ws["E2"] = "姓名:陈二", "工号:2001", "考核月份:2026-11"
    for c, text in enumerate(["序号", "KPI指标", "权重", "目标值", "实际值", "得分"], 1):
        ws.cell(4, c, text)
    kpis = [  # name, target, actual
        ("客户回访率", 50, 50),  # K3 100% → 20
        ("客户满意度", 90, 81),  # K5 90% → 10
        ("客户信息管理", 100, 76),  # K1 76% → 5
        ("投诉处理", 10, 7),  # K4 70% → 0
        ("客户档案管理", 20, 25),  # K2 125% → 20
    ]
    for r, (name, target, actual) in enumerate(kpis, 5):
        ws.cell(r, 1, r - 4)
        ws.cell(r, 2, name)
        ws.cell(r, 3, "20%")
        ws.cell(r, 4, target)
        ws.cell(r, 5, actual)
    ws["B11"], ws["D11"], ws["E11"] = "行为指标", "自评", "上级评分"
    ws["B12"], ws["D12"], ws["E12"] = "服务细致度", 4, 5  # 0.3×4 + 0.7×5 = 4.7 → 94
    ws["B13"], ws["D13"], ws["E13"] = "以客户为中心", 3, 4  # 3.7 → 74
    path = folder / "陈二-KPI.xlsx"
    wb.save(path)
    # 业绩 20 + 10 + 5 + 0 + 20 = 55, 行为 (94 + 74) / 2 = 84, 总分 0.85×55 + 0.15×84
    return Book(
        path,
        {"2001": 0.85 * 55 + 0.15 * 84},
        {"2001": {"K1": 5, "K2": 20, "K3": 20, "K4": 0, "K5": 10, "B1": 94, "B2": 74}},
    )


def kpi_scored(folder: Path) -> Book:
    """:func:`kpi_sheet` with the cells its macros filled in: each KPI's 得分 (F) and 完成率
    (G), 业绩得分, the behaviours' 得分, 行为得分 and 总分 — stale numbers, for formulas to replace."""
    made = kpi_sheet(folder)
    wb = load_workbook(made.path)
    ws = wb["陈二"]
    ws["G4"], ws["F11"] = "完成率", "得分"
    ws["B10"], ws["F10"] = "业绩得分", 0
    ws["B14"], ws["F14"] = "行为得分", 0
    ws["B16"], ws["F16"] = "总分", 0
    for r in (5, 6, 7, 8, 9, 12, 13):
        ws.cell(r, 6, 0)
    wb.save(made.path)
    return made


def kpi_grid(folder: Path) -> Book:
    """Scheme K as a grid, a row per person: each KPI's name (one by code) over its 目标值 /
    实际值 / 得分 columns (a merged cell), the behaviours headed in one cell ("服务细致度自评"),
    then 业绩得分 / 行为得分 / 总分 columns (stale numbers); the month in the title."""
    wb = Workbook()
    ws = wb.active
    ws.title = "KPI汇总"
    ws["A1"] = "2026年11月 售后服务员KPI考核汇总"
    ws["A3"], ws["B3"] = "工号", "姓名"
    kpis = ["客户信息管理", "客户档案管理", "客户回访率", "K4 投诉处理", "客户满意度"]
    for i, name in enumerate(kpis):
        column = 3 + 3 * i
        ws.cell(2, column, name)
        ws.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + 2)
        for j, text in enumerate(["目标值", "实际值", "得分"]):
            ws.cell(3, column + j, text)
    ws.cell(2, 18, "行为考核")
    behaviours = ["服务细致度", "以客户为中心"]
    headers = [f"{b}{w}" for b in behaviours for w in ("自评", "上级评分", "得分")]
    for c, text in enumerate([*headers, "业绩得分", "行为得分", "总分"], 18):
        ws.cell(3, c, text)
    people = [  # 工号, 姓名, (target, actual) × 5, (自评, 上级评分) × 2
        # 100% → 20, 80% → 10, 80% → 10, 75% → 5, 66.7% → 0: 业绩 45;
        # 0.3×5 + 0.7×4 = 4.3 → 86, 上级 blank: 3 → 60: 行为 73
        (
            "3001",
            "王五",
            [(100, 100), (20, 16), (50, 40), (10, 7.5), (90, 60)],
            [(5, 4), (3, None)],
        ),
        # 80% → 10, 100% → 20, 75% → 5, target 0 met → 20, 100% → 20: 业绩 75;
        # 4 → 80, 0.3×2 + 0.7×3 = 2.7 → 54: 行为 67
        ("3002", "赵六", [(100, 80), (10, 10), (40, 30), (0, 0), (90, 90)], [(4, 4), (2, 3)]),
    ]
    for r, (pid, name, targets, ratings) in enumerate(people, 4):
        ws.cell(r, 1, pid)
        ws.cell(r, 2, name)
        for i, (target, actual) in enumerate(targets):
            ws.cell(r, 3 + 3 * i, target)
            ws.cell(r, 4 + 3 * i, actual)
            ws.cell(r, 5 + 3 * i, 0)
        for i, (own, boss) in enumerate(ratings):
            ws.cell(r, 18 + 3 * i, own)
            ws.cell(r, 19 + 3 * i, boss)
            ws.cell(r, 20 + 3 * i, 0)
        for c in (24, 25, 26):
            ws.cell(r, c, 0)
    path = folder / "KPI汇总.xlsx"
    wb.save(path)
    return Book(
        path,
        {"3001": 0.85 * 45 + 0.15 * 73, "3002": 0.85 * 75 + 0.15 * 67},
        {
            "3001": {"K1": 20, "K2": 10, "K3": 10, "K4": 5, "K5": 0, "B1": 86, "B2": 60},
            "3002": {"K1": 10, "K2": 20, "K3": 5, "K4": 20, "K5": 20, "B1": 80, "B2": 54},
        },
    )


KINDS = {
    "paper_counts": paper_counts,
    "percent_deducted": percent_deducted,
    "scores_by_code": scores_by_code,
    "grid": grid,
    "deducted_points": deducted_points,
    "grid_deducted": grid_deducted,
}


def with_vba(book: Workbook, path: Path, modules: dict[str, str]) -> Path:
    """``book`` saved as ``path`` (.xlsm) with ``modules`` ({name: code}) as its VBA project."""
    book.save(path)
    with ExcelFile(path) as vba:
        project = vba.add_vba_project()
        for name, code in modules.items():
            project.add_module(
                name, f'Attribute VB_Name = "{name}"\r\n{code}', kind=VBAModuleKind.standard
            )
        vba.save()
    return path


def through_libreoffice(book: Book, folder: Path) -> Book:
    """The same workbook opened and saved again by LibreOffice (its own xlsx writer)."""
    return Book(soffice_xlsx(book.path, folder), book.totals, book.items)
