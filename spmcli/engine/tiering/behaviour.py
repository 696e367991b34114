"""Customer types by behaviour: revenue now against the previous window (SPEC §5).

In this order, the first that applies:

- ``new``: the customer's first purchase ever (a positive sales line) is in the window,
  as the ``new_customers`` KPI counts it (SPEC §4);
- ``inactive``: no positive net revenue now, and none before;
- ``lost``: positive revenue before, none now;
- ``growing``: revenue now, none before (a customer coming back), or a change above
  ``tiering.types.growing`` (default +10 %);
- ``declining``: a change below ``tiering.types.declining`` (default −10 %);
- ``stable``: otherwise — a change of exactly ±10 % is stable.

The change is (now − before) / before, compared exactly as fractions. Types always follow
revenue, whatever the value tiers are measured by.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from spmcli.engine.tiering.pareto import above, as_fraction, below, micro_units
from spmcli.scheme.model import CustomerTypes


def customer_type(rules: CustomerTypes, start: date, end: date) -> pl.Expr:
    """The customer's type from ``revenue``, ``revenue_before`` and ``first_purchase``."""
    now, before = micro_units(pl.col("revenue")), micro_units(pl.col("revenue_before"))
    change = now - before
    return (
        pl.when(pl.col("first_purchase").is_between(start, end))
        .then(pl.lit("new"))
        .when((now <= 0) & (before <= 0))
        .then(pl.lit("inactive"))
        .when(now <= 0)
        .then(pl.lit("lost"))
        .when((before <= 0) | above(change, before, as_fraction(rules.growing)))
        .then(pl.lit("growing"))
        .when(below(change, before, as_fraction(rules.declining)))
        .then(pl.lit("declining"))
        .otherwise(pl.lit("stable"))
    )


def revenue_change() -> pl.Expr:
    """(now − before) / before as a float for showing; null when before ≤ 0."""
    now = pl.col("revenue").cast(pl.String).cast(pl.Float64)
    before = pl.col("revenue_before").cast(pl.String).cast(pl.Float64)
    return pl.when(before > 0).then((now - before) / before)
