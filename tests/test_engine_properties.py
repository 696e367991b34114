"""Invariants of the engine on random data (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from engine_fixtures import frame, reps, sales, scheme, targets
from hypothesis import given, settings
from hypothesis import strategies as st

from spmcli.engine.evaluate import evaluate

REPS = ["A", "B", "C", "D", "E"]
Q3_START = date(2025, 7, 1)

line = st.tuples(
    st.integers(min_value=-120, max_value=91).map(lambda d: Q3_START + timedelta(days=d)),
    st.sampled_from([*REPS, "X"]),
    st.sampled_from(["c1", "c2", "c3", "c4"]),
    st.decimals(min_value=-500, max_value=5000, places=2).map(str),
)
target = st.tuples(
    st.sampled_from(REPS),
    st.just("sales"),
    st.floats(min_value=0, max_value=9000, allow_nan=False),
    st.just("2025-Q3"),
)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(line, min_size=1, max_size=40),
    goals=st.lists(target, max_size=5, unique_by=lambda t: t[0]),
    teams=st.lists(st.sampled_from(["T1", "T2", ""]), min_size=5, max_size=5),
    visits=st.lists(st.sampled_from(REPS), max_size=30),
    penalty=st.floats(min_value=0, max_value=30),
)
def test_invariants(
    lines: list[tuple[date, str, str, str]],
    goals: list[tuple[str, str, float, str]],
    teams: list[str],
    visits: list[str],
    penalty: float,
) -> None:
    data = {
        "reps": reps(*[(r, t, "farmer") for r, t in zip(REPS, teams, strict=True)]),
        "sales": sales(*lines),
        "targets": targets(*goals),
        "visits": frame(
            [{"date": Q3_START, "rep_id": r, "customer_id": "c1"} for r in visits],
            {"date": pl.Date, "rep_id": pl.String, "customer_id": pl.String},
        ),
        "adjustments": frame(
            [{"rep_id": "A", "points": penalty}], {"rep_id": pl.String, "points": pl.Float64}
        ),
    }
    ev = evaluate(scheme(), data, "2025-Q3")

    # Scores stay within bounds: linear within [0, 100·cap], bands within their scores.
    caps = {"sales": 120.0, "visits": 120.0, "sat": 100.0, "team_sales": 120.0}
    for kpi, score in ev.kpis.select("kpi", "score").drop_nulls().iter_rows():
        assert 0.0 <= score <= caps[kpi] + 1e-9

    # Counted weights renormalise to 100 for every rep with a composite.
    weights = ev.kpis.group_by("rep_id").agg(pl.col("effective_weight").sum())
    for rep_id, total in weights.iter_rows():
        has_composite = ev.reps.filter(pl.col("rep_id") == rep_id)["composite"].item() is not None
        assert abs(total - (100.0 if has_composite else 0.0)) < 1e-9

    # Final = composite − penalty, never below 0, never above the composite.
    for composite, pen, final in ev.reps.select("composite", "penalty", "final_score").iter_rows():
        if composite is not None:
            assert final == max(composite - pen, 0.0)

    # Reconciliation: sales in period = credited + unassigned, exactly.
    in_period = sum(Decimal(a) for d, _, _, a in lines if Q3_START <= d <= date(2025, 9, 30))
    rec = ev.reconciliation
    assert rec.sales_in_period == in_period
    assert rec.credited + rec.unassigned == rec.sales_in_period

    # Ranks: 1 + the number of reps with a strictly higher final score as written (2 decimals,
    # half away from zero), so reps shown with the same score share a rank.
    def written(score: float) -> Decimal:
        return Decimal(repr(score)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    finals = [
        (r, None if f is None else written(f), rank, team, team_rank)
        for r, f, rank, team, team_rank in ev.reps.select(
            "rep_id", "final_score", "rank", "team", "team_rank"
        ).rows()
    ]
    for _, final, rank, team, team_rank in finals:
        if final is None:
            assert rank is None
            continue
        assert rank == 1 + sum(1 for _, f, *_ in finals if f is not None and f > final)
        assert team_rank == 1 + sum(
            1 for _, f, _, t, _ in finals if t == team and f is not None and f > final
        )
