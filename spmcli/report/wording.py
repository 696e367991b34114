"""Warnings and N/A reasons in words, in Chinese or English.

The engine says what happened as a code with parameters (``RunWarning``, the ``reason``
column of the KPI frame); this is the one place that turns them into sentences, so a
Chinese workbook holds no English sentence and every output words a warning alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from spmcli.engine.periods import window_range
from spmcli.engine.result import Evaluation, Param, RunWarning
from spmcli.messages import Msg
from spmcli.report.figures import figure, money_text
from spmcli.report.labels import LOCALES, label
from spmcli.scheme.loader import DEFAULT_SCHEME_PATH
from spmcli.scheme.model import Kpi

_NOT_AVAILABLE = (
    "代表 {rep_id}：指标 {kpi} 为 N/A — {why}",
    "rep {rep_id}: KPI {kpi} is N/A — {why}",
)

# code -> (zh, en); parameters in braces. Lists are joined, money shown to the cent.
WARNINGS: dict[str, tuple[str, str]] = {
    "no_reps_table": (
        "没有代表表：名单取自销售明细中的代表，均按默认角色“{default_role}”考核",
        "no reps table: the roster is the reps found in sales, "
        "all with the default role '{default_role}'",
    ),
    "unknown_role": (
        "{count} 名代表的角色“{role}”不在方案的角色中（{roles}），按默认角色“{default_role}”考核",
        "role '{role}' of {count} rep(s) is not in the scheme's roles ({roles}); "
        "they get the default role '{default_role}'",
    ),
    "not_due": (
        "{count} 名代表的考核周期长于本次（{kind}），列出但不计分",
        "{count} rep(s) are not due in a {kind} run (their role's cycle is longer) "
        "and are listed but not scored",
    ),
    "kpi_unavailable": (
        "指标 {kpi}：{why}，因此所有人均为 N/A",
        "KPI {kpi}: {why}, so it is N/A for everyone",
    ),
    "filter_dropped": (
        "指标 {kpi}：{table} 表没有 {columns} 列，未应用筛选条件 {where}，按全部行计算",
        "KPI {kpi}: table '{table}' has no column {columns}, so its filter {where} is not "
        "applied and every row counts",
    ),
    "no_target": _NOT_AVAILABLE,
    "no_data": _NOT_AVAILABLE,
    "zero_target": (
        "代表 {rep_id}：指标 {kpi} 计 0 分 — {why}",
        "rep {rep_id}: KPI {kpi} is 0 — {why}",
    ),
    "nothing_scored": (
        "代表 {rep_id}：没有任何指标可以计分",
        "rep {rep_id}: no KPI could be scored",
    ),
    "survey_without_rep": (
        "{count} 份满意度问卷未注明代表，其客户也没有代表，不计入任何人（行 {rows}）",
        "{count} satisfaction survey(s) name no rep and their customer has no rep either; "
        "they count for nobody (rows {rows})",
    ),
    "unassigned_sales": (
        "{period} 有 {lines} 条销售明细（金额 {amount}）属于不在名单上的代表（{reps}），列为未分配",
        "{lines} sales line(s) in {period} worth {amount} belong to reps not on the roster "
        "({reps}); shown as unassigned",
    ),
    "no_bonus_basis": (
        "代表 {rep_id}：没有可用于读取奖金曲线的{on}；奖金为 0",
        "rep {rep_id}: no {on} to read the bonus curve at; bonus 0",
    ),
    "no_bonus_base": (
        "代表 {rep_id}：没有奖金基数（{base}）；奖金为 0",
        "rep {rep_id}: no bonus base ({base}); bonus 0",
    ),
    "no_bonus_base_anyone": (
        "所有代表都没有奖金基数（{base}）；奖金均为 0",
        "no rep has a bonus base ({base}); bonus 0 for everyone",
    ),
    "no_commission": ("代表 {rep_id}：{why}；没有提成", "rep {rep_id}: {why}; no commission"),
    "pool_split_equal": (
        "团队 {team}：没有人的{split}基数为正，团队奖金平均分配",
        "team {team}: nobody has a positive {split} basis; the pool is split equally",
    ),
    "no_cost": (
        "窗口内 {count} 条销售明细没有成本，其毛利不计入客户价值",
        "{count} sales line(s) in the window have no cost; their gross margin is left out "
        "of their customer's value",
    ),
    "customer_without_rep": (
        "{count} 个客户既没有负责代表，也没有销售明细注明代表；参与分级但不属于任何代表（{ids}）",
        "{count} customer(s) have no assigned rep and no sales line naming one; they are "
        "tiered but belong to no rep ({ids})",
    ),
    "customer_not_listed": (
        "{count} 个在窗口内有销售的客户不在客户表中，仅按销售分级（{ids}）",
        "{count} customer(s) with sales in the windows are not in the customers table; "
        "they are tiered from sales alone ({ids})",
    ),
    "customer_without_group": (
        "{count} 个客户没有{per}，合为一组分级（{ids}）",
        "{count} customer(s) have no {per}; they are tiered together as one group ({ids})",
    ),
    "visits_start_late": (
        "拜访记录从 {first_visit} 开始，晚于窗口首日 {window_start}；"
        "拜访计划仍按 {months} 个月要求",
        "the visits start on {first_visit}, after the window's first day {window_start}; "
        "the call plan still requires {months} months of visits",
    ),
    "no_value": (
        "{period} 没有客户的{by}为正，所有客户均为 C 类",
        "no customer has a positive {by} in {period}; every customer is C",
    ),
    "skipped_row": ("跳过的行：{problem}", "{problem}"),
    "input": ("输入：{note}", "{note}"),
}

_NOT_AVAILABLE_FOR_SOME = (
    "指标 {kpi} 对 {count} 名代表为 N/A（{reps}）— {why}",
    "KPI {kpi} is N/A for {count} rep(s) ({reps}) — {why}",
)
# The same warning for several reps, said once: {count} reps, {reps} their ids.
GROUPED: dict[str, tuple[str, str]] = {
    "no_target": _NOT_AVAILABLE_FOR_SOME,
    "no_data": _NOT_AVAILABLE_FOR_SOME,
    "zero_target": (
        "指标 {kpi} 对 {count} 名代表计 0 分（{reps}）— {why}",
        "KPI {kpi} is 0 for {count} rep(s) ({reps}) — {why}",
    ),
    "nothing_scored": (
        "{count} 名代表没有任何指标可以计分（{reps}）",
        "no KPI could be scored for {count} rep(s) ({reps})",
    ),
    "no_commission": (
        "{count} 名代表没有提成（{reps}）：{why}",
        "no commission for {count} rep(s) ({reps}): {why}",
    ),
    "no_bonus_basis": (
        "{count} 名代表没有可用于读取奖金曲线的{on}，奖金为 0（{reps}）",
        "no {on} to read the bonus curve at for {count} rep(s) ({reps}); bonus 0",
    ),
    "no_bonus_base": (
        "{count} 名代表没有奖金基数（{base}），奖金为 0（{reps}）",
        "no bonus base ({base}) for {count} rep(s) ({reps}); bonus 0",
    ),
}
# The order a summary of warnings takes: what changes totals and scores first.
SUMMARY_ORDER = (
    "skipped_row", "unassigned_sales", "filter_dropped", "kpi_unavailable", "nothing_scored",
    "no_reps_table", "no_target", "zero_target", "no_data", "no_bonus_base_anyone", "no_bonus_base",
    "no_bonus_basis", "no_commission", "pool_split_equal",
)  # fmt: skip
SHOWN_REPS = 5

# What a close stands on, said when it is less than the scheme asks (``verdict``).
VERDICT: dict[str, tuple[str, str]] = {
    "kpis_unavailable": (
        "{count} 个计分指标因缺少所需的表或列而所有人均为 N/A：{kpis}。"
        "补充这些数据，或用 spm init 生成方案后按手头的数据修改 spm.yaml",
        "{count} weighted KPI(s) are N/A for everyone because a table or column they need is "
        "missing: {kpis}. Add that data, or write a scheme for the data you have "
        "(spm init, then edit spm.yaml)",
    ),
    "kpis_untargeted": (
        "{count} 个计分指标本期没有任何人的目标：{kpis}。"
        "在目标表（代表编号、指标、目标）中填写本期目标",
        "{count} weighted KPI(s) have no target for anyone this period: {kpis}. Add this "
        "period's targets to the targets table (rep_id, kpi, target)",
    ),
    "kpis_without_data": (
        "{count} 个计分指标对所有人都没有可计算的数据：{kpis}",
        "{count} weighted KPI(s) have no data to compute for anyone: {kpis}",
    ),
    "needs_window": (
        "{kpi}需要 {start} 至 {end} 的销售明细",
        "{kpi} needs the sales lines of {start}..{end}",
    ),
    "some_unscored": (
        "{count} 名代表没有任何指标可以计分，没有得分、等级和排名（{reps}）",
        "{count} rep(s) could not be scored at all and have no score, grade or rank ({reps})",
    ),
    "nobody_scored": (
        "没有任何代表可以计分：数据不足以按此方案考核",
        "no rep could be scored at all: the data cannot be evaluated with this scheme",
    ),
}

# Why a KPI is N/A for a rep (the KPI frame's ``reason``), or why it cannot be computed at all.
REASONS: dict[str, tuple[str, str]] = {
    "no_target": ("本期无目标", "no target for this period"),
    "zero_target": (
        "本期无目标：计 0 分（missing_target: zero）",
        "no target for this period: scored 0 (missing_target: zero)",
    ),
    "no_data": ("没有可计算的数据", "no data to compute it from"),
    "no_team": ("该代表不属于任何团队", "the rep has no team"),
    "no_table": ("输入中没有 {table} 表", "table '{table}' is not in the inputs"),
    "no_column": ("{table} 表没有 {columns} 列", "table '{table}' has no column {columns}"),
    "no_cost_for_margin": (
        "sales 表没有按毛利分级所需的 cost 列",
        "table 'sales' has no column 'cost' to tier customers by gross margin",
    ),
    "na": ("指标 {kpi} 为 N/A", "KPI {kpi} is N/A"),
    "no_target_for_commission": (
        "指标 {kpi} 没有目标（提成档位按目标的比例划分）",
        "no target for KPI {kpi} (its tiers start at shares of the target)",
    ),
}

WORDS: dict[str, tuple[str, str]] = {
    "final_score": ("最终得分", "final_score"),
    "revenue": ("销售额", "revenue"),
    "gross_margin": ("毛利", "gross margin"),
    "by_score": ("按得分", "by_score"),
    "by_sales": ("按销售额", "by_sales"),
    "equal": ("平均", "equal"),
    "team": ("团队", "team"),
    "region": ("区域", "region"),
    "month": ("月度", "month"),
    "quarter": ("季度", "quarter"),
    "half": ("半年度", "half"),
    "year": ("年度", "year"),
}


def word(warning: RunWarning, lang: str) -> str:
    """The warning as a sentence in ``lang``."""
    params = dict(warning.params)
    if warning.rep_id is not None:
        params.setdefault("rep_id", warning.rep_id)
    if warning.kpi is not None:
        params.setdefault("kpi", warning.kpi)
    if "reason" in params:
        reason = str(params["reason"])
        if warning.code == "no_commission" and reason == "no_target":
            reason = "no_target_for_commission"
        params["why"] = _fill(REASONS[reason], params, lang)
    return _fill(WARNINGS[warning.code], params, lang)


def warning_summary(warnings: Sequence[RunWarning], lang: str) -> list[str]:
    """The warnings said briefly for the terminal: one line per kind of warning, the same
    warning for several reps said once with their count and first ids, most telling first."""
    groups: dict[tuple[str, str | int | None, tuple[tuple[str, Param], ...]], list[RunWarning]]
    groups = {}
    for index, w in enumerate(warnings):
        alike = w.rep_id is not None and w.code in GROUPED
        key = (w.code, w.kpi, w.params) if alike else (w.code, index, ())
        groups.setdefault(key, []).append(w)

    def rank(item: tuple[tuple[str, Any, Any], list[RunWarning]]) -> int:
        code = item[0][0]
        return SUMMARY_ORDER.index(code) if code in SUMMARY_ORDER else len(SUMMARY_ORDER)

    lines = []
    for (code, _, _), members in sorted(groups.items(), key=rank):
        if code not in GROUPED or len(members) == 1:
            lines += [word(w, lang) for w in members]
            continue
        first = members[0]
        ids = tuple(str(w.rep_id) for w in members[:SHOWN_REPS])
        params: dict[str, Param] = {**first.values, "count": len(members), "reps": ids}
        if first.kpi is not None:
            params["kpi"] = first.kpi
        if "reason" in params:
            reason = str(params["reason"])
            if code == "no_commission" and reason == "no_target":
                reason = "no_target_for_commission"
            params["why"] = _fill(REASONS[reason], params, lang)
        lines.append(_fill(GROUPED[code], params, lang))
    return lines


def nobody_scored(ev: Evaluation) -> bool:
    """Whether no due rep could be scored at all: a close with nothing to pay or review."""
    due = ev.reps.filter(pl.col("due"))
    return due.height > 0 and due["composite"].null_count() == due.height


def _needs(ev: Evaluation, kpi: Kpi, lang: str) -> str:
    """The earlier sales a comparing KPI needs, as dates: growth its base, repurchase rate
    the previous period's buyers ('' for a KPI that compares with nothing)."""
    if kpi.kind == "growth":
        start, end = window_range(ev.period, kpi.vs)
    elif kpi.kind == "repurchase_rate":
        start, end = window_range(ev.period, "prev")
    else:
        return ""
    dates = {"kpi": kpi.title, "start": start.isoformat(), "end": end.isoformat()}
    return _fill(VERDICT["needs_window"], dates, lang)


