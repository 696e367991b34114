"""Targets per rep, approved adjustments, and the references in the data that must resolve."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from spmcli.engine.actuals import period_key
from spmcli.engine.result import ADJUSTMENT_COLUMNS, DataIssue
from spmcli.messages import Msg, msg
from spmcli.scheme.model import Kpi, Scheme
from spmcli.scheme.periods import Period


def kpi_key(expr: pl.Expr) -> pl.Expr:
    """A targets/adjustments ``kpi`` cell compared loosely with KPI ids and labels."""
    return expr.cast(pl.String).str.strip_chars().str.to_lowercase()


def kpi_lookup(scheme: Scheme) -> dict[str, str]:
    """Loose KPI names to the KPI id: its id, or its label in either language (a targets
    sheet in Chinese and a scheme run in English still meet); an id wins over a label."""
    names = {text.lower(): k.id for k in scheme.kpis for text in k.all_labels}
    names.update({k.id.lower(): k.id for k in scheme.kpis})
    return names


def targets_in_period(scheme: Scheme, targets: pl.DataFrame | None, period: Period) -> pl.DataFrame:
    """Rows of ``targets`` for this period (or without a period), with ``kpi`` resolved to an id."""
    schema = {"rep_id": pl.String, "kpi": pl.String, "target": pl.Float64, "_row": pl.Int64}
    if targets is None:
        return pl.DataFrame(schema=schema)
    rows = targets
    if "period" in rows.columns:
        rows = rows.filter(
            pl.col("period").is_null()
            | (period_key(pl.col("period")) == period_key(pl.lit(period.label)))
        )
    return rows.with_columns(
        kpi_key(pl.col("kpi")).replace_strict(kpi_lookup(scheme), default=None).alias("kpi")
    ).select(*schema)


def rep_targets(kpi: Kpi, period_targets: pl.DataFrame, roster: pl.DataFrame) -> pl.DataFrame:
    """``rep_id, target, target_row`` for every rep on the roster (null where the rep has
    none); ``target_row`` is the targets table's row, null for a target the scheme sets."""
    if isinstance(kpi.target, float | int):
        return roster.select(
            "rep_id",
            pl.lit(float(kpi.target)).alias("target"),
            pl.lit(None, dtype=pl.Int64).alias("target_row"),
        )
    found = period_targets.filter(pl.col("kpi") == kpi.id).select(
        "rep_id", "target", pl.col("_row").alias("target_row")
    )
    return roster.select("rep_id").join(found, on="rep_id", how="left")


