"""Pay: bonus from a curve, tiered commission and team pools (SPEC §4 Pay).

Money is computed in decimals, never binary floats: a float actual or target is taken
through its shortest text (which is the exact decimal the engine summed), and every
paid amount is rounded half away from zero to the cent where it is paid — a commission
tier's amount, a bonus, a pool share — so that a rep's statement adds up on a calculator
and the shares of a pool add up exactly to the pool.
"""

from __future__ import annotations

import polars as pl

from spmcli.engine.result import PayDetail, RunWarning
from spmcli.scheme.model import Bonus, Commission, Scheme, TeamPool

EXACT = pl.Decimal(38, 10)
CENTS = pl.Decimal(38, 2)
PAY_COLUMNS = ("bonus", "commission", "team_pool", "total_pay")


def exact(expr: pl.Expr) -> pl.Expr:
    """A float figure as the exact decimal its shortest text shows."""
    return expr.cast(pl.String).cast(EXACT)


def cents(expr: pl.Expr) -> pl.Expr:
    """Round a decimal half away from zero to the cent."""
    return expr.round(2, mode="half_away_from_zero").cast(CENTS)


def compute_pay(
    scheme: Scheme, reps: pl.DataFrame, kpis: pl.DataFrame
) -> tuple[pl.DataFrame, PayDetail | None, list[RunWarning]]:
    """Add bonus, commission, team_pool and total_pay (cents) to due reps; null for others."""
    if scheme.pay is None:
        return reps, None, []
    due = reps.filter(pl.col("due"))
    parts = scheme.pay
    warnings: list[RunWarning] = []
    bonus = commission = pool = None
    if parts.bonus:
        bonus, found = _bonus(parts.bonus, due, kpis)
        warnings += found
    if parts.commission:
        commission, found = _commission(parts.commission, due, kpis)
        warnings += found
    if parts.team_pool:
        pool, found = _team_pool(scheme, parts.team_pool, due, kpis)
        warnings += found

    amounts = due.select("rep_id")
    if bonus is not None:
        amounts = amounts.join(bonus.select("rep_id", "bonus"), on="rep_id", how="left")
    if commission is not None:
        per_rep = commission.group_by("rep_id").agg(pl.col("amount").sum().alias("commission"))
        amounts = amounts.join(per_rep, on="rep_id", how="left")
    if pool is not None:
        amounts = amounts.join(
            pool.select("rep_id", pl.col("share").alias("team_pool")), on="rep_id", how="left"
        )
    amounts = amounts.with_columns(
        pl.col(c).fill_null(0).cast(CENTS)
        if c in amounts.columns
        else pl.lit(0).cast(CENTS).alias(c)
        for c in PAY_COLUMNS[:3]
    ).with_columns(
        (pl.col("bonus") + pl.col("commission") + pl.col("team_pool"))
        .cast(CENTS)
        .alias("total_pay")
    )
    detail = PayDetail(bonus, commission, pool)
    return reps.join(amounts, on="rep_id", how="left"), detail, warnings


