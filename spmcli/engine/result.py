"""What an evaluation produces: small frozen objects around polars frames.

Writers (workbooks, JSON, console) read these; nothing here knows about files.

Frames and their columns
------------------------
``reps`` — one row per rep on the roster, in rank order (not-due reps last):
    rep_id, name, team, role, role_label, manager, region (all String),
    due (Boolean: the rep's cycle is evaluated in this run),
    composite, penalty, final_score (Float64; null when not due or nothing scored),
    grade, grade_label (String), rank, team_rank (Int64);
    with a ``pay`` section in the scheme also bonus, commission, team_pool, total_pay
    (Decimal(38, 2), null for reps not due). ``pay`` holds how each part was reached.

``kpis`` — one row per (rep, KPI), every KPI of the scheme for every due rep:
    rep_id, kpi (String), actual, target, achievement, score (Float64, null = N/A),
    weight (Float64: the role's weight, 0 when the role does not weight the KPI),
    effective_weight (Float64: share of 100 after renormalisation; 0 when not scored),
    weighted (Float64: score × effective_weight / 100),
    status (String, one of STATUSES), note (String: why N/A, or the adjustment reason),
    target_row (Int64: the targets table's row of the target; null for a scheme's target),
    computed (Float64: the actual the data gave, before an approved adjustment replaced it).

``adjustments`` — the adjustments table's rows applied to due reps (penalty points or a
    KPI's corrected actual): rep_id, kpi, points, value, reason, approved_by, _row.

``teams`` — one row per team: team, members (Int64), due_members (Int64),
    average_score (Float64), plus, per team-scope KPI ``<id>``: <id>_actual,
    <id>_target, <id>_achievement (Float64).

``sources`` — per KPI id, the rows behind the figure: the source table's columns,
    ``rep_id`` (the rep credited), ``_row`` (the row number in the input as Excel
    shows it) and ``window`` (period / prev / yoy / ytd / first_purchase ...). Made
    when asked for (``SourceRows``), so that a run that shows no rows holds no copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl

from spmcli.messages import Msg
from spmcli.scheme.periods import Period

if TYPE_CHECKING:
    from spmcli.scheme.model import Scheme

STATUSES = (
    "scored",  # scored from data and target
    "adjusted",  # scored after an approved KPI adjustment replaced the actual
    "no_target",  # N/A: the KPI needs a target the rep does not have
    "no_data",  # N/A: nothing to compute from (AVG of no rows, growth on a zero base)
    "zero_target",  # scored 0 for a missing target (missing_target: zero)
    "informational",  # computed, but the rep's role does not weight it
)


Param = str | int | Decimal | tuple[str, ...] | Msg


@dataclass(frozen=True)
class RunWarning:
    """A warning as data: a code and its parameters, worded by each output in its language
    (``spmcli.report.wording``); ``rep_id`` and ``kpi`` say whom and what it concerns."""

    code: str
    params: tuple[tuple[str, Param], ...] = ()
    rep_id: str | None = None
    kpi: str | None = None

    @classmethod
    def of(
        cls, code: str, rep_id: str | None = None, kpi: str | None = None, **params: Param
    ) -> RunWarning:
        return cls(code, tuple(params.items()), rep_id, kpi)

    @property
    def values(self) -> dict[str, Param]:
        return dict(self.params)


@dataclass(frozen=True)
class Reconciliation:
    """Sales in the period = credited to reps + unassigned; skipped rows counted aside."""

    sales_in_period: Decimal
    credited: Decimal
    unassigned: Decimal
    unassigned_lines: int
    skipped_rows: int


@dataclass(frozen=True)
class PayDetail:
    """How each rep's pay was reached, one frame per part (None when the scheme has no such part).

    Every figure a pay statement shows is here, so no output works one out again.

    ``bonus``: rep_id, base, basis (the final score or achievement read on the curve),
    lower_x, lower_y, upper_x, upper_y (the curve points around the basis), uncapped (the
    curve's value there), multiplier (after the cap), capped, exact (base × multiplier),
    bonus (exact to the cent).
    ``commission``: one row per rep and tier — rep_id, tier (1, 2, …), start, end (achievement;
    end null for the last tier), lower, upper (money: start and end × target), actual, target,
    rate, reached, slice (the part of the actual paid at this rate), exact (slice × rate),
    amount (exact to the cent).
    ``team_pool``: rep_id, team, achievement, threshold, reached, split, basis, team_basis,
    members (due reps of the team), pool, exact (the pool × the rep's part), rounded (exact
    to the cent), share (rounded, plus the pool's rounding cents for the largest share).
    """

    bonus: pl.DataFrame | None
    commission: pl.DataFrame | None
    team_pool: pl.DataFrame | None


class SourceRows(Mapping[str, pl.DataFrame]):
    """Per KPI id, the rows behind its figures, each made from the input frames when it is
    looked up (a query per KPI, kept; the rows are not). Looking a KPI up twice gives
    the same rows twice; a caller that needs them more than once keeps the frame."""

    def __init__(self, queries: Mapping[str, pl.LazyFrame]) -> None:
        self._queries = dict(queries)

    def __getitem__(self, kpi_id: str) -> pl.DataFrame:
        return self._queries[kpi_id].collect()

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __len__(self) -> int:
        return len(self._queries)

    def __repr__(self) -> str:
        return f"SourceRows({sorted(self._queries)})"


# The adjustments an evaluation applied (``Evaluation.adjustments``).
ADJUSTMENT_COLUMNS = {
    "rep_id": pl.String,
    "kpi": pl.String,
    "points": pl.Float64,
    "value": pl.Float64,
    "reason": pl.String,
    "approved_by": pl.String,
    "_row": pl.Int64,
    "table": pl.String,  # adjustments, or appeal_adjustments
}


@dataclass(frozen=True)
class Evaluation:
    period: Period
    scheme: Scheme
    reps: pl.DataFrame
    kpis: pl.DataFrame
    teams: pl.DataFrame
    sources: Mapping[str, pl.DataFrame]  # SourceRows from score_period
    reconciliation: Reconciliation
    warnings: tuple[RunWarning, ...] = ()
    pay: PayDetail | None = None
    adjustments: pl.DataFrame = field(  # the applied rows, as ADJUSTMENT_COLUMNS say
        default_factory=lambda: pl.DataFrame(schema=ADJUSTMENT_COLUMNS)
    )


@dataclass(frozen=True)
class DataIssue:
    """A cell the engine cannot use, by table and source row; the CLI adds file and sheet."""

    table: str
    row: int
    column: str
    value: str
    reason: Msg
