"""KPI actuals per rep or per team, and the source rows behind each figure (SPEC §4).

Every function here is columnar: it filters a table to a window, groups by the
key column (``rep_id``, or ``team`` for team-scope KPIs) and aggregates with a
polars expression parsed from the scheme's SQL.

The source rows are a lazy query, not a copy: a KPI's figures are computed from the
columns they read, and its rows are made only when something shows them (a rep's
workbook, ``spm explain``). At 10 M sales lines a filtered copy per KPI would cost
more memory than the sales table itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from spmcli.engine.periods import previous, window_range, year_before
from spmcli.engine.result import RunWarning
from spmcli.scheme.model import Kpi, Scheme
from spmcli.scheme.periods import Period

# SUM(...) or COUNT(...) alone: a rep with no rows has 0, not N/A (SPEC §4 Aggregates).
_ZERO_WHEN_EMPTY = re.compile(r"\s*(SUM|COUNT)\s*\((?:[^()]|\([^()]*\))*\)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Actuals:
    """A KPI's actual per key, and the rows it came from (with the key and a ``window``
    label), as a query to collect when they are shown."""

    values: pl.DataFrame
    sources: pl.LazyFrame


def as_float(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Float64 that still prints as the exact decimal: Decimal goes through its text."""
    if isinstance(dtype, pl.Decimal):
        return expr.cast(pl.String).cast(pl.Float64)
    return expr.cast(pl.Float64)


def compute_actuals(
    kpi: Kpi,
    scheme: Scheme,
    tables: Mapping[str, pl.DataFrame],
    period: Period,
    key: str,
    window: str | None = None,
) -> Actuals:
    """The KPI's actual per ``key`` over ``window`` (default: the KPI's own).

    The KPI's table and columns must be there: see ``unavailability``."""
    window = window or kpi.window
    if kpi.kind == "growth":
        return _growth(kpi, scheme, tables, period, key, window)
    if kpi.kind == "new_customers":
        return _new_customers(kpi, tables, period, key, window)
    if kpi.kind == "repurchase_rate":
        return _repurchase_rate(kpi, tables, period, key, window)
    if kpi.kind == "rating":
        return _rating(kpi, tables, period, key)
    if kpi.kind == "coverage":
        return _coverage(kpi, scheme, tables, period, key, window)
    return _aggregate(kpi, tables, period, key, window)


def unavailability(
    kpi: Kpi, scheme: Scheme, tables: Mapping[str, pl.DataFrame]
) -> RunWarning | None:
    """The warning that the inputs cannot give this KPI (a table or an optional column is
    absent), or None.

    SPEC §2: only sales is required; the other tables, and the optional columns, enable
    the KPIs that need them. Such a KPI is N/A for everyone, with this one warning.
    """
    if kpi.kind == "growth" or kpi.scope == "team":
        found = unavailability(scheme.kpi(kpi.of or ""), scheme, tables)
        return None if found is None else RunWarning(found.code, found.params, kpi=kpi.id)
    table = _table_of(kpi)
    if table not in tables:
        return RunWarning.of("kpi_unavailable", kpi=kpi.id, reason="no_table", table=table)
    by_margin = scheme.tiering is not None and scheme.tiering.by == "gross_margin"
    if kpi.kind == "coverage" and by_margin and "cost" not in tables["sales"].columns:
        return RunWarning.of("kpi_unavailable", kpi=kpi.id, reason="no_cost_for_margin")
    used = [
        pl.sql_expr(text).meta.root_names()
        for text in (kpi.value, kpi.where)
        if text and kpi.kind != "rating"
    ]
    missing = sorted({c for names in used for c in names} - set(tables[table].columns))
    if missing:
        return RunWarning.of(
            "kpi_unavailable", kpi=kpi.id, reason="no_column", table=table, columns=tuple(missing)
        )
    return None


def without_absent_filters(
    scheme: Scheme, tables: Mapping[str, pl.DataFrame]
) -> tuple[Scheme, list[RunWarning]]:
    """The scheme as these inputs can apply it: a KPI with ``where_if_missing: all_rows``
    whose filter names a column its table lacks counts every row, and a warning says so.

    A minimal export has no ``category``: the default ``sales`` KPI's "not OTC" filter
    then excludes nothing it could see, which is better than no sales figure at all.
    """
    kpis: list[Kpi] = []
    warnings: list[RunWarning] = []
    for kpi in scheme.kpis:
        table = tables.get(_table_of(kpi))
        if kpi.where_if_missing == "all_rows" and kpi.where and table is not None:
            value = set(pl.sql_expr(kpi.value).meta.root_names()) if kpi.value else set()
            absent = set(pl.sql_expr(kpi.where).meta.root_names()) - set(table.columns)
            if absent and value <= set(table.columns):
                warnings.append(
                    RunWarning.of(
                        "filter_dropped",
                        kpi=kpi.id,
                        table=_table_of(kpi),
                        columns=tuple(sorted(absent)),
                        where=kpi.where,
                    )
                )
                kpi = kpi.model_copy(update={"where": None})
        kpis.append(kpi)
    return scheme.model_copy(update={"kpis": kpis}), warnings


