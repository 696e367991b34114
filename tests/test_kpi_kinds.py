"""Each KPI kind, scoring rule and policy on a case small enough to check by hand (SPEC §4)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from engine_fixtures import frame, reps, sales, scheme, targets

from spmcli.engine.evaluate import evaluate
from spmcli.engine.result import Evaluation
from spmcli.errors import DataError
from spmcli.report.wording import kpi_notes, word


def kpi_rows(ev: Evaluation, kpi: str) -> dict[str, dict[str, Any]]:
    return {r["rep_id"]: r for r in ev.kpis.filter(pl.col("kpi") == kpi).iter_rows(named=True)}


def one_kpi_scheme(kpi: dict[str, Any], **changes: Any) -> Any:
    return scheme(**({"kpis": [kpi], "roles": {"farmer": {"weights": {kpi["id"]: 100}}}} | changes))


def test_growth_against_last_year_and_zero_base() -> None:
    data = {
        "reps": reps(("A", "T", "farmer"), ("B", "T", "farmer")),
        "sales": sales(
            (date(2025, 7, 1), "A", "c", "120"),
            (date(2024, 8, 1), "A", "c", "100"),
            (date(2025, 7, 1), "B", "d", "50"),
        ),
    }
    ev = evaluate(
        scheme(
            kpis=[
                {"id": "sales", "value": "SUM(amount)", "target": 1},
                {"id": "growth", "kind": "growth", "of": "sales", "vs": "yoy", "target": 0.1},
            ],
            roles={"farmer": {"weights": {"growth": 100}}},
        ),
        data,
        "2025-Q3",
    )
    rows = kpi_rows(ev, "growth")
    assert rows["A"]["actual"] == pytest.approx(0.2)
    assert rows["A"]["achievement"] == pytest.approx(2.0)
    assert rows["A"]["score"] == pytest.approx(120.0)
    assert rows["B"]["actual"] is None  # base 0: N/A, never 0
    assert rows["B"]["status"] == "no_data"
    assert kpi_rows(ev, "sales")["A"]["status"] == "informational"
    assert set(ev.sources["growth"]["window"]) == {"period", "yoy"}


def test_new_customers_first_positive_purchase_in_period() -> None:
    data = {
        "reps": reps(("A", "T", "farmer"), ("B", "T", "farmer")),
        "sales": sales(
            (date(2024, 5, 1), "A", "c1", "10"),
            (date(2025, 7, 1), "A", "c1", "10"),
            (date(2025, 7, 5), "A", "c2", "10"),
            (date(2025, 8, 1), "B", "c3", "10"),
            (date(2025, 8, 2), "A", "c3", "10"),
            (date(2025, 6, 1), "A", "c4", "-5"),
            (date(2025, 7, 9), "A", "c4", "10"),
        ),
    }
    ev = evaluate(
        one_kpi_scheme({"id": "new", "kind": "new_customers", "target": 2}), data, "2025-Q3"
    )
    rows = kpi_rows(ev, "new")
    assert (rows["A"]["actual"], rows["B"]["actual"]) == (2.0, 1.0)
    assert (rows["A"]["score"], rows["B"]["score"]) == (100.0, 50.0)
    assert sorted(ev.sources["new"]["customer_id"]) == ["c2", "c3", "c4"]


def test_repurchase_rate_of_last_period_customers() -> None:
    data = {
        "reps": reps(("A", "T", "farmer"), ("B", "T", "farmer")),
        "sales": sales(
            (date(2025, 4, 1), "A", "c1", "10"),
            (date(2025, 5, 1), "A", "c5", "10"),
            (date(2025, 7, 1), "A", "c1", "10"),
            (date(2025, 7, 1), "B", "c9", "10"),
        ),
    }
    ev = evaluate(
        one_kpi_scheme({"id": "rep", "kind": "repurchase_rate", "target": 0.5}), data, "2025-Q3"
    )
    rows = kpi_rows(ev, "rep")
    assert rows["A"]["actual"] == 0.5 and rows["A"]["score"] == 100.0
    assert rows["B"]["actual"] is None and rows["B"]["status"] == "no_data"
    assert composite(ev, "B") is None


def composite(ev: Evaluation, rep_id: str) -> float | None:
    value: float | None = ev.reps.filter(pl.col("rep_id") == rep_id)["composite"].item()
    return value


RATING = {
    "id": "teamwork",
    "kind": "rating",
    "item": "团队协作",
    "scale": {"优秀": 100, "良好": 85, "合格": 70},
}


def ratings(*rows: tuple[str, str]) -> pl.DataFrame:
    return frame(
        [{"rep_id": r, "item": "团队协作", "rating": v, "period": "2025-Q3"} for r, v in rows],
        {"rep_id": pl.String, "item": pl.String, "rating": pl.String, "period": pl.String},
    )


def test_rating_maps_through_scale_and_averages_raters() -> None:
    data = {
        "reps": reps(("A", "T", "farmer"), ("B", "T", "farmer")),
        "sales": sales((date(2025, 7, 1), "A", "c", "1")),
        "ratings": ratings(("A", "优秀"), ("B", "良好"), ("B", "合格")),
    }
    rows = kpi_rows(evaluate(one_kpi_scheme(RATING), data, "2025-Q3"), "teamwork")
    assert (rows["A"]["score"], rows["B"]["score"]) == (100.0, 77.5)


def test_unmapped_rating_stops_with_row() -> None:
    data = {"sales": sales((date(2025, 7, 1), "A", "c", "1")), "ratings": ratings(("A", "很好"))}
    with pytest.raises(
        DataError, match=r"ratings row 2, column 'rating': '很好' is not on the scale"
    ):
        evaluate(one_kpi_scheme(RATING), data, "2025-Q3")


def test_lower_is_better_and_bands_on_achievement() -> None:
    visits = frame(
        [{"date": date(2025, 7, 1), "rep_id": "A", "customer_id": "c"}] * 2
        + [{"date": date(2025, 7, 1), "rep_id": "B", "customer_id": "c"}] * 8,
        {"date": pl.Date, "rep_id": pl.String, "customer_id": pl.String},
    )
    data = {
        "reps": reps(("A", "T", "farmer"), ("B", "T", "farmer"), ("C", "T", "farmer")),
        "sales": sales((date(2025, 7, 1), "A", "c", "1")),
        "visits": visits,
    }
    kpi = {
        "id": "complaints",
        "table": "visits",
        "value": "COUNT(*)",
        "target": 4,
        "direction": "lower_is_better",
        "scoring": {"method": "bands", "bands": [[1.0, 100], [0.8, 60], [0, 20]]},
    }
    rows = kpi_rows(evaluate(one_kpi_scheme(kpi), data, "2025-Q3"), "complaints")
    assert rows["A"]["achievement"] == 2.0 and rows["A"]["score"] == 100.0
    assert rows["B"]["achievement"] == 0.5 and rows["B"]["score"] == 20.0
    assert rows["C"]["achievement"] == 1.2 and rows["C"]["score"] == 100.0  # none at all: the best


def missing_target_data() -> dict[str, pl.DataFrame]:
    return {
        "reps": reps(("A", "T", "farmer"), ("C", "T", "farmer")),
        "sales": sales((date(2025, 7, 1), "A", "c", "100"), (date(2025, 7, 1), "C", "c", "100")),
        "targets": targets(("A", "sales", 100.0, "2025-Q3")),
    }


TWO_KPIS = {
    "kpis": [
        {"id": "sales", "value": "SUM(amount)", "target": "targets"},
        {"id": "lines", "value": "COUNT(*)", "target": 2},
    ],
    "roles": {"farmer": {"weights": {"sales": 75, "lines": 25}}},
}


def test_missing_target_renormalizes_by_default() -> None:
    ev = evaluate(scheme(**TWO_KPIS), missing_target_data(), "2025-Q3")
    rows = kpi_rows(ev, "sales")
    assert rows["C"]["status"] == "no_target" and rows["C"]["score"] is None
    assert kpi_rows(ev, "lines")["C"]["effective_weight"] == 100.0
    assert composite(ev, "C") == 50.0  # only 'lines': 1 of 2 → 50
    assert composite(ev, "A") == pytest.approx(0.75 * 100 + 0.25 * 50)


def test_missing_target_zero_policy_scores_zero() -> None:
    ev = evaluate(scheme(missing_target="zero", **TWO_KPIS), missing_target_data(), "2025-Q3")
    assert kpi_rows(ev, "sales")["C"]["status"] == "zero_target"
    assert composite(ev, "C") == pytest.approx(0.25 * 50)


def test_missing_target_error_policy_stops() -> None:
    with pytest.raises(DataError, match="rep C: KPI sales has no target"):
        evaluate(scheme(missing_target="error", **TWO_KPIS), missing_target_data(), "2025-Q3")


def test_kpi_adjustment_replaces_actual_and_penalty_deducts() -> None:
    data = missing_target_data() | {
        "adjustments": frame(
            [
                {
                    "rep_id": "A",
                    "points": None,
                    "kpi": "sales",
                    "value": 80.0,
                    "reason": "退货冲销",
                },
                {"rep_id": "A", "points": -3.0, "kpi": None, "value": None, "reason": "迟交报告"},
            ],
            {
                "rep_id": pl.String,
                "points": pl.Float64,
                "kpi": pl.String,
                "value": pl.Float64,
                "reason": pl.String,
            },
        )
    }
    ev = evaluate(scheme(**TWO_KPIS), data, "2025-Q3")
    row = kpi_rows(ev, "sales")["A"]
    assert (row["actual"], row["score"], row["status"]) == (80.0, 80.0, "adjusted")
    assert row["note"] == "退货冲销"
    rep = ev.reps.filter(pl.col("rep_id") == "A").row(0, named=True)
    assert rep["penalty"] == 3.0
    assert rep["final_score"] == pytest.approx(0.75 * 80 + 0.25 * 50 - 3)


def test_ties_share_a_rank_and_not_due_reps_are_listed() -> None:
    data = {
        "reps": reps(
            ("A", "T", "farmer"), ("B", "T", "farmer"), ("C", "T", "farmer"), ("Y", "T", "yearly")
        ),
        "sales": sales(
            (date(2025, 7, 1), "A", "c", "2"),
            (date(2025, 7, 1), "B", "c", "2"),
            (date(2025, 7, 1), "C", "c", "1"),
            (date(2025, 7, 1), "Y", "c", "1"),
        ),
    }
    roles = {
        "farmer": {"weights": {"sales": 1}},
        "yearly": {"cycle": "year", "weights": {"sales": 1}},
    }
    ev = evaluate(
        one_kpi_scheme({"id": "sales", "value": "SUM(amount)", "target": 2}, roles=roles),
        data,
        "2025-Q3",
    )
    assert ev.reps.select("rep_id", "rank", "due").rows() == [
        ("A", 1, True),
        ("B", 1, True),
        ("C", 3, True),
        ("Y", None, False),
    ]
    assert "Y" not in ev.kpis["rep_id"].to_list()
    assert any(w.code == "not_due" for w in ev.warnings)


def test_without_reps_table_everyone_gets_the_default_role() -> None:
    data = {"sales": sales((date(2025, 7, 1), "A", "c", "2"), (date(2025, 9, 30), "B", "c", "1"))}
    ev = evaluate(one_kpi_scheme({"id": "sales", "value": "SUM(amount)", "target": 2}), data)
    assert ev.period.label == "2025-Q3"  # latest sale's quarter
    assert ev.reps["role"].to_list() == ["farmer", "farmer"]
    assert ev.warnings[0].code == "no_reps_table"
    assert ev.reconciliation.unassigned == 0


def test_kpi_on_an_absent_table_or_optional_column_is_na_for_everyone() -> None:
    """SPEC §2: only sales is required; other tables and optional columns enable KPIs."""
    data = {"reps": reps(("A", "T", "farmer")), "sales": sales((date(2025, 7, 1), "A", "c", "10"))}
    kpis = [
        {"id": "sales", "value": "SUM(amount)", "target": 10},
        {"id": "margin", "value": "SUM(amount - cost) / SUM(amount)", "target": 0.3},
        {"id": "visits", "table": "visits", "value": "COUNT(*)", "target": 5},
    ]
    roles = {"farmer": {"weights": {"sales": 50, "margin": 25, "visits": 25}}}
    ev = evaluate(scheme(kpis=kpis, roles=roles), data, "2025-Q3")
    assert kpi_rows(ev, "margin")["A"]["status"] == "no_data"
    notes = kpi_notes(ev, "en")
    assert notes["A", "margin"].startswith("table 'sales' has no column 'cost'; not scored")
    assert notes["A", "visits"].startswith("table 'visits' is not in the inputs; not scored")
    assert composite(ev, "A") == 100.0  # renormalised onto sales alone
    assert [word(w, "en") for w in ev.warnings if w.code == "kpi_unavailable"] == [
        "KPI margin: table 'sales' has no column 'cost', so it is N/A for everyone",
        "KPI visits: table 'visits' is not in the inputs, so it is N/A for everyone",
    ]
    assert not [w for w in ev.warnings if w.code == "no_data"]  # one warning per KPI, not per rep


def test_ratio_over_zero_net_sales_is_na_not_an_error() -> None:
    """A rep whose sales net to exactly 0 has no collection rate (SUM(amount) = 0)."""
    data = {
        "reps": reps(("A", "T", "farmer"), ("B", "T", "farmer")),
        "sales": sales(
            (date(2025, 7, 1), "A", "c", "100"),
            (date(2025, 7, 2), "A", "c", "-100"),
            (date(2025, 7, 1), "B", "c", "80"),
        ).with_columns(pl.lit("40").cast(pl.Decimal(38, 6)).alias("collected")),
    }
    kpi = {"id": "collection", "value": "SUM(collected) / SUM(amount)", "target": 0.5}
    rows = kpi_rows(evaluate(one_kpi_scheme(kpi), data, "2025-Q3"), "collection")
    assert rows["A"]["actual"] is None and rows["A"]["status"] == "no_data"
    assert rows["B"]["actual"] == 0.5  # 40 of 80 collected
    assert rows["B"]["score"] == 100.0  # target 0.5
