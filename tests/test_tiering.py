"""Customer tiering (SPEC §5) on cases small enough to work out by hand, and its invariants.

Every case is tiered for 2025-Q3 (the window) against 2025-Q2 (the window before) unless
it says otherwise. ``value`` is revenue unless a test tiers by gross margin.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from engine_fixtures import MONEY, frame, reps, sales, scheme
from hypothesis import given, settings
from hypothesis import strategies as st

from spmcli.engine.evaluate import evaluate
from spmcli.engine.tiering import Tiers, tier_customers
from spmcli.engine.tiering.pareto import tier_by_value
from spmcli.engine.tiering.population import spans
from spmcli.errors import DataError, SchemeError
from spmcli.report.wording import word
from spmcli.scheme import check_columns, load_scheme
from spmcli.scheme.model import Tiering
from spmcli.scheme.periods import parse_period

JULY, AUGUST = date(2025, 7, 10), date(2025, 8, 10)  # the window, 2025-Q3
APRIL, MAY = date(2025, 4, 10), date(2025, 5, 10)  # the window before, 2025-Q2
OLD = date(2024, 1, 10)


def bought(*lines: tuple[str, str] | tuple[str, str, date] | tuple[str, str, date, str]) -> Any:
    """Sales lines (customer, amount[, date[, rep]]); in July by rep R1 unless given."""
    rows = []
    for line in lines:
        customer, amount = line[0], line[1]
        day = line[2] if len(line) > 2 else JULY  # type: ignore[misc]
        rep = line[3] if len(line) > 3 else "R1"  # type: ignore[misc]
        rows.append((day, rep, customer, amount))
    return sales(*rows)


def customers(*rows: tuple[str, str | None, float | None]) -> pl.DataFrame:
    """The customers table: (customer_id, assigned rep, potential)."""
    return frame(
        [
            {"customer_id": c, "name": f"Customer {c}", "rep_id": r, "potential": p}
            for c, r, p in rows
        ],
        {"customer_id": pl.String, "name": pl.String, "rep_id": pl.String, "potential": pl.Float64},
    )


def visits(*rows: tuple[date, str, str]) -> pl.DataFrame:
    return frame(
        [{"date": d, "rep_id": r, "customer_id": c} for d, r, c in rows],
        {"date": pl.Date, "rep_id": pl.String, "customer_id": pl.String},
    )


def run(tables: dict[str, pl.DataFrame], **settings_: Any) -> Tiers:
    return tier_customers(scheme(), tables, "2025-Q3", Tiering(**settings_))


def column(t: Tiers, name: str) -> dict[str, Any]:
    return dict(t.customers.select("customer_id", name).iter_rows())


def tiers(t: Tiers) -> dict[str, str]:
    return column(t, "tier")


# --- ABC by value -----------------------------------------------------------------------------


def test_the_boundary_customer_at_exactly_80_percent_is_a() -> None:
    # 81.68 + 46.52 = 128.20 = 80 % of 160.25 exactly; binary floats make it 80.00000000000002 %.
    t = run({"sales": bought(("c1", "81.68"), ("c2", "46.52"), ("c3", "32.05"))})
    assert t.customers["customer_id"].to_list() == ["c1", "c2", "c3"]
    assert tiers(t) == {"c1": "A", "c2": "A", "c3": "C"}  # 100 % > 95 %: C
    assert column(t, "rank") == {"c1": 1, "c2": 2, "c3": 3}
    assert column(t, "cum_share")["c2"] == pytest.approx(0.8)


def test_a_b_c_and_the_second_boundary() -> None:
    t = run({"sales": bought(("a", "50"), ("b", "30"), ("c", "15"), ("d", "4"), ("e", "1"))})
    # cumulative shares 50, 80, 95, 99, 100 %
    assert tiers(t) == {"a": "A", "b": "A", "c": "B", "d": "C", "e": "C"}
    assert column(t, "share") == {"a": 0.5, "b": 0.3, "c": 0.15, "d": 0.04, "e": 0.01}
    summary = {r["tier"]: r for r in t.summary.iter_rows(named=True)}
    assert {k: (v["customers"], v["value"]) for k, v in summary.items()} == {
        "A": (2, Decimal("80")),
        "B": (1, Decimal("15")),
        "C": (2, Decimal("5")),
    }
    assert summary["A"]["share"] == pytest.approx(0.8)


def test_ties_in_value_are_ordered_by_customer_id() -> None:
    # c9 has 40; c5, c2 and c7 have 20 each: order c9, c2, c5, c7 → 40, 60, 80, 100 %.
    t = run({"sales": bought(("c7", "20"), ("c9", "40"), ("c5", "20"), ("c2", "20"))})
    assert t.customers["customer_id"].to_list() == ["c9", "c2", "c5", "c7"]
    assert tiers(t) == {"c9": "A", "c2": "A", "c5": "A", "c7": "C"}


def test_zero_and_negative_values_are_c_and_out_of_the_shares() -> None:
    t = run(
        {
            "sales": bought(("a", "60"), ("b", "40"), ("ret", "-30"), ("ret", "10")),
            "customers": customers(("a", "R1", None), ("b", "R1", None), ("idle", "R1", None)),
        }
    )
    # total positive value 100: a 60 % A; b reaches 100 % > 95 %: C; idle 0 and ret −20: C
    assert tiers(t) == {"a": "A", "b": "C", "idle": "C", "ret": "C"}
    assert t.customers["customer_id"].to_list() == ["a", "b", "idle", "ret"]
    assert column(t, "value")["ret"] == Decimal("-20")
    assert column(t, "share") == {"a": 0.6, "b": 0.4, "idle": 0.0, "ret": -0.2}
    assert column(t, "cum_share") == {"a": 0.6, "b": 1.0, "idle": None, "ret": None}


def test_a_single_customer_is_a() -> None:
    t = run({"sales": bought(("only", "123.45"))})
    assert tiers(t) == {"only": "A"}  # the largest customer is A even above 80 % alone
    assert column(t, "share") == {"only": 1.0}


def test_a_customer_alone_above_the_first_threshold_is_still_a() -> None:
    t = run({"sales": bought(("big", "90"), ("x", "5"), ("y", "5"))})
    assert tiers(t) == {"big": "A", "x": "B", "y": "C"}  # 90 % (A), 95 % (B), 100 %


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (5, "AAAAC"),  # 20 40 60 80 | 100
        (10, "AAAAAAAABC"),  # ... 80 | 90 | 100
        (20, "A" * 16 + "BBB" + "C"),  # 5 % steps: A to 80, B to 95, C at 100
    ],
)
def test_all_equal_values(n: int, expected: str) -> None:
    t = run({"sales": bought(*((f"c{i:02d}", "7.77") for i in range(n)))})
    assert "".join(t.customers["tier"]) == expected


def test_no_positive_value_at_all_makes_everyone_c_with_a_warning() -> None:
    t = run({"sales": bought(("a", "-5"), ("b", "0"))})
    assert tiers(t) == {"a": "C", "b": "C"}
    assert column(t, "share") == {"a": None, "b": None}
    assert [w.code for w in t.warnings] == ["no_value"]


def test_other_thresholds_and_the_population() -> None:
    t = run(
        {
            "sales": bought(
                ("a", "70"), ("b", "20"), ("c", "10"), ("gone", "5", OLD), ("q2", "8", APRIL)
            ),
            "customers": customers(("prospect", "R2", None)),
        },
        thresholds=(0.7, 0.9),
    )
    # 'gone' bought only in 2024 and is not in customers: not part of the book
    assert set(tiers(t)) == {"a", "b", "c", "q2", "prospect"}
    assert tiers(t) == {"a": "A", "b": "B", "c": "C", "q2": "C", "prospect": "C"}
    assert [w.code for w in t.warnings] == ["customer_not_listed"]
    assert "4 customer(s) with sales in the windows are not in the customers table" in (
        word(t.warnings[0], "en")
    )


def test_tiering_per_team() -> None:
    t = run(
        {
            "reps": reps(("R1", "East", "farmer"), ("R2", "West", "farmer")),
            "sales": bought(
                ("e1", "90", JULY, "R1"),
                ("e2", "10", JULY, "R1"),
                ("w1", "50", JULY, "R2"),
                ("w2", "50", JULY, "R2"),
            ),
        },
        per="team",
    )
    assert column(t, "group") == {"e1": "East", "e2": "East", "w1": "West", "w2": "West"}
    assert tiers(t) == {"e1": "A", "e2": "C", "w1": "A", "w2": "C"}
    assert column(t, "rank") == {"e1": 1, "e2": 2, "w1": 1, "w2": 2}
    assert t.groups is not None
    assert t.groups.filter(pl.col("tier") == "A")["customers"].to_list() == [1, 1]


def test_gross_margin_is_amount_minus_cost() -> None:
    lines = bought(("a", "100"), ("b", "100"), ("c", "100")).with_columns(
        pl.Series("cost", [Decimal("90"), Decimal("20"), None], dtype=MONEY)
    )
    t = run({"sales": lines}, by="gross_margin")
    assert column(t, "value") == {"b": Decimal("80"), "a": Decimal("10"), "c": Decimal("0")}
    assert column(t, "revenue") == {"b": Decimal("100"), "a": Decimal("100"), "c": Decimal("100")}
    assert [w.code for w in t.warnings] == ["no_cost"]
    with pytest.raises(DataError, match="has no 'cost' column"):
        run({"sales": bought(("a", "1"))}, by="gross_margin")


def test_windows() -> None:
    q3 = parse_period("2025-Q3")
    now, before = spans(q3, "period")
    assert (now.label, now.start, now.end, now.months) == ("2025-Q3", q3.start, q3.end, 3)
    assert (before.label, before.start, before.end) == (
        "2025-Q2",
        date(2025, 4, 1),
        date(2025, 6, 30),
    )
    now, before = spans(q3, "12m")
    assert (now.label, now.start, now.end, now.months) == (
        "2024-10..2025-09",
        date(2024, 10, 1),
        date(2025, 9, 30),
        12,
    )
    assert (before.start, before.end) == (date(2023, 10, 1), date(2024, 9, 30))
    now, before = spans(parse_period("2025-01"), "period")
    assert (now.label, before.label, before.start) == ("2025-01", "2024-12", date(2024, 12, 1))


def test_the_12_month_window_counts_the_year() -> None:
    data = {"sales": bought(("a", "10"), ("a", "30", date(2024, 11, 1)), ("b", "35"))}
    assert tiers(run(data, window="12m")) == {"a": "A", "b": "C"}  # 40 vs 35
    assert tiers(run(data)) == {"b": "A", "a": "C"}  # the quarter alone: 35 vs 10


# --- potential --------------------------------------------------------------------------------


def test_potential_thirds_by_rank_and_the_matrix() -> None:
    data = {
        "sales": bought(("a", "50"), ("b", "30"), ("c", "10"), ("d", "5"), ("e", "4"), ("f", "1")),
        "customers": customers(
            ("a", "R1", 100.0),
            ("b", "R1", 900.0),
            ("c", "R1", 500.0),
            ("d", "R1", 500.0),
            ("e", "R1", 20.0),
            ("f", "R1", 10.0),
            ("g", "R1", None),
        ),
    }
    t = run(data)
    # potentials by rank: b 900 (1), c and d 500 (2), a 100 (4), e 20 (5), f 10 (6); n = 6:
    # high while 3(r − 1) < 6, medium while < 12
    assert column(t, "potential_tier") == {
        "b": "high", "c": "high", "d": "high", "a": "medium", "e": "low", "f": "low", "g": None,
    }  # fmt: skip
    # tiers: a 50 A, b 80 A, c 90 B, d 95 B, e 99 C, f C, g C
    assert column(t, "strategy") == {
        "a": "maintain", "b": "invest", "c": "develop", "d": "develop", "e": "reduce_effort",
        "f": "reduce_effort", "g": None,
    }  # fmt: skip
    assert t.matrix is not None
    cells = {(r["tier"], r["potential_tier"]): r for r in t.matrix.iter_rows(named=True)}
    assert len(cells) == 9
    assert (cells[("A", "high")]["customers"], cells[("A", "high")]["value"]) == (1, 30)
    assert (cells[("B", "high")]["customers"], cells[("B", "high")]["revenue"]) == (2, 15)
    assert cells[("C", "low")]["customers"] == 2
    assert cells[("C", "high")]["customers"] == 0  # g has no potential: outside the matrix
    assert cells[("B", "medium")]["strategy"] == "grow"


def test_potential_levels_from_the_scheme() -> None:
    data = {
        "sales": bought(("a", "1")),
        "customers": customers(("a", "R1", 300.0), ("b", "R1", 299.99), ("c", "R1", 1000.0)),
    }
    t = run(data, potential={"high": 1000, "medium": 300})
    assert column(t, "potential_tier") == {"a": "medium", "b": "low", "c": "high"}


def test_no_potential_column_no_matrix() -> None:
    t = run({"sales": bought(("a", "1"))})
    assert t.matrix is None
    assert column(t, "potential_tier") == {"a": None}


# --- customer types ---------------------------------------------------------------------------


def test_customer_types_against_the_quarter_before() -> None:
    data = {
        "sales": bought(
            ("new", "10"),
            ("up", "110.01"),
            ("up", "100", APRIL),
            ("edge_up", "110"),
            ("edge_up", "100", APRIL),
            ("edge_down", "90"),
            ("edge_down", "100", MAY),
            ("down", "89.99"),
            ("down", "100", APRIL),
            ("lost", "100", APRIL),
            ("back", "5"),
            ("back", "5", OLD),
            ("idle", "5", OLD),
            ("idle", "3", APRIL),
            ("idle", "-3", MAY),
        ),
        "customers": customers(("prospect", "R1", None)),
    }
    t = run(data)
    assert column(t, "type") == {
        "new": "new", "up": "growing", "edge_up": "stable", "edge_down": "stable",
        "down": "declining", "lost": "lost", "back": "growing", "idle": "inactive",
        "prospect": "inactive",
    }  # fmt: skip
    assert column(t, "change")["edge_down"] == pytest.approx(-0.1)
    assert column(t, "change")["back"] is None
    counts = {
        r["type"]: (r["customers"], r["revenue"], r["revenue_before"])
        for r in t.types.iter_rows(named=True)
    }
    assert counts["stable"] == (2, Decimal("200"), Decimal("200"))
    assert counts["lost"] == (1, Decimal("0"), Decimal("100"))
    assert list(counts) == ["new", "growing", "stable", "declining", "lost", "inactive"]


def test_type_thresholds_are_configurable() -> None:
    data = {"sales": bought(("a", "120"), ("a", "100", APRIL), ("b", "70"), ("b", "100", APRIL))}
    assert column(run(data), "type") == {"a": "growing", "b": "declining"}
    wide = run(data, types={"growing": 0.25, "declining": -0.3})
    assert column(wide, "type") == {"a": "stable", "b": "stable"}


# --- migration --------------------------------------------------------------------------------


def test_tier_migration_matrix_and_movers() -> None:
    data = {
        "sales": bought(
            ("a", "80"),
            ("b", "15"),
            ("c", "5"),  # now: a A, b B, c C
            ("a", "5", APRIL),
            ("b", "15", APRIL),
            ("c", "80", APRIL),  # before: c A, b B, a C
        )
    }
    t = run(data)
    assert column(t, "tier_before") == {"a": "C", "b": "B", "c": "A"}
    cells = {
        (r["tier_before"], r["tier"]): r["customers"] for r in t.migration.iter_rows(named=True)
    }
    assert cells == {
        ("A", "A"): 0, ("A", "B"): 0, ("A", "C"): 1,
        ("B", "A"): 0, ("B", "B"): 1, ("B", "C"): 0,
        ("C", "A"): 1, ("C", "B"): 0, ("C", "C"): 0,
    }  # fmt: skip
    movers = t.movers.select("customer_id", "tier_before", "tier").rows()
    assert movers == [("c", "A", "C"), ("a", "C", "A")]  # downgrades first


# --- call plan --------------------------------------------------------------------------------


def test_call_plan_compliance_per_customer_and_rep() -> None:
    data = {
        "reps": reps(("R1", "T", "farmer"), ("R2", "T", "farmer"), ("R3", "T", "farmer")),
        "sales": bought(("a", "60"), ("b", "20"), ("c", "15"), ("d", "5"), ("e", "1", JULY, "R2")),
        "customers": customers(("d", "R2", None)),
        "visits": visits(
            *[(JULY, "R1", "a")] * 13,  # A needs 4 × 3 = 12: met, one extra
            *[(AUGUST, "R1", "b")] * 5,  # A (80 %) needs 12: 7 missing
            *[(JULY, "R1", "c")] * 6,  # B needs 2 × 3 = 6: met
            (JULY, "R1", "d"),  # d is R2's: a visit outside R1's plan
            (APRIL, "R2", "d"),  # before the window
            (JULY, "R2", "nobody"),  # a customer outside the population
        ),
    }
    t = run(data)
    assert column(t, "required") == {"a": 12, "b": 12, "c": 6, "d": 3, "e": 3}
    assert column(t, "visits") == {"a": 13, "b": 5, "c": 6, "d": 0, "e": 0}
    assert column(t, "gap") == {"a": 0, "b": 7, "c": 0, "d": 3, "e": 3}
    reps_ = {r["rep_id"]: r for r in t.reps.iter_rows(named=True)}
    r1 = reps_["R1"]
    assert (r1["customers"], r1["tier_a"], r1["tier_b"], r1["tier_c"]) == (3, 2, 1, 0)
    assert (r1["required"], r1["visits"], r1["counted"]) == (30, 24, 23)  # 12 + 5 + 6
    assert r1["compliance"] == pytest.approx(23 / 30)
    assert (r1["a_customers"], r1["a_covered"], r1["a_coverage"]) == (2, 1, 0.5)
    assert (r1["under_visited"], r1["other_visits"]) == (1, 1)
    r2 = reps_["R2"]
    assert (r2["customers"], r2["required"], r2["compliance"], r2["a_coverage"]) == (2, 6, 0, None)
    assert r2["other_visits"] == 1
    r3 = reps_["R3"]  # on the roster, owns nothing
    assert (r3["customers"], r3["required"], r3["compliance"]) == (0, 0, None)


def test_visits_per_month_are_configurable_and_a_late_visit_log_is_flagged() -> None:
    data = {"sales": bought(("a", "1")), "visits": visits((AUGUST, "R1", "a"))}
    t = run(data, visits_per_month={"A": 0.5})
    assert column(t, "required") == {"a": 1.5}
    assert column(t, "met") == {"a": False}
    assert [w.code for w in t.warnings] == ["visits_start_late"]


def test_no_visits_table_no_call_plan() -> None:
    t = run({"sales": bought(("a", "1"))})
    assert not t.has_visits
    assert "compliance" not in t.reps.columns


# --- the coverage KPI in spm evaluate ---------------------------------------------------------


def test_coverage_kpi_is_the_share_of_a_customers_visited_as_planned() -> None:
    data = {
        "reps": reps(("R1", "T", "farmer"), ("R2", "T", "farmer")),
        "sales": bought(("a", "50"), ("b", "30", JULY, "R2"), ("c", "10", JULY, "R2"), ("d", "10")),
        "visits": pl.concat(
            [
                visits(*[(JULY, "R1", "a")] * 12),
                visits(*[(JULY, "R2", "b")] * 12).with_columns(pl.lit("x").alias("outcome")),
            ],
            how="diagonal",
        ),
    }
    kpis = [
        {"id": "cov", "kind": "coverage", "target": 0.9},
        {"id": "cov_b", "kind": "coverage", "tiers": ["A", "B"], "target": 0.9},
        {"id": "cov_x", "kind": "coverage", "where": "outcome = 'x'", "target": 0.9},
    ]
    ev = evaluate(scheme(kpis=kpis, roles={"farmer": {"weights": {"cov": 100}}}), data, "2025-Q3")
    actual = {(r["rep_id"], r["kpi"]): r["actual"] for r in ev.kpis.iter_rows(named=True)}
    # a (R1) and b (R2) are A; c is B (90 %), d is C
    assert actual[("R1", "cov")] == 1.0
    assert actual[("R2", "cov")] == 1.0
    assert actual[("R2", "cov_b")] == 0.5  # b met, c (B, needs 6) not
    assert actual[("R1", "cov_b")] == 1.0
    assert actual[("R1", "cov_x")] == 0.0  # R1's visits are not 'x'
    rows = ev.kpis.filter(pl.col("kpi") == "cov")
    assert rows["achievement"].to_list() == pytest.approx([1 / 0.9, 1 / 0.9])
    source = ev.sources["cov_b"].filter(pl.col("rep_id") == "R2")
    assert source.select("customer_id", "tier", "required", "visits", "met").rows() == [
        ("b", "A", 12.0, 12, True),
        ("c", "B", 6.0, 0, False),
    ]


def test_coverage_without_visits_is_na_with_a_warning() -> None:
    ev = evaluate(
        scheme(
            kpis=[{"id": "cov", "kind": "coverage", "target": 0.9}],
            roles={"farmer": {"weights": {"cov": 100}}},
        ),
        {"sales": bought(("a", "1"))},
        "2025-Q3",
    )
    assert ev.kpis["actual"].to_list() == [None]
    assert any("table 'visits' is not in the inputs" in word(w, "en") for w in ev.warnings)


# --- invariants -------------------------------------------------------------------------------

value = st.one_of(
    st.just(Decimal(0)),
    st.decimals(min_value=-1000, max_value=100000, places=2),
    st.sampled_from([Decimal(100), Decimal(250)]),  # ties
)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(value, min_size=1, max_size=40),
    first=st.integers(min_value=1, max_value=98),
    gap=st.integers(min_value=1, max_value=99),
)
def test_tier_invariants(values: list[Decimal], first: int, gap: int) -> None:
    t1 = Fraction(first, 100)
    t2 = min(Fraction(first + gap, 100), Fraction(1))
    if not t1 < t2:
        return
    customers_ = pl.DataFrame(
        {"customer_id": [f"c{i:03d}" for i in range(len(values))], "value": values},
        schema={"customer_id": pl.String, "value": MONEY},
    )
    out = tier_by_value(customers_, "value", (float(t1), float(t2)))
    # every customer exactly once
    assert sorted(out["customer_id"]) == sorted(customers_["customer_id"])
    rows = out.rows(named=True)
    order = {"A": 0, "B": 1, "C": 2}
    # tiers are monotone in value: a larger value never has a worse tier
    for higher, lower in itertools.pairwise(rows):
        assert higher["value"] >= lower["value"]
        assert order[higher["tier"]] <= order[lower["tier"]]
    positive = sum((v for v in values if v > 0), Decimal(0))
    a_value = sum((r["value"] for r in rows if r["tier"] == "A"), Decimal(0))
    a_rows = [r for r in rows if r["tier"] == "A"]
    if positive > 0:
        # A's share ≤ first threshold, unless A is one customer alone above it
        alone = len(a_rows) == 1 and Fraction(a_rows[0]["value"]) / Fraction(positive) > t1
        assert Fraction(a_value) / Fraction(positive) <= t1 or alone
        ab_value = sum((r["value"] for r in rows if r["tier"] in "AB"), Decimal(0))
        assert Fraction(ab_value) / Fraction(positive) <= t2 or alone
        assert rows[0]["tier"] == "A"
    # no positive value: C
    assert all(r["tier"] == "C" for r in rows if r["value"] <= 0)


def test_the_same_inputs_give_the_same_frames() -> None:
    data = {"sales": bought(*((f"c{i}", str(i % 7)) for i in range(30)))}
    assert run(data).customers.equals(run(data).customers)


def test_a_scheme_tiering_section_is_the_default_settings() -> None:
    data = {"sales": bought(("a", "70"), ("b", "30"))}
    t = tier_customers(scheme(tiering={"thresholds": [0.6, 0.9]}), data, "2025-Q3")
    assert t.settings.thresholds == (0.6, 0.9)
    assert tiers(t) == {"a": "A", "b": "C"}


# --- the scheme's tiering section and coverage KPIs (SPEC §3: every problem, located) ---------

FIXTURE = Path(__file__).parent / "fixtures" / "scheme_valid.yaml"
COUNT_VISITS = "  - id: visits\n    table: visits\n    value: COUNT(*)\n    target: targets"


def scheme_problems(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, old: str, new: str
) -> list[str]:
    """The problems of the valid fixture with ``old`` (found once) replaced by ``new``."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    monkeypatch.chdir(tmp_path)
    Path("scheme.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_scheme(Path("scheme.yaml"))
    assert caught.value.exit_code == 2
    return [str(problem) for problem in caught.value.problems]


def test_the_fixture_tiering_section_loads() -> None:
    tiering = load_scheme(FIXTURE).scheme.tiering
    assert tiering is not None
    assert (tiering.thresholds, tiering.per, tiering.potential.high) == ((0.8, 0.95), "team", 1e6)
    assert load_scheme(None).scheme.tiering == Tiering()  # the default scheme spells the defaults


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "thresholds: [0.8, 0.95]",
            "thresholds: [0.95, 0.8]",
            "scheme.yaml:95:15: tiering.thresholds: 0.95, 0.8 are not cumulative shares with "
            "0 < first < second ≤ 1 — e.g. thresholds: [0.8, 0.95]",
        ),
        (
            "  by: revenue",
            "  by: revenu",
            "scheme.yaml:94:7: tiering.by: 'revenu' is not one of revenue, gross_margin — "
            "did you mean 'revenue'?",
        ),
        (
            "    medium: 300000\n",
            "",
            "scheme.yaml:99:11: tiering.potential.high: give both high and medium, or neither "
            "(then potential is split into thirds) — e.g. potential: {high: 1000000, medium: "
            "300000}",
        ),
        (
            "    medium: 300000",
            "    medium: 1000000",
            "scheme.yaml:100:13: tiering.potential.medium: 1,000,000 is not below high "
            "(1,000,000) — high is where high potential starts, medium where medium starts",
        ),
        (
            "    A: 4",
            "    A: -1",
            "scheme.yaml:105:8: tiering.visits_per_month.A: must be at least 0, got -1",
        ),
        (
            "  window: period",
            "  window: 6m",
            "scheme.yaml:96:11: tiering.window: '6m' is not one of period, 12m",
        ),
        (
            "  per: team",
            "  per: team\n  treshold: 1",
            "scheme.yaml:98:3: tiering: unknown key 'treshold' — did you mean 'thresholds'?",
        ),
    ],
)
def test_tiering_section_problems(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert scheme_problems(monkeypatch, tmp_path, old, new) == [expected]


def test_coverage_kpi_problems(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    coverage = (
        "  - id: visits\n    kind: coverage\n    tiers: [A, A]\n    window: ytd\n"
        "    value: COUNT(*)\n    target: 0.9"
    )
    assert scheme_problems(monkeypatch, tmp_path, COUNT_VISITS, coverage) == [
        "scheme.yaml:32:12: kpis[3].tiers: tier A is listed twice",
        "scheme.yaml:33:13: kpis[3].window: a coverage KPI checks the call plan of one period; "
        "window ytd is not one — use period, prev or yoy (tiering.window: 12m looks at 12 months)",
        "scheme.yaml:34:5: kpis[3].value: not used by a coverage KPI — remove it, or change the "
        "KPI's kind",
    ]
    unknown = "  - id: visits\n    kind: coverage\n    tiers: [A, D]\n    target: 0.9"
    assert scheme_problems(monkeypatch, tmp_path, COUNT_VISITS, unknown) == [
        "scheme.yaml:32:16: kpis[3].tiers[1]: 'D' is not one of A, B, C"
    ]
    stray = COUNT_VISITS.replace("    target", "    tiers: [A]\n    target")
    assert scheme_problems(monkeypatch, tmp_path, COUNT_VISITS, stray) == [
        "scheme.yaml:33:5: kpis[3].tiers: not used by a aggregate KPI — remove it, or change "
        "the KPI's kind"
    ]


def test_a_coverage_kpi_loads_and_checks_its_visit_filter(tmp_path: Path) -> None:
    path = tmp_path / "scheme.yaml"
    text = FIXTURE.read_text(encoding="utf-8").replace(
        COUNT_VISITS,
        "  - id: visits\n    kind: coverage\n    tiers: [A, B]\n"
        "    where: channel = 'f2f'\n    target: 0.9",
    )
    path.write_text(text, encoding="utf-8")
    loaded = load_scheme(path)
    kpi = loaded.scheme.kpi("visits")
    assert (kpi.tiers, kpi.display_unit) == (["A", "B"], "percent")
    problems = check_columns(loaded, {"visits": ["date", "rep_id", "customer_id", "chanel"]})
    assert [f"{p.key}: {p.message}" for p in problems] == [
        "kpis[3].where: unknown column 'channel' in table visits"
    ]
    assert str(problems[0].hint) == "did you mean 'chanel'?"
