"""The ranked table and grade distribution printed after an evaluation."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from rich.console import Console
from rich.table import Table
from rich.text import Text

from spmcli.engine.result import Evaluation
from spmcli.report.figures import cents_text, figure, percent_text
from spmcli.report.grades import grade_distribution
from spmcli.report.labels import label
from spmcli.report.what_if import what_if_rows


def score_text(score: float | Decimal | None, bold: bool = False) -> Text:
    """A score cell: N/A dimmed, red below 60, green from 90 (the workbooks' colours);
    NaN marks a KPI the rep's role does not weight."""
    if score is None:
        return Text("N/A", style="dim")
    if isinstance(score, float) and math.isnan(score):
        return Text("·", style="dim")
    shown = figure(score, "score")  # the figure every output writes, so 88.15 is 88.15 here too
    assert shown is not None
    colour = "green" if shown >= 90 else "red" if shown < 60 else ""
    return Text(f"{shown:.2f}", style=f"{'bold ' if bold else ''}{colour}".strip())


def by_weight(ev: Evaluation) -> list[str]:
    """The weighted KPIs, the most weighted over all roles first (scheme order on ties)."""
    weight: dict[str, float] = {}
    for role in ev.scheme.roles.values():
        for kpi_id, w in role.weights.items():
            weight[kpi_id] = weight.get(kpi_id, 0.0) + float(w)
    order = [k.id for k in ev.scheme.kpis if weight.get(k.id)]
    return sorted(order, key=lambda k: -weight[k])


def ranked_table(ev: Evaluation, shown: int | None = None) -> Table:
    """One row per due rep in rank order: the weighted KPIs' scores (the ``shown`` most
    weighted of them, in scheme order; all when None), final score, grade and pay."""
    loc = ev.scheme.locale
    keep = set(by_weight(ev)[:shown])
    kpis = [k for k in ev.scheme.kpis if k.id in keep]
    table = Table(
        title=f"{ev.scheme.name} · {ev.period.label}", header_style="bold", show_lines=False
    )
    if "total_pay" in ev.reps.columns:
        table.title = f"{table.title} · {label('col.currency', loc)} {ev.scheme.currency}"
    for key in ("col.rank", "col.rep_id", "col.name", "col.team", "col.role"):
        table.add_column(label(key, loc), no_wrap=True)
    for kpi in kpis:
        table.add_column(kpi.title, justify="right")
    # What a ranking is read for keeps its width; long ids and names are cut first.
    table.add_column(label("col.final_score", loc), justify="right", no_wrap=True, min_width=6)
    table.add_column(label("col.grade", loc), justify="right", no_wrap=True, min_width=2)
    pay = "total_pay" in ev.reps.columns
    if pay:
        widest = max((len(cents_text(v)) for v in ev.reps["total_pay"].to_list()), default=4)
        table.add_column(
            label("col.total_pay", loc), justify="right", no_wrap=True, min_width=widest
        )

    counted = ev.kpis.with_columns(
        pl.when(pl.col("status") == "informational")
        .then(float("nan"))
        .otherwise(pl.col("score"))
        .alias("score")
    )
    scores = counted.pivot(on="kpi", index="rep_id", values="score")
    rows = ev.reps.filter(pl.col("due")).join(
        scores, on="rep_id", how="left", maintain_order="left"
    )
    for rep in rows.iter_rows(named=True):
        cells = [
            Text(str(rep["rank"] or "–")),
            *(Text(rep[c] or "") for c in ("rep_id", "name", "team", "role_label")),
        ]
        cells += [score_text(rep.get(kpi.id)) for kpi in kpis]
        cells += [score_text(rep["final_score"], bold=True), Text(rep["grade"] or "–")]
        if pay:
            cells.append(Text(cents_text(rep["total_pay"])))
        table.add_row(*cells)
    return table


def grade_table(ev: Evaluation) -> Table:
    """How many due reps got each grade and their share of the graded reps, with a bar."""
    loc = ev.scheme.locale
    table = Table(title=label("sheet.grades", loc), header_style="bold")
    table.add_column(label("col.grade", loc))
    table.add_column(label("col.grade_label", loc))
    table.add_column("#", justify="right")
    table.add_column("%", justify="right")
    table.add_column("")
    for row in grade_distribution(ev).grades:
        share = row.share or Decimal(0)
        bar = "█" * int((30 * share).to_integral_value(ROUND_HALF_UP))
        table.add_row(row.grade, row.label, str(row.count), percent_text(row.share), bar)
    return table


def show_evaluation(ev: Evaluation, console: Console, *, wide: bool = False) -> None:
    """The ranking with every weighted KPI's score when it fits the terminal (or ``wide``);
    else with as many of the most weighted KPIs as fit, and a line saying how to see all."""
    every = len(by_weight(ev))
    table = ranked_table(ev)
    if not wide and _width(console, table) > console.width:
        low, high = 0, every - 1  # the most KPI columns that fit: a binary search
        while low < high:
            middle = (low + high + 1) // 2
            if _width(console, ranked_table(ev, middle)) <= console.width:
                low = middle
            else:
                high = middle - 1
        table = ranked_table(ev, low)
        hidden = every - low
        table.caption = label("console.narrow", ev.scheme.locale).format(hidden=hidden)
    if wide:  # the whole table, wider than the terminal if need be (a pager or a file scrolls)
        width = max(console.width, _width(console, table))
        Console(
            file=console.file,
            width=width,
            highlight=False,
            force_terminal=console.is_terminal,
            no_color=console.no_color,
        ).print(table)
    else:
        console.print(table)
    console.print(grade_table(ev))


def _width(console: Console, table: Table) -> int:
    return console.measure(table, options=console.options.update_width(10_000)).maximum


def what_if_table(base: Evaluation, scaled: Evaluation, scaling: dict[str, float]) -> Table:
    """Per due rep: final score and grade now → in the what-if; the what-if pay and its change."""
    loc = base.scheme.locale
    pay = "total_pay" in base.reps.columns
    what = ", ".join(f"{base.scheme.kpi(k).title} × {f:g}" for k, f in scaling.items())
    table = Table(title=f"{label('console.what_if', loc)}: {what}", header_style="bold")
    for key in ("col.rep_id", "col.name"):
        table.add_column(label(key, loc))
    for key in (
        "col.final_score",
        "col.grade",
        *(["col.total_pay", "console.change"] if pay else []),
    ):
        table.add_column(label(key, loc), justify="right", no_wrap=True)
    for row in what_if_rows(base, scaled):
        final = Text.assemble(
            score_text(row.final_score), " → ", score_text(row.final_score_after, bold=True)
        )
        grade = row.grade or "–"
        if row.grade_after != row.grade:
            grade = f"{grade} → {row.grade_after or '–'}"
        cells = [Text(row.rep_id), Text(row.name), final, Text(grade)]
        if row.pay_change is not None:
            change = row.pay_change
            colour = "green" if change > 0 else "red" if change < 0 else ""
            cells += [
                Text(cents_text(row.pay_after), style="bold"),
                Text(f"{'+' if change >= 0 else ''}{cents_text(change)}", style=colour),
            ]
        table.add_row(*cells)
    return table
