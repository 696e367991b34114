"""Which period a run evaluates, and the KPI windows around it (SPEC §4 Periods)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from spmcli.errors import Problem, UsageError
from spmcli.messages import msg
from spmcli.scheme.model import Scheme
from spmcli.scheme.periods import Period, parse_period, period_containing, period_starting


def resolve_period(period: str | None, cycle: str, sales: pl.DataFrame) -> Period | None:
    """The period asked for (an option, else the scheme's ``period``), else the ``cycle``
    period holding the latest sale; None when there is neither a label nor a dated sale."""
    if period:
        return parse_period(period)
    latest = sales["date"].max()
    return None if latest is None else period_containing(latest, cycle)  # type: ignore[arg-type]


def period_of(scheme: Scheme, sales: pl.DataFrame, period: Period | str | None) -> Period:
    """``period``, else the scheme's, else the cycle period holding the latest sale."""
    if isinstance(period, Period):
        return period
    when = resolve_period(period or scheme.period, scheme.cycle, sales)
    if when is None:
        raise UsageError([Problem("", msg("period.no_dates"), msg("period.give"))])
    return when


def previous(period: Period) -> Period:
    """The period of the same length just before."""
    return period_containing(period.start - timedelta(days=1), period.kind)


def year_before(period: Period) -> Period:
    """The same period one year earlier."""
    return period_starting(period.kind, period.start.year - 1, period.start.month)


def window_range(period: Period, window: str) -> tuple[date, date]:
    """Inclusive first and last day of a KPI window relative to the evaluated period."""
    if window == "prev":
        shifted = previous(period)
        return shifted.start, shifted.end
    if window == "yoy":
        shifted = year_before(period)
        return shifted.start, shifted.end
    if window == "ytd":
        return date(period.end.year, 1, 1), period.end
    return period.start, period.end
