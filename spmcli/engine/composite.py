"""Composite and final scores, grades and ranks (SPEC §4 Composite, Grades, Rank)."""

from __future__ import annotations

import polars as pl

from spmcli.scheme.model import Scheme

COUNTED = ("scored", "adjusted", "zero_target")


def composite_scores(scheme: Scheme, kpis: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Weight each counted score by its share of the rep's counted weights (renormalised to 100).

    Returns the KPI rows with ``effective_weight`` and ``weighted``, and ``rep_id, composite``.
    """
    counted = pl.col("status").is_in(COUNTED) & (pl.col("weight") > 0)
    counted_weight = pl.col("weight").filter(counted).sum().over("rep_id")
    kpis = kpis.with_columns(
        pl.when(counted)
        .then(100 * pl.col("weight") / counted_weight)
        .otherwise(0.0)
        .alias("effective_weight")
    ).with_columns(
        (pl.col("score").fill_null(0.0) * pl.col("effective_weight") / 100).alias("weighted")
    )
    totals = kpis.group_by("rep_id").agg(
        pl.when(counted.any()).then(pl.col("weighted").sum()).alias("composite")
    )
    return kpis, totals


def grade_and_rank(
    scheme: Scheme, roster: pl.DataFrame, totals: pl.DataFrame, penalties: pl.DataFrame
) -> pl.DataFrame:
    """Final score = composite − penalty points (never below 0), its grade, and ranks with ties
    sharing a rank (1, 2, 2, 4) overall and within the team. Rank order; not-due reps last.

    Grade and rank go by the final score as every output writes it, rounded half away from
    zero to two decimals: 89.996 shows as 90.00 and is an A, and two reps shown with 77.70
    share a rank rather than standing 22nd and 23rd."""
    reps = (
        roster.join(totals, on="rep_id", how="left")
        .join(penalties, on="rep_id", how="left")
        .with_columns(pl.col("penalty").fill_null(0.0))
        .with_columns(
            (pl.col("composite") - pl.col("penalty")).clip(lower_bound=0.0).alias("final_score")
        )
    )
    written = (
        pl.col("final_score")
        .cast(pl.String)  # the shortest text of the float: the decimal the outputs round
        .cast(pl.Decimal(38, 10))
        .round(2, mode="half_away_from_zero")
        .cast(pl.Float64)
    )
    reps = reps.with_columns(written.alias("_written"))
    grade = pl.lit(None, dtype=pl.String)
    grade_label = pl.lit(None, dtype=pl.String)
    for g in sorted(scheme.grades, key=lambda g: g.min):
        reached = pl.col("_written") >= g.min
        grade = pl.when(reached).then(pl.lit(g.grade)).otherwise(grade)
        grade_label = pl.when(reached).then(pl.lit(g.label or g.grade)).otherwise(grade_label)
    ranked = pl.col("_written").rank("min", descending=True).cast(pl.Int64)
    return (
        reps.with_columns(grade.alias("grade"), grade_label.alias("grade_label"))
        .with_columns(
            ranked.alias("rank"),
            ranked.over(pl.col("team")).alias("team_rank"),
        )
        .sort(pl.col("due").not_(), "rank", "rep_id", nulls_last=True)
        .drop("_written")
    )


def team_summary(reps: pl.DataFrame, team_figures: list[pl.DataFrame]) -> pl.DataFrame:
    """One row per team: size, due members, average final score, and its team-scope KPIs."""
    teams = (
        reps.filter(pl.col("team") != "")
        .group_by("team")
        .agg(
            pl.len().cast(pl.Int64).alias("members"),
            pl.col("due").sum().cast(pl.Int64).alias("due_members"),
            pl.col("final_score").filter(pl.col("due")).mean().alias("average_score"),
        )
        .sort("team")
    )
    for figures in team_figures:
        teams = teams.join(figures, on="team", how="left")
    return teams
