"""What an appeal workbook shows and asks (``spm appeal``), and how a returned one is read
into claims (``spm appeals review``), in the run's language.

The sheets are built as grids of plain values, so that the writer lays them out and the
review can tell, cell by cell, what the rep was given from what the rep filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from spmcli.report.explain import Explanation, SourceRows
from spmcli.report.figures import show
from spmcli.report.labels import source_header, status_label
from spmcli.report.wording import beside
from spmcli.scheme.model import Scheme

FORMAT = 1
Cell = str | int | float | None
# The columns of the appeal sheet the rep fills in: disputed?, claimed value, reason, evidence.
FILL_IN = ("disputed", "claimed", "reason", "evidence")

TEXT: dict[str, tuple[str, str]] = {
    "sheet.instructions": ("填写说明", "Instructions"),
    "sheet.appeal": ("申诉", "Appeal"),
    "sheet.rows": ("来源明细", "Source rows"),
    "title": ("绩效申诉表 · {period} · {who}", "Performance appeal · {period} · {who}"),
    "deadline": (
        "请于 {deadline} 前交回（{days} 天内）",
        "Return it by {deadline} (within {days} days)",
    ),
    "step1": (
        "1. 在「申诉」表中，对有异议的指标在「有异议？」列选择“是”。",
        "1. On the Appeal sheet, choose 'yes' under 'Disputed?' for each KPI you dispute.",
    ),
    "step2": (
        "2. 在「主张的实际值」列填写你认为正确的实际值，在「理由」和「证据」列说明原因"
        "（例如来源明细的行号、发票号）。",
        "2. Give the actual you believe is right under 'Claimed actual', and say why under "
        "'Reason' and 'Evidence' (e.g. source rows, invoice numbers).",
    ),
    "step3": (
        "3. 其他单元格已锁定，请勿修改；改动了其他单元格的申诉表不予受理。",
        "3. The other cells are locked; an appeal with any of them changed is not accepted.",
    ),
    "step4": ("4. 保存后交回你的主管。", "4. Save the file and return it to your manager."),
    "col.kpi_id": ("指标编号", "KPI id"),
    "col.kpi": ("指标", "KPI"),
    "col.actual": ("实际", "Actual"),
    "col.target": ("目标", "Target"),
    "col.achievement": ("达成率", "Achievement"),
    "col.score": ("得分", "Score"),
    "col.status": ("状态", "Status"),
    "col.disputed": ("有异议？", "Disputed?"),
    "col.claimed": ("主张的实际值", "Claimed actual"),
    "col.reason": ("理由", "Reason"),
    "col.evidence": ("证据", "Evidence"),
    "col.table": ("数据表", "Table"),
    "col.final_score": ("最终得分", "final score"),
    "col.grade": ("等级", "grade"),
    "col.rank": ("排名", "rank"),
    "col.total": ("应发合计", "total pay"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}
APPEAL_COLUMNS = (
    "kpi_id", "kpi", "actual", "target", "achievement", "score", "status", *FILL_IN,
)  # fmt: skip
HEADER_ROW = 3  # 0-based row of the appeal sheet's header; KPIs follow


def say(key: str, lang: str, **params: object) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**params)


@dataclass(frozen=True)
class Sheet:
    """One sheet as rows of values; ``fill_in`` are the (row, column) cells the rep may
    fill; ``kinds`` say how a column's numbers are shown."""

    name: str
    rows: tuple[tuple[Cell, ...], ...]
    fill_in: tuple[tuple[int, int], ...] = ()
    kinds: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class AppealForm:
    rep_id: str
    period: str
    deadline: date
    lang: str
    instructions: Sheet
    appeal: Sheet
    rows: Sheet
    answers: tuple[str, str]  # yes, no


def appeal_form(scheme: Scheme, told: Explanation, today: date, lang: str) -> AppealForm:
    """The appeal workbook's sheets for one rep, from the rep's explanation (its figures are
    the records'); the deadline is ``feedback.appeal_days`` after ``today``."""
    days = scheme.feedback.appeal_days
    deadline = today + timedelta(days=days)
    who = beside(told.name, told.rep_id, lang) if told.name else told.rep_id
    instructions = Sheet(
        say("sheet.instructions", lang),
        (
            (say("title", lang, period=told.period, who=who),),
            (say("deadline", lang, deadline=deadline.isoformat(), days=days),),
            (None,),
            *((say(step, lang),) for step in ("step1", "step2", "step3", "step4")),
        ),
    )
    header = tuple(say(f"col.{c}", lang) for c in APPEAL_COLUMNS)
    body = []
    for step in told.kpis:
        f = step.figures
        body.append(
            (
                step.kpi,
                step.title,
                _number(f["actual"]),
                _number(f["target"]),
                _number(f["achievement"]),
                _number(f["score"]),
                status_label(step.status, lang),
                None,
                None,
                None,
                None,
            )
        )
    first = HEADER_ROW + 1
    fill = tuple((first + r, APPEAL_COLUMNS.index(c)) for r in range(len(body)) for c in FILL_IN)
    appeal = Sheet(
        say("sheet.appeal", lang),
        ((say("title", lang, period=told.period, who=who),), (None,), (None,), header, *body),
        fill,
        (None, None, "number", "number", "achievement", "score", None, None, "number", None, None),
    )
    return AppealForm(
        rep_id=told.rep_id,
        period=told.period,
        deadline=deadline,
        lang=lang,
        instructions=instructions,
        appeal=appeal,
        rows=_rows_sheet(told, lang),
        answers=(say("yes", lang), say("no", lang)),
    )


def _number(value: object) -> Cell:
    return float(value) if isinstance(value, Decimal | int | float) else None


def _rows_sheet(told: Explanation, lang: str) -> Sheet:
    """Every source row behind the rep's KPIs, KPI by KPI, with its place and Excel row."""
    columns: list[str] = ["_row"]
    for step in told.kpis:
        if step.rows is not None and step.rows.place:
            columns += [c for c in step.rows.columns if c not in columns and c != "window"]
    header = (
        say("col.kpi", lang),
        say("col.table", lang),
        *(source_header(c, lang) for c in columns),
    )
    body: list[tuple[Cell, ...]] = []
    for step in told.kpis:
        rows: SourceRows | None = step.rows
        if rows is None or not rows.place:
            continue
        for row in rows.shown:
            body.append((step.title, rows.place, *(_cell(row.get(c)) for c in columns)))
    return Sheet(say("sheet.rows", lang), (header, *body))


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float):
        return value
    return float(value) if isinstance(value, Decimal) else str(value)


def effect(before: Mapping[str, Any], after: Mapping[str, Any], lang: str) -> str:
    """What a decision changes for the rep, from their records before and after:
    final score and total pay (a grade or rank that moves too)."""
    parts = []
    for key, kind in (("final_score", "score"), ("grade", ""), ("rank", "")):
        old, new = before.get(key), after.get(key)
        if old != new or key == "final_score":
            shown = (show(old, kind), show(new, kind)) if kind else (str(old), str(new))
            parts.append(f"{say(f'col.{key}', lang)} {shown[0]} → {shown[1]}")
    old_pay, new_pay = (r.get("pay") or {} for r in (before, after))
    if old_pay or new_pay:
        money = (show(old_pay.get("total"), "money"), show(new_pay.get("total"), "money"))
        parts.append(f"{say('col.total', lang)} {money[0]} → {money[1]}")
    return ("；" if lang == "zh" else "; ").join(parts)