def _table_of(kpi: Kpi) -> str:
    """The table a KPI's own figures come from."""
    return {"aggregate": kpi.table, "rating": "ratings", "coverage": "visits"}.get(
        kpi.kind, "sales"
    )


def zero_when_empty(kpi: Kpi) -> bool:
    """Whether a key with no rows has 0 (a plain SUM or COUNT) rather than no value."""
    if kpi.kind == "new_customers":
        return True
    return kpi.kind == "aggregate" and bool(_ZERO_WHEN_EMPTY.fullmatch(kpi.value or ""))


def _in_window(frame: pl.DataFrame, period: Period, window: str) -> pl.LazyFrame:
    if "date" not in frame.columns:
        return frame.lazy()
    start, end = window_range(period, window)
    return frame.lazy().filter(pl.col("date").is_between(start, end))


def _filtered(kpi: Kpi, rows: pl.LazyFrame, key: str) -> pl.LazyFrame:
    if kpi.where:
        rows = rows.filter(pl.sql_expr(kpi.where))
    return rows.filter(pl.col(key).is_not_null())


def _group(rows: pl.DataFrame | pl.LazyFrame, key: str, value: pl.Expr) -> pl.DataFrame:
    """The aggregate per key; rows still to be made are made with only the columns it reads.

    The rows are made first and then grouped, not in one query: a float sum fused with
    the filter adds in another order, and the last digit of a ratio would change.
    """
    if isinstance(rows, pl.LazyFrame):
        rows = rows.select(list(dict.fromkeys([key, *value.meta.root_names()]))).collect()
    grouped = rows.group_by(key).agg(value.alias("actual"))
    return grouped.with_columns(as_float(pl.col("actual"), grouped.schema["actual"]))


def _aggregate(
    kpi: Kpi, tables: Mapping[str, pl.DataFrame], period: Period, key: str, window: str
) -> Actuals:
    table = tables[kpi.table]
    rows = _filtered(kpi, _in_window(table, period, window), key)
    if zero_when_empty(kpi):  # a plain SUM or COUNT: exact decimals
        values = _group(rows, key, pl.sql_expr(kpi.value or "COUNT(*)"))
    else:
        # A ratio such as SUM(collected) / SUM(amount) is no money figure: computed in floats,
        # where a zero denominator (net sales of exactly 0) gives no value (N/A), not an error.
        floats = rows.with_columns(pl.col(pl.Decimal).cast(pl.Float64))
        values = _group(floats, key, pl.sql_expr(kpi.value or "COUNT(*)")).with_columns(
            pl.when(pl.col("actual").is_finite()).then(pl.col("actual")).alias("actual")
        )
    return Actuals(values, rows.with_columns(pl.lit(window).alias("window")))


def _growth(
    kpi: Kpi,
    scheme: Scheme,
    tables: Mapping[str, pl.DataFrame],
    period: Period,
    key: str,
    window: str,
) -> Actuals:
    base_kpi = scheme.kpi(kpi.of or "")
    current = compute_actuals(base_kpi, scheme, tables, period, key, window)
    before = compute_actuals(base_kpi, scheme, tables, period, key, kpi.vs)
    joined = current.values.join(before.values, on=key, how="full", coalesce=True, suffix="_base")
    if zero_when_empty(base_kpi):  # else a key without rows has no value (N/A), not 0
        joined = joined.with_columns(pl.col("actual", "actual_base").fill_null(0.0))
    values = joined.select(
        key,
        pl.when(pl.col("actual_base") > 0)
        .then((pl.col("actual") - pl.col("actual_base")) / pl.col("actual_base"))
        .alias("actual"),
    )
    sources = pl.concat([current.sources, before.sources], how="diagonal_relaxed")
    return Actuals(values, sources)


def _purchases(kpi: Kpi, tables: Mapping[str, pl.DataFrame]) -> pl.LazyFrame:
    """Sales lines that are purchases (positive amount), after the KPI's filter."""
    sales = tables["sales"].lazy()
    if kpi.where:
        sales = sales.filter(pl.sql_expr(kpi.where))
    return sales.filter(pl.col("amount") > 0)


