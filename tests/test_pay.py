"""Pay (SPEC §4): bonus curves, tiered commission and team pools, figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spmcli.engine.pay import compute_pay
from spmcli.engine.result import RunWarning
from spmcli.report.wording import word
from spmcli.scheme.model import Scheme

TIERS = [
    {"from": 0, "rate": 0.0},
    {"from": 0.8, "rate": 0.02},
    {"from": 1.0, "rate": 0.03},
    {"from": 1.2, "rate": 0.05},
]
CURVE = [[0, 0], [60, 0.5], [100, 1.0], [120, 1.5]]


def pay_scheme(**pay: Any) -> Scheme:
    return Scheme.model_validate(
        {
            "kpis": [
                {"id": "sales", "value": "SUM(amount)", "target": "targets"},
                {"id": "team_sales", "scope": "team", "of": "sales"},
            ],
            "roles": {"r": {"weights": {"sales": 1}}},
            "default_role": "r",
            "pay": pay,
        }
    )


def reps_frame(*rows: tuple[str, str, float | None, str | None]) -> pl.DataFrame:
    """rep_id, team, final score, target bonus."""
    return pl.DataFrame(
        [
            {"rep_id": r, "team": t, "due": True, "final_score": f, "target_bonus": b}
            for r, t, f, b in rows
        ],
        schema={
            "rep_id": pl.String,
            "team": pl.String,
            "due": pl.Boolean,
            "final_score": pl.Float64,
            "target_bonus": pl.String,
        },
    ).with_columns(pl.col("target_bonus").cast(pl.Decimal(38, 6)))


def kpi_frame(*rows: tuple[str, str, float | None, float | None]) -> pl.DataFrame:
    """rep_id, kpi, actual, target; achievement derived."""
    frame = pl.DataFrame(
        [{"rep_id": r, "kpi": k, "actual": a, "target": t} for r, k, a, t in rows],
        schema={"rep_id": pl.String, "kpi": pl.String, "actual": pl.Float64, "target": pl.Float64},
    )
    return frame.with_columns(
        pl.when(pl.col("target") > 0).then(pl.col("actual") / pl.col("target")).alias("achievement")
    )


def paid(
    scheme: Scheme, reps: pl.DataFrame, kpis: pl.DataFrame
) -> tuple[dict[str, dict[str, Any]], list[RunWarning]]:
    out, _, warnings = compute_pay(scheme, reps, kpis)
    return {r["rep_id"]: r for r in out.iter_rows(named=True)}, warnings


# --- commission -----------------------------------------------------------------------------


# A published-style example: quota 100,000; 0 % / 2 % from 80 % / 3 % from 100 % / 5 % from 120 %.
#   85 %:  marginal  5,000 × 2 % = 100;                       whole  85,000 × 2 % = 1,700
#  100 %:  marginal 20,000 × 2 % = 400;                       whole 100,000 × 3 % = 3,000
#  130 %:  marginal 400 + 20,000 × 3 % + 10,000 × 5 % = 1,500; whole 130,000 × 5 % = 6,500
@pytest.mark.parametrize(
    ("actual", "marginal", "whole"),
    [
        (85_000.0, "100.00", "1700.00"),
        (100_000.0, "400.00", "3000.00"),
        (130_000.0, "1500.00", "6500.00"),
        (80_000.0, "0.00", "1600.00"),  # exactly on a tier start: that tier applies
        (79_999.99, "0.00", "0.00"),
        (0.0, "0.00", "0.00"),
        (-5_000.0, "0.00", "0.00"),  # net returns earn nothing
        (100_000.01, "400.00", "3000.00"),  # 0.01 × 3 % rounds to 0.00
    ],
)
def test_commission_marginal_and_whole(actual: float, marginal: str, whole: str) -> None:
    reps = reps_frame(("A", "T", 80.0, "0"))
    kpis = kpi_frame(("A", "sales", actual, 100_000.0))
    for mode, expected in (("marginal", marginal), ("whole", whole)):
        rows, _ = paid(
            pay_scheme(commission={"kpi": "sales", "mode": mode, "tiers": TIERS}), reps, kpis
        )
        assert rows["A"]["commission"] == Decimal(expected), mode
        assert rows["A"]["total_pay"] == Decimal(expected)


def test_commission_tier_breakdown_adds_up() -> None:
    reps = reps_frame(("A", "T", 80.0, "0"))
    kpis = kpi_frame(("A", "sales", 130_000.0, 100_000.0))
    _, detail, _ = compute_pay(pay_scheme(commission={"kpi": "sales", "tiers": TIERS}), reps, kpis)
    assert detail is not None and detail.commission is not None
    rows = detail.commission.select("tier", "lower", "upper", "slice", "rate", "amount").rows()
    assert [
        (t, float(lo), None if up is None else float(up), float(s), float(r), float(a))
        for t, lo, up, s, r, a in rows
    ] == [
        (1, 0.0, 80_000.0, 80_000.0, 0.0, 0.0),
        (2, 80_000.0, 100_000.0, 20_000.0, 0.02, 400.0),
        (3, 100_000.0, 120_000.0, 20_000.0, 0.03, 600.0),
        (4, 120_000.0, None, 10_000.0, 0.05, 500.0),
    ]


def test_commission_without_target_or_actual_warns() -> None:
    reps = reps_frame(("A", "T", 80.0, "0"), ("B", "T", 80.0, "0"))
    kpis = kpi_frame(("A", "sales", 50_000.0, None), ("B", "sales", None, 100.0))
    rows, warnings = paid(pay_scheme(commission={"kpi": "sales", "tiers": TIERS}), reps, kpis)
    assert rows["A"]["commission"] == rows["B"]["commission"] == Decimal("0.00")
    assert [w.rep_id for w in warnings if w.code == "no_commission"] == ["B", "A"]


increasing_tiers = st.lists(
    st.tuples(st.floats(0.05, 2.0), st.floats(0.0, 0.1)),
    min_size=1,
    max_size=5,
    unique_by=lambda t: round(t[0], 3),
).map(lambda ts: sorted(ts))


@settings(max_examples=80, deadline=None)
@given(tiers=increasing_tiers, actual=st.floats(0, 500_000), target=st.floats(1_000, 200_000))
def test_marginal_never_exceeds_whole_and_is_continuous(
    tiers: list[tuple[float, float]], actual: float, target: float
) -> None:
    """With rates rising tier by tier, marginal ≤ whole; and a cent more sales never moves
    marginal commission by more than a cent × the top rate (plus rounding)."""
    rates = sorted(rate for _, rate in tiers)
    spec = [{"from": 0, "rate": 0.0}] + [
        {"from": s, "rate": r} for (s, _), r in zip(tiers, rates, strict=True)
    ]
    reps = reps_frame(("A", "T", 80.0, "0"))

    def commission(mode: str, value: float) -> Decimal:
        rows, _ = paid(
            pay_scheme(commission={"kpi": "sales", "mode": mode, "tiers": spec}),
            reps,
            kpi_frame(("A", "sales", round(value, 2), round(target, 2))),
        )
        result: Decimal = rows["A"]["commission"]
        return result

    assert commission("marginal", actual) <= commission("whole", actual)
    step = abs(commission("marginal", actual + 1.0) - commission("marginal", actual))
    assert step <= Decimal("0.01") * len(spec) + Decimal(str(max(rates)))


# --- bonus ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("final", "mode", "cap", "bonus"),
    [
        (80.0, "linear", 1.5, "15000.00"),  # 0.5 + 20 × 0.5 / 40 = 0.75
        (59.9, "linear", 1.5, "9983.33"),  # 59.9 × 0.5 / 60 = 0.4991666…
        (100.0, "linear", 1.5, "20000.00"),
        (130.0, "linear", 1.5, "30000.00"),  # beyond the last point: its value
        (110.0, "linear", 1.2, "24000.00"),  # 1.25 capped at 1.2
        (80.0, "step", 1.5, "10000.00"),  # the last point ≤ 80 is (60, 0.5)
        (59.0, "step", 1.5, "0.00"),
        (None, "linear", 1.5, "0.00"),  # nothing scored: no basis
    ],
)
def test_bonus_curve(final: float | None, mode: str, cap: float, bonus: str) -> None:
    scheme = pay_scheme(bonus={"base": "target_bonus", "points": CURVE, "mode": mode, "cap": cap})
    rows, _ = paid(
        scheme, reps_frame(("A", "T", final, "20000")), kpi_frame(("A", "sales", 1.0, 1.0))
    )
    assert rows["A"]["bonus"] == Decimal(bonus)


def test_bonus_below_first_point_and_on_a_kpi_achievement() -> None:
    scheme = pay_scheme(bonus={"base": 1000, "on": "sales", "points": [[0.8, 0.5], [1.0, 1.0]]})
    reps = reps_frame(("A", "T", 50.0, None), ("B", "T", 50.0, None), ("C", "T", 50.0, None))
    kpis = kpi_frame(
        ("A", "sales", 70.0, 100.0), ("B", "sales", 90.0, 100.0), ("C", "sales", 1.0, None)
    )
    rows, warnings = paid(scheme, reps, kpis)
    assert [rows[r]["bonus"] for r in "ABC"] == [
        Decimal("0.00"),
        Decimal("750.00"),
        Decimal("0.00"),
    ]
    assert any(w.code == "no_bonus_basis" and w.rep_id == "C" for w in warnings)


# --- team pool ------------------------------------------------------------------------------


def pool_kpis(achievement_t1: float, achievement_t2: float) -> pl.DataFrame:
    rows = [
        ("A", 1.0, achievement_t1),
        ("B", 1.0, achievement_t1),
        ("C", 1.0, achievement_t1),
        ("D", 1.0, achievement_t2),
    ]
    sales = [
        ("A", "sales", 300.0, 1.0),
        ("B", "sales", 100.0, 1.0),
        ("C", "sales", -50.0, 1.0),
        ("D", "sales", 10.0, 1.0),
    ]
    return pl.concat(
        [
            kpi_frame(*[(r, "team_sales", a * t, t) for r, t, a in rows]),
            kpi_frame(*sales),
        ]
    )


POOL_REPS = (
    ("A", "T1", 90.0, None),
    ("B", "T1", 80.0, None),
    ("C", "T1", 70.0, None),
    ("D", "T2", 99.0, None),
)


@pytest.mark.parametrize(
    ("split", "shares"),
    [
        ("by_score", ["37500.00", "33333.33", "29166.67"]),  # 90, 80, 70 of 240
        (
            "equal",
            ["33333.34", "33333.33", "33333.33"],
        ),  # the rounding cent on the largest share (A)
        ("by_sales", ["75000.00", "25000.00", "0.00"]),  # 300 and 100; net returns count as 0
    ],
)
def test_team_pool_splits_add_up_to_the_pool(split: str, shares: list[str]) -> None:
    scheme = pay_scheme(
        team_pool={"amount": 100000, "kpi": "team_sales", "threshold": 1.0, "split": split}
    )
    rows, _ = paid(scheme, reps_frame(*POOL_REPS), pool_kpis(1.0, 0.99))
    assert [rows[r]["team_pool"] for r in "ABC"] == [Decimal(s) for s in shares]
    assert sum(rows[r]["team_pool"] for r in "ABC") == Decimal("100000.00")
    assert rows["D"]["team_pool"] == Decimal("0.00")  # T2 at 99 % misses the threshold


def test_pay_total_is_the_sum_of_its_parts() -> None:
    scheme = pay_scheme(
        bonus={"base": "target_bonus", "points": CURVE},
        commission={"kpi": "sales", "tiers": TIERS},
        team_pool={"amount": 1000, "kpi": "team_sales"},
    )
    reps = reps_frame(("A", "T1", 80.0, "20000"), ("B", "T1", 80.0, "10000"))
    kpis = pl.concat(
        [
            kpi_frame(("A", "sales", 130_000.0, 100_000.0), ("B", "sales", 85_000.0, 100_000.0)),
            kpi_frame(
                ("A", "team_sales", 215_000.0, 200_000.0), ("B", "team_sales", 215_000.0, 200_000.0)
            ),
        ]
    )
    rows, _ = paid(scheme, reps, kpis)
    assert [rows["A"][c] for c in ("bonus", "commission", "team_pool", "total_pay")] == [
        Decimal("15000.00"),
        Decimal("1500.00"),
        Decimal("500.00"),
        Decimal("17000.00"),
    ]
    assert rows["B"]["total_pay"] == Decimal("7500.00") + Decimal("100.00") + Decimal("500.00")


def test_bonus_base_from_any_reps_column_or_missing_for_everyone() -> None:
    scheme = pay_scheme(bonus={"base": "bonus_cny", "points": CURVE})
    reps = reps_frame(("A", "T", 100.0, None)).with_columns(pl.lit(1234.5).alias("bonus_cny"))
    rows, _ = paid(scheme, reps, kpi_frame(("A", "sales", 1.0, 1.0)))
    assert rows["A"]["bonus"] == Decimal("1234.50")
    scheme = pay_scheme(bonus={"base": "target_bonus", "points": CURVE})
    rows, warnings = paid(
        scheme,
        reps_frame(("A", "T", 100.0, None), ("B", "T", 90.0, None)),
        kpi_frame(("A", "sales", 1.0, 1.0)),
    )
    assert rows["A"]["bonus"] == rows["B"]["bonus"] == Decimal("0.00")
    assert [word(w, "en") for w in warnings] == [
        "no rep has a bonus base (target_bonus); bonus 0 for everyone"
    ]