def verdict(ev: Evaluation, lang: str) -> list[str]:
    """A line for each way the close stands on less than the scheme asks, with its fix:
    weighted KPIs N/A for everyone (data missing, no targets, nothing to compute from),
    then the reps whose score could not be computed at all."""
    weighted = [
        k.id for k in ev.scheme.kpis if any(k.id in r.weights for r in ev.scheme.roles.values())
    ]
    missing = {w.kpi for w in ev.warnings if w.code == "kpi_unavailable"}
    reasons = ev.kpis.group_by("kpi").agg(pl.col("reason").unique())
    only = {
        row["kpi"]: row["reason"][0]
        for row in reasons.iter_rows(named=True)
        if len(row["reason"]) == 1
    }
    groups = {
        "kpis_unavailable": [k for k in weighted if k in missing],
        "kpis_untargeted": [k for k in weighted if k not in missing and only.get(k) == "no_target"],
        "kpis_without_data": [k for k in weighted if k not in missing and only.get(k) == "no_data"],
    }
    lines = []
    for key, ids in groups.items():
        if ids:
            titles = tuple(ev.scheme.kpi(k).title for k in ids)
            line = _fill(VERDICT[key], {"count": len(titles), "kpis": titles}, lang)
            if key == "kpis_without_data":
                needs = [_needs(ev, ev.scheme.kpi(k), lang) for k in ids]
                line += ("。" if lang == "zh" else ". ") + listing([n for n in needs if n], lang)
            lines.append(line.rstrip("。. "))
    unscored = ev.reps.filter(pl.col("due") & pl.col("composite").is_null())["rep_id"]
    if unscored.len():
        key = "nobody_scored" if nobody_scored(ev) else "some_unscored"
        shown = tuple(str(r) for r in unscored.head(SHOWN_REPS))
        lines.append(_fill(VERDICT[key], {"count": unscored.len(), "reps": shown}, lang))
    return lines


