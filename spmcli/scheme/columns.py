"""Built-in names for tables and columns as CRM and ERP exports spell them (SPEC §2).

Matching is case- and space-insensitive (see ``normalize``). A scheme's ``sources``
section adds mappings these do not cover.
"""

from __future__ import annotations

TABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "reps": ("reps", "rep", "roster", "代表", "人员", "销售代表", "代表名单", "人员名单", "花名册"),
    "sales": ("sales", "sales lines", "销售", "销售明细", "销售数据", "销售记录", "流向"),
    "visits": ("visits", "calls", "拜访", "拜访记录", "拜访明细"),
    "satisfaction": ("satisfaction", "surveys", "满意度", "满意度调查", "客户满意度"),
    "targets": ("targets", "quota", "quotas", "目标", "指标", "考核目标"),
    "customers": ("customers", "accounts", "客户", "客户名单", "客户档案", "终端"),
    "activities": ("activities", "events", "活动", "活动记录", "学术活动"),
    "ratings": ("ratings", "supervisor ratings", "评级", "主管评分", "主管评价", "上级评价"),
    "adjustments": ("adjustments", "penalties", "调整", "扣分", "考核调整", "奖惩"),
    "comments": ("comments", "manager comments", "评语", "经理评语", "主管评语"),
    # accepted appeals (spm appeals review writes appeal_adjustments.csv)
    "appeal_adjustments": ("appeal_adjustments", "appeal adjustments", "申诉调整"),
}

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "rep_id": (
        "rep_id",
        "rep",
        "rep id",
        "employee_id",
        "代表编号",
        "工号",
        "员工编号",
        "代表工号",
        "代表",
    ),
    "name": ("name", "rep_name", "姓名", "名称", "代表姓名", "客户名称"),
    "team": ("team", "团队", "小组", "大区", "团队名称"),
    "role": ("role", "角色", "岗位类型", "类型角色"),
    "manager": ("manager", "经理", "主管", "直属经理"),
    "region": ("region", "区域", "地区", "省份"),
    "target_bonus": ("target_bonus", "bonus base", "目标奖金", "奖金基数"),
    "email": ("email", "e-mail", "邮箱", "电子邮件"),
    "date": (
        "date",
        "日期",
        "销售日期",
        "发货日期",
        "开票日期",
        "拜访日期",
        "调查日期",
        "活动日期",
    ),
    "customer_id": ("customer_id", "customer", "客户编号", "医院编码", "终端编码", "客户代码"),
    "customer_name": ("customer_name", "客户名称", "医院名称", "终端名称"),
    "amount": ("amount", "金额", "销售额", "销售金额", "含税金额"),
    "product": ("product", "产品", "产品名称", "品种"),
    "category": ("category", "类别", "产品类别", "品类"),
    "quantity": ("quantity", "qty", "数量", "销量"),
    "cost": ("cost", "成本", "成本金额"),
    "collected": ("collected", "回款", "回款金额", "已回款"),
    "type": ("type", "类型", "拜访类型", "活动类型", "客户类型"),
    "outcome": ("outcome", "result", "结果", "拜访结果"),
    "score": ("score", "评分", "满意度", "满意度评分"),
    "kpi": ("kpi", "指标", "考核指标", "指标编号"),
    "target": ("target", "目标", "目标值"),
    "period": ("period", "期间", "考核期间", "周期"),
    "potential": ("potential", "潜力", "潜力值", "市场潜力"),
    "participants": ("participants", "参与人数", "人数"),
    "item": ("item", "项目", "评价项目", "评分项目"),
    "rating": ("rating", "评级", "评价", "等级"),
    "rater": ("rater", "评价人", "评分人"),
    "points": ("points", "扣分", "分数", "加减分"),
    "value": ("value", "调整值", "数值"),
    "reason": ("reason", "原因", "说明", "事由"),
    "approved_by": ("approved_by", "审批人", "批准人"),
    "strengths": ("strengths", "优势", "优点"),
    "improvements": ("improvements", "待改进", "改进方面", "不足"),
    "plan": ("plan", "改进计划", "计划"),
}

# Columns each table must have (SPEC §2); any other column is optional.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "reps": ("rep_id",),
    "sales": ("date", "rep_id", "customer_id", "amount"),
    "visits": ("date", "rep_id", "customer_id"),
    "satisfaction": ("date", "customer_id", "score"),
    "targets": ("rep_id", "kpi", "target"),
    "customers": ("customer_id",),
    "activities": ("date", "rep_id", "type"),
    "ratings": ("rep_id", "item", "rating"),
    "adjustments": ("rep_id",),
    "comments": ("rep_id",),
    "appeal_adjustments": ("rep_id", "kpi", "value"),
}

# The optional columns SPEC §2 names for each table, matched through COLUMN_ALIASES.
# Any other column is kept under its own (normalized) header.
KNOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "reps": ("name", "team", "role", "manager", "region", "target_bonus", "email"),
    "sales": ("customer_name", "product", "category", "quantity", "cost", "collected"),
    "visits": ("type", "outcome"),
    "satisfaction": ("rep_id",),
    "targets": ("period",),
    "customers": ("name", "rep_id", "potential", "type", "region"),
    "activities": ("participants",),
    "ratings": ("period", "rater"),
    "adjustments": ("points", "kpi", "value", "reason", "approved_by"),
    "comments": ("strengths", "improvements", "plan"),
    "appeal_adjustments": ("reason", "approved_by"),
}


def normalize(name: str) -> str:
    """Compare names ignoring case, spaces, underscores and full-width spaces."""
    return "".join(name.replace("\u3000", " ").split()).replace("_", "").casefold()
