"""What ``tier_customers`` produces: small frozen objects around polars frames.

Writers (``tiers.xlsx``, JSON, console) read these; nothing here knows about files.

Frames and their columns
------------------------
``customers`` — one row per customer of the population (the ``customers`` table plus every
customer with a sales line in the current or the previous window), ordered by group, then
rank: customer_id, name, rep_id, rep_name, team, region (String), group (String: the team
or region tiered in, null without ``per``), value, revenue, value_before, revenue_before
(Decimal(38, 6): the measure and the net amount, now and in the previous window), rank
(Int64, 1 = largest value in its group), share, cum_share (Float64: of the group's total
positive value; cum_share null for customers without a positive value), tier (A/B/C),
tier_before (A/B/C: the same rule over the previous window), potential (Float64),
potential_tier (high/medium/low, null without a potential), strategy (a key of
``STRATEGIES``, null without a potential tier), first_purchase (Date), change (Float64:
revenue now against before, null when before ≤ 0), type (one of ``TYPES``); with visits
also required, visits (Float64, Int64: the call plan and the visits the customer's rep
made in the window), gap (Float64: visits still missing), met (Boolean).

``summary`` — one row per tier (A, B, C) over all groups: tier, customers (Int64), value,
revenue (Decimal), share (Float64: of the total positive value).

``groups`` — with ``per``: the same per group and tier (group first), else None.

``matrix`` — with a potential column: the 9 cells of value tier × potential tier:
tier, potential_tier, customers, value, revenue, strategy; else None.

``types`` — one row per customer type: type, customers, revenue, revenue_before.

``migration`` — the 9 cells of tier before × tier now: tier_before, tier, customers,
value_before, value.

``reps`` — one row per rep (the roster and every rep owning a customer), by rep_id:
rep_id, name, team, customers, tier_a, tier_b, tier_c (Int64), value (Decimal); with
visits also required, visits, counted (Float64: visits up to each customer's
requirement), compliance (Float64: counted / required), a_customers, a_covered (Int64),
a_coverage (Float64), under_visited, other_visits (Int64: visits to customers the rep
does not own). Compliance figures are null when nothing is required.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from spmcli.engine.result import RunWarning
from spmcli.scheme.model import Scheme, Tiering
from spmcli.scheme.periods import Period

TIERS = ("A", "B", "C")
POTENTIALS = ("high", "medium", "low")
# Customer behaviour against the previous window, in the order outputs list them.
TYPES = ("new", "growing", "stable", "declining", "lost", "inactive")
# The usual strategy for each cell of the value × potential matrix.
STRATEGIES: dict[tuple[str, str], str] = {
    ("A", "high"): "invest",
    ("A", "medium"): "maintain",
    ("A", "low"): "retain",
    ("B", "high"): "develop",
    ("B", "medium"): "grow",
    ("B", "low"): "serve_efficiently",
    ("C", "high"): "open_up",
    ("C", "medium"): "nurture",
    ("C", "low"): "reduce_effort",
}


@dataclass(frozen=True)
class Span:
    """A window of inclusive calendar days, its label and how many months it covers."""

    label: str
    start: date
    end: date
    months: int


@dataclass(frozen=True)
class Tiers:
    """Customer tiers for a period, with the breakdowns ``spm tier-customers`` shows."""

    period: Period
    current: Span
    before: Span
    settings: Tiering
    scheme: Scheme
    customers: pl.DataFrame
    summary: pl.DataFrame
    groups: pl.DataFrame | None
    matrix: pl.DataFrame | None
    types: pl.DataFrame
    migration: pl.DataFrame
    reps: pl.DataFrame
    warnings: tuple[RunWarning, ...] = ()

    @property
    def has_visits(self) -> bool:
        return "required" in self.customers.columns

    @property
    def movers(self) -> pl.DataFrame:
        """Customers whose tier changed: downgrades first, then upgrades; larger first."""
        moved = self.customers.filter(pl.col("tier") != pl.col("tier_before"))
        return moved.with_columns((pl.col("tier") > pl.col("tier_before")).alias("_down")).sort(
            ["_down", "tier_before", "tier", "value_before", "value", "customer_id"],
            descending=[True, False, False, True, True, False],
        )
