"""The records of an evaluation (SPEC §5): every figure people see, rounded and worded once.

The JSON is the canonical, machine-readable form of an evaluation; the workbooks
present the same records (``rep_records``, ``kpi_records`` ...), so every output
agrees on order, rounding and N/A.

Stability: the same evaluation gives byte-identical text. Reps are ordered by
rank, then rep_id (reps not due last, by rep_id); KPIs in scheme order; teams by
name; warnings by code, rep, KPI and message; keys in a fixed order. Figures
are rounded only here (``spmcli.report.figures.figure``) and written from their
decimal text, never through a float. N/A is ``null``, never 0.

Shape (keys in this order)::

    {period, period_start, period_end, scheme, currency,
     reps: [{rep_id, name, team, role, role_label, due, status,
             kpis: {<id>: {actual, target, achievement, score, weight,
                           effective_weight, weighted, status, reason?, note?}},
             composite, penalty, final_score, grade, grade_label, rank, team_rank,
             pay: {bonus, commission, team_pool, total} | null,
             pay_detail: {bonus, commission, team_pool} | null}],
     pay_totals: {bonus, commission, team_pool, total} | null,
     teams: [{team, members, due_members, average_score,
              kpis: {<team KPI id>: {actual, target, achievement}}}],
     grades: {grades: [{grade, label, count, share}], graded, not_graded, not_due},
     warnings: [{code, message, rep_id, kpi, params}],
     reconciliation: {sales_in_period, credited, unassigned, unassigned_lines,
                      skipped_rows}}

A rep not due this period has ``due: false``, ``status: "not_due"`` and, for every
KPI, all figures null with ``status: "not_due"``. ``pay`` is null until the
engine adds pay columns to ``Evaluation.reps`` (see ``PAY_PARTS``); its ``total``
is the frame's ``total_pay``. ``pay_totals`` is the sum of the reps' written ``pay``
figures, so it equals the sum over reps to the cent.

``pay_detail`` (SPEC §4 Pay) is how each part was reached, each part null when the
scheme has none (``team_pool`` also null for a rep without a team). Paid amounts
are in cents; the working figures (base, basis, multiplier, tier bounds, slices,
rates, pool bases) are exact, not rounded, so that they recompute the amounts::

    bonus: {base, base_from (reps column, or "fixed"), on, basis, mode,
            lower: {x, y} | null, upper: {x, y} | null, multiplier, cap, capped, bonus}
    commission: {kpi, mode, actual, target, achievement,
                 tiers: [{tier, from, to, lower, upper, slice, rate, amount, reached}],
                 amount}
    team_pool: {team, kpi, achievement, threshold, reached, pool, split, basis,
                team_basis, share}
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from spmcli.engine.result import Evaluation, RunWarning
from spmcli.messages import Msg
from spmcli.report.figures import exact_figure, figure, kpi_unit
from spmcli.report.grades import grade_distribution
from spmcli.report.wording import kpi_notes, word
from spmcli.scheme.model import Kpi, Pay

# (JSON key, column of Evaluation.reps, label key): a part is written when its column exists.
PAY_PARTS: tuple[tuple[str, str, str], ...] = (
    ("bonus", "bonus", "col.bonus"),
    ("commission", "commission", "col.commission"),
    ("team_pool", "team_pool", "col.team_pool"),
    ("total", "total_pay", "col.total_pay"),
)
TEAM_KPI_FIGURES = ("actual", "target", "achievement")


# ------------------------------------------------------------------------ records


def pay_columns(reps: pl.DataFrame) -> list[tuple[str, str, str]]:
    """The pay parts the engine has computed (``PAY_PARTS`` whose column is present)."""
    return [part for part in PAY_PARTS if part[1] in reps.columns]


def _rep_order(rep: dict[str, Any]) -> tuple[bool, bool, int, str]:
    rank = rep.get("rank")
    return (not rep.get("due"), rank is None, rank or 0, str(rep["rep_id"]))


def rep_records(ev: Evaluation) -> list[dict[str, Any]]:
    """``Evaluation.reps`` as dicts: by rank, ties by rep_id, reps not due last."""
    return sorted(ev.reps.to_dicts(), key=_rep_order)


def kpi_records(ev: Evaluation) -> dict[str, dict[str, dict[str, Any]]]:
    """``Evaluation.kpis`` as rep_id -> KPI id -> row."""
    by_rep: dict[str, dict[str, dict[str, Any]]] = {}
    for row in ev.kpis.to_dicts():
        by_rep.setdefault(row["rep_id"], {})[row["kpi"]] = row
    return by_rep


def team_records(ev: Evaluation) -> list[dict[str, Any]]:
    """``Evaluation.teams`` as dicts, by team name (reps without a team last)."""
    rows = ev.teams.to_dicts()
    return sorted(rows, key=lambda t: (t.get("team") is None, str(t.get("team") or "")))


def team_kpis(ev: Evaluation) -> list[Kpi]:
    """The team-scope KPIs whose figures ``Evaluation.teams`` carries."""
    return [
        k
        for k in ev.scheme.kpis
        if k.scope == "team" and any(f"{k.id}_{f}" in ev.teams.columns for f in TEAM_KPI_FIGURES)
    ]


@dataclass(frozen=True)
class RepPay:
    """One rep's rows of ``Evaluation.pay``: how each part of the pay was reached."""

    bonus: dict[str, Any] | None
    tiers: list[dict[str, Any]]
    pool: dict[str, Any] | None


