"""The ``--json`` text of ``spm tier-customers`` (SPEC §5), and the records behind it.

Stability: the same tiers give byte-identical text. Customers are in the engine's order
(group, then rank: value descending, ties by customer_id); reps by rep_id; tiers A, B, C;
keys in a fixed order. Figures are rounded only here (``spmcli.io.excel.figure``): money
to the cent, shares to 4 decimals, counts as integers. N/A is ``null``, never 0.

Shape (keys in this order)::

    {customers: [{customer_id, name, rep_id, value, share, cum_share, tier,
                  potential_tier, type}],
     summary: {period, period_start, period_end,
               window: {label, start, end, months}, compared_with: {label, start, end},
               by, thresholds, per, currency, customers, value, revenue,
               tiers: [{tier, customers, value, revenue, share}],
               groups: [{group, tiers: [...]}] | null,
               potential: {split, high, medium} | null,
               matrix: [{tier, potential_tier, customers, value, revenue, strategy}] | null,
               types: {growing, declining,
                       counts: [{type, customers, revenue, revenue_before}]},
               migration: {matrix: [{tier_before, tier, customers, value_before, value}],
                           movers: [{customer_id, name, rep_id, tier_before, tier,
                                     value_before, value}]},
               call_plan: {visits_per_month: {A, B, C}, months, required, visits,
                           counted, compliance, a_customers, a_covered, a_coverage,
                           under_visited} | null,
               warnings: [{code, message}]},
     reps: [{rep_id, name, team, customers, tiers: {A, B, C}, value,
             call_plan: {required, visits, counted, compliance, a_customers, a_covered,
                         a_coverage, under_visited, other_visits,
                         under_visited_customers: [{customer_id, name, tier, required,
                                                    visits, gap}]} | null}]}

``value`` is the measure tiered by (revenue or gross margin) over the window; ``share``
and ``cum_share`` are of the total positive value (of the customer's group with ``per``),
``cum_share`` null for a customer without a positive value. ``type`` is one of new,
growing, stable, declining, lost, inactive; ``potential_tier`` high, medium, low or null.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from spmcli.engine.tiering import TIERS, Tiers
from spmcli.io.json_result import dumps
from spmcli.report.figures import exact_figure, figure
from spmcli.report.wording import word


def _money(value: object) -> Any:
    return figure(value, "money")


def _share(value: object) -> Any:
    return figure(value, "percent")


def _count(value: object) -> Any:
    return figure(value, "count")


def customer_records(t: Tiers) -> list[dict[str, Any]]:
    return [
        {
            "customer_id": c["customer_id"],
            "name": c["name"],
            "rep_id": c["rep_id"],
            "value": _money(c["value"]),
            "share": _share(c["share"]),
            "cum_share": _share(c["cum_share"]),
            "tier": c["tier"],
            "potential_tier": c["potential_tier"],
            "type": c["type"],
        }
        for c in t.customers.iter_rows(named=True)
    ]


def _tier_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "tier": row["tier"],
            "customers": row["customers"],
            "value": _money(row["value"]),
            "revenue": _money(row["revenue"]),
            "share": _share(row["share"]),
        }
        for row in frame.iter_rows(named=True)
    ]


def _groups(t: Tiers) -> list[dict[str, Any]] | None:
    if t.groups is None:
        return None
    names = t.groups.select("group").unique(maintain_order=True)["group"].to_list()
    return [
        {"group": name, "tiers": _tier_rows(t.groups.filter(pl.col("group").eq_missing(name)))}
        for name in names
    ]


def _plan_totals(t: Tiers) -> dict[str, Any] | None:
    if not t.has_visits:
        return None
    reps = t.reps
    required = float(reps["required"].sum())
    counted = float(reps["counted"].sum())
    a_customers = int(reps["a_customers"].sum())
    a_covered = int(reps["a_covered"].sum())
    per_month = t.settings.visits_per_month
    return {
        "visits_per_month": {tier: exact_figure(getattr(per_month, tier)) for tier in TIERS},
        "months": t.current.months,
        "required": _count(required),
        "visits": _count(float(reps["visits"].sum())),
        "counted": _count(counted),
        "compliance": _share(counted / required if required else None),
        "a_customers": a_customers,
        "a_covered": a_covered,
        "a_coverage": _share(a_covered / a_customers if a_customers else None),
        "under_visited": int(reps["under_visited"].sum()),
    }


def summary_record(t: Tiers) -> dict[str, Any]:
    s = t.settings
    customers = t.customers
    potential = None
    if t.matrix is not None:
        levels = s.potential.high is not None and s.potential.medium is not None
        potential = {
            "split": "levels" if levels else "thirds",
            "high": exact_figure(s.potential.high),
            "medium": exact_figure(s.potential.medium),
        }
    movers = t.movers
    return {
        "period": t.period.label,
        "period_start": t.period.start.isoformat(),
        "period_end": t.period.end.isoformat(),
        "window": {
            "label": t.current.label,
            "start": t.current.start.isoformat(),
            "end": t.current.end.isoformat(),
            "months": t.current.months,
        },
        "compared_with": {
            "label": t.before.label,
            "start": t.before.start.isoformat(),
            "end": t.before.end.isoformat(),
        },
        "by": s.by,
        "thresholds": [exact_figure(x) for x in s.thresholds],
        "per": s.per,
        "currency": t.scheme.currency,
        "customers": customers.height,
        "value": _money(customers["value"].sum()),
        "revenue": _money(customers["revenue"].sum()),
        "tiers": _tier_rows(t.summary),
        "groups": _groups(t),
        "potential": potential,
        "matrix": (
            [
                {
                    "tier": row["tier"],
                    "potential_tier": row["potential_tier"],
                    "customers": row["customers"],
                    "value": _money(row["value"]),
                    "revenue": _money(row["revenue"]),
                    "strategy": row["strategy"],
                }
                for row in t.matrix.iter_rows(named=True)
            ]
            if t.matrix is not None
            else None
        ),
        "types": {
            "growing": exact_figure(s.types.growing),
            "declining": exact_figure(s.types.declining),
            "counts": [
                {
                    "type": row["type"],
                    "customers": row["customers"],
                    "revenue": _money(row["revenue"]),
                    "revenue_before": _money(row["revenue_before"]),
                }
                for row in t.types.iter_rows(named=True)
            ],
        },
        "migration": {
            "matrix": [
                {
                    "tier_before": row["tier_before"],
                    "tier": row["tier"],
                    "customers": row["customers"],
                    "value_before": _money(row["value_before"]),
                    "value": _money(row["value"]),
                }
                for row in t.migration.iter_rows(named=True)
            ],
            "movers": [
                {
                    "customer_id": row["customer_id"],
                    "name": row["name"],
                    "rep_id": row["rep_id"],
                    "tier_before": row["tier_before"],
                    "tier": row["tier"],
                    "value_before": _money(row["value_before"]),
                    "value": _money(row["value"]),
                }
                for row in movers.iter_rows(named=True)
            ],
        },
        "call_plan": _plan_totals(t),
        "warnings": [{"code": w.code, "message": word(w, t.scheme.locale)} for w in t.warnings],
    }


def under_visited(t: Tiers) -> pl.DataFrame:
    """Customers with fewer visits than the plan requires, by rep, tier, gap (largest first)."""
    if not t.has_visits:
        return t.customers.clear()
    return t.customers.filter(pl.col("rep_id").is_not_null() & ~pl.col("met")).sort(
        ["rep_id", "tier", "gap", "customer_id"], descending=[False, False, True, False]
    )


def rep_records(t: Tiers) -> list[dict[str, Any]]:
    missing: dict[str, list[dict[str, Any]]] = {}
    for c in under_visited(t).iter_rows(named=True):
        missing.setdefault(c["rep_id"], []).append(
            {
                "customer_id": c["customer_id"],
                "name": c["name"],
                "tier": c["tier"],
                "required": _count(c["required"]),
                "visits": c["visits"],
                "gap": _count(c["gap"]),
            }
        )
    records = []
    for rep in t.reps.iter_rows(named=True):
        plan = None
        if t.has_visits:
            plan = {
                "required": _count(rep["required"]),
                "visits": _count(rep["visits"]),
                "counted": _count(rep["counted"]),
                "compliance": _share(rep["compliance"]),
                "a_customers": rep["a_customers"],
                "a_covered": rep["a_covered"],
                "a_coverage": _share(rep["a_coverage"]),
                "under_visited": rep["under_visited"],
                "other_visits": rep["other_visits"],
                "under_visited_customers": missing.get(rep["rep_id"], []),
            }
        records.append(
            {
                "rep_id": rep["rep_id"],
                "name": rep["name"],
                "team": rep["team"],
                "customers": rep["customers"],
                "tiers": {tier: rep[f"tier_{tier.lower()}"] for tier in TIERS},
                "value": _money(rep["value"]),
                "call_plan": plan,
            }
        )
    return records


def tiers_record(t: Tiers) -> dict[str, Any]:
    return {
        "customers": customer_records(t),
        "summary": summary_record(t),
        "reps": rep_records(t),
    }


def tiers_json(t: Tiers) -> str:
    """The tiers as JSON text (no trailing newline); byte-identical for the same inputs."""
    return dumps(tiers_record(t))
