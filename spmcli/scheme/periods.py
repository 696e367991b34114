"""Period labels and their calendar (SPEC §4 Periods): ``2025-07`` (month), ``2025-Q3``
(quarter), ``2025-H2`` (half), ``2025`` (year). All ranges are inclusive calendar days.

Part of the scheme's language (its ``period:`` and every ``--period``); the engine's
windows build on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from spmcli.errors import Problem, UsageError
from spmcli.messages import msg

MONTHS_IN: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}

_LABEL = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])|[Hh]([12])))?$")


@dataclass(frozen=True)
class Period:
    """An evaluation period: inclusive calendar days and its label (2025-Q3)."""

    label: str
    kind: str  # month | quarter | half | year
    start: date
    end: date


def parse_period(label: str) -> Period:
    """Turn a label such as ``2025-Q3`` into a Period; a bad label is a usage error."""
    match = _LABEL.match(label.strip())
    if not match:
        raise UsageError(
            [Problem("period", msg("period.not_label", label=label), msg("period.forms"))]
        )
    year = int(match.group(1))
    month, quarter, half = match.group(2), match.group(3), match.group(4)
    if month is not None:
        if not 1 <= int(month) <= 12:
            raise UsageError(
                [
                    Problem(
                        "period",
                        msg("period.no_month", label=label, month=month),
                        msg("period.months"),
                    )
                ]
            )
        return period_starting("month", year, int(month))
    if quarter is not None:
        return period_starting("quarter", year, 3 * int(quarter) - 2)
    if half is not None:
        return period_starting("half", year, 6 * int(half) - 5)
    return period_starting("year", year, 1)


def period_containing(day: date, kind: str) -> Period:
    """The period of the given kind (month, quarter, half, year) that holds ``day``."""
    length = MONTHS_IN[kind]
    first_month = (day.month - 1) // length * length + 1
    return period_starting(kind, day.year, first_month)


def period_starting(kind: str, year: int, first_month: int) -> Period:
    """The period of ``kind`` whose first month is ``first_month`` of ``year``."""
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
