"""How one rep's figures were reached, top down (``spm explain``): final score, composite,
each KPI's rule, achievement, target, formula and source rows, then the pay.

Every figure is a record's (``evaluation_record``), so it is the one the rep's workbook
and the JSON hold; the texts here only say how the figures relate. The tree is plain
frozen data: the console lays it out, ``--json`` dumps it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from spmcli.engine.periods import window_range
from spmcli.engine.result import Evaluation
from spmcli.report.figures import (
    figure,
    kpi_description,
    kpi_table,
    kpi_unit,
    rate_text,
    show,
)
from spmcli.report.labels import label, source_header, status_label
from spmcli.report.records import kpi_records, pay_detail_records, rep_figure_records, rep_records
from spmcli.report.statement import Statement, pay_statement
from spmcli.report.wording import beside, listing
from spmcli.scheme.model import Kpi, Scheme

SHOWN_ROWS = 5

# key -> (zh, en); parameters in braces.
TEXT: dict[str, tuple[str, str]] = {
    "final": (
        "最终得分 {final} = 综合得分 {composite} − 扣分 {penalty}",
        "final score {final} = composite {composite} − penalty {penalty}",
    ),
    "final_no_score": (
        "没有任何指标可以计分，没有最终得分",
        "no KPI could be scored: no final score",
    ),
    "standing": ("等级 {grade}，排名 {rank} / {of}", "grade {grade}, rank {rank} of {of}"),
    "penalty": (
        "扣 {points} 分：{reason}（审批人 {approver}；{place} 第 {row} 行）",
        "{points} points off: {reason} (approved by {approver}; {place} row {row})",
    ),
    "override": (
        "实际值按审批调整为 {value}：{reason}（审批人 {approver}；{place} 第 {row} 行）",
        "actual replaced by {value}: {reason} (approved by {approver}; {place} row {row})",
    ),
    "composite": (
        "综合得分 {composite} {eq} Σ 权重 × 得分 / Σ 权重 = ({terms}) / {weights}",
        "composite {composite} {eq} Σ weight × score / Σ weight = ({terms}) / {weights}",
    ),
    "renormalised": (
        "{kpis} 为 N/A，其权重 {left} 不计入：其余权重 {weights} 折算为 100",
        "{kpis} N/A: their weight {left} is left out and the other weights ({weights}) count "
        "as 100",
    ),
    "informational": (
        "仅供参考：该角色不计此指标的权重 · 得分 {score}",
        "for information: the role does not weight it · score {score}",
    ),
    "kpi": (
        "权重 {weight}（折算 {effective}）· 得分 {score} · 加权 {weighted}",
        "weight {weight} ({effective} after renormalising) · score {score} · weighted {weighted}",
    ),
    "actual": (
        "实际 {actual} = {formula}，{window} {start} 至 {end}",
        "actual {actual} = {formula} over {window} {start}..{end}",
    ),
    "computed": (
        "计算值 {actual} = {formula}，{window} {start} 至 {end}",
        "computed {actual} = {formula} over {window} {start}..{end}",
    ),
    "where": ("筛选：{where}", "where {where}"),
    "target_row": (
        "目标 {target}：目标表 {place} 第 {row} 行",
        "target {target}: targets table {place} row {row}",
    ),
    "target_fixed": (
        "目标 {target}：方案规定（target: {value}）",
        "target {target}: set by the scheme (target: {value})",
    ),
    "target_team": (
        "目标 {target}：团队成员目标之和",
        "target {target}: the sum of the members' targets",
    ),
    "target_none": ("无目标", "no target"),
    "achievement": ("达成率 {achievement} = {a} / {b}", "achievement {achievement} = {a} / {b}"),
    "linear": (
        "得分 {score}：线性，得分 = 100 × 达成率，达成率低于 {floor} 得 0 分，封顶 {cap}",
        "score {score}: linear, 100 × achievement, 0 below {floor}, capped at {cap}",
    ),
    "linear_no_floor": (
        "得分 {score}：线性，得分 = 100 × 达成率，封顶 {cap}",
        "score {score}: linear, 100 × achievement, capped at {cap}",
    ),
    "below_floor": ("达成率低于 {floor}：0 分", "below {floor}: 0"),
    "capped": ("达成率超过 {cap}：按 {cap} 计", "above {cap}: counted as {cap}"),
    "bands": (
        "得分 {score}：按{on}分档（{bands}）",
        "score {score}: bands on {on} ({bands})",
    ),
    "band_hit": ("{x} 落在 ≥ {threshold} 档", "{x} falls in the ≥ {threshold} band"),
    "band_none": ("{x} 低于所有档位：0 分", "{x} is below every band: 0"),
    "rating": (
        "得分 {score}：评级按 {scale} 换算",
        "score {score}: the rating on the scale {scale}",
    ),
    "rows": (
        "来源 {place} 第 {ranges} 行 · {count} 行",
        "source {place} rows {ranges} · {count} row(s)",
    ),
    "rows_total": ("合计 {column} {total}", "{column} total {total}"),
    "rows_windows": ("其中 {windows}", "of which {windows}"),
    "members": ("团队成员 {count} 人", "{count} team member(s)"),
    "derived": ("{count} 行", "{count} row(s)"),
    "no_rows": ("没有来源行", "no source rows"),
    "more_rows": (
        "另有 {count} 行（--rows N 显示更多）",
        "{count} more row(s) (--rows N shows more)",
    ),
}


@dataclass(frozen=True)
class SourceRows:
    """The rows behind one KPI of one rep: where they are, how many, their total, and the
    largest ones (``shown``); ``columns`` name the shown rows' fields in order."""

    table: str
    place: str  # file [sheet]
    count: int
    ranges: str  # Excel rows as ranges: 12-15, 20
    total_column: str | None
    total: Decimal | None
    windows: tuple[tuple[str, int], ...]  # (window, rows) when the KPI reads several
    columns: tuple[str, ...]
    shown: tuple[Mapping[str, object], ...]  # column -> value; dates as ISO text
    hidden: int  # rows not shown


