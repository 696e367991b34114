"""Evaluation periods and KPI windows (SPEC §4 Periods).

Labels: ``2025-07`` (month), ``2025-Q3`` (quarter), ``2025-H2`` (half), ``2025`` (year).
All ranges are inclusive calendar days.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl

from spmcli.engine.result import Period
from spmcli.errors import Problem, UsageError
from spmcli.scheme.model import Scheme

MONTHS_IN: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}

FORMS = "write 2025-07, 2025-Q3, 2025-H2 or 2025"
_LABEL = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])|[Hh]([12])))?$")


def parse_period(label: str) -> Period:
    """Turn a label such as ``2025-Q3`` into a Period; a bad label is a usage error."""
    match = _LABEL.match(label.strip())
    if not match:
        raise UsageError([Problem("period", f"'{label}' is not a period label", FORMS)])
    year = int(match.group(1))
    month, quarter, half = match.group(2), match.group(3), match.group(4)
    if month is not None:
        if not 1 <= int(month) <= 12:
            raise UsageError(
                [Problem("period", f"'{label}' has no month {month}", "months are 01 to 12")]
            )
        return _period("month", year, int(month))
    if quarter is not None:
        return _period("quarter", year, 3 * int(quarter) - 2)
    if half is not None:
        return _period("half", year, 6 * int(half) - 5)
    return _period("year", year, 1)


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
        raise UsageError("the sales table has no dated lines: name the period to evaluate")
    return when


def period_containing(day: date, kind: str) -> Period:
    """The period of the given kind (month, quarter, half, year) that holds ``day``."""
    length = MONTHS_IN[kind]
    first_month = (day.month - 1) // length * length + 1
    return _period(kind, day.year, first_month)


def previous(period: Period) -> Period:
    """The period of the same length just before."""
    return period_containing(period.start - timedelta(days=1), period.kind)


def year_before(period: Period) -> Period:
    """The same period one year earlier."""
    return _period(period.kind, period.start.year - 1, period.start.month)


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


def _period(kind: str, year: int, first_month: int) -> Period:
    length = MONTHS_IN[kind]
    start = date(year, first_month, 1)
    end_month = first_month + length  # the month after the period, possibly next year
    end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    label = {
        "month": f"{year}-{first_month:02d}",
        "quarter": f"{year}-Q{(first_month - 1) // 3 + 1}",
        "half": f"{year}-H{(first_month - 1) // 6 + 1}",
        "year": f"{year}",
    }[kind]
    return Period(label=label, kind=kind, start=start, end=end)