def pay_detail_records(ev: Evaluation) -> dict[str, RepPay]:
    """``Evaluation.pay`` by rep_id (due reps only; empty when the scheme has no pay)."""
    if ev.pay is None:
        return {}
    bonus = _by_rep(ev.pay.bonus)
    pool = _by_rep(ev.pay.team_pool)
    tiers: dict[str, list[dict[str, Any]]] = {}
    if ev.pay.commission is not None:
        for row in ev.pay.commission.sort("rep_id", "tier").iter_rows(named=True):
            tiers.setdefault(row["rep_id"], []).append(row)
    due = ev.reps.filter(pl.col("due"))["rep_id"].to_list()
    return {
        rep_id: RepPay(bonus.get(rep_id), tiers.get(rep_id, []), pool.get(rep_id)) for rep_id in due
    }


def _by_rep(frame: pl.DataFrame | None) -> dict[str, dict[str, Any]]:
    return {} if frame is None else {row["rep_id"]: row for row in frame.iter_rows(named=True)}


def sorted_warnings(warnings: Sequence[RunWarning]) -> list[RunWarning]:
    """Warnings in a stable order, whatever order the engine found them in; numbers in
    their parameters by value, so that skipped row 9 comes before row 10."""
    return sorted(warnings, key=lambda w: (w.code, w.rep_id or "", w.kpi or "", _order(w.params)))


def _order(value: object) -> tuple[Any, ...]:
    """A warning's parameter as a sort key: numbers before texts, each compared as such."""
    if isinstance(value, Msg):
        return (3, value.code, _order(value.params))
    if isinstance(value, tuple):
        return (2, tuple(_order(item) for item in value))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return (0, value)
    return (1, "" if value is None else str(value))


def warning_records(warnings: Sequence[RunWarning], lang: str) -> list[dict[str, Any]]:
    """Each warning with its code, its parameters and the sentence in ``lang``."""
    return [
        {
            "code": w.code,
            "message": word(w, lang),
            "rep_id": w.rep_id,
            "kpi": w.kpi,
            "params": {key: _param(value) for key, value in w.params},
        }
        for w in sorted_warnings(warnings)
    ]


def _grades_record(ev: Evaluation) -> dict[str, Any]:
    distribution = grade_distribution(ev)
    return {
        "grades": [
            {"grade": g.grade, "label": g.label, "count": g.count, "share": g.share}
            for g in distribution.grades
        ],
        "graded": distribution.graded,
        "not_graded": distribution.not_graded,
        "not_due": distribution.not_due,
    }


