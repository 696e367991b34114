"""``spm check``: validate the scheme and the data, report every problem, compute nothing."""

from __future__ import annotations

import typer

from spmcli.cli.common import (
    DebugOpt,
    InputsArg,
    PeriodOpt,
    QuietOpt,
    SchemeOpt,
    err,
    load,
    report_problems,
    row_problems,
    user_errors,
)
from spmcli.engine.evaluate import resolve_period
from spmcli.engine.targets import check_references


def check(
    inputs: InputsArg,
    scheme: SchemeOpt = None,
    period: PeriodOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Check the scheme and the data and list every problem; exit 1 if the data has any.

    Examples:

      spm check q3.xlsx

      spm check exports/ --scheme spm.yaml
    """
    with user_errors(debug):
        scheme_file, data = load(inputs, scheme, None)
        frames = {name: table.frame for name, table in data.tables.items()}
        when = resolve_period(scheme_file.scheme, frames["sales"], period)
        problems = [
            *data.problems,
            *row_problems(data, check_references(scheme_file.scheme, frames, when)),
        ]
    if not quiet:
        for note in data.notes:
            err.print(f"[yellow]note:[/yellow] {note}")
    if problems:
        report_problems(problems)
        err.print(f"{len(problems)} problem(s) found.")
        raise typer.Exit(1)
    if not quiet:
        tables = ", ".join(f"{name} ({t.frame.height} rows)" for name, t in data.tables.items())
        err.print(f"[green]ok[/green]: scheme {scheme_file.path}; period {when.label}; {tables}")
