"""Tiny hand-made inputs for engine tests: frames as the readers produce them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from spmcli.scheme.model import Scheme

MONEY = pl.Decimal(38, 6)


def frame(rows: list[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    """A table with ``_row`` numbered as Excel would (header is row 1)."""
    data = pl.DataFrame(rows, schema=schema, orient="row")
    return data.with_columns(pl.int_range(2, data.height + 2, dtype=pl.Int64).alias("_row"))


def sales(*lines: tuple[date, str, str, str]) -> pl.DataFrame:
    return frame(
        [{"date": d, "rep_id": r, "customer_id": c, "amount": Decimal(a)} for d, r, c, a in lines],
        {"date": pl.Date, "rep_id": pl.String, "customer_id": pl.String, "amount": MONEY},
    )


def reps(*rows: tuple[str, str, str]) -> pl.DataFrame:
    return frame(
        [{"rep_id": r, "name": f"Rep {r}", "team": t, "role": role} for r, t, role in rows],
        {"rep_id": pl.String, "name": pl.String, "team": pl.String, "role": pl.String},
    )


def targets(*rows: tuple[str, str, float, str | None]) -> pl.DataFrame:
    return frame(
        [{"rep_id": r, "kpi": k, "target": t, "period": p} for r, k, t, p in rows],
        {"rep_id": pl.String, "kpi": pl.String, "target": pl.Float64, "period": pl.String},
    )


def scheme(**changes: Any) -> Scheme:
    """The small scheme the engine tests share; keyword arguments replace top-level keys."""
    base: dict[str, Any] = {
        "name": "test",
        "cycle": "quarter",
        "kpis": [
            {
                "id": "sales",
                "value": "SUM(amount)",
                "target": "targets",
                "scoring": {"method": "linear", "floor": 0.6, "cap": 1.2},
            },
            {"id": "visits", "table": "visits", "value": "COUNT(*)", "target": 10},
            {
                "id": "sat",
                "table": "satisfaction",
                "value": "AVG(score)",
                "scoring": {
                    "method": "bands",
                    "on": "value",
                    "bands": [[4.5, 100], [4.0, 80], [0, 50]],
                },
            },
            {"id": "team_sales", "scope": "team", "of": "sales"},
        ],
        "roles": {
            "farmer": {
                "label": "维护型",
                "weights": {"sales": 40, "visits": 20, "sat": 20, "team_sales": 20},
            }
        },
        "default_role": "farmer",
        "grades": [
            {"grade": "A", "min": 90},
            {"grade": "B", "min": 75},
            {"grade": "C", "min": 60},
            {"grade": "D", "min": 0},
        ],
    }
    base.update(changes)
    return Scheme.model_validate(base)
