"""The grade distribution (SPEC §5): how many due reps got each grade, and their share.

Shares are of the reps who got a grade, so they add up to 100 %; due reps whose composite
could not be computed at all are counted apart as not graded, and reps not due this
period apart again. The console, summary.xlsx and the JSON all show these figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from spmcli.engine.result import Evaluation
from spmcli.report.figures import figure


@dataclass(frozen=True)
class GradeCount:
    grade: str
    label: str
    min: float
    count: int
    share: Decimal | None  # of the graded reps, rounded as written (4 decimals); None if none


@dataclass(frozen=True)
class GradeDistribution:
    grades: tuple[GradeCount, ...]
    graded: int
    not_graded: int  # due, but no KPI could be scored
    not_due: int


def grade_distribution(ev: Evaluation) -> GradeDistribution:
    due = ev.reps.filter(pl.col("due"))
    counts = dict(due.group_by("grade").len().iter_rows())
    graded = sum(n for grade, n in counts.items() if grade is not None)
    rows = tuple(
        GradeCount(
            g.grade,
            g.label,
            g.min,
            counts.get(g.grade, 0),
            _share(counts.get(g.grade, 0), graded),
        )
        for g in ev.scheme.grades
    )
    return GradeDistribution(rows, graded, due.height - graded, ev.reps.height - due.height)


def _share(count: int, graded: int) -> Decimal | None:
    if not graded:
        return None
    share = figure(Decimal(count) / Decimal(graded), "achievement")
    assert isinstance(share, Decimal)
    return share
