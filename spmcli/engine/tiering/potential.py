"""Potential tiers and the value × potential matrix (SPEC §5).

With ``tiering.potential.high`` and ``.medium`` a customer's potential is high from
``high`` up, medium from ``medium`` up, else low. Without them the customers with a
potential are split into thirds by rank, largest first: the customer ranked r of n
(customers with equal potential share the best rank) is high when 3(r − 1) < n, medium
when 3(r − 1) < 2n, else low — 500 customers without ties split 167, 167, 166. Thirds are taken
within the group when tiering per team or region, like the value tiers.
"""

from __future__ import annotations

import polars as pl

from spmcli.engine.tiering.result import POTENTIALS, STRATEGIES, TIERS
from spmcli.scheme.model import PotentialSplit


def potential_tier(split: PotentialSplit, group: str | None = None) -> pl.Expr:
    """high / medium / low from the ``potential`` column; null where it is empty."""
    potential = pl.col("potential")
    if split.high is not None and split.medium is not None:
        return (
            pl.when(potential.is_null())
            .then(pl.lit(None, dtype=pl.String))
            .when(potential >= split.high)
            .then(pl.lit("high"))
            .when(potential >= split.medium)
            .then(pl.lit("medium"))
            .otherwise(pl.lit("low"))
        )
    rank = potential.rank("min", descending=True)
    count = potential.count()
    if group:
        rank, count = rank.over(group), count.over(group)
    third = (rank - 1) * 3
    return (
        pl.when(potential.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(third < count)
        .then(pl.lit("high"))
        .when(third < 2 * count)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )


def strategy() -> pl.Expr:
    """The strategy key of the customer's matrix cell (``STRATEGIES``); null without one."""
    cell = pl.concat_str(pl.col("tier"), pl.lit("|"), pl.col("potential_tier"))
    mapping = {f"{tier}|{potential}": key for (tier, potential), key in STRATEGIES.items()}
    return cell.replace_strict(mapping, default=None, return_dtype=pl.String)


def value_potential_matrix(customers: pl.DataFrame) -> pl.DataFrame:
    """The nine cells of tier × potential tier, empty cells included, A-high first."""
    cells = pl.DataFrame(
        [(t, p, STRATEGIES[(t, p)]) for t in TIERS for p in POTENTIALS],
        schema={"tier": pl.String, "potential_tier": pl.String, "strategy": pl.String},
        orient="row",
    )
    counts = (
        customers.filter(pl.col("potential_tier").is_not_null())
        .group_by("tier", "potential_tier")
        .agg(
            pl.len().cast(pl.Int64).alias("customers"),
            pl.col("value").sum(),
            pl.col("revenue").sum(),
        )
    )
    zero = pl.lit(0, dtype=customers.schema["value"])
    return (
        cells.join(counts, on=["tier", "potential_tier"], how="left", maintain_order="left")
        .with_columns(
            pl.col("customers").fill_null(0),
            pl.col("value").fill_null(zero),
            pl.col("revenue").fill_null(zero),
        )
        .select("tier", "potential_tier", "customers", "value", "revenue", "strategy")
    )
