"""Which customers are tiered, who owns them, and what they bought now and before.

The population is every customer of the ``customers`` table plus every customer with a
sales line in the current or the previous window (SPEC §5: "customers come from customers
plus any customer in sales"; customers who last bought before the previous window and are
not listed in ``customers`` are history, not part of today's book — README, Decisions).

A customer's rep is its assigned rep in ``customers``, else the rep of its latest sales
line (latest date, then the last row) — the same rule that credits surveys (SPEC §2).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from spmcli.engine.result import RunWarning
from spmcli.engine.tiering.pareto import MONEY
from spmcli.engine.tiering.result import Span
from spmcli.errors import DataError, Problem
from spmcli.messages import msg
from spmcli.scheme.model import Tiering
from spmcli.scheme.periods import MONTHS_IN, Period

SHOWN_IDS = 10


def spans(period: Period, window: str) -> tuple[Span, Span]:
    """The current window and the one just before it, of the same length.

    ``period``: the period itself, and the previous period. ``12m``: the twelve months
    ending with the period, and the twelve months before those.
    """
    months = MONTHS_IN[period.kind] if window == "period" else 12
    end = period.end
    start = _months_back(end, months)
    before_end = start - timedelta(days=1)
    before_start = _months_back(before_end, months)
    if window == "period":
        current_label = period.label
        before_label = _period_label(period.kind, before_start)
    else:
        current_label = _range_label(start, end)
        before_label = _range_label(before_start, before_end)
    return (
        Span(current_label, start, end, months),
        Span(before_label, before_start, before_end, months),
    )


def _months_back(end: date, months: int) -> date:
    """The first day of the window of ``months`` whole months ending with ``end``'s month."""
    index = end.year * 12 + end.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _period_label(kind: str, start: date) -> str:
    if kind == "month":
        return f"{start.year}-{start.month:02d}"
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind == "half":
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    return f"{start.year}"


def _range_label(start: date, end: date) -> str:
    return f"{start.year}-{start.month:02d}..{end.year}-{end.month:02d}"


def measure(by: str) -> pl.Expr:
    """A sales line's contribution to a customer's value: its amount, or amount − cost."""
    amount = pl.col("amount").cast(MONEY)
    return amount - pl.col("cost").cast(MONEY) if by == "gross_margin" else amount


def check_measure(settings: Tiering, sales: pl.DataFrame) -> None:
    """Gross margin needs the optional ``cost`` column (SPEC §2)."""
    if settings.by == "gross_margin" and "cost" not in sales.columns:
        raise DataError(
            [
                Problem(
                    "sales",
                    msg("read.no_cost_tiering"),
                    msg("read.add_cost_short"),
                )
            ]
        )