def _param(value: object) -> object:
    """A warning's parameter as JSON holds it: lists for lists, money to the cent."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Msg):  # a problem's text: its code and parameters
        return {"code": value.code, **{key: _param(v) for key, v in value.params}}
    return figure(value, "money") if isinstance(value, Decimal) else value


def _kpi_record(
    ev: Evaluation, kpi: Kpi, row: dict[str, Any] | None, note: str | None
) -> dict[str, Any]:
    unit = kpi_unit(ev.scheme, kpi)
    if row is None:  # a rep not due: nothing computed
        return {
            "actual": None,
            "target": None,
            "achievement": None,
            "score": None,
            "weight": None,
            "effective_weight": None,
            "weighted": None,
            "status": "not_due",
        }
    record: dict[str, Any] = {
        "actual": figure(row.get("actual"), unit),
        "target": figure(row.get("target"), unit),
        "achievement": figure(row.get("achievement"), "achievement"),
        "score": figure(row.get("score"), "score"),
        "weight": figure(row.get("weight"), "weight"),
        "effective_weight": figure(row.get("effective_weight"), "weight"),
        "weighted": figure(row.get("weighted"), "score"),
        "status": row.get("status"),
    }
    if row.get("reason") is not None:
        record["reason"] = row["reason"]
    if note:
        record["note"] = note
    return record


def _exact_money(value: object) -> Decimal | None:
    """A working money figure, not rounded: the cents always, further digits when present."""
    return exact_figure(value, 2)


def _point(x: float | None, y: float | None) -> dict[str, Decimal | None] | None:
    return None if x is None else {"x": exact_figure(x), "y": exact_figure(y)}


def _pay_detail(rules: Pay, detail: RepPay, kpis: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """How a rep's pay was reached, from ``Evaluation.pay`` (see the module docstring)."""
    record: dict[str, Any] = {"bonus": None, "commission": None, "team_pool": None}
    b, rule = detail.bonus, rules.bonus
    if rule is not None and b is not None:
        record["bonus"] = {
            "base": _exact_money(b["base"]),
            "base_from": rule.base if isinstance(rule.base, str) else "fixed",
            "on": rule.on,
            "basis": exact_figure(b["basis"]),
            "mode": rule.mode,
            "lower": _point(b["lower_x"], b["lower_y"]),
            "upper": _point(b["upper_x"], b["upper_y"]),
            "multiplier": exact_figure(b["multiplier"]),
            "cap": exact_figure(rule.cap),
            "capped": bool(b["capped"]),
            "bonus": _exact_money(b["bonus"]),
        }
    commission = rules.commission
    if commission is not None:
        kpi = kpis.get(commission.kpi, {})
        record["commission"] = {
            "kpi": commission.kpi,
            "mode": commission.mode,
            "actual": exact_figure(kpi.get("actual")),
            "target": exact_figure(kpi.get("target")),
            "achievement": figure(kpi.get("achievement"), "achievement"),
            "tiers": [
                {
                    "tier": t["tier"],
                    "from": exact_figure(t["start"]),
                    "to": exact_figure(t["end"]),
                    "lower": _exact_money(t["lower"]),
                    "upper": _exact_money(t["upper"]),
                    "slice": _exact_money(t["slice"]),
                    "rate": exact_figure(t["rate"]),
                    "amount": _exact_money(t["amount"]),
                    "reached": bool(t["reached"]),
                }
                for t in detail.tiers
            ],
            "amount": _exact_money(sum((t["amount"] for t in detail.tiers), Decimal(0))),
        }
    p, pool_rule = detail.pool, rules.team_pool
    if pool_rule is not None and p is not None:
        record["team_pool"] = {
            "team": p["team"],
            "kpi": pool_rule.kpi,
            "achievement": figure(p["achievement"], "achievement"),
            "threshold": exact_figure(p["threshold"]),
            "reached": bool(p["reached"]),
            "pool": _exact_money(p["pool"]),
            "split": p["split"],
            "basis": exact_figure(p["basis"]),
            "team_basis": exact_figure(p["team_basis"]),
            "share": _exact_money(p["share"]),
        }
    return record


