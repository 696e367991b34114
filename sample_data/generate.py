"""Generate the sample workbook ``q3.xlsx`` and benchmark-scale data for spm.

The sample is a fictitious pharma field force: two years of sales lines (2023-10 to
2025-09), visits, surveys, targets and the other tables of SPEC §2, with Chinese sheet
names and headers as a CRM export would have them. It is built so that every feature
has something to show on 2025-Q3: growth and yoy, new and lost customers, a rep without
sales, a sale by a rep missing from the roster, missing targets, a penalty and a KPI
adjustment. Each rep has a hidden strength that moves most of their numbers together
(sales against target, repurchase, collection, visit success, satisfaction, trainings,
the manager's rating), so strong reps are strong on several KPIs and weak ones weak, with
each KPI's own noise on top; targets stretch a little above plan, so the quarter's
grades spread over A to D. Everything is drawn from one seeded numpy Generator and
vectorised, so the same arguments always give the same data, also at 1 M sales lines.

Usage: python sample_data/generate.py [--out PATH] [--format xlsx|csv|parquet]
       [--reps 40] [--customers 500] [--sales-lines N] [--visits N] [--seed 7]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

HERE = Path(__file__).resolve().parent
DEFAULT_XLSX = HERE / "q3.xlsx"
DEFAULT_FOLDER = HERE / "q3"

# History: 24 months, month index 0 = 2023-10, 23 = 2025-09.
FIRST_MONTH = np.datetime64("2023-10", "M")
N_MONTHS = 24
LAST_YEAR_Q3 = (9, 11)  # month indexes of 2024-07 .. 2024-09, inclusive
THIS_Q2 = (18, 20)  # 2025-04 .. 2025-06
THIS_Q3 = (21, 23)  # 2025-07 .. 2025-09
Q2_START, Q3_START, Q3_END = date(2025, 4, 1), date(2025, 7, 1), date(2025, 9, 30)
SURVEYS_FROM = date(2025, 1, 1)
SURVEYS_QUARTER = 5  # quarter index of 2025-Q1 (quarter 0 = 2023-Q4)
EVALUATED = "2025-Q3"
Q3_MONTHS = ("2025-07", "2025-08", "2025-09")

# Pharma demand by calendar month (Jan..Dec): Spring Festival dip, year-end push.
SEASON = np.array([0.85, 0.70, 1.00, 0.95, 1.00, 1.05, 0.95, 0.95, 1.05, 1.00, 1.05, 1.25])

HUNTER, FARMER = "开拓型", "维护型"
OTC = "OTC"

# Table -> (sheet name, internal column -> header); sheet order is workbook order.
SHEETS: dict[str, tuple[str, dict[str, str]]] = {
    "reps": (
        "代表",
        {
            "rep_id": "代表编号",
            "name": "姓名",
            "team": "团队",
            "role": "角色",
            "manager": "经理",
            "region": "区域",
            "target_bonus": "目标奖金",
            "email": "邮箱",
        },
    ),
    "sales": (
        "销售明细",
        {
            "date": "销售日期",
            "rep_id": "代表编号",
            "customer_id": "客户编号",
            "customer_name": "客户名称",
            "product": "产品",
            "category": "产品类别",
            "quantity": "数量",
            "amount": "金额",
            "cost": "成本",
            "collected": "回款金额",
        },
    ),
    "visits": (
        "拜访记录",
        {
            "date": "拜访日期",
            "rep_id": "代表编号",
            "customer_id": "客户编号",
            "type": "拜访类型",
            "outcome": "拜访结果",
        },
    ),
    "satisfaction": (
        "满意度调查",
        {"date": "调查日期", "customer_id": "客户编号", "rep_id": "代表编号", "score": "评分"},
    ),
    "targets": (
        "目标",
        {"rep_id": "代表编号", "kpi": "指标", "period": "期间", "target": "目标值"},
    ),
    "customers": (
        "客户",
        {
            "customer_id": "客户编号",
            "name": "客户名称",
            "rep_id": "代表编号",
            "potential": "潜力",
            "type": "客户类型",
            "region": "区域",
            "grade": "医院等级",
        },
    ),
    "activities": (
        "活动",
        {"date": "活动日期", "rep_id": "代表编号", "type": "活动类型", "participants": "参与人数"},
    ),
    "ratings": (
        "主管评分",
        {
            "rep_id": "代表编号",
            "item": "评价项目",
            "rating": "评级",
            "period": "期间",
            "rater": "评价人",
        },
    ),
    "adjustments": (
        "考核调整",
        {
            "rep_id": "代表编号",
            "points": "扣分",
            "kpi": "指标",
            "value": "调整值",
            "reason": "原因",
            "approved_by": "审批人",
        },
    ),
    "comments": (
        "经理评语",
        {"rep_id": "代表编号", "strengths": "优势", "improvements": "待改进", "plan": "改进计划"},
    ),
}

MONEY = pl.Decimal(18, 2)
ORDER_SPREAD = 0.12  # lognormal sigma of an order's value around the customer's typical order
CONTRACT_PRICE = (0.88, 1.0)  # range of a customer's contract price as a share of list


def _words(text: str) -> np.ndarray:
    """A space-separated word list as an object array, ready for vectorised ``+``."""
    return np.array(text.split(), dtype=object)


SURNAMES = _words(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗 郑 梁 谢 宋 唐 "
    "许 韩 冯 邓 曹 彭 曾 肖 田 董 潘 袁 蔡 蒋 余 于 杜 叶 程 魏 苏 吕 丁 任 沈"
)
SURNAMES_PINYIN = _words(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo "
    "zheng liang xie song tang xu han feng deng cao peng zeng xiao tian dong pan yuan cai "
    "jiang yu yu du ye cheng wei su lv ding ren shen"
)
GIVEN = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 华 建 文 辉 玲 婷 鑫 宇 浩 "
    "凯 晨 欣 怡 佳 涵 博 思 雨 嘉 轩 晓 俊 帆 琳 颖 倩 雪 慧 鹏 飞 亮 斌 波 丹 萍 志 海 云 峰 红"
)
GIVEN_PINYIN = _words(
    "wei fang na min jing li qiang lei jun yang yong yan jie juan tao ming chao xia ping gang "
    "hua jian wen hui ling ting xin yu hao kai chen xin yi jia han bo si yu jia xuan xiao jun "
    "fan lin ying qian xue hui peng fei liang bin bo dan ping zhi hai yun feng hong"
)

# The four sample teams, then regions that larger (benchmark) rosters cycle through.
TEAMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("华东一组", ("上海", "浙江")),
    ("华东二组", ("江苏", "安徽")),
    ("华北组", ("北京", "天津", "河北")),
    ("华南组", ("广东", "福建")),
)
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("华东", ("上海", "浙江", "江苏", "安徽")),
    ("华北", ("北京", "天津", "河北")),
    ("华南", ("广东", "福建")),
    ("华中", ("湖北", "湖南", "河南")),
    ("西南", ("四川", "重庆", "云南")),
    ("西北", ("陕西", "甘肃")),
    ("东北", ("辽宁", "吉林", "黑龙江")),
)
CITIES: dict[str, tuple[str, ...]] = {
    "上海": ("上海",),
    "浙江": ("杭州", "宁波", "温州", "绍兴"),
    "江苏": ("南京", "苏州", "无锡", "常州"),
    "安徽": ("合肥", "芜湖"),
    "北京": ("北京",),
    "天津": ("天津",),
    "河北": ("石家庄", "保定", "唐山"),
    "广东": ("广州", "深圳", "佛山", "东莞"),
    "福建": ("福州", "厦门", "泉州"),
    "湖北": ("武汉", "宜昌"),
    "湖南": ("长沙", "株洲"),
    "河南": ("郑州", "洛阳"),
    "四川": ("成都", "绵阳"),
    "重庆": ("重庆",),
    "云南": ("昆明",),
    "陕西": ("西安", "宝鸡"),
    "甘肃": ("兰州",),
    "辽宁": ("沈阳", "大连"),
    "吉林": ("长春",),
    "黑龙江": ("哈尔滨",),
}
DISTRICTS = _words("东湖 西湖 南山 北塘 滨江 高新 新城 江北 城东 城西 开元 金山 长河 临江")
NUMERALS = _words("一 二 三 四 五 六 七 八 九 十")
PHARMACY_BRANDS = _words("康宁 仁心 百草堂 惠民 安康 华康 福寿堂 益生 德仁 济世 同仁和 万家")
STREETS = _words("新华 长安 人民 和平 建设 解放 中山 友谊 朝阳 东风")

# Customer types: (type, id prefix, share, typical order in CNY, relative buying frequency,
# product mix row, grades). Hospitals get a grade; other types leave 医院等级 blank.
KINDS: tuple[tuple[str, str, float, float, float, int, tuple[str, ...]], ...] = (
    ("三级医院", "H", 0.08, 15_000, 6.0, 0, ("三级甲等", "三级甲等", "三级乙等")),
    ("二级医院", "H", 0.14, 8_000, 3.4, 0, ("二级甲等", "二级乙等")),
    ("药店", "P", 0.42, 6_000, 1.0, 1, ()),
    ("诊所", "C", 0.22, 2_500, 0.5, 2, ()),
    ("社区卫生服务中心", "C", 0.14, 3_500, 0.7, 2, ()),
)
PREFIX_ORDER = ("H", "P", "C")

# Customer names per type: templates over the parts drawn in ``draw_names``.
NAME_TEMPLATES: tuple[tuple[str, ...], ...] = (
    (
        "{city}市第{num}人民医院",
        "{city}市中心医院",
        "{city}市中医院",
        "{city}医科大学附属第{num}医院",
        "{city}市妇幼保健院",
        "{city}市肿瘤医院",
        "{city}市儿童医院",
    ),
    (
        "{city}市{district}区人民医院",
        "{city}市{district}区中医医院",
        "{city}市第{num}医院",
        "{city}市{district}区妇幼保健院",
    ),
    ("{brand}大药房（{city}{district}店）",),
    (
        "{city}{district}口腔诊所",
        "{city}{surname}氏中医诊所",
        "{city}{district}综合门诊部",
        "{city}{district}儿科诊所",
    ),
    ("{city}市{district}区{street}街道社区卫生服务中心",),
)

# Products: (name, category, list price in CNY, typical cost share of the amount).
PRODUCTS: tuple[tuple[str, str, float, float], ...] = (
    ("头孢曲松钠注射剂", "处方药", 42.50, 0.44),
    ("阿托伐他汀钙片", "处方药", 36.80, 0.45),
    ("盐酸二甲双胍缓释片", "处方药", 24.60, 0.48),
    ("奥美拉唑肠溶胶囊", "处方药", 31.20, 0.46),
    ("布洛芬缓释胶囊", OTC, 18.90, 0.62),
    ("复方感冒灵颗粒", OTC, 15.50, 0.64),
    ("一次性使用输液器", "器械", 260.00, 0.60),
    ("电子血压计", "器械", 238.00, 0.66),
)
# Product mix per customer group (hospital, pharmacy, clinic); rows sum to 1.
PRODUCT_MIX = np.array(
    [
        [0.21, 0.18, 0.14, 0.15, 0.02, 0.01, 0.19, 0.10],
        [0.02, 0.12, 0.12, 0.08, 0.30, 0.26, 0.00, 0.10],
        [0.10, 0.12, 0.12, 0.10, 0.20, 0.18, 0.10, 0.08],
    ]
)

# Chance that a typical customer of each type orders at all in a given quarter (aligned
# with KINDS): hospitals reorder almost every quarter, pharmacies and clinics now and then;
# bigger customers more regularly.
REGULARITY = np.array([0.97, 0.93, 0.47, 0.37, 0.42])

# Lifecycle of a rep's regular accounts by the rep's role: (existing before the history,
# opened in its first months, opened in 2025-Q3, prospect never bought). Hunters' Q3
# openings come from their pipeline instead: PIPELINE_PER_HUNTER prospects each, of which
# the plan expects PLAN_CONVERSION to open in Q3 (the new-customer target); how many do
# depends on the hunter, CONVERSION on average (what the sales forecast assumes).
LIFECYCLE = {True: (0.80, 0.18, 0.0, 0.02), False: (0.88, 0.09, 0.02, 0.01)}
PIPELINE_PER_HUNTER = 5
PLAN_CONVERSION = 0.7
CONVERSION = 0.45
NEW_HIRE_PROSPECTS = 5

# Log-odds drop of an irregular buyer reordering in the quarter right after an order
# (it stocked up).
STOCKED_UP = 0.5

# Sales targets: the account plan's forecast for Q3 times this stretch.
STRETCH = 1.14

# Teamwork ratings: a rep's rating is the first whose cut-off its teamwork score (mostly
# the rep's strength) reaches; for a standard-normal score about 10 % 优秀, 28 % 良好,
# 44 % 合格 and 18 % 不合格, a little stricter on this roster's longer weak tail.
RATINGS = (("优秀", 1.3), ("良好", 0.3), ("合格", -0.9), ("不合格", -np.inf))
STRENGTHS = (
    "核心医院关系稳固，科室覆盖完整",
    "产品知识扎实，学术推广能力强",
    "回款跟进及时，账期控制良好",
    "新客户开发积极，拜访计划执行到位",
    "客户反馈响应快，满意度高",
    "善于组织科室会，带动处方增长",
    "团队协作意识强，乐于分享经验",
    "数据记录规范，拜访信息完整",
)
IMPROVEMENTS = (
    "A类客户拜访频次不足",
    "新产品推广进度偏慢",
    "部分客户回款拖期，需加强催收",
    "拜访有效率偏低，拜访前准备不足",
    "药店渠道覆盖有限",
    "对竞品动态掌握不够",
    "客户培训场次未达要求",
    "季度内业绩波动较大，节奏需均衡",
)
PLANS = (
    "每周至少拜访A类客户一次，月底复盘拜访质量",
    "下季度组织两场科室会，重点推广新品",
    "与财务每两周核对一次回款，逾期客户逐一跟进",
    "每次拜访前准备客户档案和沟通要点",
    "制定药店开发清单，每月新增两家合作药店",
    "参加公司产品培训并通过考核",
    "每月举办一次客户培训，提升客户满意度",
    "按月分解目标，每周跟踪达成进度",
)


@dataclass(frozen=True)
class Roster:
    """The reps and the hidden traits that drive their numbers (index = rep number - 1).
    Most traits follow the rep's strength, each with noise of its own."""

    table: pl.DataFrame
    hunter: np.ndarray  # bool
    team: np.ndarray  # team index
    strength: np.ndarray  # how good the rep is overall: about standard normal, -1.9 to 1.7
    growth: np.ndarray  # yearly log growth of the rep's book
    form: np.ndarray  # multiplier on the demand of the rep's accounts
    loyalty: np.ndarray  # log-odds shift of accounts reordering and prospects converting
    diligence: np.ndarray  # visit volume multiplier
    skill: np.ndarray  # chance that a visit is effective
    care: np.ndarray  # mean satisfaction score of the rep's customers
    slow_pay: np.ndarray  # multiplier on the chance of unpaid recent lines
    engagement: np.ndarray  # multiplier on trainings and academic meetings
    managers: np.ndarray  # manager name per team

    @property
    def ids(self) -> np.ndarray:
        return self.table["rep_id"].to_numpy()

    @property
    def new_hire(self) -> int:
        """The last rep: a hunter hired for Q3, with prospects only and no sales at all."""
        return len(self.hunter) - 1


