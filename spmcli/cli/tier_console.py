"""What ``spm tier-customers`` prints: the tiers, the value × potential matrix, the customer
types, the tier moves and the reps furthest from their call plan."""

from __future__ import annotations

from typing import Any

import polars as pl
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from spmcli.engine.tiering import POTENTIALS, STRATEGIES, TIERS, Tiers
from spmcli.report.figures import cents_text, figure, share_text
from spmcli.report.labels import label

SHOWN_GAPS = 10
LOW_COMPLIANCE = 0.8  # shown red below


def tier_table(t: Tiers) -> Table:
    """Customers, value and shares per tier, with a bar of the value share."""
    lang = t.scheme.locale
    value = label(f"tiers.value_{t.settings.by}", lang)
    title = label("tiers.title", lang).format(period=t.period.label)
    per = label(f"tiers.per_{t.settings.per or 'none'}", lang)
    parts = [title, label(f"tiers.by_{t.settings.by}", lang), per]
    if t.current.label != t.period.label:
        parts.insert(1, t.current.label)
    table = Table(title=" · ".join(parts), header_style="bold")
    table.add_column(label("tiers.tier", lang))
    for key in ("tiers.customers", "tiers.customer_share"):
        table.add_column(label(key, lang), justify="right")
    table.add_column(value, justify="right", no_wrap=True)
    table.add_column(label("tiers.value_share", lang), justify="right")
    table.add_column("")
    total = int(t.summary["customers"].sum())
    for row in t.summary.iter_rows(named=True):
        share = row["share"] or 0.0
        table.add_row(
            row["tier"],
            str(row["customers"]),
            share_text(row["customers"] / total if total else None),
            cents_text(row["value"]),
            share_text(row["share"]),
            "█" * round(30 * max(share, 0.0)),
        )
    table.add_row(
        label("value.total", lang),
        str(total),
        "",
        cents_text(t.summary["value"].sum()),
        "",
        "",
        style="bold",
    )
    return table


def matrix_table(t: Tiers) -> Table | None:
    """The 3 × 3 value × potential matrix: customers, value and strategy per cell."""
    if t.matrix is None:
        return None
    lang = t.scheme.locale
    cells = {(r["tier"], r["potential_tier"]): r for r in t.matrix.iter_rows(named=True)}
    table = Table(title=label("tiers.matrix_title", lang), header_style="bold", show_lines=True)
    table.add_column("")
    for potential in POTENTIALS:
        table.add_column(
            f"{label('tiers.potential', lang)} {label(f'potential.{potential}', lang)}"
        )
    for tier in TIERS:
        row: list[Text | str] = [Text(tier, style="bold")]
        for potential in POTENTIALS:
            cell = cells[(tier, potential)]
            row.append(
                Text.assemble(
                    (f"{cell['customers']}", "bold"),
                    f" · {cents_text(cell['value'])}\n",
                    (label(f"strategy.{STRATEGIES[(tier, potential)]}", lang), "dim"),
                )
            )
        table.add_row(*row)
    return table


def types_line(t: Tiers) -> Text:
    lang = t.scheme.locale
    parts = [
        f"{label('ctype.' + str(row['type']), lang)} {row['customers']}"
        for row in t.types.iter_rows(named=True)
    ]
    return Text(f"{label('tiers.by_type', lang)}: " + " · ".join(parts))


def migration_line(t: Tiers) -> Text:
    lang = t.scheme.locale
    movers = t.movers
    ups = movers.filter(pl.col("tier") < pl.col("tier_before")).height
    counts = {
        (r["tier_before"], r["tier"]): r["customers"] for r in t.migration.iter_rows(named=True)
    }
    moves = " · ".join(
        f"{a}→{b} {counts[(a, b)]}" for a in TIERS for b in TIERS if a != b and counts[(a, b)]
    )
    text = label("tiers.moved", lang).format(n=movers.height, up=ups, down=movers.height - ups)
    return Text(f"{text}" + (f" ({moves})" if moves else ""))


def gaps_table(t: Tiers) -> Table | None:
    """The reps furthest from their call plan: lowest compliance first."""
    if not t.has_visits:
        return None
    lang = t.scheme.locale
    worst = (
        t.reps.filter(pl.col("compliance").is_not_null())
        .sort(["compliance", "under_visited", "rep_id"], descending=[False, True, False])
        .head(SHOWN_GAPS)
    )
    table = Table(title=label("tiers.worst_gaps", lang), header_style="bold")
    table.add_column(label("col.rep_id", lang), no_wrap=True)
    table.add_column(label("col.name", lang))
    for key in (
        "tiers.compliance",
        "tiers.a_coverage",
        "tiers.required",
        "tiers.visits",
        "tiers.under_visited",
    ):
        table.add_column(label(key, lang), justify="right")
    for rep in worst.iter_rows(named=True):
        colour = "red" if rep["compliance"] < LOW_COMPLIANCE else ""
        table.add_row(
            rep["rep_id"],
            rep["name"] or "",
            Text(share_text(rep["compliance"]), style=colour),
            share_text(rep["a_coverage"]),
            str(figure(rep["required"], "count")),
            str(figure(rep["visits"], "count")),
            str(rep["under_visited"]),
        )
    return table


def show_tiers(t: Tiers, console: Console) -> None:
    """The tier summary, the matrix, types, migration and the worst call-plan gaps."""
    lang = t.scheme.locale
    parts: list[Any] = [tier_table(t)]
    matrix = matrix_table(t)
    parts.append(matrix if matrix is not None else Text(label("tiers.no_potential", lang)))
    parts += [types_line(t), migration_line(t)]
    gaps = gaps_table(t)
    parts.append(gaps if gaps is not None else Text(label("tiers.no_visits", lang)))
    console.print(Group(*parts))
