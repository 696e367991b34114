"""Figures as people see them (SPEC §4 Money), and what a KPI is, in words.

The engine keeps exact values; a figure is rounded half away from zero only here, when it
is shown or written: money to 2 decimals, achievements to 4, scores and weights to 2, other
actuals and targets to 4, counts as integers. The console, workbooks, JSON and letters all
use ``figure`` and the texts built on it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Literal

from spmcli.report.labels import label
from spmcli.scheme.model import Kpi, Scheme, Unit

Figure = Literal["money", "achievement", "score", "weight", "percent", "number", "count"]

PLACES: dict[Figure, int] = {
    "money": 2,
    "achievement": 4,
    "score": 2,
    "weight": 2,
    "percent": 4,
    "number": 4,
    "count": 4,  # a count that is not a whole number keeps 4 decimals
}


def _exact(value: object, kind: str) -> Decimal | None:
    """The exact decimal behind a figure: a float through ``repr``; None for N/A."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"a {kind} figure cannot be a boolean: {value!r}")
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


def figure(value: object, kind: Figure) -> Decimal | int | None:
    """``value`` rounded half away from zero for writing; ``None`` for N/A.

    A float goes through ``repr``, the shortest text that reads back as the same
    float, which is the exact decimal the engine computed (391721.905, not the
    binary 391721.90499...). Decimals are quantized as they are. Counts that are
    whole numbers come back as ``int``. NaN and infinities are N/A.
    """
    exact = _exact(value, kind)
    if exact is None:
        return None
    if kind == "count" and exact == exact.to_integral_value():
        return int(exact)
    rounded = exact.quantize(Decimal(1).scaleb(-PLACES[kind]), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded.is_zero() else rounded  # no "-0.00"


_WIDE_CONTEXT = Context(prec=80)


def exact_figure(value: object, min_places: int = 0) -> Decimal | None:
    """``value`` not rounded at all, for the working behind paid amounts (pay statement,
    JSON ``pay_detail``): the engine's exact decimal without trailing zeros, but with at
    least ``min_places`` decimals (2 for money). A calculator fed these figures gets the
    engine's results to the last digit."""
    exact = _exact(value, "exact")
    if exact is None:
        return None
    exact = exact.normalize(_WIDE_CONTEXT)
    if exact.is_zero():
        exact = Decimal(0)
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -min_places:
        exact = exact.quantize(Decimal(1).scaleb(-min_places), context=_WIDE_CONTEXT)
    return exact


def exact_text(value: object, min_places: int = 0, *, grouped: bool = False) -> str:
    """``exact_figure`` as text (``N/A`` for none): 100, 0.5, 74.7131296191; with
    ``grouped`` thousands are separated (391,721.905)."""
    exact = exact_figure(value, min_places)
    if exact is None:
        return "N/A"
    return format(exact, ",f" if grouped else "f")


def money_text(value: object) -> str:
    """Money as a statement writes it: 1,234.50, keeping any digit beyond the cent."""
    return exact_text(value, 2, grouped=True)


def rate_text(value: object) -> str:
    """A rate as an exact percentage: 0.02 -> 2%, 0.0125 -> 1.25%."""
    exact = exact_figure(value)
    if exact is None:
        return "N/A"
    return f"{exact_text(exact * 100)}%"


WORKING_PLACES = 4


def working_text(value: object) -> str:
    """A working figure (a score read on a curve, a multiplier, a pool basis) as a finance
    user reads it: at most four decimals, trailing zeros dropped; N/A for none. The cells
    and the JSON keep the exact figure."""
    exact = exact_figure(value)
    if exact is None:
        return "N/A"
    rounded = exact.quantize(Decimal(1).scaleb(-WORKING_PLACES), rounding=ROUND_HALF_UP)
    return exact_text(rounded)


def is_shortened(value: object) -> bool:
    """Whether ``working_text`` drops digits of the exact figure."""
    exact = exact_figure(value)
    return exact is not None and exact != Decimal(working_text(value))


def cents_text(value: object) -> str:
    """Money rounded to the cent as the console shows it: 1,234.50; N/A for none."""
    rounded = figure(value, "money")
    return "N/A" if rounded is None else f"{rounded:,.2f}"


def share_text(value: object) -> str:
    """A share (of value, of customers) as a percentage with one decimal: 79.8%."""
    rounded = figure(value, "percent")
    return "N/A" if rounded is None else f"{rounded * 100:.1f}%"


def percent_text(value: object) -> str:
    """A share as a percentage with one decimal (the grade distribution): 20.0%."""
    rounded = figure(value, "achievement")
    if rounded is None:
        return "N/A"
    return f"{Decimal(rounded) * 100:.1f}%"


def show(value: Decimal | int | None, kind: str) -> str:
    """A figure of the JSON as a reader sees it, without rounding it again.

    ``money`` 288847.80 → 288,847.80; ``achievement``/``percent`` 1.2559 → 125.59%;
    ``count`` 75 → 75; ``weight`` 30.00 → 30; ``score`` 104.81 → 104.81; ``number``
    70.0000 → 70.00 and 3.9455 → 3.9455 (no trailing zeros beyond two); N/A for None.
    """
    if value is None:
        return "N/A"
    if isinstance(value, int):
        return f"{value:,}"
    if kind in ("achievement", "percent"):
        return f"{plain_text(value * 100, 2)}%"
    if kind == "weight":
        return plain_text(value, 0)
    if kind == "score":
        return format(value, "f")
    if kind == "number":
        return plain_text(value, 2, grouped=True)
    return format(value, ",f")


def plain_text(value: Decimal, places: int, grouped: bool = False) -> str:
    """A decimal without trailing zeros beyond ``places`` decimals (30.00 → 30 at 0)."""
    text = format(value, ",f" if grouped else "f")
    if "." in text:
        whole, _, fraction = text.partition(".")
        fraction = fraction.rstrip("0")
        fraction = fraction + "0" * (places - len(fraction)) if len(fraction) < places else fraction
        text = f"{whole}.{fraction}" if fraction else whole
    return text


def cell_number(value: object, kind: Figure) -> float | int | None:
    """``figure`` as a number a workbook cell holds."""
    rounded = figure(value, kind)
    return float(rounded) if isinstance(rounded, Decimal) else rounded


def kpi_unit(scheme: Scheme, kpi: Kpi) -> Unit:
    """The unit a KPI's actual and target are shown in; a team KPI takes its ``of`` KPI's."""
    if kpi.scope == "team" and kpi.of:
        of = next((k for k in scheme.kpis if k.id == kpi.of), None)
        if of is not None:
            return of.display_unit
    return kpi.display_unit


def kpi_description(kpi: Kpi, scheme: Scheme, lang: str) -> str:
    """What a KPI computes, in words where its kind is not a plain SQL aggregate."""
    of = next((k.title for k in scheme.kpis if k.id == kpi.of), kpi.of or "")
    if kpi.scope == "team":
        return label("desc.team", lang).format(of=of)
    if kpi.kind == "growth":
        return label("desc.growth", lang).format(of=of, vs=label(f"window.{kpi.vs}", lang))
    if kpi.kind in ("new_customers", "repurchase_rate"):
        return label(f"desc.{kpi.kind}", lang)
    if kpi.kind == "coverage":
        return label("desc.coverage", lang).format(tiers="/".join(kpi.tiers))
    if kpi.kind == "rating":
        scale = ", ".join(f"{name}={points:g}" for name, points in kpi.scale.items())
        return label("desc.rating", lang).format(item=kpi.item or "", scale=scale)
    return kpi.value or ""


def kpi_table(kpi: Kpi, scheme: Scheme) -> str:
    """The input table a KPI's figures come from."""
    if kpi.kind == "rating":
        return "ratings"
    if kpi.kind in ("new_customers", "repurchase_rate"):
        return "sales"
    if kpi.kind == "coverage":
        return "visits"
    if kpi.scope == "team" or kpi.kind == "growth":
        of = next((k for k in scheme.kpis if k.id == kpi.of), None)
        return of.table if of is not None else ""
    return kpi.table
