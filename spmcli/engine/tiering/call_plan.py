"""Call-plan compliance: the visits each tier needs against the visits made (SPEC §5).

A customer of tier T needs ``tiering.visits_per_month.T`` visits (default A 4, B 2, C 1)
times the months in the window. Its visits are those its own rep made in the window;
visits a rep makes to customers of other reps, or to customers outside the population,
are counted apart (``other_visits``). Per rep:

- ``compliance`` = Σ min(visits, required) / Σ required over the rep's customers, so that
  calling a C customer too often does not make up for an A customer left alone;
- ``a_coverage`` = the share of the rep's A customers that got all their required visits;
- ``under_visited`` = the rep's customers with fewer visits than required.
"""

from __future__ import annotations

import polars as pl

from spmcli.engine.tiering.result import TIERS, Span
from spmcli.scheme.model import VisitsPerMonth


def visits_in(visits: pl.DataFrame, span: Span, where: str | None = None) -> pl.DataFrame:
    """The visits of the window (after an optional SQL filter) that name a rep and customer."""
    rows = visits.filter(pl.col("date").is_between(span.start, span.end))
    if where:
        rows = rows.filter(pl.sql_expr(where))
    return rows.filter(pl.col("rep_id").is_not_null() & pl.col("customer_id").is_not_null())


def required_visits(per_month: VisitsPerMonth, months: int) -> pl.Expr:
    """The visits a customer of its ``tier`` needs over ``months``."""
    needs = {tier: float(getattr(per_month, tier)) * months for tier in TIERS}
    return pl.col("tier").replace_strict(needs, return_dtype=pl.Float64)


def plan_customers(
    customers: pl.DataFrame, visits: pl.DataFrame, per_month: VisitsPerMonth, span: Span
) -> pl.DataFrame:
    """``customers`` with required, visits (by the customer's rep), gap and met."""
    made = visits.group_by("customer_id", "rep_id").agg(pl.len().cast(pl.Int64).alias("visits"))
    planned = customers.join(made, on=["customer_id", "rep_id"], how="left", maintain_order="left")
    required = pl.col("required")
    return planned.with_columns(
        required_visits(per_month, span.months).alias("required"),
        pl.col("visits").fill_null(0),
    ).with_columns(
        (required - pl.col("visits")).clip(lower_bound=0).alias("gap"),
        (pl.col("visits") >= required).alias("met"),
    )


def rep_compliance(planned: pl.DataFrame, visits: pl.DataFrame) -> pl.DataFrame:
    """Per rep: required, visits, counted, compliance, A coverage, under-visited, other visits."""
    owned = planned.filter(pl.col("rep_id").is_not_null())
    is_a = pl.col("tier") == "A"
    per_rep = owned.group_by("rep_id").agg(
        pl.col("required").sum(),
        pl.col("visits").sum().cast(pl.Float64),
        pl.min_horizontal("visits", "required").sum().alias("counted"),
        is_a.sum().cast(pl.Int64).alias("a_customers"),
        (is_a & pl.col("met")).sum().cast(pl.Int64).alias("a_covered"),
        (pl.col("required") > pl.col("visits")).sum().cast(pl.Int64).alias("under_visited"),
    )
    own_pairs = owned.select("customer_id", "rep_id")
    other = (
        visits.join(own_pairs, on=["customer_id", "rep_id"], how="anti")
        .group_by("rep_id")
        .agg(pl.len().cast(pl.Int64).alias("other_visits"))
    )
    return (
        per_rep.join(other, on="rep_id", how="full", coalesce=True)
        .with_columns(
            pl.col("required", "visits", "counted").fill_null(0.0),
            pl.col("a_customers", "a_covered", "under_visited", "other_visits").fill_null(0),
        )
        .with_columns(
            pl.when(pl.col("required") > 0)
            .then(pl.col("counted") / pl.col("required"))
            .alias("compliance"),
            pl.when(pl.col("a_customers") > 0)
            .then(pl.col("a_covered") / pl.col("a_customers"))
            .alias("a_coverage"),
        )
    )


def coverage(tiers: list[str]) -> pl.Expr:
    """The KPI ``coverage``: of the customers of ``tiers`` that need visits, the share that
    got all of them (an aggregate over ``plan_customers`` rows)."""
    counted = pl.col("tier").is_in(tiers) & (pl.col("required") > 0)
    return pl.col("met").filter(counted).mean()
