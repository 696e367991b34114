"""Words shown to people, in Chinese and English (SPEC §3 ``locale``).

Every header, sheet name, status and message that an output writes comes from
here, so that the workbooks, the console table and the letters speak the same
language with the same words. ``label(key, locale)`` looks one up; a key that
does not exist is a bug and raises ``KeyError``. Some messages carry
``str.format`` fields (``{reason}``); callers fill them.
"""

from __future__ import annotations

from typing import Final

LOCALES: Final = ("zh", "en")

# key -> (zh, en)
LABELS: Final[dict[str, tuple[str, str]]] = {
    # -- console ----------------------------------------------------------------
    "console.narrow": (
        "终端太窄，未显示各指标得分；请加宽窗口或查看 summary.xlsx",
        "KPI scores hidden: the terminal is too narrow; widen it or see summary.xlsx",
    ),
    "console.what_if": ("假设测算（不写出文件）", "What-if (nothing written)"),
    "console.change": ("变化", "Change"),
    # -- sheet names (at most 31 characters, none of []:*?/\) ------------------
    "sheet.reps": ("代表", "Reps"),
    "sheet.kpis": ("指标", "KPIs"),
    "sheet.teams": ("团队", "Teams"),
    "sheet.warnings": ("警告", "Warnings"),
    "sheet.reconciliation": ("对账", "Reconciliation"),
    "sheet.grades": ("等级分布", "Grades"),
    "sheet.run": ("运行信息", "Run"),
    "sheet.scorecard": ("考核表", "Scorecard"),
    # -- column headers ---------------------------------------------------------
    "col.rank": ("排名", "Rank"),
    "col.rep_id": ("代表编号", "Rep ID"),
    "col.name": ("姓名", "Name"),
    "col.team": ("团队", "Team"),
    "col.role": ("角色", "Role"),
    "col.manager": ("经理", "Manager"),
    "col.region": ("区域", "Region"),
    "col.status": ("状态", "Status"),
    "col.composite": ("综合得分", "Composite"),
    "col.penalty": ("扣分", "Penalty"),
    "col.penalty_reason": ("扣分原因", "Penalty reason"),
    "col.final_score": ("最终得分", "Final score"),
    "col.grade": ("等级", "Grade"),
    "col.grade_label": ("等级说明", "Grade label"),
    "col.team_rank": ("团队内排名", "Team rank"),
    "col.bonus": ("奖金", "Bonus"),
    "col.commission": ("提成", "Commission"),
    "col.team_pool": ("团队奖金池", "Team pool"),
    "col.total_pay": ("应发合计", "Total pay"),
    "col.kpi": ("指标", "KPI"),
    "col.kpi_id": ("指标编号", "KPI ID"),
    "col.label": ("名称", "Label"),
    "col.kind": ("类型", "Kind"),
    "col.table": ("数据表", "Table"),
    "col.value": ("计算方式", "Value"),
    "col.where": ("筛选条件", "Filter"),
    "col.window": ("时间窗口", "Window"),
    "col.target": ("目标", "Target"),
    "col.scoring": ("计分方式", "Scoring"),
    "col.unit": ("单位", "Unit"),
    "col.actual": ("实际", "Actual"),
    "col.achievement": ("达成率", "Achievement"),
    "col.score": ("得分", "Score"),
    "col.weight": ("权重", "Weight"),
    "col.weight_of": ("权重：{role}", "Weight: {role}"),
    "col.effective_weight": ("有效权重", "Effective weight"),
    "col.weighted": ("加权得分", "Weighted score"),
    "col.note": ("说明", "Note"),
    "col.setting": ("内容", "Value"),
    "col.members": ("人数", "Members"),
    "col.due_members": ("本期考核人数", "Evaluated members"),
    "col.average_score": ("平均最终得分", "Average final score"),
    "col.team_kpi": ("{kpi}·{what}", "{kpi}: {what}"),
    "col.code": ("代码", "Code"),
    "col.message": ("内容", "Message"),
    "col.item": ("项目", "Item"),
    "col.amount": ("金额", "Amount"),
    "col.reps_count": ("人数", "Reps"),
    "col.share": ("占比", "Share"),
    "col.min_score": ("最低分", "Minimum score"),
    "col.file": ("文件", "File"),
    "col.sha256": ("SHA-256", "SHA-256"),
    "col.excel_row": ("源行号", "Excel row"),
    "col.period": ("期间", "Period"),
    # -- source-row columns, by their canonical names (SPEC §2) -----------------
    "src.date": ("日期", "Date"),
    "src.rep_id": ("代表编号", "Rep ID"),
    "src.customer_id": ("客户编号", "Customer ID"),
    "src.customer_name": ("客户名称", "Customer name"),
    "src.amount": ("金额", "Amount"),
    "src.product": ("产品", "Product"),
    "src.category": ("类别", "Category"),
    "src.quantity": ("数量", "Quantity"),
    "src.cost": ("成本", "Cost"),
    "src.collected": ("回款", "Collected"),
    "src.type": ("类型", "Type"),
    "src.outcome": ("结果", "Outcome"),
    "src.score": ("评分", "Score"),
    "src.item": ("项目", "Item"),
    "src.rating": ("评级", "Rating"),
    "src.rater": ("评价人", "Rater"),
    "src.participants": ("参与人数", "Participants"),
    "src.window": ("时间窗口", "Window"),
    # -- KPI statuses (spmcli.engine.result.STATUSES) and rep statuses ----------
    "status.scored": ("已计分", "Scored"),
    "status.adjusted": ("已调整", "Adjusted"),
    "status.no_target": ("N/A：无目标", "N/A: no target"),
    "status.no_data": ("N/A：无数据", "N/A: no data"),
    "status.zero_target": ("无目标，计 0 分", "No target, scored 0"),
    "status.informational": ("仅供参考", "Informational"),
    "status.not_due": ("本期不考核", "Not due this period"),
    "status.evaluated": ("已考核", "Evaluated"),
    # -- single values ----------------------------------------------------------
    "value.na": ("N/A", "N/A"),
    "value.no_team": ("（未分组）", "(no team)"),
    "value.total": ("合计", "Total"),
    "value.none": ("无", "none"),
    "value.no_warnings": ("无警告", "No warnings"),
    "value.targets_table": ("目标表", "targets table"),
    "value.not_graded": ("未评级", "Not graded"),
    # -- KPI definitions --------------------------------------------------------
    "kind.aggregate": ("聚合", "aggregate"),
    "kind.growth": ("增长率", "growth"),
    "kind.new_customers": ("新客户", "new customers"),
    "kind.repurchase_rate": ("复购率", "repurchase rate"),
    "kind.rating": ("主管评级", "rating"),
    "kind.team": ("团队指标", "team KPI"),
    "window.period": ("本期", "period"),
    "window.prev": ("上期", "previous period"),
    "window.yoy": ("去年同期", "same period last year"),
    "window.ytd": ("年初至今", "year to date"),
    "window.first_purchase": ("首次购买", "first purchase"),
    "unit.money": ("金额", "money"),
    "unit.percent": ("百分比", "percent"),
    "unit.count": ("计数", "count"),
    "unit.number": ("数值", "number"),
    "desc.team": ("团队内全体代表的「{of}」合计", "'{of}' over all reps of the team"),
    "desc.growth": (
        "「{of}」较{vs}的增长：(本期 − 基期) / 基期",
        "growth of '{of}' vs {vs}: (current − base) / base",
    ),
    "desc.new_customers": (
        "首次购买落在本期的客户数",
        "customers whose first purchase falls in the period",
    ),
    "desc.repurchase_rate": (
        "上期客户中本期再次购买的比例",
        "share of last period's customers who bought again",
    ),
    "desc.rating": ("评级项目「{item}」：{scale}", "rating item '{item}': {scale}"),
    "scoring.linear": (
        "线性：达成率低于 {floor} 得 0 分，封顶 {cap}",
        "linear: 0 below {floor}, capped at {cap}",
    ),
    "scoring.linear_no_floor": (
        "线性：100 × 达成率，封顶 {cap}",
        "linear: 100 × achievement, capped at {cap}",
    ),
    "scoring.bands": ("分档（按{on}）：{bands}", "bands on {on}: {bands}"),
    "scoring.rating": ("按评级映射", "rating scale"),
    "scoring.on_achievement": ("达成率", "achievement"),
    "scoring.on_value": ("实际值", "value"),
    # -- reconciliation (SPEC §2: sales in period = credited + unassigned) -----
    "recon.sales_in_period": ("本期有效销售合计", "Sales in period"),
    "recon.credited": ("计入代表", "Credited to reps"),
    "recon.unassigned": ("未分配（代表不在名单中）", "Unassigned (rep not on the roster)"),
    "recon.difference": ("差额（应为 0）", "Difference (should be 0)"),
    "recon.unassigned_lines": ("未分配行数", "Unassigned lines"),
    "recon.skipped_rows": ("跳过的无效行", "Skipped invalid rows"),
    # -- run information --------------------------------------------------------
    "run.scheme": ("考核方案", "Scheme"),
    "run.scheme_path": ("方案文件", "Scheme file"),
    "run.scheme_sha256": ("方案 SHA-256", "Scheme SHA-256"),
    "run.version": ("spm 版本", "spm version"),
    "run.started": ("开始时间", "Started"),
    "run.command": ("命令", "Command"),
    "run.period": ("考核期间", "Period"),
    "run.period_start": ("期间开始", "Period start"),
    "run.period_end": ("期间结束", "Period end"),
    "run.currency": ("币种", "Currency"),
    "run.inputs": ("输入文件", "Inputs"),
    # -- messages ---------------------------------------------------------------
    "msg.scorecard_title": ("绩效考核表 {period}", "Performance scorecard {period}"),
    "msg.adjusted": ("已按审批调整：{reason}", "Adjusted as approved: {reason}"),
    "msg.na_renormalized": (
        "不计分；其余指标的权重按比例放大至 100",
        "not scored; the other weights are scaled back to 100",
    ),
    "msg.na_not_scored": ("不计分", "not scored"),
    "msg.informational": (
        "该角色不考核此指标，仅供参考",
        "not weighted for this role; for information",
    ),
    "msg.not_due": (
        "本期不考核：角色的考核周期为{cycle}",
        "Not due this period: the role is evaluated every {cycle}",
    ),
    "msg.rank_of": ("{rank} / {total}", "{rank} of {total}"),
    "msg.grade_distribution": ("等级分布", "Grade distribution"),
    "msg.weights_total": ("权重合计", "Total weight"),
    "cycle.month": ("月", "month"),
    "cycle.quarter": ("季度", "quarter"),
    "cycle.half": ("半年", "half year"),
    "cycle.year": ("年", "year"),
}


def label(key: str, locale: str) -> str:
    """The text for ``key`` in ``locale`` (``zh`` or ``en``)."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {', '.join(LOCALES)}")
    zh, en = LABELS[key]
    return zh if locale == "zh" else en


def status_label(status: str, locale: str) -> str:
    """A KPI or rep status (``scored``, ``no_target``, ``not_due`` ...) in words."""
    return label(f"status.{status}", locale)