def _new_customers(
    kpi: Kpi, tables: Mapping[str, pl.DataFrame], period: Period, key: str, window: str
) -> Actuals:
    """Customers whose first purchase ever falls in the window, credited to that line's rep."""
    purchases = _purchases(kpi, tables)
    # The earliest line of each customer (earliest date, then lowest row), without a full
    # sort; found on the few columns it needs, then those lines taken whole.
    start, end = window_range(period, window)
    first = (
        purchases.select("customer_id", "date", "_row", key)
        .filter(pl.col("date") == pl.col("date").min().over("customer_id"))
        .filter(pl.col("_row") == pl.col("_row").min().over("customer_id"))
        .filter(pl.col("date").is_between(start, end) & pl.col(key).is_not_null())
        .select("_row")
        .collect()
    )
    rows = tables["sales"].lazy().filter(pl.col("_row").is_in(first["_row"].implode()))
    values = _group(rows, key, pl.col("customer_id").n_unique())
    return Actuals(values, rows.with_columns(pl.lit("first_purchase").alias("window")))


def _repurchase_rate(
    kpi: Kpi, tables: Mapping[str, pl.DataFrame], period: Period, key: str, window: str
) -> Actuals:
    """Of the customers bought from in the period before, the share that bought again."""
    purchases = _purchases(kpi, tables)
    purchases = purchases.filter(pl.col(key).is_not_null())

    def bought(window_period: Period, name: str) -> pl.DataFrame:
        start, end = window_range(window_period, window)
        return (
            purchases.filter(pl.col("date").is_between(start, end))
            .group_by(key, "customer_id")
            .agg(pl.col("amount").sum().alias(name))
            .collect()
        )

    earlier = bought(previous(period), "amount_before")
    again = bought(period, "amount_now")
    pairs = earlier.join(again, on=[key, "customer_id"], how="left").with_columns(
        pl.col("amount_now").is_not_null().alias("bought_again")
    )
    values = _group(pairs, key, pl.col("bought_again").mean())
    sources = pairs.lazy().sort(key, "customer_id").with_columns(pl.lit("prev").alias("window"))
    return Actuals(values, sources)


def _rating(kpi: Kpi, tables: Mapping[str, pl.DataFrame], period: Period, key: str) -> Actuals:
    """The supervisor rating for the KPI's item, mapped through its scale (mean if several)."""
    ratings = tables["ratings"]
    rows = ratings.filter(pl.col("item") == kpi.item)
    if "period" in rows.columns:
        rows = rows.filter(
            pl.col("period").is_null()
            | (period_key(pl.col("period")) == period_key(pl.lit(period.label)))
        )
    rows = rows.filter(pl.col(key).is_not_null()).with_columns(
        pl.col("rating")
        .str.strip_chars()
        .replace_strict(kpi.scale, default=None, return_dtype=pl.Float64)
        .alias("mapped")
    )
    values = _group(rows, key, pl.col("mapped").mean())
    return Actuals(values, rows.lazy().with_columns(pl.lit("period").alias("window")))


def _coverage(
    kpi: Kpi,
    scheme: Scheme,
    tables: Mapping[str, pl.DataFrame],
    period: Period,
    key: str,
    window: str,
) -> Actuals:
    """SPEC §5 call plan as a KPI: of the customers of ``kpi.tiers`` (default A) owned by
    the key, the share whose rep made all the visits the plan requires in the window
    (visits passing ``where``); N/A for a key without such customers. Tiers follow the
    scheme's ``tiering`` section; ``prev`` and ``yoy`` look at that earlier period."""
    # Imported here: tiering reuses evaluate's period rule, and evaluate imports this module.
    from spmcli.engine.tiering.tiers import customer_plan

    shifted = {"prev": previous, "yoy": year_before}.get(window)
    plan = customer_plan(scheme, tables, shifted(period) if shifted else period, kpi.where)
    if key != "rep_id":
        reps = tables.get("reps")
        owners = (
            reps.select("rep_id", key)
            if reps is not None and key in reps.columns
            else pl.DataFrame(schema={"rep_id": pl.String, key: pl.String})
        )
        plan = plan.join(owners, on="rep_id", how="left")
    rows = plan.filter(
        pl.col(key).is_not_null() & pl.col("tier").is_in(kpi.tiers) & (pl.col("required") > 0)
    )
    values = _group(rows, key, pl.col("met").mean())
    sources = (
        rows.lazy()
        .sort(key, "tier", "customer_id")
        .select(
            *([key] if key != "rep_id" else []),
            "rep_id",
            "customer_id",
            pl.col("name").alias("customer_name"),
            "tier",
            pl.col("value").alias("tier_value"),
            "required",
            "visits",
            "met",
            pl.lit(window).alias("window"),
        )
    )
    return Actuals(values, sources)


def period_key(expr: pl.Expr) -> pl.Expr:
    """Compare period labels loosely: 2025-Q3 = 2025q3 = 2025 Q3, 2025-7 = 2025-07."""
    text = expr.cast(pl.String).str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "")
    return text.str.replace(r"^(\d{4})(\d)$", "${1}0${2}")