@dataclass(frozen=True)
class KpiStep:
    """One KPI: its figures (as the records have them) and how each was reached."""

    kpi: str
    title: str
    status: str
    figures: Mapping[str, Any]  # the KPI record: actual, target, achievement, score, ...
    computed: Decimal | int | None  # the actual the data gave, when an adjustment replaced it
    lines: tuple[str, ...]  # actual, target, achievement, score, adjustment, N/A reason
    rows: SourceRows | None


@dataclass(frozen=True)
class Explanation:
    rep_id: str
    name: str
    team: str
    role: str
    period: str
    figures: Mapping[str, Any]  # composite, penalty, final_score, grade, rank, pay
    lines: tuple[str, ...]  # final score, standing, penalties, composite, renormalising
    kpis: tuple[KpiStep, ...]
    pay: Statement | None


def _say(key: str, lang: str, **params: object) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**params)


def explain(
    ev: Evaluation,
    rep_id: str,
    origins: Mapping[str, str],
    *,
    kpi: str | None = None,
    rows: int | None = SHOWN_ROWS,
    lang: str | None = None,
) -> Explanation:
    """The explanation of ``rep_id``'s figures; ``kpi`` narrows it to one KPI; each KPI shows
    its ``rows`` largest source rows (all of them when None). ``origins``
    name each input table's place (``q3.xlsx [销售明细]``). The rep must be on the roster
    and due."""
    lang = lang or ev.scheme.locale
    (record,) = rep_figure_records(ev, {rep_id})
    rep = next(r for r in rep_records(ev) if r["rep_id"] == rep_id)
    raw = kpi_records(ev).get(rep_id, {})
    chosen = [k for k in ev.scheme.kpis if kpi is None or k.id == kpi]
    steps = tuple(
        _kpi_step(
            ev,
            k,
            record["kpis"][k.id],
            raw.get(k.id, {}),
            rep_id,
            origins,
            lang,
            rows,
        )
        for k in chosen
    )
    details = pay_detail_records(ev)
    statement = (
        pay_statement(ev.scheme, rep, raw, details[rep_id], lang)
        if kpi is None and rep_id in details
        else None
    )
    return Explanation(
        rep_id=rep_id,
        name=record.get("name") or "",
        team=record.get("team") or "",
        role=record.get("role_label") or record.get("role") or "",
        period=f"{ev.period.label} ({ev.period.start.isoformat()}..{ev.period.end.isoformat()})",
        figures={
            key: record[key]
            for key in (
                "composite",
                "penalty",
                "final_score",
                "grade",
                "grade_label",
                "rank",
                "pay",
            )
        },
        lines=tuple(_top_lines(ev, record, rep_id, origins, lang)),
        kpis=steps,
        pay=statement,
    )