def _bonus(
    rule: Bonus, due: pl.DataFrame, kpis: pl.DataFrame
) -> tuple[pl.DataFrame, list[RunWarning]]:
    """base × the curve's multiplier at the rep's final score (or a KPI's achievement)."""
    if rule.on == "final_score":
        basis = due.select("rep_id", pl.col("final_score").alias("basis"))
    else:
        basis = kpis.filter(pl.col("kpi") == rule.on).select(
            "rep_id", pl.col("achievement").alias("basis")
        )
        basis = due.select("rep_id").join(basis, on="rep_id", how="left")
    if isinstance(rule.base, str):
        base = due.select("rep_id", exact(pl.col(rule.base)).alias("base"))
    else:
        base = due.select("rep_id", pl.lit(str(rule.base)).cast(EXACT).alias("base"))
    points = pl.DataFrame(
        {"px": [float(x) for x, _ in rule.points], "py": [float(y) for _, y in rule.points]}
    ).sort("px")
    known = basis.filter(pl.col("basis").is_not_null()).sort("basis")
    lower = known.join_asof(
        points.rename({"px": "lower_x", "py": "lower_y"}),
        left_on="basis",
        right_on="lower_x",
        strategy="backward",
    )
    around = lower.join_asof(
        points.rename({"px": "upper_x", "py": "upper_y"}),
        left_on="basis",
        right_on="upper_x",
        strategy="forward",
    )
    if rule.mode == "step":
        raw = pl.col("lower_y").fill_null(0.0)
    else:
        slope = (pl.col("upper_y") - pl.col("lower_y")) / (pl.col("upper_x") - pl.col("lower_x"))
        raw = (
            pl.when(pl.col("lower_x").is_null())
            .then(0.0)  # below the first point
            .when(pl.col("upper_x").is_null() | (pl.col("upper_x") == pl.col("lower_x")))
            .then(pl.col("lower_y"))  # on a point, or beyond the last
            .otherwise(pl.col("lower_y") + (pl.col("basis") - pl.col("lower_x")) * slope)
        )
    cap = rule.cap if rule.cap is not None else float("inf")
    curve = around.with_columns(raw.fill_null(0.0).alias("uncapped")).with_columns(
        pl.min_horizontal("uncapped", pl.lit(cap)).alias("multiplier"),
        (pl.col("uncapped") > cap).alias("capped"),
    )
    result = (
        due.select("rep_id")
        .join(basis, on="rep_id", how="left")
        .join(curve.drop("basis"), on="rep_id", how="left")
        .join(base, on="rep_id", how="left")
        .with_columns(pl.col("multiplier").fill_null(0.0), pl.col("capped").fill_null(False))
        .with_columns((pl.col("base") * exact(pl.col("multiplier"))).alias("exact"))
        .with_columns(cents(pl.col("exact")).fill_null(0).cast(CENTS).alias("bonus"))
    )
    warnings = [
        RunWarning.of("no_bonus_basis", rep_id, on=rule.on)
        for rep_id in result.filter(pl.col("basis").is_null())["rep_id"]
    ]
    missing = result.filter(pl.col("base").is_null())["rep_id"]
    if missing.len() and missing.len() == result.height:
        warnings.append(RunWarning.of("no_bonus_base_anyone", base=str(rule.base)))
    else:
        warnings += [
            RunWarning.of("no_bonus_base", rep_id, base=str(rule.base)) for rep_id in missing
        ]
    columns = ("rep_id", "base", "basis", "lower_x", "lower_y", "upper_x", "upper_y")
    return result.select(*columns, "uncapped", "multiplier", "capped", "exact", "bonus"), warnings


def _commission(
    rule: Commission, due: pl.DataFrame, kpis: pl.DataFrame
) -> tuple[pl.DataFrame, list[RunWarning]]:
    """Each tier pays its rate on the slice of the actual between its start and the next tier's
    start × target (marginal), or the highest tier reached pays its rate on the whole actual."""
    starts = [t.start for t in rule.tiers]
    tiers = pl.DataFrame(
        {
            "tier": list(range(1, len(starts) + 1)),
            "start": starts,
            "end": [*starts[1:], None],
            "rate": [str(t.rate) for t in rule.tiers],
        },
        schema={"tier": pl.Int64, "start": pl.Float64, "end": pl.Float64, "rate": pl.String},
    ).with_columns(pl.col("rate").cast(EXACT))
    figures = due.select("rep_id").join(
        kpis.filter(pl.col("kpi") == rule.kpi).select("rep_id", "actual", "target"),
        on="rep_id",
        how="left",
    )
    no_target = pl.col("actual").is_not_null() & ~(pl.col("target") > 0).fill_null(False)
    warnings = [
        RunWarning.of("no_commission", rep_id, rule.kpi, reason="na")
        for rep_id in figures.filter(pl.col("actual").is_null())["rep_id"]
    ] + [
        RunWarning.of("no_commission", rep_id, rule.kpi, reason="no_target")
        for rep_id in figures.filter(no_target)["rep_id"]
    ]
    usable = pl.col("actual").is_not_null() & (pl.col("target") > 0)
    rows = (
        figures.join(tiers, how="cross")
        .with_columns(
            exact(pl.col("actual")).alias("actual_x"),
            exact(pl.col("target")).alias("target_x"),
        )
        .with_columns(
            (exact(pl.col("start")) * pl.col("target_x")).alias("lower"),
            (exact(pl.col("end")) * pl.col("target_x")).alias("upper"),
        )
        .with_columns(
            (usable & (pl.col("actual_x") >= pl.col("lower"))).fill_null(False).alias("reached"),
        )
    )
    if rule.mode == "marginal":
        above = pl.max_horizontal(pl.col("actual_x") - pl.col("lower"), pl.lit(0).cast(EXACT))
        width = pl.col("upper") - pl.col("lower")
        slice_ = (
            pl.when(pl.col("upper").is_null())
            .then(above)
            .otherwise(pl.min_horizontal(above, width))
        )
    else:
        top = pl.col("tier").filter(pl.col("reached")).max().over("rep_id")
        slice_ = (
            pl.when(pl.col("tier") == top).then(pl.col("actual_x")).otherwise(pl.lit(0).cast(EXACT))
        )
    slice_ = (
        pl.when(usable & (pl.col("actual_x") > 0)).then(slice_).otherwise(pl.lit(0).cast(EXACT))
    )
    columns = ("rep_id", "tier", "start", "end", "lower", "upper", "actual", "target", "rate")
    paid = (
        rows.with_columns(slice_.alias("slice"))
        .with_columns((pl.col("slice") * pl.col("rate")).alias("exact"))
        .with_columns(cents(pl.col("exact")).alias("amount"))
        .select(*columns, "reached", "slice", "exact", "amount")
        .sort("rep_id", "tier")
    )
    return paid, warnings