def check_references(
    scheme: Scheme, tables: Mapping[str, pl.DataFrame], period: Period
) -> list[DataIssue]:
    """Data that points at something that does not exist, or says one thing twice.

    These stop the run (exit 1) because going on would silently drop an approved
    target, adjustment or rating.
    """
    issues: list[DataIssue] = []
    roster_ids = tables["reps"]["rep_id"] if "reps" in tables else None
    lookup = kpi_lookup(scheme)
    known_kpis = tuple(k.id for k in scheme.kpis)

    targets = tables.get("targets")
    if targets is not None:
        rows = targets_in_period(scheme, targets, period)
        unknown = targets.join(rows.filter(pl.col("kpi").is_null()).select("_row"), on="_row")
        issues += _issues(unknown, "targets", "kpi", msg("ref.not_kpi", kpis=known_kpis))
        dupes = rows.filter(
            pl.col("kpi").is_not_null() & pl.struct("rep_id", "kpi").is_duplicated()
        )
        dupes = dupes.filter(pl.col("_row") != pl.col("_row").min().over("rep_id", "kpi"))
        issues += _issues(
            dupes,
            "targets",
            "rep_id",
            msg("ref.second_target", period=period.label),
        )

    for name in ADJUSTMENT_TABLES:
        adjustments = tables.get(name)
        if adjustments is None:
            continue
        if roster_ids is not None:
            stray = adjustments.filter(~pl.col("rep_id").is_in(roster_ids.implode()))
            issues += _issues(stray, name, "rep_id", msg("ref.not_on_roster"))
        if "kpi" not in adjustments.columns:
            continue
        named = adjustments.filter(pl.col("kpi").is_not_null())
        resolved = named.with_columns(
            kpi_key(pl.col("kpi")).replace_strict(lookup, default=None).alias("_kpi")
        )
        issues += _issues(
            resolved.filter(pl.col("_kpi").is_null()),
            name,
            "kpi",
            msg("ref.not_kpi", kpis=known_kpis),
        )
        if "value" not in adjustments.columns:
            issues += _issues(named, name, "kpi", msg("ref.no_value_column"))
        else:
            issues += _issues(
                named.filter(pl.col("value").is_null()), name, "kpi", msg("ref.empty_value")
            )
    # A KPI adjusted twice, within one table or once in each (an appeal accepted for a KPI
    # the adjustments sheet already corrects): every row after the first is a problem.
    overrides = applied_adjustments(scheme, tables).filter(pl.col("value").is_not_null())
    again = overrides.filter(pl.int_range(pl.len()).over("rep_id", "kpi") > 0)
    for name in ADJUSTMENT_TABLES:
        issues += _issues(
            again.filter(pl.col("table") == name), name, "kpi", msg("ref.adjusted_twice")
        )

    ratings = tables.get("ratings")
    if ratings is not None:
        for kpi in scheme.kpis:
            if kpi.kind != "rating":
                continue
            rows = ratings.filter(pl.col("item") == kpi.item)
            unmapped = rows.filter(~pl.col("rating").str.strip_chars().is_in(list(kpi.scale)))
            issues += _issues(
                unmapped,
                "ratings",
                "rating",
                msg("ref.not_on_scale", kpi=kpi.id, scale=tuple(kpi.scale)),
            )
    return issues


def _issues(rows: pl.DataFrame, table: str, column: str, reason: Msg) -> list[DataIssue]:
    return [
        DataIssue(table, row, column, "" if value is None else str(value), reason)
        for row, value in rows.select("_row", column).iter_rows()
    ]


ADJUSTMENT_TABLES = ("adjustments", "appeal_adjustments")


def applied_adjustments(scheme: Scheme, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The rows of the adjustments and accepted-appeals tables that apply, as
    ``ADJUSTMENT_COLUMNS`` (``kpi`` resolved to an id, ``table`` saying which table): penalty
    points, or a KPI's corrected actual, each with reason and approver; in table, then row
    order."""
    parts = []
    for name in ADJUSTMENT_TABLES:
        frame = tables.get(name)
        if frame is None:
            continue
        rows = frame.with_columns(
            pl.lit(None, dtype=dtype).alias(column)
            for column, dtype in ADJUSTMENT_COLUMNS.items()
            if column not in frame.columns
        ).with_columns(
            kpi_key(pl.col("kpi")).replace_strict(kpi_lookup(scheme), default=None).alias("kpi"),
            pl.lit(name).alias("table"),
        )
        penalty = pl.col("points").is_not_null()
        override = pl.col("kpi").is_not_null() & pl.col("value").is_not_null()
        parts.append(
            rows.filter(penalty | override).select(
                pl.col(column).cast(dtype) for column, dtype in ADJUSTMENT_COLUMNS.items()
            )
        )
    return pl.concat(parts) if parts else pl.DataFrame(schema=ADJUSTMENT_COLUMNS)


def adjustments_for(applied: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Penalty points per rep (``rep_id, penalty, penalty_reason``) and KPI overrides
    (``rep_id, kpi, value, reason``) from ``applied_adjustments``."""
    penalties_schema = {"rep_id": pl.String, "penalty": pl.Float64, "penalty_reason": pl.String}
    rows = applied
    penalties = (
        rows.filter(pl.col("points").is_not_null())
        .group_by("rep_id")
        .agg(
            pl.col("points").abs().sum().alias("penalty"),
            pl.col("reason").drop_nulls().str.join("; ").alias("penalty_reason"),
        )
        .select(*penalties_schema)
    )
    overrides = rows.filter(pl.col("kpi").is_not_null() & pl.col("value").is_not_null()).select(
        "rep_id", "kpi", "value", "reason"
    )
    return penalties, overrides
