"""``tier_customers``: input frames and a scheme in, customer tiers out (SPEC §5).

The order: period and windows, the population with its values now and before, ABC tiers
now and before (migration), potential tiers and the matrix, customer types, and — with a
``visits`` table — the call plan per customer and per rep.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from spmcli.engine.periods import period_of
from spmcli.engine.result import RunWarning
from spmcli.engine.tiering.behaviour import customer_type, revenue_change
from spmcli.engine.tiering.call_plan import (
    plan_customers,
    rep_compliance,
    visits_in,
)
from spmcli.engine.tiering.pareto import micro_units, tier_by_value
from spmcli.engine.tiering.population import customer_frame, roster_names, spans
from spmcli.engine.tiering.potential import potential_tier, strategy, value_potential_matrix
from spmcli.engine.tiering.result import TIERS, TYPES, Span, Tiers
from spmcli.scheme.model import Scheme, Tiering
from spmcli.scheme.periods import Period

CUSTOMER_COLUMNS = (
    "customer_id", "name", "rep_id", "rep_name", "team", "region", "group",
    "value", "revenue", "value_before", "revenue_before", "rank", "share", "cum_share",
    "tier", "tier_before", "potential", "potential_tier", "strategy", "first_purchase",
    "change", "type",
)  # fmt: skip
PLAN_COLUMNS = ("required", "visits", "gap", "met")


def tier_customers(
    scheme: Scheme,
    tables: Mapping[str, pl.DataFrame],
    period: Period | str | None = None,
    settings: Tiering | None = None,
) -> Tiers:
    """Tier every customer for the period as ``settings`` say (default: the scheme's
    ``tiering`` section, else the defaults), with everything ``spm tier-customers`` shows.

    ``period`` is a Period, a label (``2025-Q3``), or None for the scheme's period, else
    the cycle period holding the latest sale — as ``evaluate`` chooses it.
    """
    settings = settings or scheme.tiering or Tiering()
    frames = dict(tables)
    when = period_of(scheme, frames["sales"], period)
    current, before = spans(when, settings.window)
    customers, warnings = customer_frame(frames, current, before, settings)
    customers = classify(customers, settings, current)
    visits = frames.get("visits")
    window_visits = None
    if visits is not None:
        window_visits = visits_in(visits, current)
        customers = plan_customers(customers, window_visits, settings.visits_per_month, current)
        first_visit = visits["date"].min()
        if isinstance(first_visit, date) and first_visit > current.start:
            warnings.append(
                RunWarning.of(
                    "visits_start_late",
                    first_visit=first_visit.isoformat(),
                    window_start=current.start.isoformat(),
                    months=current.months,
                )
            )
    customers = customers.select(
        *CUSTOMER_COLUMNS, *(c for c in PLAN_COLUMNS if c in customers.columns)
    )
    if customers.filter(pl.col("value") > 0).height == 0:
        warnings.append(RunWarning.of("no_value", by=settings.by, period=current.label))
    has_potential = customers["potential_tier"].is_not_null().any()
    return Tiers(
        period=when,
        current=current,
        before=before,
        settings=settings,
        scheme=scheme,
        customers=customers,
        summary=tier_summary(customers),
        groups=tier_summary(customers, "group") if settings.per else None,
        matrix=value_potential_matrix(customers) if has_potential else None,
        types=type_summary(customers),
        migration=migration_matrix(customers),
        reps=rep_summary(customers, frames.get("reps"), window_visits),
        warnings=tuple(warnings),
    )


def classify(customers: pl.DataFrame, settings: Tiering, current: Span) -> pl.DataFrame:
    """Tiers now and before, potential tier, strategy, type and revenue change."""
    group = "group" if settings.per else None
    now = tier_by_value(customers, "value", settings.thresholds, group)
    before = tier_by_value(customers, "value_before", settings.thresholds, group).select(
        "customer_id", pl.col("tier").alias("tier_before")
    )
    return (
        now.join(before, on="customer_id", how="left", maintain_order="left")
        .with_columns(
            potential_tier(settings.potential, group).alias("potential_tier"),
            customer_type(settings.types, current.start, current.end).alias("type"),
            revenue_change().alias("change"),
        )
        .with_columns(strategy().alias("strategy"))
    )


def customer_plan(
    scheme: Scheme, tables: Mapping[str, pl.DataFrame], period: Period, where: str | None
) -> pl.DataFrame:
    """Per customer, the call plan of the period: its rep, tier, required visits, the visits
    its rep made (those passing ``where``) and whether they met the plan. For the
    ``coverage`` KPI of ``spm evaluate``."""
    settings = scheme.tiering or Tiering()
    frames = dict(tables)
    current, before = spans(period, settings.window)
    customers, _ = customer_frame(frames, current, before, settings)
    tiered = tier_by_value(
        customers, "value", settings.thresholds, "group" if settings.per else None
    )
    visits = visits_in(frames["visits"], current, where)
    return plan_customers(tiered, visits, settings.visits_per_month, current)


def _share(part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    """part / whole of two money sums, as a float for showing; null when whole ≤ 0."""
    whole_micro = micro_units(whole)
    return pl.when(whole_micro > 0).then(
        micro_units(part).cast(pl.Float64) / whole_micro.cast(pl.Float64)
    )


def tier_summary(customers: pl.DataFrame, group: str | None = None) -> pl.DataFrame:
    """Customers, value, revenue and share of value per tier (per group and tier); the
    share is of the total positive value (of the group)."""
    keys = [group] if group else []
    on = keys or ["_all"]
    frame = customers.with_columns(pl.lit(0).alias("_all"))
    positive = pl.when(pl.col("value") > 0).then(pl.col("value")).otherwise(0)
    totals = frame.group_by(on).agg(positive.sum().alias("_total"))
    tiers = pl.DataFrame({"tier": list(TIERS)})
    if keys:
        cells = frame.select(keys).unique().join(tiers, how="cross")
    else:
        cells = tiers.with_columns(pl.lit(0).alias("_all"))
    sums = frame.group_by(*on, "tier").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("value").sum(),
        pl.col("revenue").sum(),
    )
    zero = pl.lit(0, dtype=customers.schema["value"])
    return (
        cells.join(sums, on=[*on, "tier"], how="left", nulls_equal=True)
        .join(totals, on=on, how="left", nulls_equal=True)
        .with_columns(
            pl.col("customers").fill_null(0),
            pl.col("value", "revenue").fill_null(zero),
            pl.col("_total").fill_null(zero),
        )
        .with_columns(_share(pl.col("value"), pl.col("_total")).alias("share"))
        .sort([*keys, "tier"], nulls_last=True)
        .select(*keys, "tier", "customers", "value", "revenue", "share")
    )


def type_summary(customers: pl.DataFrame) -> pl.DataFrame:
    """Customers and revenue now and before per type, every type listed."""
    zero = pl.lit(0, dtype=customers.schema["revenue"])
    sums = customers.group_by("type").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("revenue").sum(),
        pl.col("revenue_before").sum(),
    )
    return (
        pl.DataFrame({"type": list(TYPES)})
        .join(sums, on="type", how="left", maintain_order="left")
        .with_columns(
            pl.col("customers").fill_null(0), pl.col("revenue", "revenue_before").fill_null(zero)
        )
    )


def migration_matrix(customers: pl.DataFrame) -> pl.DataFrame:
    """Customers and their value before and now per (tier before, tier now), all 9 cells."""
    zero = pl.lit(0, dtype=customers.schema["value"])
    cells = pl.DataFrame(
        [(a, b) for a in TIERS for b in TIERS],
        schema={"tier_before": pl.String, "tier": pl.String},
        orient="row",
    )
    sums = customers.group_by("tier_before", "tier").agg(
        pl.len().cast(pl.Int64).alias("customers"),
        pl.col("value_before").sum(),
        pl.col("value").sum(),
    )
    return cells.join(
        sums, on=["tier_before", "tier"], how="left", maintain_order="left"
    ).with_columns(
        pl.col("customers").fill_null(0), pl.col("value_before", "value").fill_null(zero)
    )


def rep_summary(
    customers: pl.DataFrame, reps: pl.DataFrame | None, visits: pl.DataFrame | None
) -> pl.DataFrame:
    """One row per rep on the roster or owning a customer: tiers held and the call plan."""
    zero = pl.lit(0, dtype=customers.schema["value"])
    owned = (
        customers.filter(pl.col("rep_id").is_not_null())
        .group_by("rep_id")
        .agg(
            pl.len().cast(pl.Int64).alias("customers"),
            *(
                (pl.col("tier") == tier).sum().cast(pl.Int64).alias(f"tier_{tier.lower()}")
                for tier in TIERS
            ),
            pl.col("value").sum(),
        )
    )
    roster = roster_names(reps).select("rep_id", pl.col("rep_name").alias("name"), "team")
    compliance = rep_compliance(customers, visits) if visits is not None else None
    ids = [roster.select("rep_id"), owned.select("rep_id")]
    if compliance is not None:
        ids.append(compliance.select("rep_id"))
    counts = ["customers", *(f"tier_{t.lower()}" for t in TIERS)]
    frame = (
        pl.concat(ids)
        .unique()
        .join(roster, on="rep_id", how="left")
        .join(owned, on="rep_id", how="left")
        .with_columns(pl.col(counts).fill_null(0), pl.col("value").fill_null(zero))
    )
    if compliance is not None:
        frame = frame.join(compliance, on="rep_id", how="left").with_columns(
            pl.col("required", "visits", "counted").fill_null(0.0),
            pl.col("a_customers", "a_covered", "under_visited", "other_visits").fill_null(0),
        )
        frame = frame.select(
            "rep_id", "name", "team", *counts, "value",
            "required", "visits", "counted", "compliance",
            "a_customers", "a_covered", "a_coverage", "under_visited", "other_visits",
        )  # fmt: skip
    else:
        frame = frame.select("rep_id", "name", "team", *counts, "value")
    return frame.sort("rep_id")