def _team_pool(
    scheme: Scheme, rule: TeamPool, due: pl.DataFrame, kpis: pl.DataFrame
) -> tuple[pl.DataFrame, list[RunWarning]]:
    """The pool goes to each team whose achievement on the team KPI reaches the threshold, split
    equally, by final score or by sales; the rounding cent goes to the largest share."""
    team_kpi = scheme.kpi(rule.kpi)
    achievement = kpis.filter(pl.col("kpi") == rule.kpi).select("rep_id", "achievement")
    if rule.split == "by_score":
        basis = pl.col("final_score").fill_null(0.0)
    elif rule.split == "by_sales":
        sales = kpis.filter(pl.col("kpi") == (team_kpi.of or "")).select(
            "rep_id", pl.col("actual").alias("_sales")
        )
        due = due.join(sales, on="rep_id", how="left")
        basis = pl.col("_sales").fill_null(0.0)
    else:
        basis = pl.lit(1.0)
    members = (
        due.filter(pl.col("team") != "")
        .join(achievement, on="rep_id", how="left")
        .with_columns(
            exact(basis.clip(lower_bound=0.0)).alias("basis"),
            (pl.col("achievement") >= rule.threshold).fill_null(False).alias("reached"),
        )
        .with_columns(pl.col("basis").sum().over("team").alias("team_basis"))
    )
    unsplittable = members.filter(pl.col("reached") & (pl.col("team_basis") == 0))
    warnings = [
        RunWarning.of("pool_split_equal", team=str(team), split=rule.split)
        for team in unsplittable["team"].unique().sort()
    ]
    pool = pl.lit(str(rule.amount)).cast(EXACT)
    equal = pl.lit(1).cast(EXACT) / pl.len().over("team").cast(EXACT)
    weight = (
        pl.when(pl.col("team_basis") > 0)
        .then(pl.col("basis") / pl.col("team_basis"))
        .otherwise(equal)
    )
    shares = (
        members.with_columns(
            pl.when(pl.col("reached")).then(pool * weight).alias("exact"),
            pl.len().over("team").alias("members"),
        )
        .with_columns(
            cents(pl.col("exact")).fill_null(0).cast(CENTS).alias("rounded"),
        )
        .with_columns(pl.col("rounded").alias("share"))
        .sort("team", "share", "rep_id", descending=[False, True, False])
        .with_columns(
            pl.when(pl.col("reached") & (pl.int_range(pl.len()).over("team") == 0))
            .then(pl.col("share") + (cents(pool) - pl.col("share").sum().over("team")))
            .otherwise(pl.col("share"))
            .cast(CENTS)
            .alias("share")
        )
    )
    split = shares.select(
        "rep_id",
        "team",
        "achievement",
        pl.lit(rule.threshold).alias("threshold"),
        "reached",
        pl.lit(rule.split).alias("split"),
        "basis",
        "team_basis",
        "members",
        cents(pool).alias("pool"),
        "exact",
        "rounded",
        "share",
    ).sort("rep_id")
    return split, warnings
