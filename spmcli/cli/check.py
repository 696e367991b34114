"""``spm check``: validate the scheme and the data, report every problem, compute nothing."""

from __future__ import annotations

import typer

from spmcli.cli.common import (
    DebugOpt,
    InputsArg,
    LangOpt,
    PeriodOpt,
    QuietOpt,
    SchemeOpt,
    err,
    escape,
    prepare,
    report_problems,
    show_warnings,
    user_errors,
)
from spmcli.report.labels import label
from spmcli.report.wording import listing, nobody_scored, scheme_source, verdict


def check(
    inputs: InputsArg,
    scheme: SchemeOpt = None,
    period: PeriodOpt = None,
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Check the scheme and the data and list every problem; exit 1 if the data has any.

    Also shows the warnings spm evaluate would give (the evaluation runs, nothing is written).

    Examples:

      spm check q3.xlsx

      spm check exports/ --scheme spm.yaml
    """
    with user_errors(debug, lang):
        prepared = prepare(inputs, scheme, lang, period)
        problems = prepared.problems
        words = prepared.scheme.locale
        if problems:
            for note in prepared.inputs.notes:
                err.print(
                    f"[yellow]{label('console.note', words)}[/yellow]{escape(note.text(words))}"
                )
            report_problems(problems, words)
            err.print(label("console.problems_found", words).format(count=len(problems)))
            raise typer.Exit(1)
        # The same warnings evaluate gives: the evaluation runs, nothing is written.
        ev = prepared.evaluate().evaluation
    lang = prepared.scheme.locale
    void = nobody_scored(ev)  # evaluate would exit 1: so does check, with the same lines
    if not quiet:
        show_warnings(ev.warnings, lang, None)
        for line in verdict(ev, lang):
            err.print(f"[bold yellow]{escape(line)}[/bold yellow]")
    if void:
        if quiet:
            err.print(f"[red]{label('console.error', lang)}[/red]{escape(verdict(ev, lang)[-1])}")
        raise typer.Exit(1)
    if not quiet:
        tables = listing(
            [
                label("console.table_rows", lang).format(table=name, rows=t.frame.height)
                for name, t in prepared.inputs.tables.items()
            ],
            lang,
        )
        scheme_path = scheme_source(prepared.scheme_file.path, lang)
        ok = label("console.check_ok", lang).format(
            scheme=scheme_path, period=prepared.period.label, tables=tables
        )
        err.print(f"[green]{escape(ok)}[/green]")
