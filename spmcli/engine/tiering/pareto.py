"""ABC tiers by value (SPEC §5): the Pareto rule, computed exactly.

Customers are ordered by value, largest first, ties by ``customer_id``. A customer is A
while the cumulative share of value up to and including it is ≤ the first threshold, B
while ≤ the second, else C; a customer without a positive value is C. The one amendment
(README, Decisions): the largest customer of a group is A even when its share alone is
above the first threshold — a business living off one account still has a key account.

Shares are compared as integers (values in millionths, thresholds as exact fractions), so
a customer whose cumulative share is exactly 80 % is A, whatever binary floats would say.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import polars as pl

MONEY = pl.Decimal(38, 6)


def as_fraction(value: float | Decimal | str) -> Fraction:
    """The exact fraction a threshold means as written: 0.8 → 4/5 (not the binary float)."""
    text = repr(value) if isinstance(value, float) else str(value)
    return Fraction(Decimal(text))


def micro_units(expr: pl.Expr) -> pl.Expr:
    """A money value as an exact Int128 count of millionths (the readers' scale)."""
    return (expr.cast(MONEY) * 1_000_000).cast(pl.Int128)


def at_most(part: pl.Expr, whole: pl.Expr, bound: Fraction) -> pl.Expr:
    """``part / whole <= bound`` exactly, for Int128 expressions with ``whole > 0``."""
    return part * _int(bound.denominator) <= whole * _int(bound.numerator)


def above(part: pl.Expr, whole: pl.Expr, bound: Fraction) -> pl.Expr:
    """``part / whole > bound`` exactly, for Int128 expressions with ``whole > 0``."""
    return part * _int(bound.denominator) > whole * _int(bound.numerator)


def below(part: pl.Expr, whole: pl.Expr, bound: Fraction) -> pl.Expr:
    """``part / whole < bound`` exactly, for Int128 expressions with ``whole > 0``."""
    return part * _int(bound.denominator) < whole * _int(bound.numerator)


def _int(value: int) -> pl.Expr:
    return pl.lit(value, dtype=pl.Int128)


def tier_by_value(
    frame: pl.DataFrame,
    value: str,
    thresholds: tuple[float, float],
    group: str | None = None,
) -> pl.DataFrame:
    """``frame`` (one row per ``customer_id``) ordered by group and value, with the
    customer's ``rank``, ``share``, ``cum_share`` and ``tier`` by ``value``.

    ``group`` names a column to tier within (a team or region); shares are then of the
    group's total. Shares are of the total *positive* value; customers without a positive
    value have a share ≤ 0, no cumulative share, and tier C.
    """
    first, second = (as_fraction(t) for t in thresholds)
    keys = [group] if group else []

    def within(expr: pl.Expr) -> pl.Expr:
        return expr.over(keys) if keys else expr

    micro = pl.col("_micro")
    positive = micro > 0
    counted = pl.when(positive).then(micro).otherwise(_int(0))
    ordered = frame.with_columns(micro_units(pl.col(value)).alias("_micro")).sort(
        [*keys, "_micro", "customer_id"],
        descending=[*(False for _ in keys), True, False],
        nulls_last=True,
    )
    ranked = ordered.with_columns(
        within(pl.int_range(1, pl.len() + 1, dtype=pl.Int64)).alias("rank"),
        within(counted.cum_sum()).alias("_cum"),
        within(counted.sum()).alias("_total"),
    )
    cum, total = pl.col("_cum"), pl.col("_total")
    tier = (
        pl.when(~positive)
        .then(pl.lit("C"))
        .when((pl.col("rank") == 1) | at_most(cum, total, first))
        .then(pl.lit("A"))
        .when(at_most(cum, total, second))
        .then(pl.lit("B"))
        .otherwise(pl.lit("C"))
    )
    as_float = total.cast(pl.Float64)
    return ranked.with_columns(
        pl.when(total > 0).then(micro.cast(pl.Float64) / as_float).alias("share"),
        pl.when(positive).then(cum.cast(pl.Float64) / as_float).alias("cum_share"),
        tier.alias("tier"),
    ).drop("_micro", "_cum", "_total")
