"""What a letter template sees: one ``LetterContext`` per rep, built from an Evaluation.

Every figure comes from ``evaluation_record`` — the records behind ``evaluation.json`` —
so a letter shows the same numbers as the JSON (same rounding, N/A where the JSON has
null) and only formats them for reading: thousands separators for money, achievements
and percentages × 100 with a ``%`` sign, weights without trailing zeros. The few
figures the JSON does not hold (team averages per KPI, points to gain, changes against
the previous period) are computed here from those rounded figures.

The context holds only plain values (str, int, float, bool, None, lists and dicts), so
that a sandboxed template cannot reach anything but data; its shape is typed in
``spmcli.letters.contexts`` and the README lists every key. What only the wording needs
(exact scores, the KPI's definition, changes as numbers) stays beside the context, never
in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

from spmcli.engine.result import Evaluation
from spmcli.letters.contexts import (
    ChartBarContext,
    ChartContext,
    Direction,
    KpiContext,
    LetterContext,
    PayContext,
    PayLineContext,
    PayPart,
    TrendContext,
    TrendKpiContext,
    WordedKpiContext,
)
from spmcli.report.figures import figure, kpi_unit, plain_text, show
from spmcli.report.labels import label, status_label
from spmcli.report.records import evaluation_record
from spmcli.scheme.model import Kpi, Scheme

NA = "N/A"
TOP = 3  # strengths and areas to improve listed at most
PLAN_ROWS = 4  # empty rows for agreed actions
CHART_MIN_SCALE = 120.0
NOT_SCORED = ("no_target", "no_data", "zero_target")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Previous:
    """The period before, for the trend: its evaluation, or why there is none.

    ``reason`` is ``no_sales`` (no sales lines in that period) or ``failed`` (the
    previous period's data could not be evaluated; ``detail`` says why)."""

    label: str
    evaluation: Evaluation | None
    reason: str = ""
    detail: str = ""


@dataclass(frozen=True, eq=False)
class _KpiRow:
    """A KPI row of the context and what its sentences need but a template does not: the
    exact score and team average, the rep's figures of the JSON and the KPI's definition."""

    row: KpiContext
    score: Decimal | None
    average: Decimal | None
    figures: dict[str, Any]
    definition: Kpi


# ----------------------------------------------------------------------- figures as text


def _signed(value: Decimal) -> str:
    return f"+{value:f}" if value > 0 else f"{value:f}".replace("-", "−")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _num(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _text(value: object) -> str:
    return "" if value is None else str(value)


# --------------------------------------------------------------------------- the context


def letter_contexts(
    ev: Evaluation,
    lang: str,
    comments: pl.DataFrame | None = None,
    previous: Previous | None = None,
) -> list[LetterContext]:
    """One context per due rep, in rank order (the order of ``evaluation.json``).

    Reps not due this period get no letter: they have no scores to discuss."""
    record = evaluation_record(ev)
    reps = [r for r in record["reps"] if r["due"]]
    before = _previous_reps(previous)
    team_stats = _team_kpi_stats(ev)
    notes = _comments(comments)
    ranked = sum(1 for r in reps if r["rank"] is not None)
    team_sizes: dict[str | None, int] = {}
    for rep in reps:
        if rep["team_rank"] is not None:
            team_sizes[rep["team"]] = team_sizes.get(rep["team"], 0) + 1
    averages = {t["team"]: t["average_score"] for t in record["teams"]}
    roster = {row["rep_id"]: row for row in ev.reps.to_dicts()}
    return [
        _rep_context(
            ev,
            lang,
            record,
            rep,
            roster[rep["rep_id"]],
            ranked=ranked,
            team_size=team_sizes.get(rep["team"], 0),
            team_average=averages.get(rep["team"]),
            team_stats=team_stats,
            comments=notes.get(rep["rep_id"], {}),
            previous=previous,
            before=before.get(rep["rep_id"]),
        )
        for rep in reps
    ]


def _rep_context(
    ev: Evaluation,
    lang: str,
    record: dict[str, Any],
    rep: dict[str, Any],
    row: dict[str, Any],
    *,
    ranked: int,
    team_size: int,
    team_average: Decimal | None,
    team_stats: Mapping[tuple[str, str], tuple[Decimal | None, int, int]],
    comments: Mapping[str, str],
    previous: Previous | None,
    before: dict[str, Any] | None,
) -> LetterContext:
    scheme = ev.scheme
    kpis: list[_KpiRow] = []
    for kpi in scheme.kpis:
        figures = rep["kpis"][kpi.id]
        average, kpi_rank, scored = team_stats.get((rep["rep_id"], kpi.id), (None, 0, 0))
        kpis.append(_kpi_row(scheme, kpi, figures, average, kpi_rank, scored, lang))
    weighted = [k for k in kpis if k.row["weighted_kpi"]]
    strengths, improvements = _strengths_and_improvements(weighted, lang)
    return {
        "lang": lang,
        "scheme": {"name": scheme.name, "currency": scheme.currency},
        "period": {
            "label": record["period"],
            "start": record["period_start"],
            "end": record["period_end"],
        },
        "rep": {
            "rep_id": _text(rep["rep_id"]),
            "name": _text(rep["name"]) or _text(rep["rep_id"]),
            "team": _text(rep["team"]),
            "role": _text(rep["role"]),
            "role_label": _text(rep["role_label"]) or _text(rep["role"]),
            "manager": _text(row.get("manager")),
            "region": _text(row.get("region")),
        },
        "result": {
            "composite": show(rep["composite"], "score"),
            "penalty": show(rep["penalty"], "score"),
            "has_penalty": bool(rep["penalty"]),
            "penalty_reason": _text(row.get("penalty_reason")),
            "final_score": show(rep["final_score"], "score"),
            "grade": _text(rep["grade"]),
            "grade_label": _text(rep["grade_label"]),
            "rank": _text(rep["rank"]),
            "rank_of": ranked,
            "team_rank": _text(rep["team_rank"]),
            "team_rank_of": team_size,
            "team_average": show(team_average, "score"),
        },
        "kpis": [k.row.copy() for k in weighted],
        "info_kpis": [k.row.copy() for k in kpis if not k.row["weighted_kpi"]],
        "na_kpis": [k.row.copy() for k in weighted if k.row["status"] in NOT_SCORED],
        "strengths": strengths,
        "improvements": improvements,
        "trend": _trend(scheme, rep, before, previous, weighted, lang),
        "comments": {
            "present": any(comments.get(k) for k in ("strengths", "improvements", "plan")),
            "strengths": comments.get("strengths", ""),
            "improvements": comments.get("improvements", ""),
            "plan": comments.get("plan", ""),
        },
        "pay": _pay(ev, rep, lang),
        "plan": {"kpis": improvements, "action_rows": list(range(1, PLAN_ROWS + 1))},
        "appeal": {"days": scheme.feedback.appeal_days},
        "chart": _chart(weighted),
    }


def _kpi_row(
    scheme: Scheme,
    kpi: Kpi,
    figures: dict[str, Any],
    team_average: Decimal | None,
    team_rank: int,
    team_scored: int,
    lang: str,
) -> _KpiRow:
    unit = kpi_unit(scheme, kpi)
    score = figures["score"]
    row: KpiContext = {
        "id": kpi.id,
        "label": kpi.title,
        "unit": unit,
        "actual": show(figures["actual"], unit),
        "target": show(figures["target"], unit),
        "achievement": show(figures["achievement"], "achievement"),
        "score": show(score, "score"),
        "weight": show(figures["weight"], "weight"),
        "effective_weight": show(figures["effective_weight"], "weight"),
        "weighted": show(figures["weighted"], "score"),
        "status": figures["status"],
        "status_label": status_label(figures["status"], lang),
        "note": figures.get("note") or "",
        "team_average": show(team_average, "score"),
        "team_rank": team_rank or None,
        "team_scored": team_scored,
        "weighted_kpi": bool(figures["weight"]),
    }
    return _KpiRow(row, score, team_average, figures, kpi)


# ----------------------------------------------------------- strengths and improvements


def _strengths_and_improvements(
    weighted: Sequence[_KpiRow], lang: str
) -> tuple[list[WordedKpiContext], list[WordedKpiContext]]:
    """The best-scoring KPIs (at or above target, else the single best) and the worst
    ones below target (ties: the heavier weight first), each with a sentence from its
    figures."""
    scored = [
        (k.score, k) for k in weighted if k.score is not None and k.row["status"] not in NOT_SCORED
    ]
    order = {k.row["id"]: i for i, k in enumerate(weighted)}

    def weight(k: _KpiRow) -> Decimal:
        return Decimal(k.figures["effective_weight"] or 0)

    best = sorted(scored, key=lambda sk: (-sk[0], -weight(sk[1]), order[sk[1].row["id"]]))
    strong = [k for score, k in best if score >= 100][:TOP]
    relative = not strong and bool(best)
    if relative:
        strong = [best[0][1]]
    worst = sorted(scored, key=lambda sk: (sk[0], -weight(sk[1]), order[sk[1].row["id"]]))
    weak = [k for score, k in worst if score < 100 and k not in strong][:TOP]
    strengths = [_worded(k, _strength_sentence(k, lang, relative)) for k in strong]
    improvements = [_worded(k, _improvement_sentence(k, lang)) for k in weak]
    return strengths, improvements


def _worded(kpi: _KpiRow, sentence: str) -> WordedKpiContext:
    """A KPI row with its sentence, for strengths and areas to improve."""
    return {**kpi.row, "sentence": sentence}


def _scored(kpi: _KpiRow) -> Decimal:
    """The score of a KPI that is worded: only scored KPIs are."""
    if kpi.score is None:
        raise ValueError(f"KPI {kpi.row['id']} has no score to put in words")
    return kpi.score


def _clauses(kpi: _KpiRow, lang: str) -> list[str]:
    """Score, and achievement against target or the value itself."""
    row = kpi.row
    parts = [label("letter.score", lang).format(kpi=row["label"], score=row["score"])]
    if kpi.figures["achievement"] is not None:
        parts.append(
            label("letter.achievement", lang).format(
                achievement=row["achievement"], actual=row["actual"], target=row["target"]
            )
        )
    elif kpi.figures["actual"] is not None:
        parts.append(label("letter.actual", lang).format(actual=row["actual"]))
    return parts


def _team_clauses(kpi: _KpiRow, lang: str) -> list[str]:
    """Where the rep stands in the team on this KPI (not for team KPIs: all share one)."""
    parts: list[str] = []
    if kpi.definition.scope == "team":
        return parts
    row = kpi.row
    if row["team_rank"] and row["team_scored"] > 1:
        parts.append(
            label("letter.kpi_team_rank", lang).format(rank=row["team_rank"], of=row["team_scored"])
        )
    average = kpi.average
    if average is not None and row["team_scored"] > 1:
        score = _scored(kpi)
        key = (
            "letter.above_team"
            if score > average
            else "letter.below_team"
            if score < average
            else "letter.level_team"
        )
        parts.append(label(key, lang).format(average=row["team_average"]))
    return parts


def _sentence(parts: list[str], lang: str) -> str:
    text = label("letter.sep", lang).join(parts) + label("letter.end", lang)
    return text[:1].upper() + text[1:]


def _strength_sentence(kpi: _KpiRow, lang: str, relative: bool) -> str:
    parts = _clauses(kpi, lang)
    figures, rule = kpi.figures, kpi.definition.scoring
    achieved = figures["achievement"]
    if achieved is not None and achieved > 1:
        parts.append(label("letter.over_target", lang).format(over=show(achieved - 1, "percent")))
    if rule.method == "linear" and _scored(kpi) >= _cents(Decimal(str(rule.cap)) * 100):
        parts.append(label("letter.at_cap", lang))
    parts += _team_clauses(kpi, lang)
    if relative:
        parts.append(label("letter.relative", lang))
    return _sentence(parts, lang)


def _improvement_sentence(kpi: _KpiRow, lang: str) -> str:
    """What the rep missed by, and what closing it is worth in final-score points."""
    parts = _clauses(kpi, lang)
    figures, definition = kpi.figures, kpi.definition
    rule = definition.scoring
    score = _scored(kpi)
    weight = Decimal(figures["effective_weight"] or 0) / 100
    actual, target = figures["actual"], figures["target"]
    if rule.method == "linear" and figures["achievement"] is not None:
        if rule.floor and figures["achievement"] < Decimal(str(rule.floor)):
            floor = show(Decimal(str(rule.floor)), "percent")
            parts.append(label("letter.below_floor", lang).format(floor=floor))
        if actual is not None and target is not None:
            gap = Decimal(target) - Decimal(actual)
            if definition.direction == "lower_is_better":
                gap = -gap
            if gap > 0:
                parts.append(label("letter.gap", lang).format(gap=_gap_text(gap, kpi.row["unit"])))
        points = _cents((100 - score) * weight)
        if points > 0:
            parts.append(label("letter.gain", lang).format(points=f"{points:f}"))
    elif rule.method == "bands":
        step = _next_band(definition, figures)
        if step is not None:
            threshold, band_score = step
            points = _cents((band_score - score) * weight)
            parts.append(
                label("letter.next_band", lang).format(
                    threshold=_band_threshold(threshold, rule.on),
                    score=plain_text(band_score, 0),
                    points=f"{points:f}",
                )
            )
    parts += _team_clauses(kpi, lang)
    return _sentence(parts, lang)


def _gap_text(gap: Decimal, unit: str) -> str:
    """A shortfall in its KPI's unit: money with cents, counts whole, percentages as %."""
    if unit == "count" and gap == gap.to_integral_value():
        return f"{int(gap):,}"
    kind = unit if unit in ("money", "percent") else "number"
    return show(figure(gap, kind), kind)  # type: ignore[arg-type]


def _next_band(kpi: Kpi, figures: dict[str, Any]) -> tuple[Decimal, Decimal] | None:
    """The lowest band scoring more than the rep's band: its threshold and score."""
    x = figures["actual"] if kpi.scoring.on == "value" else figures["achievement"]
    score = figures["score"]
    if x is None or score is None:
        return None
    better = [
        (Decimal(str(t)), Decimal(str(s)))
        for t, s in kpi.scoring.bands
        if Decimal(str(s)) > score and Decimal(str(t)) > Decimal(x)
    ]
    return min(better) if better else None


def _band_threshold(threshold: Decimal, on: str) -> str:
    return show(threshold, "percent") if on == "achievement" else plain_text(threshold, 0)


# --------------------------------------------------------------------------------- trend


def _previous_reps(previous: Previous | None) -> dict[str, dict[str, Any]]:
    if previous is None or previous.evaluation is None:
        return {}
    return {r["rep_id"]: r for r in evaluation_record(previous.evaluation)["reps"] if r["due"]}


def _trend(
    scheme: Scheme,
    rep: dict[str, Any],
    before: dict[str, Any] | None,
    previous: Previous | None,
    weighted: Sequence[_KpiRow],
    lang: str,
) -> TrendContext:
    """Final score and KPI scores now against the period before, where both exist."""
    trend: TrendContext = {
        "available": False,
        "period": previous.label if previous else "",
        "final_score_before": NA,
        "final_score_now": show(rep["final_score"], "score"),
        "change": "",
        "direction": "",
        "grade_before": "",
        "grade_now": _text(rep["grade"]),
        "kpis": [],
        "not_comparable": [],
        "text": "",
    }
    if previous is None:
        return trend
    period = previous.label
    if previous.evaluation is None:
        key = "letter.trend_no_sales" if previous.reason == "no_sales" else "letter.trend_failed"
        trend["text"] = _sentence(
            [label(key, lang).format(period=period, reason=previous.detail)], lang
        )
        return trend
    if before is None or before["final_score"] is None or rep["final_score"] is None:
        trend["text"] = _sentence(
            [label("letter.trend_not_evaluated", lang).format(period=period)], lang
        )
        return trend
    was, now = before["final_score"], rep["final_score"]
    change = now - was
    direction: Direction = "up" if change > 0 else "down" if change < 0 else "same"
    parts = [
        label(f"letter.trend_{direction}", lang).format(
            before=show(was, "score"), now=show(now, "score"), period=period, change=abs(change)
        )
    ]
    if before["grade"] != rep["grade"]:
        parts.append(
            label("letter.trend_grade", lang).format(before=before["grade"], now=rep["grade"])
        )
    rows: list[tuple[TrendKpiContext, Decimal]] = []  # with the change as a number
    missing: list[str] = []
    for kpi in weighted:
        row = kpi.row
        old = before["kpis"].get(row["id"], {})
        score = kpi.score
        if score is None:
            continue
        if old.get("score") is None or old.get("status") in NOT_SCORED:
            missing.append(row["label"])
            continue
        delta = score - old["score"]
        moved: Direction = "up" if delta > 0 else "down" if delta < 0 else "same"
        rows.append(
            (
                {
                    "id": row["id"],
                    "label": row["label"],
                    "before": show(old["score"], "score"),
                    "now": row["score"],
                    "change": _signed(delta),
                    "direction": moved,
                },
                delta,
            )
        )
    ups = [r for r in rows if r[1] > 0]
    downs = [r for r in rows if r[1] < 0]
    if ups:
        top, _ = max(ups, key=lambda r: r[1])
        parts.append(
            label("letter.trend_best", lang).format(kpi=top["label"], change=top["change"])
        )
    if downs:
        low, _ = min(downs, key=lambda r: r[1])
        parts.append(
            label("letter.trend_worst", lang).format(kpi=low["label"], change=low["change"])
        )
    if missing:
        parts.append(
            label("letter.trend_caveat", lang).format(
                period=period, kpis=label("letter.list_sep", lang).join(missing)
            )
        )
    trend["available"] = True
    trend["final_score_before"] = show(was, "score")
    trend["change"] = _signed(change)
    trend["direction"] = direction
    trend["grade_before"] = _text(before["grade"])
    trend["kpis"] = [r for r, _ in rows]
    trend["not_comparable"] = missing
    trend["text"] = _sentence(parts, lang)
    return trend


# ----------------------------------------------------------------------------------- pay


def _pay(ev: Evaluation, rep: dict[str, Any], lang: str) -> PayContext:
    """The rep's pay as written in the JSON, with one line per part saying how it came."""
    rules = ev.scheme.pay
    amounts = rep.get("pay")
    pay: PayContext = {
        "present": bool(rules is not None and amounts),
        "currency": ev.scheme.currency,
        "lines": [],
        "total": NA,
    }
    if rules is None or not amounts:
        return pay
    detail = _pay_rows(ev, rep["rep_id"])
    lines: list[tuple[PayPart, Decimal | int | None, str]] = []
    if rules.bonus is not None:
        lines.append(("bonus", amounts["bonus"], _bonus_detail(ev, detail.get("bonus"), lang)))
    if rules.commission is not None:
        lines.append(("commission", amounts["commission"], _commission_detail(ev, rep, lang)))
    if rules.team_pool is not None:
        lines.append(
            ("team_pool", amounts["team_pool"], _pool_detail(ev, detail.get("pool"), lang))
        )
    pay["lines"] = [
        PayLineContext(
            part=part,
            label=label(f"col.{part}", lang),
            amount=show(amount, "money"),
            detail=text,
        )
        for part, amount, text in lines
    ]
    pay["total"] = show(amounts["total"], "money")
    return pay


def _pay_rows(ev: Evaluation, rep_id: str) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    if ev.pay is None:
        return rows
    for key, frame in (("bonus", ev.pay.bonus), ("pool", ev.pay.team_pool)):
        if frame is not None:
            mine = frame.filter(pl.col("rep_id") == rep_id)
            if mine.height:
                rows[key] = mine.row(0, named=True)
    return rows


def _bonus_detail(ev: Evaluation, row: dict[str, Any] | None, lang: str) -> str:
    rule = ev.scheme.pay.bonus if ev.scheme.pay else None
    if rule is None or row is None or row.get("multiplier") is None:
        return ""
    if rule.on == "final_score":
        on = label("letter.bonus_on_score", lang).format(
            basis=show(figure(row["basis"], "score"), "score")
        )
    else:
        kpi = next((k.title for k in ev.scheme.kpis if k.id == rule.on), rule.on)
        on = label("letter.bonus_on_kpi", lang).format(
            kpi=kpi, basis=show(figure(row["basis"], "achievement"), "achievement")
        )
    multiplier = Decimal(str(row["multiplier"])).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    text = label("letter.bonus_detail", lang).format(
        base=show(figure(row["base"], "money"), "money"),
        multiplier=plain_text(multiplier, 0),
        on=on,
    )
    return text + (label("letter.bonus_capped", lang) if row.get("capped") else "")


def _commission_detail(ev: Evaluation, rep: dict[str, Any], lang: str) -> str:
    rule = ev.scheme.pay.commission if ev.scheme.pay else None
    if rule is None:
        return ""
    kpi = ev.scheme.kpi(rule.kpi)
    figures = rep["kpis"][rule.kpi]
    if figures["achievement"] is None:
        return label("letter.commission_none", lang).format(kpi=kpi.title)
    return label("letter.commission_detail", lang).format(
        kpi=kpi.title,
        actual=show(figures["actual"], kpi_unit(ev.scheme, kpi)),
        achievement=show(figures["achievement"], "achievement"),
    )


def _pool_detail(ev: Evaluation, row: dict[str, Any] | None, lang: str) -> str:
    rule = ev.scheme.pay.team_pool if ev.scheme.pay else None
    if rule is None:
        return ""
    if row is None or row.get("team") is None:
        return label("letter.pool_no_team", lang)
    kpi = next((k.title for k in ev.scheme.kpis if k.id == rule.kpi), rule.kpi)
    fields = {
        "kpi": kpi,
        "achievement": show(figure(row["achievement"], "achievement"), "achievement"),
        "threshold": show(figure(rule.threshold, "achievement"), "achievement"),
        "pool": show(figure(row["pool"], "money"), "money"),
        "split": label(f"letter.split_{rule.split}", lang),
    }
    key = "letter.pool_reached" if row.get("reached") else "letter.pool_not_reached"
    return label(key, lang).format(**fields)


# ------------------------------------------------------------------------ team and chart


def _team_kpi_stats(ev: Evaluation) -> dict[tuple[str, str], tuple[Decimal | None, int, int]]:
    """Per (rep, KPI): the average score of the rep's team over the members scored on the
    KPI (scores rounded as written first), the rep's rank among them (ties share a rank)
    and how many they are. Reps without a team have no team figures."""
    teams = ev.reps.select("rep_id", pl.col("team").replace("", None))
    scored = (
        ev.kpis.filter(pl.col("score").is_not_null() & (pl.col("weight") > 0))
        .join(teams, on="rep_id", how="inner")
        .drop_nulls("team")
        .with_columns(pl.col("score").round(2))
        .with_columns(
            pl.col("score").mean().over("team", "kpi").alias("average"),
            pl.col("score").rank("min", descending=True).over("team", "kpi").alias("rank"),
            pl.len().over("team", "kpi").alias("scored"),
        )
    )
    return {
        (rep_id, kpi): (_score_figure(average), int(rank), int(count))
        for rep_id, kpi, average, rank, count in scored.select(
            "rep_id", "kpi", "average", "rank", "scored"
        ).iter_rows()
    }


def _score_figure(value: float | None) -> Decimal | None:
    rounded = figure(value, "score")
    return None if rounded is None else Decimal(rounded)


def _chart(weighted: Sequence[_KpiRow]) -> ChartContext:
    """The rep's score and the team average per weighted KPI, as numbers for drawing."""
    items = [
        ChartBarContext(
            label=k.row["label"],
            score=_num(k.score),
            team_average=_num(k.average),
            score_text=k.row["score"],
            team_average_text=k.row["team_average"],
        )
        for k in weighted
    ]
    values = [v for i in items for v in (i["score"], i["team_average"]) if v is not None]
    return {"bars": items, "scale": max([CHART_MIN_SCALE, *values])}


# ------------------------------------------------------------------------------ comments

COMMENT_FIELDS = ("strengths", "improvements", "plan")


def _comments(frame: pl.DataFrame | None) -> dict[str, dict[str, str]]:
    """The manager's comments per rep; several rows for one rep are joined line by line."""
    if frame is None or "rep_id" not in frame.columns:
        return {}
    notes: dict[str, dict[str, list[str]]] = {}
    fields = [f for f in COMMENT_FIELDS if f in frame.columns]
    for row in frame.select("rep_id", *fields).iter_rows(named=True):
        mine = notes.setdefault(str(row["rep_id"]), {})
        for field_ in fields:
            text = _text(row[field_]).strip()
            if text:
                mine.setdefault(field_, []).append(text)
    return {
        rep_id: {field_: "\n".join(lines) for field_, lines in mine.items()}
        for rep_id, mine in notes.items()
    }