def _top_lines(
    ev: Evaluation,
    record: Mapping[str, Any],
    rep_id: str,
    origins: Mapping[str, str],
    lang: str,
) -> list[str]:
    if record["final_score"] is None:
        return [_say("final_no_score", lang)]
    graded = ev.reps["rank"].count()  # the ranked reps
    grade = beside(record["grade"], record["grade_label"], lang)
    lines = [
        _say(
            "final",
            lang,
            final=show(record["final_score"], "score"),
            composite=show(record["composite"], "score"),
            penalty=show(record["penalty"], "score"),
        ),
        _say("standing", lang, grade=grade, rank=record["rank"], of=graded),
    ]
    for row in (
        _adjustments(ev, rep_id).filter(pl.col("points").is_not_null()).iter_rows(named=True)
    ):
        lines.append(
            _say(
                "penalty",
                lang,
                points=show(Decimal(repr(abs(row["points"]))), "weight"),
                reason=row["reason"] or "–",
                approver=row["approved_by"] or "–",
                row=row["_row"],
                place=origins.get(row["table"], row["table"]),
            )
        )
    counted = [
        (k, record["kpis"][k.id])
        for k in ev.scheme.kpis
        if record["kpis"][k.id]["effective_weight"] not in (None, 0)
    ]
    weights = sum((r["weight"] for _, r in counted), Decimal(0))
    terms = " + ".join(
        f"{show(r['weight'], 'weight')} × {show(r['score'], 'score')}" for _, r in counted
    )
    exact = sum((r["weight"] * r["score"] for _, r in counted), Decimal(0)) / weights
    eq = "=" if exact.quantize(Decimal("0.01")) == record["composite"] else "≈"
    lines.append(
        _say(
            "composite",
            lang,
            composite=show(record["composite"], "score"),
            eq=eq,
            terms=terms,
            weights=show(weights, "weight"),
        )
    )
    left = [
        (k, r)
        for k, r in ((k, record["kpis"][k.id]) for k in ev.scheme.kpis)
        if r["weight"] and not r["effective_weight"]
    ]
    if left:
        lines.append(
            _say(
                "renormalised",
                lang,
                kpis=listing([k.title for k, _ in left], lang),
                left=show(sum((r["weight"] for _, r in left), Decimal(0)), "weight"),
                weights=show(weights, "weight"),
            )
        )
    return lines


def _adjustments(ev: Evaluation, rep_id: str) -> pl.DataFrame:
    return ev.adjustments.filter(pl.col("rep_id") == rep_id)


