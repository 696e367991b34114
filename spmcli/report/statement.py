"""One rep's pay statement (SPEC §4 Pay), worked out step by step in words and figures.

Every figure comes from the engine's ``PayDetail`` (``spmcli.report.records.RepPay``):
the curve's reading, each tier's slice and exact amount, the pool's exact share and its
rounding cent. Nothing here computes a paid amount again; the rep workbook lays the
statement out, line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from spmcli.report.figures import (
    cents_text,
    exact_text,
    figure,
    is_shortened,
    money_text,
    rate_text,
    show,
    working_text,
)
from spmcli.report.labels import label
from spmcli.report.records import RepPay
from spmcli.scheme.model import Bonus, Commission, Scheme, TeamPool

LineKind = Literal["text", "money", "score", "achievement", "exact_money", "exact_number", "rate"]


@dataclass(frozen=True)
class Line:
    """One row of the statement: an item, its figure and how it was worked out."""

    item: str
    value: object = None
    kind: LineKind = "text"
    calc: str = ""
    bold: bool = False


@dataclass(frozen=True)
class Tier:
    """One tier of a commission: its bounds, the slice of the actual paid at its rate."""

    tier: int
    start: object
    end: object
    lower: object
    upper: object
    slice: object
    rate: object
    amount: object
    calc: str


@dataclass(frozen=True)
class Section:
    """A part of the pay: its lines, and for a commission its tier table and total."""

    title: str
    lines: tuple[Line, ...]
    tiers: tuple[Tier, ...] = ()
    tiers_total: tuple[object, object, str] | None = None  # slices, amount, working


@dataclass(frozen=True)
class Statement:
    sections: tuple[Section, ...]
    total: Line


def value_text(line: Line) -> str:
    """A line's figure as text, as its workbook cell shows it ("" for none)."""
    value = line.value
    if value is None:
        return ""
    if line.kind == "text":
        return str(value)
    if line.kind == "exact_money":
        return money_text(value)
    if line.kind == "exact_number":
        return working_text(value)  # the cell keeps the exact figure
    if line.kind == "rate":
        return rate_text(value)
    if line.kind == "money":
        return cents_text(value)
    return show(figure(value, line.kind), line.kind)


def pay_statement(
    scheme: Scheme,
    rep: dict[str, Any],
    kpis: dict[str, dict[str, Any]],
    detail: RepPay,
    lang: str,
) -> Statement | None:
    """The statement of a due rep; None when the scheme pays nothing.

    ``rep`` and ``kpis`` are the rep's records (``rep_records``, ``kpi_records``)."""
    rules = scheme.pay
    if rules is None:
        return None
    sections: list[Section] = []
    parts: list[str] = []
    if rules.bonus is not None:
        lines = _bonus_lines(scheme, rules.bonus, detail.bonus, lang)
        sections.append(Section(label("col.bonus", lang), tuple(lines)))
        parts.append("bonus")
    if rules.commission is not None:
        sections.append(_commission(scheme, rules.commission, rep, kpis, detail, lang))
        parts.append("commission")
    if rules.team_pool is not None:
        lines = _pool_lines(scheme, rules.team_pool, detail.pool, lang)
        sections.append(Section(label("col.team_pool", lang), tuple(lines)))
        parts.append("team_pool")
    added = " + ".join(money_text(rep.get(part)) for part in parts)
    calc = f"{added} = {money_text(rep.get('total_pay'))}"
    total = Line(label("col.total_pay", lang), rep.get("total_pay"), "money", calc, True)
    return Statement(tuple(sections), total)


def _rounded(exact: object, paid: object, lang: str) -> str:
    """'(rounded to the cent)' when the exact result had more than two decimals."""
    return "" if exact is None or exact == paid else label("pay.rounded", lang)


def _bonus_lines(scheme: Scheme, rule: Bonus, b: dict[str, Any] | None, lang: str) -> list[Line]:
    if b is None:
        return []
    base, x, multiplier = b["base"], b["basis"], b["multiplier"]
    source = (
        label("pay.base_column", lang).format(column=rule.base)
        if isinstance(rule.base, str)
        else label("pay.base_fixed", lang)
    )
    basis_kind: LineKind
    if rule.on == "final_score":
        basis_kind = "score"
        basis_calc = label("pay.on_final_score", lang).format(x=working_text(x))
        on_words = label("pay.final_score", lang)
    else:
        title = scheme.kpi(rule.on).title
        basis_kind = "achievement"
        basis_calc = label("pay.on_kpi", lang).format(kpi=title, x=working_text(x))
        on_words = label("pay.kpi_achievement", lang).format(kpi=title)
    points = sorted(rule.points)
    curve = "; ".join(f"{exact_text(px)} → {exact_text(py)}" for px, py in points)
    reading = (
        _curve_reading(b, rule, points, lang)
        if x is not None
        else label("pay.no_basis", lang).format(on=on_words)
    )
    lines = [
        Line(label("pay.base", lang), base, "exact_money", source),
        Line(label("pay.basis", lang), x, basis_kind, basis_calc if x is not None else ""),
        Line(
            label("pay.curve", lang),
            calc=label(f"pay.curve_{rule.mode}", lang).format(points=curve),
        ),
        Line(label("pay.multiplier", lang), multiplier, "exact_number", reading),
    ]
    if rule.cap is not None:
        words = label("pay.capped", lang)
        capped = words.format(raw=working_text(b["uncapped"]), cap=exact_text(rule.cap))
        cap_calc = capped if b["capped"] else label("pay.cap_not_hit", lang)
        lines.append(Line(label("pay.cap", lang), rule.cap, "exact_number", cap_calc))
    if base is None:
        calc = label("pay.no_base", lang)
    elif x is None:
        calc = label("pay.no_basis", lang).format(on=on_words)
    else:
        calc = (
            f"{money_text(base)} × {working_text(multiplier)} "
            f"{'≈' if is_shortened(multiplier) else '='} {money_text(b['bonus'])}"
            f"{_rounded(b['exact'], b['bonus'], lang)}"
        )
    lines.append(Line(label("col.bonus", lang), b["bonus"], "money", calc, True))
    return lines