def scheme_source(path: str, lang: str) -> str:
    """Where the scheme came from: its file, or the built-in scheme in words."""
    return label("run.builtin_scheme", lang) if path == DEFAULT_SCHEME_PATH else path


def money_header(key: str, currency: str, lang: str) -> str:
    """A money column's header with its currency: 奖金（CNY） / Bonus (CNY)."""
    return label("col.with_currency", lang).format(column=label(key, lang), currency=currency)


def beside(text: str, aside: object, lang: str) -> str:
    """A text with what it stands for beside it, as each language brackets: 销售额（sales）."""
    return f"{text}（{aside}）" if lang == "zh" else f"{text} ({aside})"


def listing(items: Sequence[str], lang: str) -> str:
    """Items joined as each language lists them: 甲、乙 / a, b."""
    return ("、" if lang == "zh" else ", ").join(items)


def kpi_notes(ev: Evaluation, lang: str) -> dict[tuple[str, str], str]:
    """Why each (rep, KPI) is N/A, adjusted or informational, in words — computed once for
    the rep's workbook, letter and JSON alike. Scored KPIs have no note."""
    unavailable = {
        w.kpi: _fill(REASONS[str(w.values["reason"])], w.values, lang)
        for w in ev.warnings
        if w.code == "kpi_unavailable"
    }
    notes = {}
    columns = ("rep_id", "kpi", "status", "weight", "reason", "note")
    noted = ev.kpis.filter(pl.col("status") != "scored")  # a scored KPI has no note
    for row in noted.select(columns).iter_rows(named=True):
        reason = row["reason"]
        why = unavailable.get(row["kpi"], "") if reason == "unavailable" else ""
        if reason is not None and reason != "unavailable":
            why = _fill(REASONS[reason], {"kpi": row["kpi"]}, lang)
        text = _kpi_note(row, why, ev.scheme.missing_target, lang)
        if text:
            notes[(row["rep_id"], row["kpi"])] = text
    return notes


