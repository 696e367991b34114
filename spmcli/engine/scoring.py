"""Achievement and scores (SPEC §4 Achievement, Scoring)."""

from __future__ import annotations

import polars as pl

from spmcli.scheme.model import Kpi


def achievement(kpi: Kpi) -> pl.Expr:
    """actual / target, or target / actual when lower is better; null without a positive target."""
    actual, target = pl.col("actual"), pl.col("target")
    ratio = target / actual if kpi.direction == "lower_is_better" else actual / target
    usable = (target > 0) & actual.is_not_null()
    if kpi.direction == "lower_is_better":
        # Nothing at all (0 complaints) against a positive target is the best possible result.
        return (
            pl.when(usable & (actual <= 0))
            .then(best_achievement(kpi))
            .when(usable)
            .then(ratio)
            .alias("achievement")
        )
    return pl.when(usable).then(ratio).otherwise(None).alias("achievement")


def best_achievement(kpi: Kpi) -> float:
    """The achievement that earns the top score: the cap, or the highest band threshold."""
    return max([kpi.scoring.cap, *(threshold for threshold, _ in kpi.scoring.bands)])


def score(kpi: Kpi) -> pl.Expr:
    """The KPI's score from ``achievement`` (or ``actual``) columns; null when those are null."""
    rule = kpi.scoring
    if kpi.kind == "rating" or rule.method == "rating":
        return pl.col("actual").alias("score")
    if rule.method == "bands":
        x = pl.col("actual") if rule.on == "value" else pl.col("achievement")
        scored: pl.Expr = pl.lit(0.0)  # below every band
        for threshold, points in sorted(rule.bands):  # lowest first, so the highest is tested first
            scored = pl.when(x >= threshold).then(pl.lit(float(points))).otherwise(scored)
        return pl.when(x.is_null()).then(None).otherwise(scored).alias("score")
    x = pl.col("achievement")
    return (
        pl.when(x.is_null())
        .then(None)
        .when(x < rule.floor)
        .then(0.0)
        .otherwise(100 * x.clip(0.0, rule.cap))
        .alias("score")
    )