def _curve_reading(
    b: dict[str, Any], rule: Bonus, points: list[tuple[float, float]], lang: str
) -> str:
    """How the curve was read at the basis, in words; the value is the engine's."""
    x, lx, ly, ux, uy = (b[k] for k in ("basis", "lower_x", "lower_y", "upper_x", "upper_y"))
    t = working_text
    if lx is None:
        return label("pay.below_first", lang).format(x=t(x), px=t(points[0][0]))
    if rule.mode == "step":
        return label("pay.step_at", lang).format(x=t(x), px=t(lx), py=t(ly))
    if ux is None:
        return label("pay.beyond_last", lang).format(x=t(x), px=t(lx), py=t(ly))
    if ux == lx:
        return label("pay.on_point", lang).format(x=t(x), py=t(ly))
    raw = t(b["uncapped"])
    return f"{t(ly)} + ({t(x)} − {t(lx)}) × ({t(uy)} − {t(ly)}) / ({t(ux)} − {t(lx)}) = {raw}"


def _commission(
    scheme: Scheme,
    rule: Commission,
    rep: dict[str, Any],
    kpis: dict[str, dict[str, Any]],
    detail: RepPay,
    lang: str,
) -> Section:
    title = label("col.commission", lang)
    kpi = scheme.kpi(rule.kpi)
    row = kpis.get(rule.kpi, {})
    actual, target, achieved = row.get("actual"), row.get("target"), row.get("achievement")
    usable = actual is not None and target is not None and target > 0
    shown = show(figure(achieved, "achievement"), "achievement")  # as the achievement line
    ratio = f"{money_text(actual)} / {money_text(target)} = {shown}"
    lines = [
        Line(label("pay.kpi", lang), kpi.title),
        Line(label("pay.mode", lang), calc=label(f"pay.mode_{rule.mode}", lang)),
        Line(label("col.actual", lang), actual, "exact_money"),
        Line(label("col.target", lang), target, "exact_money"),
        Line(label("col.achievement", lang), achieved, "achievement", ratio if usable else ""),
    ]
    commission = rep.get("commission")
    if not usable:
        why = label("pay.no_actual" if actual is None else "pay.no_target", lang)
        lines.append(Line(title, commission, "money", why.format(kpi=kpi.title), True))
        return Section(title, tuple(lines))
    top = max((t["tier"] for t in detail.tiers if t["reached"]), default=None)
    tiers = []
    for t in detail.tiers:
        calc = (
            f"{money_text(t['slice'])} × {rate_text(t['rate'])} = {money_text(t['amount'])}"
            f"{_rounded(t['exact'], t['amount'], lang)}"
        )
        if rule.mode == "whole":
            calc = label("pay.highest_tier", lang).format(calc=calc) if t["tier"] == top else ""
        elif not t["slice"]:
            calc = ""
        figures = {k: t[k] for k in ("start", "end", "lower", "upper", "slice", "rate", "amount")}
        tiers.append(Tier(tier=t["tier"], calc=calc, **figures))
    paid = [t["amount"] for t in detail.tiers if t["amount"]]
    added = " + ".join(money_text(a) for a in paid) or money_text(0)
    sliced = sum(t["slice"] for t in detail.tiers)
    total = (sliced, commission, f"{added} = {money_text(commission)}")
    return Section(title, tuple(lines), tuple(tiers), total)


def _pool_lines(scheme: Scheme, rule: TeamPool, p: dict[str, Any] | None, lang: str) -> list[Line]:
    share_item = label("pay.share", lang)
    if p is None:
        return [
            Line(label("col.team", lang), calc=label("pay.no_team", lang)),
            Line(share_item, 0, "money", bold=True),
        ]
    kpi = scheme.kpi(rule.kpi)
    pool, basis, team_basis, share = p["pool"], p["basis"], p["team_basis"], p["share"]
    reached = bool(p["reached"])
    split = label(f"pay.split_{p['split']}", lang)
    if reached and not team_basis:
        split = f"{split}; {label('pay.split_fallback', lang)}"
    if not reached:
        calc = label("pay.not_reached", lang)
    else:
        if team_basis:
            calc = f"{money_text(pool)} × {working_text(basis)} / {working_text(team_basis)}"
        else:
            calc = f"{money_text(pool)} / {p['members']}"
        rounded = p["rounded"]
        calc = f"{calc} = {money_text(rounded)}{_rounded(p['exact'], rounded, lang)}"
        if share != rounded:
            calc += "; " + label("pay.rounding_cent", lang).format(diff=f"{share - rounded:+}")
            calc += f" → {money_text(share)}"
    verdict = label("pay.reached" if reached else "pay.not_reached", lang)
    return [
        Line(label("col.team", lang), p["team"]),
        Line(label("pay.team_kpi", lang).format(kpi=kpi.title), p["achievement"], "achievement"),
        Line(label("pay.threshold", lang), p["threshold"], "rate", verdict),
        Line(label("pay.pool", lang), pool, "money"),
        Line(label("pay.split", lang), calc=split),
        Line(label("pay.my_basis", lang), basis, "exact_number"),
        Line(label("pay.team_basis", lang), team_basis, "exact_number"),
        Line(share_item, share, "money", calc, True),
        Line("", calc=label("pay.rounding_rule", lang) if reached else ""),
    ]