def _kpi_note(row: Mapping[str, Any], why: str, policy: str, lang: str) -> str:
    status = row["status"]
    if status == "adjusted":
        return label("msg.adjusted", lang).format(reason=row["note"] or "")
    if status in ("no_target", "no_data"):
        renormalized = bool(row["weight"]) and policy == "renormalize"
        scoring = label("msg.na_renormalized" if renormalized else "msg.na_not_scored", lang)
        return _joined(why, scoring, lang)
    if status == "informational":
        return _joined(why, label("msg.informational", lang), lang)
    return why


def _joined(first: str, second: str, lang: str) -> str:
    return f"{first}{'；' if lang == 'zh' else '; '}{second}" if first else second


def _fill(texts: tuple[str, str], params: Mapping[str, Param], lang: str) -> str:
    if lang not in LOCALES:
        raise ValueError(f"unknown locale {lang!r}; expected one of {', '.join(LOCALES)}")
    text = texts[LOCALES.index(lang)]
    return text.format(**{key: _shown(key, value, params, lang) for key, value in params.items()})


def _shown(key: str, value: Param, params: Mapping[str, Param], lang: str) -> str:
    if isinstance(value, Decimal):
        return money_text(figure(value, "money"))
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, tuple):
        return _listed(key, value, params, lang)
    if isinstance(value, str) and key in ("on", "by", "split", "per", "kind") and value in WORDS:
        return WORDS[value][LOCALES.index(lang)]
    title = params.get({"kpi": "title", "default_role": "default_role_title"}.get(key, ""))
    if isinstance(title, str) and title != value:
        return beside(title, value, lang)
    return str(value)


def _listed(key: str, values: Sequence[str], params: Mapping[str, Param], lang: str) -> str:
    """A list of ids or names; quoted where English quotes columns; '… N more' when cut."""
    items = [f"'{v}'" if key == "columns" and lang == "en" else v for v in values]
    text = listing(items, lang)
    count = params.get("count")
    if key in ("ids", "reps") and isinstance(count, int) and count > len(values):
        more = count - len(values)
        text += f" 等，另 {more} 个" if lang == "zh" else f", … {more} more"
    return text