def customer_frame(
    tables: dict[str, pl.DataFrame], current: Span, before: Span, settings: Tiering
) -> tuple[pl.DataFrame, list[RunWarning]]:
    """One row per customer of the population with its owner, names, group and values.

    Columns: customer_id, name, rep_id, rep_name, team, region, group, potential,
    first_purchase, value, revenue, value_before, revenue_before.
    """
    sales = tables["sales"]
    check_measure(settings, sales)
    warnings: list[RunWarning] = []
    in_now = pl.col("date").is_between(current.start, current.end)
    in_before = pl.col("date").is_between(before.start, before.end)
    lines = sales.filter(pl.col("date").is_between(before.start, current.end)).with_columns(
        measure(settings.by).alias("_value"), pl.col("amount").cast(MONEY).alias("_amount")
    )
    zero = pl.lit(0, dtype=MONEY)
    bought = lines.group_by("customer_id").agg(
        pl.col("_value").filter(in_now).sum().alias("value"),
        pl.col("_amount").filter(in_now).sum().alias("revenue"),
        pl.col("_value").filter(in_before).sum().alias("value_before"),
        pl.col("_amount").filter(in_before).sum().alias("revenue_before"),
    )
    if settings.by == "gross_margin":
        no_cost = lines.filter(pl.col("cost").is_null() & in_now)
        if no_cost.height:
            warnings.append(RunWarning.of("no_cost", count=no_cost.height))

    # The latest line of each customer (latest date, then the last row), without a full sort.
    latest = sales.filter(pl.col("date") == pl.col("date").max().over("customer_id")).filter(
        pl.col("_row") == pl.col("_row").max().over("customer_id")
    )
    owners = latest.select(
        "customer_id",
        pl.col("rep_id").alias("_sales_rep"),
        (pl.col("customer_name") if "customer_name" in sales.columns else pl.lit(None))
        .cast(pl.String)
        .alias("_sales_name"),
    )
    first = (
        sales.filter(pl.col("amount") > 0)
        .group_by("customer_id")
        .agg(pl.col("date").min().alias("first_purchase"))
    )

    listed = _listed(tables.get("customers"))
    ids = pl.concat([listed.select("customer_id"), bought.select("customer_id")]).unique()
    frame = (
        ids.join(listed, on="customer_id", how="left")
        .join(owners, on="customer_id", how="left")
        .join(bought, on="customer_id", how="left")
        .join(first, on="customer_id", how="left")
        .with_columns(
            pl.coalesce("_rep", "_sales_rep").alias("rep_id"),
            pl.coalesce("_name", "_sales_name").alias("name"),
            pl.col("value", "revenue", "value_before", "revenue_before").fill_null(zero),
        )
    )
    reps = roster_names(tables.get("reps"))
    frame = frame.join(reps, on="rep_id", how="left").with_columns(
        pl.coalesce("_region", "_rep_region").alias("region")
    )
    group = {"team": pl.col("team"), "region": pl.col("region")}.get(settings.per or "")
    frame = frame.with_columns(
        (group if group is not None else pl.lit(None, dtype=pl.String)).alias("group")
    ).select(
        "customer_id",
        "name",
        "rep_id",
        "rep_name",
        "team",
        "region",
        "group",
        "potential",
        "first_purchase",
        "value",
        "revenue",
        "value_before",
        "revenue_before",
    )
    warnings += _population_warnings(frame, listed, bought, tables, settings)
    return frame, warnings


def _listed(customers: pl.DataFrame | None) -> pl.DataFrame:
    """The customers table's columns tiering reads, present or not."""
    wanted = {
        "customer_id": ("customer_id", pl.String),
        "name": ("_name", pl.String),
        "rep_id": ("_rep", pl.String),
        "region": ("_region", pl.String),
        "potential": ("potential", pl.Float64),
    }
    if customers is None:
        return pl.DataFrame(schema={alias: dtype for alias, dtype in wanted.values()})
    return customers.select(
        (pl.col(column) if column in customers.columns else pl.lit(None)).cast(dtype).alias(alias)
        for column, (alias, dtype) in wanted.items()
    )


def roster_names(reps: pl.DataFrame | None) -> pl.DataFrame:
    """rep_id → rep_name, team, region (blank teams and regions are none)."""
    wanted = {"rep_id": "rep_id", "name": "rep_name", "team": "team", "region": "_rep_region"}
    if reps is None:
        return pl.DataFrame(schema=dict.fromkeys(wanted.values(), pl.String))
    return reps.select(
        (pl.col(column) if column in reps.columns else pl.lit(None))
        .cast(pl.String)
        .replace("", None)
        .alias(alias)
        for column, alias in wanted.items()
    )


def _population_warnings(
    frame: pl.DataFrame,
    listed: pl.DataFrame,
    bought: pl.DataFrame,
    tables: dict[str, pl.DataFrame],
    settings: Tiering,
) -> list[RunWarning]:
    warnings: list[RunWarning] = []
    orphans = frame.filter(pl.col("rep_id").is_null())
    if orphans.height:
        warnings.append(
            RunWarning.of("customer_without_rep", count=orphans.height, ids=_ids(orphans))
        )
    if "customers" in tables:
        unlisted = bought.join(listed, on="customer_id", how="anti").sort("customer_id")
        if unlisted.height:
            warnings.append(
                RunWarning.of("customer_not_listed", count=unlisted.height, ids=_ids(unlisted))
            )
    if settings.per is not None:
        ungrouped = frame.filter(pl.col("group").is_null())
        if ungrouped.height:
            warnings.append(
                RunWarning.of(
                    "customer_without_group",
                    count=ungrouped.height,
                    per=settings.per,
                    ids=_ids(ungrouped),
                )
            )
    return warnings


def _ids(frame: pl.DataFrame) -> tuple[str, ...]:
    """The first customer ids, for a warning that also gives the count."""
    return tuple(str(i) for i in frame.sort("customer_id")["customer_id"].head(SHOWN_IDS))
