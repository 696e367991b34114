"""A what-if (``spm evaluate --what-if sales=1.1``): each due rep now and with the KPI
actuals scaled, as written figures, and the change in pay — worked out once here for the
console and any other output."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from spmcli.engine.result import Evaluation
from spmcli.report.figures import figure


@dataclass(frozen=True)
class WhatIfRow:
    rep_id: str
    name: str
    final_score: Decimal | None
    final_score_after: Decimal | None
    grade: str | None
    grade_after: str | None
    pay: Decimal | None  # total pay now (None when the scheme pays nothing)
    pay_after: Decimal | None
    pay_change: Decimal | None


def what_if_rows(base: Evaluation, scaled: Evaluation) -> list[WhatIfRow]:
    """Due reps in the base evaluation's rank order."""
    paid = "total_pay" in base.reps.columns
    columns = ["rep_id", "final_score", "grade", *(["total_pay"] if paid else [])]
    after = scaled.reps.select(columns).rename({c: f"{c}_after" for c in columns[1:]})
    rows = base.reps.filter(pl.col("due")).join(
        after, on="rep_id", how="left", maintain_order="left"
    )
    found = []
    for rep in rows.iter_rows(named=True):
        pay, pay_after = (rep["total_pay"], rep["total_pay_after"]) if paid else (None, None)
        found.append(
            WhatIfRow(
                rep_id=rep["rep_id"],
                name=rep["name"] or "",
                final_score=_score(rep["final_score"]),
                final_score_after=_score(rep["final_score_after"]),
                grade=rep["grade"],
                grade_after=rep["grade_after"],
                pay=pay,
                pay_after=pay_after,
                pay_change=None if pay is None or pay_after is None else pay_after - pay,
            )
        )
    return found


def _score(value: float | None) -> Decimal | None:
    shown = figure(value, "score")
    assert shown is None or isinstance(shown, Decimal)
    return shown