@dataclass(frozen=True)
class Accounts:
    """The customers and their buying behaviour (index = row of the customers table)."""

    table: pl.DataFrame  # without potential, which depends on the sales
    kind: np.ndarray  # index into KINDS
    rep: np.ndarray  # assigned rep index
    pipeline: np.ndarray  # bool: a hunter's prospect for Q3 (opened in Q3 or still a prospect)
    start: np.ndarray  # month index of the first purchase; N_MONTHS = never bought
    end: np.ndarray  # month index of the last possible purchase
    size: np.ndarray  # how much more than a typical customer of its type it buys
    trend: np.ndarray  # yearly log growth
    regularity: np.ndarray  # chance that it orders in a given quarter
    ordering: np.ndarray  # bool (customer, quarter): whether it orders in that quarter


def generate(
    reps: int = 40,
    customers: int = 500,
    sales_lines: int = 9_000,
    visits: int = 4_500,
    seed: int = 7,
) -> dict[str, pl.DataFrame]:
    """All tables, keyed by English table name, with the sample's Chinese headers."""
    if reps < 5 or customers < 20 or sales_lines < 10 * customers or visits < 1:
        raise ValueError(
            "need at least 5 reps, 20 customers, 10 sales lines per customer and 1 visit"
        )
    rng = np.random.default_rng(seed)
    roster = make_roster(rng, reps)
    accounts = make_accounts(rng, roster, customers)
    lines = make_sales_lines(rng, roster, accounts, sales_lines)
    visit_rows = make_visits(rng, roster, accounts, lines, visits)
    tables = {
        "reps": roster.table,
        "sales": sales_table(lines, roster, accounts),
        "visits": visit_rows,
        "satisfaction": make_satisfaction(rng, roster, accounts),
        "targets": make_targets(rng, roster, accounts, lines, visit_rows),
        "customers": customers_table(rng, accounts, lines),
        "activities": make_activities(rng, roster),
        "ratings": make_ratings(rng, roster),
        "adjustments": make_adjustments(rng, roster, lines),
        "comments": make_comments(rng, roster),
    }
    return {
        table: tables[table].select(pl.col(col).alias(header) for col, header in columns.items())
        for table, (_, columns) in SHEETS.items()
    }