def pay_totals(ev: Evaluation) -> dict[str, Decimal]:
    """The payroll: the sum of the due reps' paid amounts (already to the cent), part by part;
    the JSON's ``pay_totals`` and the payroll sheet's total row."""
    due = ev.reps.filter(pl.col("due"))
    totals = {}
    for key, column, _ in pay_columns(ev.reps):
        amount = figure(due[column].sum(), "money") if due.height else None
        totals[key] = amount if isinstance(amount, Decimal) else Decimal("0.00")
    return totals


def rep_figure_records(ev: Evaluation, only: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The records of the reps (of those ``only`` names), as ``evaluation_record`` holds them:
    for a command that shows one rep without wording the whole evaluation."""
    kpis_of = kpi_records(ev)
    pay = pay_columns(ev.reps)
    details = pay_detail_records(ev)
    rules = ev.scheme.pay
    reps = []
    notes = kpi_notes(ev, ev.scheme.locale)
    for rep in rep_records(ev):
        if only is not None and rep["rep_id"] not in only:
            continue
        due = bool(rep.get("due"))
        rows = kpis_of.get(rep["rep_id"], {})
        reps.append(
            {
                "rep_id": rep["rep_id"],
                "name": rep.get("name"),
                "team": rep.get("team"),
                "role": rep.get("role"),
                "role_label": rep.get("role_label"),
                "due": due,
                "status": "evaluated" if due else "not_due",
                "kpis": {
                    k.id: _kpi_record(
                        ev, k, rows.get(k.id) if due else None, notes.get((rep["rep_id"], k.id))
                    )
                    for k in ev.scheme.kpis
                },
                "composite": figure(rep.get("composite"), "score"),
                "penalty": figure(rep.get("penalty"), "score"),
                "final_score": figure(rep.get("final_score"), "score"),
                "grade": rep.get("grade"),
                "grade_label": rep.get("grade_label"),
                "rank": rep.get("rank"),
                "team_rank": rep.get("team_rank"),
                "pay": (
                    {key: figure(rep.get(column), "money") for key, column, _ in PAY_PARTS}
                    if pay
                    else None
                ),
                "pay_detail": (
                    _pay_detail(rules, details[rep["rep_id"]], rows)
                    if rules is not None and rep["rep_id"] in details
                    else None
                ),
            }
        )
    return reps


def evaluation_record(ev: Evaluation) -> dict[str, Any]:
    """The whole evaluation as plain values (Decimals for figures), in output order."""
    pay = pay_columns(ev.reps)
    reps = rep_figure_records(ev)
    teams = [
        {
            "team": team.get("team"),
            "members": team.get("members"),
            "due_members": team.get("due_members"),
            "average_score": figure(team.get("average_score"), "score"),
            "kpis": {
                k.id: {
                    f: figure(
                        team.get(f"{k.id}_{f}"),
                        "achievement" if f == "achievement" else kpi_unit(ev.scheme, k),
                    )
                    for f in TEAM_KPI_FIGURES
                }
                for k in team_kpis(ev)
            },
        }
        for team in team_records(ev)
    ]
    recon = ev.reconciliation
    return {
        "period": ev.period.label,
        "period_start": ev.period.start.isoformat(),
        "period_end": ev.period.end.isoformat(),
        "scheme": ev.scheme.name,
        "currency": ev.scheme.currency,
        "reps": reps,
        "pay_totals": pay_totals(ev) if pay else None,
        "teams": teams,
        "grades": _grades_record(ev),
        "warnings": warning_records(ev.warnings, ev.scheme.locale),
        "reconciliation": {
            "sales_in_period": figure(recon.sales_in_period, "money"),
            "credited": figure(recon.credited, "money"),
            "unassigned": figure(recon.unassigned, "money"),
            "unassigned_lines": recon.unassigned_lines,
            "skipped_rows": recon.skipped_rows,
        },
    }
