"""``spm explain``: how one rep's figures were reached, top down, from the source rows up."""

from __future__ import annotations

import dataclasses
import sys
from decimal import Decimal
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from spmcli.cli.common import (
    DebugOpt,
    InputsArg,
    JsonOpt,
    LangOpt,
    PeriodOpt,
    SchemeOpt,
    SkipOpt,
    out,
    prepare,
    stop_on_problems,
    user_errors,
    wanted_reps,
)
from spmcli.errors import Problem, UsageError, did_you_mean
from spmcli.io.json_result import dumps
from spmcli.messages import msg
from spmcli.report.explain import SHOWN_ROWS, Explanation, SourceRows, more_rows, rows_line
from spmcli.report.explain import explain as explain_rep
from spmcli.report.figures import figure, rate_text, show
from spmcli.report.labels import LABELS, label, source_header
from spmcli.report.statement import Line, value_text
from spmcli.report.wording import beside
from spmcli.run import Prepared

RepOpt = Annotated[str, typer.Option("--rep", "-r", help="The rep to explain (rep_id).")]
KpiOpt = Annotated[
    str | None, typer.Option("--kpi", "-k", help="Only this KPI (its id), with all its rows.")
]
RowsOpt = Annotated[
    int | None,
    typer.Option(
        "--rows",
        min=0,
        help=f"How many source rows to show per KPI, largest first [{SHOWN_ROWS}; with --kpi all].",
    ),
]


def explain(
    inputs: InputsArg,
    rep: RepOpt,
    kpi: KpiOpt = None,
    rows: RowsOpt = None,
    scheme: SchemeOpt = None,
    period: PeriodOpt = None,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    skip_invalid: SkipOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Show how a rep's final score, KPI scores and pay were reached, down to the source rows.

    The figures are those of the rep's evaluation workbook and evaluation.json.

    Examples:

      spm explain q3.xlsx --rep R013

      spm explain q3.xlsx --rep R013 --kpi sales

      spm explain q3.xlsx --rep R013 --json > R013.json
    """
    with user_errors(debug, lang) as language:
        prepared = prepare(inputs, scheme, lang, period)
        language.known = prepared.scheme.locale
        stop_on_problems(prepared, skip_invalid, None)
        ev = prepared.evaluate(skip_invalid=skip_invalid).evaluation
        wanted_reps(ev, [rep])
        if kpi is not None and kpi not in {k.id for k in ev.scheme.kpis}:
            ids = [k.id for k in ev.scheme.kpis]
            hint = did_you_mean(kpi, ids) or msg("option.one_of", choices=tuple(ids))
            raise UsageError([Problem("--kpi", msg("option.not_a_kpi", id=kpi), hint)])
        shown = rows if rows is not None else (None if kpi else SHOWN_ROWS)
        told = explain_rep(ev, rep, origins(prepared), kpi=kpi, rows=shown)
    if json_out:
        sys.stdout.write(dumps(dataclasses.asdict(told)) + "\n")
    else:
        out.print(_tree(told, ev.scheme.locale))


def origins(prepared: Prepared) -> dict[str, str]:
    """Each table's place as a reader finds it: file [sheet]."""
    return {
        name: f"{t.file} [{t.sheet}]" if t.sheet else t.file
        for name, t in prepared.inputs.tables.items()
    }


def _tree(told: Explanation, lang: str) -> Tree:
    person = beside(told.name, told.rep_id, lang) if told.name else told.rep_id
    who = " · ".join(x for x in (person, told.team, told.role, told.period) if x)
    tree = Tree(f"[bold]{escape(who)}[/bold]")
    for said in told.lines:
        tree.add(escape(said))
    for step in told.kpis:
        branch = tree.add(f"[bold]{escape(step.title)}[/bold] ({escape(step.kpi)})")
        for said in step.lines:
            branch.add(escape(said))
        if step.rows is not None:
            _rows(branch, step.rows, lang)
    if told.pay is not None:
        pay = tree.add(f"[bold]{escape(label('sheet.pay_statement', lang))}[/bold]")
        for section in told.pay.sections:
            part = pay.add(escape(section.title))
            for line in section.lines:
                if line.item or line.calc:
                    part.add(escape(_line(line)))
            for tier in section.tiers:
                if tier.calc:
                    end = "∞" if tier.end is None else rate_text(tier.end)
                    bounds = f"{rate_text(tier.start)}–{end}"
                    part.add(escape(f"{tier.tier} ({bounds}): {tier.calc}"))
        pay.add(f"[bold]{escape(_line(told.pay.total))}[/bold]")
    return tree


def _line(line: Line) -> str:
    """item: figure — working, leaving out what the line does not have."""
    value = value_text(line)
    said = " — ".join(x for x in (value, line.calc) if x)
    return f"{line.item}: {said}" if line.item and said else line.item or said


def _rows(branch: Tree, rows: SourceRows, lang: str) -> None:
    node = branch.add(escape(rows_line(rows, lang)))
    if not rows.shown:
        return
    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in rows.columns:
        numeric = column in ("_row", "amount", "actual", "target")
        table.add_column(source_header(column, lang), justify="right" if numeric else "left")
    for row in rows.shown:
        table.add_row(*(escape(_cell(row[c], c, lang)) for c in rows.columns))
    node.add(table)
    if rows.hidden:
        node.add(escape(more_rows(rows, lang)))


def _cell(value: object, column: str, lang: str) -> str:
    """A source value as the workbook shows it: money (decimals) to the cent, windows in
    words, the rest as read."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return label("tiers.yes" if value else "tiers.no", lang)
    if isinstance(value, Decimal):
        return show(figure(value, "money"), "money")
    if isinstance(value, float):
        return show(figure(value, "number"), "number")
    if column == "window" and f"window.{value}" in LABELS:
        return label(f"window.{value}", lang)
    return str(value)
