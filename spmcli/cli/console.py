"""The ranked table and grade distribution printed after an evaluation."""

from __future__ import annotations

import polars as pl
from rich.console import Console
from rich.table import Table

from spmcli.engine.result import Evaluation
from spmcli.labels import label


def score_style(score: float | None) -> str:
    if score is None:
        return "dim"
    return "green" if score >= 90 else "red" if score < 60 else ""


def ranked_table(ev: Evaluation) -> Table:
    """One row per due rep in rank order: each weighted KPI's score, final score, grade."""
    loc = ev.scheme.locale
    weighted = {k for role in ev.scheme.roles.values() for k in role.weights}
    kpis = [k for k in ev.scheme.kpis if k.id in weighted]
    table = Table(title=f"{ev.scheme.name} · {ev.period.label}", header_style="bold", show_lines=False)
    for key in ("col.rank", "col.rep_id", "col.name", "col.team", "col.role"):
        table.add_column(label(key, loc), no_wrap=True)
    for kpi in kpis:
        table.add_column(kpi.title, justify="right")
    for key in ("col.final_score", "col.grade"):
        table.add_column(label(key, loc), justify="right")
    pay = "total_pay" in ev.reps.columns
    if pay:
        table.add_column(label("col.total_pay", loc), justify="right")

    scores = ev.kpis.pivot(on="kpi", index="rep_id", values="score")
    rows = ev.reps.filter(pl.col("due")).join(scores, on="rep_id", how="left", maintain_order="left")
    for rep in rows.iter_rows(named=True):
        cells = [str(rep["rank"] or "–"), rep["rep_id"], rep["name"] or "", rep["team"] or "", rep["role_label"]]
        for kpi in kpis:
            value = rep.get(kpi.id)
            cells.append("N/A" if value is None else f"[{score_style(value)}]{value:.1f}[/]")
        final = rep["final_score"]
        cells.append("N/A" if final is None else f"[bold {score_style(final)}]{final:.1f}[/]")
        cells.append(rep["grade"] or "–")
        if pay:
            cells.append(f"{rep['total_pay']:,.2f}")
        table.add_row(*(c.replace("[", r"\[") if i < 5 else c for i, c in enumerate(cells)))
    return table


def grade_table(ev: Evaluation) -> Table:
    """How many due reps got each grade, with a bar."""
    loc = ev.scheme.locale
    counts = dict(ev.reps.filter(pl.col("due")).group_by("grade").len().iter_rows())
    total = max(1, sum(counts.values()))
    table = Table(title=label("sheet.grades", loc), header_style="bold")
    table.add_column(label("col.grade", loc))
    table.add_column(label("col.grade_label", loc))
    table.add_column("#", justify="right")
    table.add_column("%", justify="right")
    table.add_column("")
    for grade in ev.scheme.grades:
        n = counts.get(grade.grade, 0)
        table.add_row(grade.grade, grade.label, str(n), f"{100 * n / total:.0f}%", "█" * round(30 * n / total))
    return table


def show_evaluation(ev: Evaluation, console: Console) -> None:
    console.print(ranked_table(ev))
    console.print(grade_table(ev))