# --- people and places -------------------------------------------------------------------


def person_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Chinese names (surname + one or two syllables) and their pinyin."""
    weights = 1.0 / (np.arange(len(SURNAMES)) + 6.0)
    surname = rng.choice(len(SURNAMES), n, p=weights / weights.sum())
    first, second = rng.integers(0, len(GIVEN), (2, n))
    two = rng.random(n) < 0.6
    name = SURNAMES[surname] + GIVEN[first] + np.where(two, GIVEN[second], "")
    pinyin = (
        SURNAMES_PINYIN[surname] + GIVEN_PINYIN[first] + np.where(two, GIVEN_PINYIN[second], "")
    )
    return name, pinyin


def team_layout(n_teams: int) -> list[tuple[str, tuple[str, ...]]]:
    """The four sample teams, then numbered teams cycling through the other areas."""
    extra = [
        (f"{AREAS[k % len(AREAS)][0]}{k + 1}组", AREAS[k % len(AREAS)][1])
        for k in range(len(TEAMS), n_teams)
    ]
    return [*TEAMS, *extra]


def pick_within(
    rng: np.random.Generator, groups: Sequence[Sequence[str]], which: np.ndarray
) -> np.ndarray:
    """One random member of ``groups[which[i]]`` for every i."""
    flat = np.array([item for group in groups for item in group], dtype=object)
    sizes = np.array([len(group) for group in groups])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return flat[offsets[which] + (rng.random(len(which)) * sizes[which]).astype(int)]


def id_strings(prefix: str | np.ndarray, numbers: np.ndarray, width: int) -> np.ndarray:
    """IDs such as ``R001``: text with leading zeros, never numbers."""
    return prefix + np.strings.zfill(numbers.astype(str), width).astype(object)


def rep_id_width(n_reps: int) -> int:
    return max(3, len(str(n_reps + 1)))


def unknown_rep_id(n_reps: int) -> str:
    """A rep id that is not on the roster (R099 for the sample)."""
    return f"R{max(99, n_reps + 1):0{rep_id_width(n_reps)}d}"


# --- reps ---------------------------------------------------------------------------------


def make_roster(rng: np.random.Generator, n: int) -> Roster:
    """About ten reps per team, a third of them hunters; the last one is a new hire."""
    teams = team_layout(max(len(TEAMS), round(n / 10)))
    team = rng.permutation(np.arange(n) * len(teams) // n)
    hunter = rng.random(n) < 1 / 3
    hunter[-1] = True
    names, pinyin = person_names(rng, n)
    managers, _ = person_names(rng, len(teams))
    region = pick_within(rng, [provinces for _, provinces in teams], team)
    table = pl.DataFrame(
        {
            "rep_id": id_strings("R", np.arange(1, n + 1), rep_id_width(n)),
            "name": names,
            "team": np.array([name for name, _ in teams], dtype=object)[team],
            "role": np.where(hunter, HUNTER, FARMER),
            "manager": managers[team],
            "region": region,
            "target_bonus": 1000 * rng.integers(20, 41, n),
            "email": pinyin,
        },
        schema_overrides={"target_bonus": pl.Int64},
    )
    # Same pinyin twice gets a number, as mail systems do: wangfang, wangfang2.
    seen = pl.int_range(pl.len()).over("email")
    table = table.with_columns(
        pl.concat_str(
            "email",
            pl.when(seen > 0).then((seen + 1).cast(pl.String)).otherwise(pl.lit("")),
            pl.lit("@example.com"),
        ).alias("email")
    )
    # One strength from each n-th of the talent distribution (logistic, close to normal),
    # so every roster has its stars and its strugglers; the weak tail is the longer one.
    share = (rng.permutation(n) + rng.random(n)) / n
    normal = np.log(share / (1 - share)) / 1.7
    strength = np.clip(np.where(normal < 0, 1.15, 0.75) * normal, -1.9, 1.7)
    noise = rng.standard_normal((8, n))
    return Roster(
        table=table,
        hunter=hunter,
        team=team,
        strength=strength,
        growth=0.08 + 0.04 * strength + 0.03 * noise[0],
        form=np.exp(0.12 * strength + 0.04 * noise[1]),
        loyalty=0.7 * strength + 0.2 * noise[2],
        diligence=np.exp(0.12 * strength + 0.08 * noise[3]) * np.where(hunter, 1.15, 1.0),
        skill=np.clip(0.6 + 0.085 * strength + 0.025 * noise[4], 0.42, 0.8),
        care=np.clip(4.3 + 0.28 * strength + 0.08 * noise[5], 3.9, 4.95),
        slow_pay=np.exp(np.clip(-0.45 * strength + 0.15 * noise[6], -1.0, 0.6)),
        engagement=np.exp(0.85 * strength + 0.1 * noise[7]),
        managers=managers,
    )


# --- customers ----------------------------------------------------------------------------


def make_accounts(rng: np.random.Generator, roster: Roster, n: int) -> Accounts:
    """Customers of one assigned rep each. Regular accounts are dealt to the reps by value;
    every hunter also gets a pipeline of prospects, of which a share depending on the
    hunter opens in Q3; the new hire only has prospects; some accounts are lost along the
    way, more of them with weak reps."""
    shares = np.array([k[2] for k in KINDS])
    prefix_rank = np.array([PREFIX_ORDER.index(k[1]) for k in KINDS])
    kind = rng.choice(len(KINDS), n, p=shares / shares.sum())
    kind = kind[np.argsort(prefix_rank[kind], kind="stable")]
    size = rng.lognormal(0.0, 0.7, n)
    openers = np.flatnonzero(roster.hunter[: roster.new_hire])
    n_prospects = min(NEW_HIRE_PROSPECTS, n // 10)
    n_pipeline = min(PIPELINE_PER_HUNTER * len(openers), n // 4)
    chosen = rng.permutation(n)[: n_prospects + n_pipeline]
    prospects, pipeline = chosen[:n_prospects], chosen[n_prospects:]
    regular = np.ones(n, bool)
    regular[chosen] = False
    rep = np.full(n, roster.new_hire)
    value = np.array([k[3] * k[4] for k in KINDS])[kind] * size
    hospital = np.array([k[1] == "H" for k in KINDS])[kind]
    rep[regular] = balanced_territories(rng, value[regular], ~hospital[regular], roster.new_hire)
    rep[pipeline] = openers[rng.permutation(n_pipeline) % max(len(openers), 1)]
    in_pipeline = np.zeros(n, bool)
    in_pipeline[pipeline] = True

    lifecycle = np.where(roster.hunter[rep, None], LIFECYCLE[True], LIFECYCLE[False])
    stage = (rng.random((n, 1)) > lifecycle.cumsum(axis=1)).sum(axis=1)
    converts = sigmoid(logit(CONVERSION) + 1.6 * roster.loyalty[rep])
    opened = systematic(rng, np.where(in_pipeline, converts, 0.0), np.lexsort((rng.random(n), rep)))
    opened = opened > 0
    stage = np.where(in_pipeline, np.where(opened, 2, 3), stage)
    stage[prospects] = 3
    start = np.select(
        [stage == 0, stage == 1, stage == 2],
        [np.zeros(n, int), rng.integers(1, 9, n), rng.integers(THIS_Q3[0], N_MONTHS, n)],
        N_MONTHS,
    )
    churn = np.where(hospital, 0.015, 0.06) * np.exp(-0.3 * roster.strength[rep])
    lost = (start <= 8) & (rng.random(n) < churn)
    end = np.where(lost, rng.integers(9, 20, n), N_MONTHS - 1)
    size *= np.select([start > 0, lost], [0.4, 0.5], 1.0)

    # Ordering quarters: a customer orders in a quarter at its regularity, always in the
    # quarter of its first purchase. Of those that ordered in Q2, the share that orders
    # again in Q3 depends on the rep.
    regularity = sigmoid(logit(REGULARITY[kind]) + 0.7 * np.log(size))
    quarter = np.arange(N_MONTHS // 3)
    active = (start[:, None] // 3 < quarter) & (quarter <= end[:, None] // 3)
    ordering = np.ones((n, len(quarter)), bool)
    for q in quarter:
        ordering[:, q] = ~skipped(rng, np.where(active[:, q], 1 - regularity, 0.0), rep)
    q2, q3 = THIS_Q2[0] // 3, THIS_Q3[0] // 3
    repeat = ordering[:, q2] & active[:, q2] & active[:, q3]
    sway = 2 * (1 - regularity)  # hospitals reorder anyway; irregular buyers follow the rep
    keeps = sigmoid(logit(regularity) + sway * (roster.loyalty[rep] - STOCKED_UP))
    ordering[repeat, q3] = ~skipped(rng, np.where(repeat, 1 - keeps, 0.0), rep, 2.0)[repeat]

    province = roster.table["region"].to_numpy()[rep]
    province_index = pl.Series(province).replace_strict(list(CITIES), range(len(CITIES)))
    city = pick_within(rng, list(CITIES.values()), province_index.to_numpy())
    prefixes = np.array([k[1] for k in KINDS], dtype=object)[kind]
    number = np.arange(n) - np.searchsorted(prefix_rank[kind], prefix_rank[kind]) + 1
    grades = [k[6] or ("",) for k in KINDS]
    table = pl.DataFrame(
        {
            "customer_id": id_strings(prefixes, number, max(4, len(str(n)))),
            "name": customer_names(rng, kind, city),
            "rep_id": roster.ids[rep],
            "type": np.array([k[0] for k in KINDS], dtype=object)[kind],
            "region": province,
            "grade": pick_within(rng, grades, kind),
        }
    ).with_columns(pl.col("grade").replace("", None))
    return Accounts(
        table=table,
        kind=kind,
        rep=rep,
        pipeline=in_pipeline,
        start=start,
        end=end,
        size=size,
        trend=roster.growth[rep] + rng.normal(0.0, 0.06, n),
        regularity=regularity,
        ordering=ordering,
    )


def skipped(
    rng: np.random.Generator, chance: np.ndarray, rep: np.ndarray, sharp: float = 1.0
) -> np.ndarray:
    """Which accounts skip a quarter, given each one's chance (0 where it cannot): for every
    rep its expected number rounded up or down, the likelier skippers first, so the share
    is the rep's and the skippers are mostly the small, irregular buyers."""
    # A weighted draw without replacement (exponential race on the odds); ``sharp`` > 1
    # favours the likely skippers more, so that accounts that nearly always order hardly
    # ever skip in their stead.
    odds = (1 - chance) / np.maximum(chance, 1e-9)
    key = (0.1 + rng.exponential(size=len(chance))) * odds**sharp
    order = np.lexsort((key, rep))
    ranked = rep[order]
    count = np.bincount(rep, weights=systematic(rng, chance, order), minlength=rep.max() + 1)
    out = np.empty(len(chance), bool)
    out[order] = np.arange(len(chance)) - np.searchsorted(ranked, ranked) < count[ranked]
    return out


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float | np.ndarray) -> np.ndarray:
    return np.log(np.asarray(p) / (1.0 - np.asarray(p)))