def _kpi_step(
    ev: Evaluation,
    kpi: Kpi,
    figures: Mapping[str, Any],
    raw: Mapping[str, Any],
    rep_id: str,
    origins: Mapping[str, str],
    lang: str,
    rows: int | None,
) -> KpiStep:
    unit = kpi_unit(ev.scheme, kpi)
    status = figures["status"]
    lines = [
        _say("informational", lang, score=show(figures["score"], "score"))
        if status == "informational"
        else _say(
            "kpi",
            lang,
            weight=show(figures["weight"], "weight"),
            effective=show(figures["effective_weight"], "weight"),
            score=show(figures["score"], "score"),
            weighted=show(figures["weighted"], "score"),
        )
    ]
    start, end = window_range(ev.period, kpi.window)
    adjusted = status == "adjusted"
    lines.append(
        _say(
            "computed" if adjusted else "actual",
            lang,
            actual=show(figure(raw.get("computed"), unit) if adjusted else figures["actual"], unit),
            formula=kpi_description(kpi, ev.scheme, lang),
            window=label(f"window.{kpi.window}", lang),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    )
    if kpi.where:
        lines.append(_say("where", lang, where=kpi.where))
    for row in _adjustments(ev, rep_id).filter(pl.col("kpi") == kpi.id).iter_rows(named=True):
        lines.append(
            _say(
                "override",
                lang,
                value=show(figures["actual"], unit),
                reason=row["reason"] or "–",
                approver=row["approved_by"] or "–",
                row=row["_row"],
                place=origins.get(row["table"], row["table"]),
            )
        )
    if kpi.needs_target:
        lines.append(_target_line(ev.scheme, kpi, figures, raw, unit, origins, lang))
        if figures["achievement"] is not None:
            a, b = show(figures["actual"], unit), show(figures["target"], unit)
            if kpi.direction == "lower_is_better":
                a, b = b, a
            lines.append(
                _say(
                    "achievement",
                    lang,
                    achievement=show(figures["achievement"], "achievement"),
                    a=a,
                    b=b,
                )
            )
    if figures["score"] is not None:
        lines.append(_rule_line(kpi, figures, unit, lang))
    else:
        lines.append(figures.get("note") or status_label(status, lang))
    return KpiStep(
        kpi=kpi.id,
        title=kpi.title,
        status=status,
        figures=figures,
        computed=figure(raw.get("computed"), unit) if adjusted else None,
        lines=tuple(lines),
        rows=_source_rows(ev, kpi, rep_id, origins, rows),
    )


def _target_line(
    scheme: Scheme,
    kpi: Kpi,
    figures: Mapping[str, Any],
    raw: Mapping[str, Any],
    unit: str,
    origins: Mapping[str, str],
    lang: str,
) -> str:
    target = show(figures["target"], unit)
    if figures["target"] is None:
        return _say("target_none", lang)
    if kpi.scope == "team":
        return _say("target_team", lang, target=target)
    if raw.get("target_row") is not None:
        return _say(
            "target_row",
            lang,
            target=target,
            place=origins.get("targets", "targets"),
            row=raw["target_row"],
        )
    return _say(
        "target_fixed",
        lang,
        target=target,
        value=f"{kpi.target:g}" if isinstance(kpi.target, float) else kpi.target,
    )


def _rule_line(kpi: Kpi, figures: Mapping[str, Any], unit: str, lang: str) -> str:
    rule = kpi.scoring
    score = show(figures["score"], "score")
    if kpi.kind == "rating" or rule.method == "rating":
        scale = ", ".join(f"{name}={points:g}" for name, points in kpi.scale.items())
        return _say("rating", lang, score=score, scale=scale)
    if rule.method == "bands":
        on_value = rule.on == "value"
        x = figures["actual"] if on_value else figures["achievement"]
        shown_x = show(x, unit) if on_value else show(x, "achievement")

        def bound(threshold: float) -> str:  # a value as the scheme writes it, or a share
            return f"{threshold:g}" if on_value else rate_text(threshold)

        ordered = sorted(rule.bands, reverse=True)
        bands = ", ".join(f"≥ {bound(t)} → {points:g}" for t, points in ordered)
        hit = next((t for t, _ in ordered if x >= Decimal(repr(t))), None)
        on = label("col.actual", lang) if on_value else label("col.achievement", lang)
        line = _say("bands", lang, score=score, on=on, bands=bands)
        reading = (
            _say("band_none", lang, x=shown_x)
            if hit is None
            else _say("band_hit", lang, x=shown_x, threshold=bound(hit))
        )
        return f"{line}; {reading}"
    key = "linear" if rule.floor else "linear_no_floor"
    line = _say(key, lang, score=score, floor=rate_text(rule.floor), cap=rate_text(rule.cap))
    achievement = figures["achievement"]
    if achievement < Decimal(repr(rule.floor)):
        return f"{line}; {_say('below_floor', lang, floor=rate_text(rule.floor))}"
    if achievement > Decimal(repr(rule.cap)):
        return f"{line}; {_say('capped', lang, cap=rate_text(rule.cap))}"
    return line


def row_ranges(rows: Sequence[int]) -> str:
    """Row numbers as ranges, as a reader finds them in Excel: 12-15, 20, 31-33."""
    parts: list[str] = []
    numbers = sorted(set(rows))
    start = previous = None
    for number in [*numbers, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    return ", ".join(parts)


def _source_rows(
    ev: Evaluation, kpi: Kpi, rep_id: str, origins: Mapping[str, str], limit: int | None
) -> SourceRows | None:
    frame = ev.sources.get(kpi.id)
    if frame is None:
        return None
    mine = frame.filter(pl.col("rep_id") == rep_id)
    table = kpi_table(kpi, ev.scheme)
    if "_row" not in mine.columns:  # figures derived from rows: team members, customers
        columns = tuple(c for c in mine.columns if c not in ("rep_id", "window"))
        shown = _plain_rows(mine.select(columns))
        kind = "team" if kpi.scope == "team" else table
        return SourceRows(kind, "", mine.height, "", None, None, (), columns, shown, 0)
    total_column = "amount" if "amount" in mine.columns else None
    order = [pl.col("amount").abs()] if total_column else [pl.col("_row")]
    ordered = mine.sort([*order, "_row"], descending=[bool(total_column), False])
    used = _used_columns(kpi, mine.columns)
    columns = ("_row", *(("window",) if mine["window"].n_unique() > 1 else ()), *used)
    shown_frame = ordered if limit is None else ordered.head(limit)
    windows = (
        tuple(mine.group_by("window", maintain_order=True).len().iter_rows())
        if mine["window"].n_unique() > 1
        else ()
    )
    total = mine["amount"].sum() if total_column else None
    return SourceRows(
        table=table,
        place=origins.get(table, table),
        count=mine.height,
        ranges=row_ranges(mine["_row"].to_list()),
        total_column=total_column,
        total=_money(total),
        windows=tuple((str(w), int(n)) for w, n in windows),
        columns=columns,
        shown=_plain_rows(shown_frame.select(columns)),
        hidden=mine.height - shown_frame.height,
    )


def _money(value: object) -> Decimal | None:
    rounded = figure(value, "money")
    return rounded if isinstance(rounded, Decimal) else None


def _plain_rows(frame: pl.DataFrame) -> tuple[Mapping[str, object], ...]:
    """Rows as JSON holds them: dates and times as ISO text, the rest as read."""
    temporal = [c for c, t in frame.schema.items() if t.is_temporal()]
    return tuple(frame.with_columns(pl.col(temporal).cast(pl.String)).iter_rows(named=True))


def _used_columns(kpi: Kpi, available: Sequence[str]) -> tuple[str, ...]:
    """The columns a reader checks a row by: date, customer, then what the KPI's SQL reads."""
    named: list[str] = ["date", "customer_id"]
    for text in (kpi.value, kpi.where):
        if text:
            named += pl.sql_expr(text).meta.root_names()
    if kpi.kind == "rating":
        named += ["item", "rating"]
    if kpi.table == "sales" or kpi.kind != "aggregate":
        named.append("amount")
    return tuple(dict.fromkeys(c for c in named if c in available))


def rows_line(rows: SourceRows, lang: str) -> str:
    """Where a KPI's rows are, how many, their total and, over several windows, how many each."""
    if not rows.place:
        return _say("members" if rows.table == "team" else "derived", lang, count=rows.count)
    if not rows.count:
        return _say("no_rows", lang)
    parts = [_say("rows", lang, place=rows.place, ranges=rows.ranges, count=rows.count)]
    if rows.total_column:
        column = source_header(rows.total_column, lang)
        parts.append(_say("rows_total", lang, column=column, total=show(rows.total, "money")))
    if rows.windows:
        each = ", ".join(f"{label(f'window.{w}', lang)} {n}" for w, n in rows.windows)
        parts.append(_say("rows_windows", lang, windows=each))
    return " · ".join(parts)


def more_rows(rows: SourceRows, lang: str) -> str:
    return _say("more_rows", lang, count=rows.hidden)
