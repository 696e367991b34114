"""The engine on a small case worked out by hand (SPEC §4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from engine_fixtures import frame, reps, sales, scheme, targets

from spmcli.engine.composite import grade_and_rank
from spmcli.engine.evaluate import evaluate
from spmcli.report.wording import word

Q3 = date(2025, 8, 1)


def small_tables() -> dict[str, pl.DataFrame]:
    return {
        "reps": reps(("A", "T1", "维护型"), ("B", "T1", "farmer"), ("C", "T2", "")),
        "sales": sales(
            (Q3, "A", "c1", "100"),
            (Q3, "A", "c2", "50.5"),
            (Q3, "B", "c3", "80"),
            (Q3, "X", "c4", "10"),
            (date(2025, 6, 30), "A", "c1", "999"),
        ),
        "targets": targets(
            ("A", "sales", 100.0, "2025-Q3"),
            ("B", "sales", 100.0, "2025q3"),
            ("C", "sales", 50.0, None),
            ("A", "sales", 1.0, "2025-Q2"),
        ),
        "visits": frame(
            [{"date": Q3, "rep_id": "A", "customer_id": "c1"}] * 10
            + [{"date": Q3, "rep_id": "B", "customer_id": "c3"}] * 5,
            {"date": pl.Date, "rep_id": pl.String, "customer_id": pl.String},
        ),
        "satisfaction": frame(
            [
                {"date": Q3, "customer_id": "c1", "score": 4.6, "rep_id": "A"},
                {"date": Q3, "customer_id": "c2", "score": 4.8, "rep_id": None},
                {"date": Q3, "customer_id": "cz", "score": 3.9, "rep_id": "C"},
            ],
            {"date": pl.Date, "customer_id": pl.String, "score": pl.Float64, "rep_id": pl.String},
        ),
        "adjustments": frame(
            [{"rep_id": "B", "points": 5.0, "reason": "late report"}],
            {"rep_id": pl.String, "points": pl.Float64, "reason": pl.String},
        ),
    }


def test_small_case_by_hand() -> None:
    ev = evaluate(scheme(), small_tables(), period="2025-Q3")
    kpis = {(r["rep_id"], r["kpi"]): r for r in ev.kpis.iter_rows(named=True)}
    assert kpis["A", "sales"]["actual"] == 150.5
    assert kpis["A", "sales"]["achievement"] == pytest.approx(1.505)
    assert kpis["A", "sales"]["score"] == pytest.approx(120.0)  # capped at 1.2
    assert kpis["B", "sales"]["score"] == pytest.approx(80.0)
    assert kpis["C", "sales"]["actual"] == 0.0  # no rows: SUM is 0, not N/A
    assert kpis["C", "sales"]["score"] == 0.0  # below the 0.6 floor
    assert kpis["B", "visits"]["score"] == pytest.approx(50.0)
    assert kpis["A", "sat"]["actual"] == pytest.approx(4.7)  # c2's survey credited to A via sales
    assert kpis["A", "sat"]["score"] == 100.0
    assert kpis["B", "sat"]["actual"] is None and kpis["B", "sat"]["status"] == "no_data"
    assert kpis["C", "sat"]["score"] == 50.0
    assert kpis["A", "team_sales"]["actual"] == 230.5
    assert kpis["A", "team_sales"]["target"] == 200.0
    assert kpis["B", "team_sales"]["score"] == pytest.approx(115.25)
    assert kpis["C", "team_sales"]["score"] == 0.0
    assert kpis["B", "sales"]["effective_weight"] == pytest.approx(50.0)  # 40 of 80

    rows = {r["rep_id"]: r for r in ev.reps.iter_rows(named=True)}
    assert rows["A"]["composite"] == pytest.approx(111.05)
    assert rows["B"]["composite"] == pytest.approx(6505 / 80)
    assert rows["B"]["final_score"] == pytest.approx(6505 / 80 - 5)
    assert rows["C"]["final_score"] == pytest.approx(10.0)
    assert [rows[r]["grade"] for r in "ABC"] == ["A", "B", "D"]
    assert [rows[r]["rank"] for r in "ABC"] == [1, 2, 3]
    assert [rows[r]["team_rank"] for r in "ABC"] == [1, 2, 1]
    assert ev.reps["rep_id"].to_list() == ["A", "B", "C"]

    rec = ev.reconciliation
    assert (rec.sales_in_period, rec.credited, rec.unassigned) == (
        Decimal("240.5"),
        Decimal("230.5"),
        Decimal("10"),
    )
    assert rec.unassigned_lines == 1
    assert any(w.code == "unassigned_sales" and "X" in word(w, "en") for w in ev.warnings)
    assert any(w.code == "no_data" and w.rep_id == "B" and w.kpi == "sat" for w in ev.warnings)


def test_grades_and_ranks_go_by_the_score_as_written() -> None:
    """89.996 is written 90.00 and earns an A; 77.699 and 77.701 are both written 77.70 and
    share a rank; 77.694 is written 77.69 and comes after them."""
    roster = pl.DataFrame(
        {
            "rep_id": ["A", "B", "C", "D"],
            "team": ["T", "T", "T", "U"],
            "due": [True, True, True, True],
        }
    )
    totals = pl.DataFrame(
        {"rep_id": ["A", "B", "C", "D"], "composite": [89.996, 77.699, 77.701, 77.694]}
    )
    penalties = pl.DataFrame(schema={"rep_id": pl.String, "penalty": pl.Float64})
    graded = grade_and_rank(scheme(), roster, totals, penalties)
    rows = {r["rep_id"]: r for r in graded.iter_rows(named=True)}
    assert rows["A"]["grade"] == "A" and rows["A"]["rank"] == 1
    assert rows["B"]["rank"] == rows["C"]["rank"] == 2
    assert rows["D"]["rank"] == 4 and rows["D"]["team_rank"] == 1
    assert rows["B"]["team_rank"] == rows["C"]["team_rank"] == 2
    assert rows["A"]["final_score"] == 89.996  # the score itself is kept unrounded