def systematic(rng: np.random.Generator, expected: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Whole counts with the given expectations (0 or 1 where they are probabilities).
    Systematic sampling along ``order`` keeps every run of consecutive items, such as one
    rep's accounts, within one of its expected total."""
    edges = np.floor(np.cumsum(expected[order]) + rng.random())
    counts = np.empty(len(expected), dtype=np.int64)
    counts[order] = np.diff(edges, prepend=0.0)
    return counts


def balanced_territories(
    rng: np.random.Generator, value: np.ndarray, group: np.ndarray, n_reps: int
) -> np.ndarray:
    """Deal customers to reps like cards, group by group (hospitals first), biggest first
    and back and forth, so territories have a similar mix and value, as sales operations
    design them; noise keeps them uneven."""
    order = np.lexsort((-value * rng.lognormal(0.0, 0.5, len(value)), group))
    turn, seat = np.divmod(np.arange(len(value)), n_reps)
    seat = np.where(turn % 2 == 0, seat, n_reps - 1 - seat)
    rep = np.empty(len(value), dtype=int)
    rep[order] = rng.permutation(n_reps)[seat]
    return rep


def customer_names(rng: np.random.Generator, kind: np.ndarray, city: np.ndarray) -> pl.Series:
    """Names like 杭州市第三人民医院; a repeated name is drawn again a few times, and what
    still repeats (only at benchmark scale) gets a branch number such as （2）."""
    names = np.full(len(kind), "", dtype=object)
    redraw = np.arange(len(kind))
    for _ in range(10):
        names[redraw] = draw_names(rng, kind[redraw], city[redraw])
        redraw = np.flatnonzero(~pl.Series(names, dtype=pl.String).is_first_distinct().to_numpy())
        if not len(redraw):
            break
    repeat = pl.int_range(pl.len()).over("name")
    return (
        pl.DataFrame({"name": names}, schema={"name": pl.String})
        .select(
            pl.when(repeat > 0).then(pl.format("{}（{}）", "name", repeat + 1)).otherwise("name")
        )
        .to_series()
    )


def draw_names(rng: np.random.Generator, kind: np.ndarray, city: np.ndarray) -> np.ndarray:
    """One random name per customer from the templates of its type."""
    n = len(kind)
    parts = {
        "city": city,
        "num": NUMERALS[rng.integers(0, len(NUMERALS), n)],
        "district": DISTRICTS[rng.integers(0, len(DISTRICTS), n)],
        "brand": PHARMACY_BRANDS[rng.integers(0, len(PHARMACY_BRANDS), n)],
        "street": STREETS[rng.integers(0, len(STREETS), n)],
        "surname": SURNAMES[rng.integers(0, len(SURNAMES), n)],
    }
    template = (rng.random(n) * np.array([len(NAME_TEMPLATES[k]) for k in kind])).astype(int)
    names = np.full(n, "", dtype=object)
    for k, templates in enumerate(NAME_TEMPLATES):
        for t, text in enumerate(templates):
            rows = np.flatnonzero((kind == k) & (template == t))
            names[rows] = fill_template(text, parts, rows)
    return names


def fill_template(text: str, parts: dict[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
    """Vectorised ``str.format`` of one template over the selected rows."""
    out = np.full(len(rows), "", dtype=object)
    for i, piece in enumerate(text.replace("}", "{").split("{")):
        out = out + (parts[piece][rows] if i % 2 else piece)
    return out


def customers_table(
    rng: np.random.Generator, accounts: Accounts, lines: pl.DataFrame
) -> pl.DataFrame:
    """The customers with 潜力: yearly potential above what they buy, so shares vary."""
    last_year = (
        lines.filter(pl.col("month") >= N_MONTHS - 12)
        .group_by("customer")
        .agg(pl.col("amount").sum())
    )
    bought = np.zeros(len(accounts.kind))
    bought[last_year["customer"].to_numpy()] = last_year["amount"].to_numpy() / 100
    typical = np.array([k[3] * k[4] * 12 for k in KINDS])[accounts.kind]
    potential = np.maximum(
        bought * rng.uniform(1.1, 4.0, len(bought)), typical * rng.lognormal(0.0, 0.5, len(bought))
    )
    return accounts.table.with_columns(
        potential=pl.Series((np.round(potential / 10_000) * 10_000).astype(np.int64))
    )


# --- sales --------------------------------------------------------------------------------


def make_sales_lines(
    rng: np.random.Generator, roster: Roster, accounts: Accounts, n: int
) -> pl.DataFrame:
    """Sales lines with internal columns (month, rep and customer index, money in cents).

    Every buying customer has one line in its first month; the rest are spread over
    customer-months by buying frequency, season, trend, the ramp-up of new accounts, the
    quarters the customer orders in and the rep's form. Systematic sampling gives each
    customer-month its expected count rounded up or down, so a rep's quarter moves with
    trends, not with sampling noise. Bigger customers order more often and in bigger
    quantities. Lines in a customer's first month are always by its assigned rep and never
    returns, so new customers are credited to the right rep.
    """
    first_buyers = np.flatnonzero(accounts.start < N_MONTHS)
    # Cells in the order rep, quarter, customer, month: every rep's quarter and every
    # customer's quarter gets its expected count of lines rounded up or down.
    weight = sales_weights(roster, accounts)
    cust, mon = np.divmod(np.arange(weight.size), N_MONTHS)
    quarter = accounts.rep[cust] * (N_MONTHS // 3) + mon // 3
    order = np.argsort(quarter * weight.size + cust * N_MONTHS + mon, kind="stable")
    weight = weight.ravel()[order]
    spread = n - len(first_buyers)
    cumulative = weight.cumsum()
    positions = (1.0 - rng.random() + np.arange(spread)) * (cumulative[-1] / spread)
    cell = order[np.minimum(np.searchsorted(cumulative, positions), np.flatnonzero(weight)[-1])]
    customer = np.concatenate([first_buyers, cust[cell]])
    month = np.concatenate([accounts.start[first_buyers], mon[cell]])

    month_start = FIRST_MONTH + month
    days = (month_start + 1).astype("datetime64[D]") - month_start.astype("datetime64[D]")
    day = month_start.astype("datetime64[D]") + (rng.random(n) * days.astype(int)).astype(int)

    kind = accounts.kind[customer]
    mix = PRODUCT_MIX[np.array([k[5] for k in KINDS])[kind]].cumsum(axis=1)
    product = np.minimum((rng.random((n, 1)) > mix).sum(axis=1), len(PRODUCTS) - 1)
    list_cents = np.array([round(p[2] * 100) for p in PRODUCTS])
    # Each customer has a contract price per product: 0-12 % off list, in whole 10 cents.
    discount = rng.uniform(*CONTRACT_PRICE, (len(accounts.kind), len(PRODUCTS)))
    contract = np.round(list_cents * discount / 10) * 10
    price = contract[customer, product].astype(np.int64)
    order_value = (
        np.array([k[3] for k in KINDS])[kind]
        * accounts.size[customer] ** 0.3
        * rng.lognormal(0.0, ORDER_SPREAD, n)
    )
    later = month > accounts.start[customer]
    # A few lines are returns of part of an order (expired or damaged goods).
    sign = np.where(later & (rng.random(n) < 0.008), -1, 1)
    returned = np.where(sign < 0, rng.uniform(0.1, 0.6, n), 1.0)
    quantity = order_quantity(order_value * returned * 100 / list_cents[product])

    # A few lines are booked by a teammate covering for the account's rep.
    rep = accounts.rep[customer].copy()
    cover = later & (rng.random(n) < 0.01)
    team = roster.team[rep[cover]]
    members = np.argsort(roster.team[: roster.new_hire], kind="stable")
    team_size = np.bincount(roster.team[: roster.new_hire], minlength=roster.team.max() + 1)
    first = np.concatenate([[0], np.cumsum(team_size)[:-1]])
    rep[cover] = members[first[team] + (rng.random(len(team)) * team_size[team]).astype(int)]
    amount = sign * quantity * price
    unit_cost = np.round(list_cents * np.array([p[3] for p in PRODUCTS]))[product]
    cost = (sign * quantity * unit_cost).astype(np.int64)
    collected = collections(rng, roster, rep, month, amount)

    q3_sales = np.flatnonzero(later & (month >= THIS_Q3[0]) & (sign > 0))
    rep[rng.choice(q3_sales)] = len(roster.hunter)  # the one line of a rep not on the roster
    return pl.DataFrame(
        {
            "date": day,
            "month": month,
            "rep": rep,
            "customer": customer,
            "product": product,
            "quantity": sign * quantity,
            "amount": amount,
            "cost": cost,
            "collected": collected,
            "otc": np.array([p[1] == OTC for p in PRODUCTS])[product],
        }
    ).sort("date", "rep", "customer", maintain_order=True)


def demand(accounts: Accounts, start: np.ndarray) -> np.ndarray:
    """Expected lines (relative) per customer and month for accounts whose first purchase
    is in ``start``: buying frequency, season, trend, ramp-up and the active months."""
    months = np.arange(N_MONTHS)
    active = (start[:, None] <= months) & (months <= accounts.end[:, None])
    ramp = np.clip((months - start[:, None] + 1) / 6, 0.15, 1.0)
    frequency = np.array([k[4] for k in KINDS])[accounts.kind] * accounts.size**0.7
    return (
        frequency[:, None]
        * SEASON[(months + 9) % 12]
        * ramp
        * np.exp(accounts.trend[:, None] * (months - 12) / 12)
        * active
    )


def sales_weights(roster: Roster, accounts: Accounts) -> np.ndarray:
    """Demand as it happens: only in the quarters a customer orders, and times its rep's
    form (good reps sell more from the same accounts, every month)."""
    ordering = accounts.ordering[:, np.arange(N_MONTHS) // 3]
    return demand(accounts, accounts.start) * ordering * roster.form[accounts.rep][:, None]


def sales_forecast(roster: Roster, accounts: Accounts, n_lines: int) -> np.ndarray:
    """The account plan's Q3 `sales` (non-OTC CNY) per rep and month: every account at its
    run rate, season and trend and how regularly it orders, new accounts ramping up, the
    pipeline opening mid-quarter at the usual conversion rate. It cannot know the rep's form
    or which customers will skip Q3."""
    buyers = accounts.start < N_MONTHS
    per_weight = (n_lines - buyers.sum()) / sales_weights(roster, accounts).sum()
    plan_start = np.where(accounts.pipeline, THIS_Q3[0] + 1, accounts.start)
    share = np.where(accounts.pipeline, CONVERSION, 1.0)
    regular = np.where(plan_start < THIS_Q3[0], accounts.regularity, 1.0)
    lines = demand(accounts, plan_start)[:, THIS_Q3[0] :] * (regular * per_weight)[:, None]
    lines += plan_start[:, None] == np.arange(THIS_Q3[0], N_MONTHS)  # the first purchase
    prescription = np.array([p[1] != OTC for p in PRODUCTS])
    line_value = (
        np.array([k[3] for k in KINDS])[accounts.kind]
        * accounts.size**0.3
        * np.exp(ORDER_SPREAD**2 / 2)
        * np.mean(CONTRACT_PRICE)
        * (PRODUCT_MIX @ prescription)[np.array([k[5] for k in KINDS])[accounts.kind]]
    )
    value = lines * (share * line_value)[:, None]
    return np.stack(
        [np.bincount(accounts.rep, weights=v, minlength=len(roster.hunter)) for v in value.T],
        axis=1,
    )


def order_quantity(units: np.ndarray) -> np.ndarray:
    """Quantities as ordered: whole packs, big orders in tens or fifties."""
    step = np.select([units >= 1000, units >= 100], [50, 10], 1)
    return np.maximum(1, np.round(units / step) * step).astype(np.int64)


def collections(
    rng: np.random.Generator, roster: Roster, rep: np.ndarray, month: np.ndarray, amount: np.ndarray
) -> np.ndarray:
    """Collected cents: old lines are paid, recent ones partly or not yet, more so with reps
    who chase payments less; returns net off. Systematic sampling along each rep's lines
    gives every rep its expected number of open invoices."""
    age = N_MONTHS - 1 - month
    p_unpaid = np.select([age == 0, age == 1, age == 2], [0.12, 0.045, 0.016], 0.0)
    p_partial = np.select([age == 0, age == 1, age == 2], [0.08, 0.05, 0.02], 0.005)
    slow = roster.slow_pay[rep]
    by_rep = np.argsort(rep * N_MONTHS + month + rng.random(len(amount)))
    owed = amount > 0
    unpaid = systematic(rng, np.where(owed, np.minimum(p_unpaid * slow, 0.9), 0.0), by_rep) > 0
    partly = np.where(owed & ~unpaid, np.minimum(p_partial * slow, 0.9), 0.0)
    partial = systematic(rng, partly, by_rep) > 0
    part = np.round(amount * rng.uniform(0.3, 0.9, len(amount))).astype(np.int64)
    return np.select([unpaid, partial], [np.zeros_like(amount), part], amount)


def sales_table(lines: pl.DataFrame, roster: Roster, accounts: Accounts) -> pl.DataFrame:
    """The 销售明细 sheet: ids and names looked up, money from cents to 2-decimal values."""
    rep_ids = pl.Series([*roster.ids, unknown_rep_id(len(roster.hunter))], dtype=pl.String)
    return lines.select(
        "date",
        rep_id=rep_ids.gather(lines["rep"]),
        customer_id=accounts.table["customer_id"].gather(lines["customer"]),
        customer_name=accounts.table["name"].gather(lines["customer"]),
        product=pl.Series([p[0] for p in PRODUCTS]).gather(lines["product"]),
        category=pl.Series([p[1] for p in PRODUCTS]).gather(lines["product"]),
        quantity="quantity",
        amount=cents("amount"),
        cost=cents("cost"),
        collected=cents("collected"),
    )


def cents(column: str) -> pl.Expr:
    """Integer cents as an exact 2-decimal amount."""
    return (pl.col(column).cast(MONEY) / 100).cast(MONEY)


def sales_kpi(lines: pl.DataFrame, months: tuple[int, int], n_reps: int) -> np.ndarray:
    """The default scheme's `sales` KPI (non-OTC amount) per rep index over months, in CNY."""
    frame = (
        lines.filter(pl.col("month").is_between(*months), ~pl.col("otc"), pl.col("rep") < n_reps)
        .group_by("rep")
        .agg(pl.col("amount").sum())
    )
    total = np.zeros(n_reps)
    total[frame["rep"].to_numpy()] = frame["amount"].to_numpy() / 100
    return total


# --- visits, surveys, activities -----------------------------------------------------------


def business_days(first: date, last: date) -> np.ndarray:
    days = np.arange(np.datetime64(first), np.datetime64(last) + 1)
    return days[np.is_busday(days)]


def make_visits(
    rng: np.random.Generator, roster: Roster, accounts: Accounts, lines: pl.DataFrame, n: int
) -> pl.DataFrame:
    """Visits from 2025-04 to 2025-09 by the assigned rep. How many a rep makes depends on
    the rep (hunters call more); they go more to bigger customers and to new accounts and
    prospects, less to lost ones. Systematic sampling over customer-months gives each its
    expected count rounded, and along each rep's visits the effective ones, so a rep's
    visit counts and visit success follow the rep, not the luck of the draw."""
    value = np.zeros(len(accounts.kind))
    recent = (
        lines.filter(pl.col("month") >= N_MONTHS - 12)
        .group_by("customer")
        .agg(pl.col("amount").sum())
    )
    value[recent["customer"].to_numpy()] = np.maximum(recent["amount"].to_numpy(), 0)
    weight = 0.3 + np.sqrt(value / max(value.mean(), 1.0))
    weight[accounts.start >= THIS_Q3[0]] = 1.0
    weight[accounts.end < N_MONTHS - 3] *= 0.3
    per_rep = np.bincount(accounts.rep, weights=weight, minlength=len(roster.hunter))
    weight *= roster.diligence[accounts.rep] / per_rep[accounts.rep]
    days = business_days(Q2_START, Q3_END)
    month = days.astype("datetime64[M]") - np.datetime64(Q2_START, "M")
    per_month = np.bincount(month.astype(int))
    cumulative = (weight[:, None] * per_month).ravel().cumsum()
    positions = (1.0 - rng.random() + np.arange(n)) * (cumulative[-1] / n)
    cell = np.minimum(np.searchsorted(cumulative, positions), len(cumulative) - 1)
    customer, visit_month = np.divmod(cell, len(per_month))
    first_day = np.concatenate([[0], np.cumsum(per_month)[:-1]])
    day = days[first_day[visit_month] + (rng.random(n) * per_month[visit_month]).astype(int)]
    rep = accounts.rep[customer]
    hospital = np.array([k[1] == "H" for k in KINDS])[accounts.kind[customer]]
    draw = rng.random(n)
    visit_type = np.select(
        [draw < 0.62, draw < 0.85, hospital], ["面访", "电话", "科室会"], "面访"
    ).astype(object)
    success = roster.skill[rep] + np.select(
        [visit_type == "科室会", visit_type == "电话"], [0.15, -0.10], 0.0
    )
    effective = systematic(rng, np.clip(success, 0.0, 1.0), np.lexsort((day, rep))) > 0
    return pl.DataFrame(
        {
            "date": day,
            "rep_id": roster.ids[rep],
            "customer_id": accounts.table["customer_id"].to_numpy()[customer],
            "type": visit_type,
            "outcome": np.where(effective, "有效", "无效"),
        }
    ).sort("date", "rep_id", "customer_id", maintain_order=True)


def make_satisfaction(rng: np.random.Generator, roster: Roster, accounts: Accounts) -> pl.DataFrame:
    """Surveys in 2025 of the customers that ordered in the quarter, about one per customer
    and quarter, more at hospitals (several departments answer); some leave 代表编号 blank
    (credited to the customer's rep)."""
    quarters = np.arange(SURVEYS_QUARTER, N_MONTHS // 3)
    active = (accounts.start[:, None] // 3 <= quarters) & (quarters <= accounts.end[:, None] // 3)
    hospital = np.array([k[1] == "H" for k in KINDS])[accounts.kind]
    rate = np.where(hospital, 1.6, 0.8)[:, None] * (active & accounts.ordering[:, quarters])
    surveys = rng.poisson(rate).ravel()
    customer, quarter = np.divmod(np.repeat(np.arange(surveys.size), surveys), len(quarters))
    rep = accounts.rep[customer]
    score = roster.care[rep] + rng.normal(0.0, 0.2, len(customer))
    days = business_days(SURVEYS_FROM, Q3_END)
    month = (days.astype("datetime64[M]") - np.datetime64(SURVEYS_FROM, "M")).astype(int)
    days_in = np.bincount(month // 3)
    first_day = np.concatenate([[0], np.cumsum(days_in)[:-1]])
    day = days[first_day[quarter] + (rng.random(len(customer)) * days_in[quarter]).astype(int)]
    return (
        pl.DataFrame(
            {
                "date": day,
                "customer_id": accounts.table["customer_id"].to_numpy()[customer],
                "rep_id": roster.ids[rep],
                "score": np.round(np.clip(score, 1.0, 5.0), 1),
                "blank": rng.random(len(customer)) < 0.15,
            }
        )
        .with_columns(rep_id=pl.when("blank").then(None).otherwise("rep_id"))
        .drop("blank")
        .sort("date", "customer_id", maintain_order=True)
    )


def make_activities(rng: np.random.Generator, roster: Roster) -> pl.DataFrame:
    """Customer trainings (0-5) and academic meetings (0-3) per rep in Q2 and Q3. Farmers
    train customers more; engaged reps do more of both; the new hire started in Q3."""
    n = len(roster.hunter)
    spread = rng.lognormal(0.0, 0.1, (2, n, 2))
    trainings = np.where(roster.hunter, 0.6, 0.9)[:, None] * roster.engagement[:, None]
    meetings = np.where(roster.hunter, 1.0, 1.3)[:, None] * roster.engagement[:, None] ** 0.6
    expected = np.stack([np.minimum(trainings * spread[0], 5), np.minimum(meetings * spread[1], 3)])
    expected[:, roster.new_hire, 0] = 0
    counts = systematic(rng, expected.ravel(), np.arange(expected.size))
    cell = np.repeat(np.arange(expected.size), counts)
    kind, rep, quarter = np.unravel_index(cell, expected.shape)
    q2_days, q3_days = business_days(Q2_START, date(2025, 6, 30)), business_days(Q3_START, Q3_END)
    day = np.where(
        quarter == 0,
        q2_days[rng.integers(0, len(q2_days), len(rep))],
        q3_days[rng.integers(0, len(q3_days), len(rep))],
    )
    training = kind == 0
    return pl.DataFrame(
        {
            "date": day,
            "rep_id": roster.ids[rep],
            "type": np.where(training, "培训", "学术会议"),
            "participants": np.where(
                training, rng.integers(8, 41, len(rep)), rng.integers(30, 201, len(rep))
            ),
        }
    ).sort("date", "rep_id", maintain_order=True)


# --- targets, ratings, adjustments, comments ---------------------------------------------


def make_targets(
    rng: np.random.Generator,
    roster: Roster,
    accounts: Accounts,
    lines: pl.DataFrame,
    visits: pl.DataFrame,
) -> pl.DataFrame:
    """Q3 targets: sales from the account plan's forecast times a stretch (a minimum quota
    for the new hire, who has no accounts yet), monthly too for hunters; new customers from
    the hunter's pipeline at the planned conversion; visits from the average visit load. A
    few rows are left out on purpose: one hunter and one farmer lack the Q3 sales target,
    another hunter the visits target."""
    n = len(roster.hunter)
    forecast = sales_forecast(roster, accounts, lines.height)
    planned = forecast.sum(axis=1)
    sales = planned * STRETCH * rng.lognormal(0.0, 0.04, n)
    quota = 0.3 * np.median(sales[planned > 0]) if (planned > 0).any() else 100_000
    sales = np.round(np.where(planned > 0, sales, quota) / 1000) * 1000
    season = SEASON[6:9] / SEASON[6:9].sum()
    month_share = np.where(planned[:, None] > 0, forecast / np.maximum(planned, 1)[:, None], season)
    monthly = np.round(sales[:, None] * month_share / 1000) * 1000

    pipeline = np.bincount(accounts.rep[accounts.pipeline], minlength=n)
    new_customers = np.maximum(3, np.round(pipeline * PLAN_CONVERSION))
    month_rank = rng.random((n, 3)).argsort(axis=1).argsort(axis=1)
    new_monthly = new_customers[:, None] // 3 + (month_rank < new_customers[:, None] % 3)
    q3_visits = visits.filter(pl.col("date") >= Q3_START)["rep_id"].value_counts()["count"]
    average = q3_visits.mean() if len(q3_visits) else 1.0
    visit_target = np.round(average * np.where(roster.hunter, 1.25, 1.0) / 5) * 5

    no_sales, no_visits = missing_targets(roster)
    has_sales, has_visits = np.ones(n, bool), np.ones(n, bool)
    has_sales[no_sales] = False
    has_visits[no_visits] = False
    parts = [
        target_rows(roster, has_sales, "sales", EVALUATED, sales),
        *(
            target_rows(roster, roster.hunter, "sales", m, monthly[:, i])
            for i, m in enumerate(Q3_MONTHS)
        ),
        target_rows(roster, roster.hunter, "new_customers", EVALUATED, new_customers),
        *(
            target_rows(roster, roster.hunter, "new_customers", m, new_monthly[:, i])
            for i, m in enumerate(Q3_MONTHS)
        ),
        target_rows(roster, has_visits, "visits", EVALUATED, visit_target),
    ]
    return (
        pl.concat(frame.with_columns(part=pl.lit(i)) for i, frame in enumerate(parts))
        .sort("rep_id", "part", maintain_order=True)
        .drop("part")
    )


def missing_targets(roster: Roster) -> tuple[list[int], list[int]]:
    """The reps left without a Q3 target on purpose: the first hunter and the first farmer
    lack `sales`, the second hunter `visits`."""
    hunters = np.flatnonzero(roster.hunter[: roster.new_hire])
    farmers = np.flatnonzero(~roster.hunter[: roster.new_hire])
    return [*hunters[:1], *farmers[:1]], [*hunters[1:2]]


def target_rows(
    roster: Roster, keep: np.ndarray, kpi: str, period: str, values: np.ndarray
) -> pl.DataFrame:
    """Target rows of one KPI and period for the reps in ``keep``."""
    return pl.DataFrame(
        {
            "rep_id": roster.ids[keep],
            "kpi": kpi,
            "period": period,
            "target": values[keep].astype(np.int64),
        }
    )


def make_ratings(rng: np.random.Generator, roster: Roster) -> pl.DataFrame:
    """Teamwork ratings by the team manager, mostly following the rep's strength; the new
    hire is not rated yet."""
    rated = np.arange(roster.new_hire)
    score = 0.95 * roster.strength[rated] + 0.31 * rng.standard_normal(len(rated))
    labels, cut_offs = zip(*RATINGS, strict=True)
    rating = (score[:, None] < np.array(cut_offs)).sum(axis=1)
    return pl.DataFrame(
        {
            "rep_id": roster.ids[rated],
            "item": "团队协作",
            "rating": np.array(labels, dtype=object)[rating],
            "period": EVALUATED,
            "rater": roster.managers[roster.team[rated]],
        }
    )


def make_adjustments(rng: np.random.Generator, roster: Roster, lines: pl.DataFrame) -> pl.DataFrame:
    """One corrected Q3 sales actual (the biggest Q3 return on a farmer's book was booked in
    error, so the corrected `sales` value leaves it out) and one penalty of 5 points for
    falsified visits on the last hunter before the new hire, approved by the rep's manager.
    Neither goes to a rep that lacks a target."""
    no_sales, no_visits = missing_targets(roster)
    farmers = np.flatnonzero(~roster.hunter[: roster.new_hire])
    candidates = np.setdiff1d(farmers if len(farmers) > 1 else np.arange(roster.new_hire), no_sales)
    q3 = lines.filter(pl.col("month") >= THIS_Q3[0], ~pl.col("otc"))
    if q3.filter(pl.col("rep").is_in(candidates.tolist())).height:
        q3 = q3.filter(pl.col("rep").is_in(candidates.tolist()))
    else:
        q3 = q3.filter(pl.col("rep") < roster.new_hire)
    returns = q3.filter(pl.col("amount") < 0).sort("amount", "date", maintain_order=True)
    corrected = int(returns["rep"][0] if len(returns) else q3["rep"][0])
    booked_in_error = returns["amount"][0] if len(returns) else 0
    actual = q3.filter(pl.col("rep") == corrected)["amount"].sum()
    others = np.setdiff1d(np.arange(roster.new_hire), [corrected, *no_sales, *no_visits])
    if not len(others):
        others = np.delete(np.arange(roster.new_hire), corrected)
    hunters = others[roster.hunter[others]]
    penalised = int(hunters[-1] if len(hunters) else others[-1])
    director, _ = person_names(rng, 1)
    return pl.DataFrame(
        {
            "rep_id": roster.ids[[penalised, corrected]],
            "points": [5, None],
            "kpi": [None, "sales"],
            "value": [None, actual - booked_in_error],
            "reason": ["拜访记录不实，扣5分", "客户退货冲销更正"],
            "approved_by": [roster.managers[roster.team[penalised]], director[0]],
        },
        schema_overrides={"points": pl.Int64, "kpi": pl.String, "value": pl.Int64},
    ).with_columns(cents("value"))


def make_comments(rng: np.random.Generator, roster: Roster) -> pl.DataFrame:
    """Manager comments for about half of the reps."""
    chosen = np.flatnonzero(rng.random(len(roster.hunter)) < 0.5)

    def pick(texts: tuple[str, ...]) -> np.ndarray:
        return np.array(texts, dtype=object)[rng.integers(0, len(texts), len(chosen))]

    return pl.DataFrame(
        {
            "rep_id": roster.ids[chosen],
            "strengths": pick(STRENGTHS),
            "improvements": pick(IMPROVEMENTS),
            "plan": pick(PLANS),
        }
    )


# --- writers ------------------------------------------------------------------------------


EXCEL_EPOCH = date(1899, 12, 30)
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
# Sheets longer than this are streamed (constant_memory: flat memory, inline strings);
# smaller workbooks keep a shared-strings table, as Excel does, and are ~15 % smaller.
STREAM_ROWS = 100_000


def write_xlsx(tables: dict[str, pl.DataFrame], path: Path) -> None:
    """One sheet per table, written row by row: real dates, 2-decimal numbers, text ids."""
    path.parent.mkdir(parents=True, exist_ok=True)
    streaming = max(frame.height for frame in tables.values()) > STREAM_ROWS
    workbook = xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, "constant_memory": streaming})
    # A fixed creation time keeps the file byte-identical for the same data.
    workbook.set_properties({"created": datetime(2025, 10, 8)})
    formats = {
        "header": workbook.add_format({"bold": True}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
    }
    for table, frame in tables.items():
        sheet = workbook.add_worksheet(SHEETS[table][0])
        kinds = [column_kind(frame.schema[c]) for c in frame.columns]
        for col, (name, kind) in enumerate(zip(frame.columns, kinds, strict=True)):
            sheet.set_column(col, col, column_width(frame[name], kind))
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, frame.columns, formats["header"])
        runs = column_runs(kinds)
        cell_formats = [formats.get(kind) for _, _, kind in runs]
        for row, values in enumerate(excel_values(frame).iter_rows(), start=1):
            for (first, last, _), cell_format in zip(runs, cell_formats, strict=True):
                sheet.write_row(row, first, values[first:last], cell_format)
    workbook.close()


def column_kind(dtype: pl.DataType) -> str:
    if dtype == pl.Date:
        return "date"
    return "money" if isinstance(dtype, pl.Decimal) else "plain"


def column_runs(kinds: list[str]) -> list[tuple[int, int, str]]:
    """Adjacent columns with the same format, so each row takes a few write_row calls."""
    runs: list[tuple[int, int, str]] = []
    for col, kind in enumerate(kinds):
        if runs and runs[-1][2] == kind:
            runs[-1] = (runs[-1][0], col + 1, kind)
        else:
            runs.append((col, col + 1, kind))
    return runs


def excel_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates as Excel serial numbers and money as floats: what xlsxwriter writes fastest."""
    return frame.with_columns(
        [
            (pl.col(c) - pl.lit(EXCEL_EPOCH)).dt.total_days()
            for c, t in frame.schema.items()
            if t == pl.Date
        ]
        + [pl.col(c).cast(pl.Float64) for c, t in frame.schema.items() if isinstance(t, pl.Decimal)]
    )


def column_width(series: pl.Series, kind: str) -> float:
    """Enough for the header and the first rows; CJK characters count double."""
    if kind != "plain":
        return 14 if kind == "money" else 11
    sample = pl.concat([pl.Series([series.name]), series.head(1000).cast(pl.String)])
    widths = sample.str.len_bytes() - (sample.str.len_bytes() - sample.str.len_chars()) // 2
    return float(min(max(widths.max() or 0, 6) + 2, 50))


def write_folder(tables: dict[str, pl.DataFrame], folder: Path, fmt: str) -> None:
    """One file per table named after the English table name (UTF-8 for CSV)."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in tables.items():
        if fmt == "csv":
            frame.write_csv(folder / f"{table}.csv")
        else:
            frame.write_parquet(folder / f"{table}.parquet")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        help="the xlsx file, or the folder for csv/parquet (default: "
        f"{DEFAULT_XLSX.name} or {DEFAULT_FOLDER.name}/ beside this script)",
    )
    parser.add_argument("--format", choices=("xlsx", "csv", "parquet"), default="xlsx")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--sales-lines", type=int, default=9_000)
    parser.add_argument("--visits", type=int, default=4_500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        tables = generate(args.reps, args.customers, args.sales_lines, args.visits, args.seed)
    except ValueError as error:
        parser.error(str(error))
    generated = time.perf_counter()
    out = args.out or (DEFAULT_XLSX if args.format == "xlsx" else DEFAULT_FOLDER)
    if args.format == "xlsx":
        write_xlsx(tables, out)
    else:
        write_folder(tables, out, args.format)
    rows = ", ".join(f"{table} {frame.height}" for table, frame in tables.items())
    print(
        f"wrote {out} ({rows}); generated in {generated - started:.1f} s, "
        f"written in {time.perf_counter() - generated:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
