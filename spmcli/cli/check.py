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
    prepare,
    report_problems,
    user_errors,
)


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
        prepared = prepare(inputs, scheme, None, period)
        scheme_file, data, when = prepared.scheme_file, prepared.inputs, prepared.period
        problems = prepared.problems
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
